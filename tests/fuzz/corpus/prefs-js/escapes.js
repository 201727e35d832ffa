user_pref("quote", "say \"hi\"");
user_pref("back", "C:\\x");
user_pref("nl", "a\nb\rc");
user_pref("hex", "\x41\xc3\xa9");
user_pref("u", "\u00e9\ud83d\ude00");
user_pref('single', 'it\'s');
