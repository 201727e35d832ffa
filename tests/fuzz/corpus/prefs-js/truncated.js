user_pref("a", 1);
user_pref("mail.server.server1.hostname", "outlook.offi