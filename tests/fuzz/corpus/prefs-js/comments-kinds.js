# hash
/* block
 comment */
user_pref("a", 1); // trailing
user_pref("b", -2147483648);user_pref("c", +7);
pref("d", true);
sticky_pref("e", false);
lockPref("f", "x");
