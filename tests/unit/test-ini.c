/* test-ini.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-ini.h"

static MendIni *
parse_ok (const char     *text,
          MendIniDialect  dialect)
{
  g_autoptr(GError) error = NULL;
  MendIni *ini = mend_ini_parse (text, -1, dialect, &error);

  g_assert_no_error (error);
  g_assert_nonnull (ini);

  return ini;
}

static void
assert_fails (const char     *text,
              MendIniDialect  dialect,
              MendIniError    code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendIni) ini = mend_ini_parse (text, -1, dialect, &error);

  if (ini != NULL)
    g_error ("parsed, but should not have: %s", text);
  g_assert_error (error, MEND_INI_ERROR, code);
}

static void
test_ini_go (void)
{
  g_autoptr(MendIni) ini = parse_ok (
    "# aerc accounts.conf\n"
    "; another comment\n"
    "top = before any section\n"
    "\n"
    "[Work]\n"
    "source   = imaps://a%40b.example@host:993  \n"
    "from     = Alex <alex@example.com> # inline comment\n"
    "quoted   = \"a # kept ; too\"\n"
    "single   = 'quoted'\n"
    "backtick = `one\n"
    "two`\n"
    "triple   = \"\"\"first\n"
    "second\"\"\"\n"
    "joined   = first \\\n"
    "           second\n"
    "empty    =\n"
    "\"odd key\" = 1\n"
    "Case     = upper\n"
    "case     = lower\n"
    "ref      = %(source)s/x\n"
    "dflt     = %(shared)s\n"
    "missing  = %(nothing)s\n"
    "\r\n"
    "[ Second Account ]\r\n"
    "source = maildir://~/Mail\r"
    "[Work]\n"
    "copy-to = Sent\n"
    "[DEFAULT]\n"
    "shared = from default\n",
    MEND_INI_DIALECT_GO);
  g_autofree char *ref = mend_ini_get_value (ini, "Work", "ref", NULL);
  g_autofree char *dflt = mend_ini_get_value (ini, "Work", "dflt", NULL);
  g_autofree char *missing = mend_ini_get_value (ini, "Work", "missing", NULL);

  g_assert_cmpuint (mend_ini_get_n_sections (ini), ==, 2);
  g_assert_cmpstr (mend_ini_get_section_name (ini, 0), ==, "Work");
  g_assert_cmpstr (mend_ini_get_section_name (ini, 1), ==, "Second Account");
  g_assert_null (mend_ini_get_section_name (ini, 2));

  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "source"), ==, "imaps://a%40b.example@host:993");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "from"), ==, "Alex <alex@example.com>");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "quoted"), ==, "a # kept ; too");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "single"), ==, "quoted");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "backtick"), ==, "one\ntwo");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "triple"), ==, "first\nsecond");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "joined"), ==, "first second");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "empty"), ==, "");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "odd key"), ==, "1");
  /* Keys are case-sensitive. */
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "Case"), ==, "upper");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "case"), ==, "lower");
  /* A repeated section continues the first. */
  g_assert_cmpstr (mend_ini_get_raw (ini, "Work", "copy-to"), ==, "Sent");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Second Account", "source"), ==, "maildir://~/Mail");

  g_assert_cmpstr (ref, ==, "imaps://a%40b.example@host:993/x");
  g_assert_cmpstr (dflt, ==, "from default");
  g_assert_cmpstr (missing, ==, "%(nothing)s");

  /* Keys before the first section, and DEFAULT, are not a section. */
  g_assert_cmpstr (mend_ini_get_raw (ini, "DEFAULT", "top"), ==, "before any section");
  g_assert_false (mend_ini_has_section (ini, "DEFAULT"));
  g_assert_false (mend_ini_has_key (ini, "Work", "shared"));
  g_assert_null (mend_ini_get_raw (ini, "Nowhere", "source"));
  g_assert_null (mend_ini_get_value (ini, "Work", "nothing", NULL));
}

static void
test_ini_go_errors (void)
{
  assert_fails ("[Work\nsource = x\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[ ]\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[Work]\nno delimiter here\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[Work]\n= value\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[Work]\n\"key = value\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[Work]\na = \"\"\"never closed\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
  /* Python's `key: value` is not go-ini's. */
  assert_fails ("[Work]\nsource: x\n", MEND_INI_DIALECT_GO, MEND_INI_ERROR_SYNTAX);
}

static void
test_ini_python (void)
{
  g_autoptr(MendIni) ini = parse_ok (
    "# comment\n"
    "[general]\n"
    "accounts = A, B\n"
    "\n"
    "[DEFAULT]\n"
    "root = ~/Mail\n"
    "url = https://example.com/%%20\n"
    "\n"
    "[Repository R]\n"
    "Type: IMAP\n"
    "remotehost=imap.example.com\n"
    "remoteuser = user@example.com   ; not a comment in configparser\n"
    "localfolders = %(root)s/r\n"
    "chain = %(localfolders)s/deeper\n"
    "percent = 100%%\n"
    "folderfilter = lambda f: f in ['INBOX',\n"
    "    # a comment inside the value is dropped\n"
    "\n"
    "        'Sent']\n"
    "   indented = is a continuation of folderfilter\n"
    "after = value\n"
    "  [Not a header] = continuation, not a section\n"
    "empty =\n"
    "[Account A]\n"
    "remoterepository = R\n",
    MEND_INI_DIALECT_PYTHON);
  g_autofree char *localfolders = mend_ini_get_value (ini, "Repository R", "localfolders", NULL);
  g_autofree char *chain = mend_ini_get_value (ini, "Repository R", "chain", NULL);
  g_autofree char *percent = mend_ini_get_value (ini, "Repository R", "percent", NULL);
  g_autofree char *url = mend_ini_get_value (ini, "Repository R", "url", NULL);

  g_assert_cmpuint (mend_ini_get_n_sections (ini), ==, 3);
  g_assert_cmpstr (mend_ini_get_section_name (ini, 1), ==, "Repository R");
  g_assert_true (mend_ini_has_section (ini, "Account A"));

  /* Keys are case-insensitive; `:` works as well as `=`. */
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "type"), ==, "IMAP");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "TYPE"), ==, "IMAP");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "remotehost"), ==, "imap.example.com");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "remoteuser"), ==,
                   "user@example.com   ; not a comment in configparser");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "folderfilter"), ==,
                   "lambda f: f in ['INBOX',\n\n'Sent']\n"
                   "indented = is a continuation of folderfilter");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "after"), ==,
                   "value\n[Not a header] = continuation, not a section");
  g_assert_cmpstr (mend_ini_get_raw (ini, "Repository R", "empty"), ==, "");

  /* DEFAULT fills in for every section. */
  g_assert_true (mend_ini_has_key (ini, "Repository R", "root"));
  g_assert_cmpstr (mend_ini_get_raw (ini, "Account A", "root"), ==, "~/Mail");
  g_assert_cmpstr (localfolders, ==, "~/Mail/r");
  g_assert_cmpstr (chain, ==, "~/Mail/r/deeper");
  g_assert_cmpstr (percent, ==, "100%");
  g_assert_cmpstr (url, ==, "https://example.com/%20");
}

static void
test_ini_python_interpolation_errors (void)
{
  g_autoptr(MendIni) ini = parse_ok ("[s]\n"
                                     "bare = 50%\n"
                                     "missing = %(nothing)s\n"
                                     "loop = %(loop)s\n"
                                     "unclosed = %(name\n"
                                     "x1 = %(x2)s%(x2)s%(x2)s%(x2)s%(x2)s%(x2)s%(x2)s%(x2)s\n"
                                     "x2 = %(x3)s%(x3)s%(x3)s%(x3)s%(x3)s%(x3)s%(x3)s%(x3)s\n"
                                     "x3 = %(x4)s%(x4)s%(x4)s%(x4)s%(x4)s%(x4)s%(x4)s%(x4)s\n"
                                     "x4 = %(x5)s%(x5)s%(x5)s%(x5)s%(x5)s%(x5)s%(x5)s%(x5)s\n"
                                     "x5 = %(x6)s%(x6)s%(x6)s%(x6)s%(x6)s%(x6)s%(x6)s%(x6)s\n"
                                     "x6 = ok\n",
                                     MEND_INI_DIALECT_PYTHON);
  const char *keys[] = { "bare", "missing", "loop", "unclosed", "x1" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *value = mend_ini_get_value (ini, "s", keys[i], &error);

      g_assert_null (value);
      g_assert_error (error, MEND_INI_ERROR, MEND_INI_ERROR_INTERPOLATION);
    }

  /* The raw value is still there. */
  g_assert_cmpstr (mend_ini_get_raw (ini, "s", "bare"), ==, "50%");
}

static void
test_ini_go_interpolation_bounded (void)
{
  g_autoptr(MendIni) ini = parse_ok ("[s]\n"
                                     "a = %(a)s%(a)s\n",
                                     MEND_INI_DIALECT_GO);
  g_autofree char *value = mend_ini_get_value (ini, "s", "a", NULL);

  g_assert_nonnull (value);
  g_assert_cmpuint (strlen (value), <=, 2 * 1024 * 1024);
}

static void
test_ini_python_errors (void)
{
  assert_fails ("key = before any section\n[s]\n", MEND_INI_DIALECT_PYTHON,
                MEND_INI_ERROR_SYNTAX);
  assert_fails ("[s]\nno delimiter\n", MEND_INI_DIALECT_PYTHON, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[s]\n= value\n", MEND_INI_DIALECT_PYTHON, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[s]\n[]\n", MEND_INI_DIALECT_PYTHON, MEND_INI_ERROR_SYNTAX);
  assert_fails ("[s]\na = 1\n[s]\n", MEND_INI_DIALECT_PYTHON, MEND_INI_ERROR_DUPLICATE);
  assert_fails ("[s]\na = 1\nA: 2\n", MEND_INI_DIALECT_PYTHON, MEND_INI_ERROR_DUPLICATE);
  assert_fails ("[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n", MEND_INI_DIALECT_PYTHON,
                MEND_INI_ERROR_DUPLICATE);
}

static void
test_ini_truncated (void)
{
  const char *document =
    "[general]\n"
    "accounts = Work\n"
    "[Repository Work]\n"
    "type = IMAP\n"
    "folderfilter = lambda f: f in [\n"
    "    'INBOX']\n"
    "quoted = \"\"\"a\n"
    "b\"\"\"\n";
  gsize length = strlen (document);

  for (gsize i = 0; i <= length; i++)
    {
      for (guint dialect = MEND_INI_DIALECT_GO; dialect <= MEND_INI_DIALECT_PYTHON; dialect++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(MendIni) ini = mend_ini_parse (document, i, dialect, &error);

          g_assert_true ((ini != NULL) != (error != NULL));
        }
    }
}

static void
test_ini_binary (void)
{
  static const char binary[] = "[s]\na = 1\n\x00\x01\x02";
  static const char invalid_utf8[] = "[s]\na = \xff\xfe\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) utf8_error = NULL;
  g_autoptr(MendIni) ini = mend_ini_parse (binary, sizeof binary - 1, MEND_INI_DIALECT_GO,
                                           &error);
  g_autoptr(MendIni) utf8_ini = mend_ini_parse (invalid_utf8, -1, MEND_INI_DIALECT_PYTHON,
                                                &utf8_error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  g_assert_null (ini);
  g_assert_error (error, MEND_INI_ERROR, MEND_INI_ERROR_SYNTAX);
  g_assert_null (utf8_ini);
  g_assert_error (utf8_error, MEND_INI_ERROR, MEND_INI_ERROR_SYNTAX);

  for (guint i = 0; i < 200; i++)
    {
      guint8 data[256];

      for (guint j = 0; j < sizeof data; j++)
        data[j] = (guint8) g_rand_int_range (rand, 1, 128);

      for (guint dialect = MEND_INI_DIALECT_GO; dialect <= MEND_INI_DIALECT_PYTHON; dialect++)
        {
          g_autoptr(GError) random_error = NULL;
          g_autoptr(MendIni) random_ini = mend_ini_parse ((const char *) data, sizeof data,
                                                          dialect, &random_error);

          g_assert_true ((random_ini != NULL) != (random_error != NULL));
        }
    }
}

static void
test_ini_boolean (void)
{
  g_autoptr(MendIni) ini = parse_ok ("[s]\n"
                                     "a = yes\nb = No\nc = 1\nd = off\ne = TRUE\nf = maybe\n",
                                     MEND_INI_DIALECT_PYTHON);

  g_assert_true (mend_ini_get_boolean (ini, "s", "a", FALSE));
  g_assert_false (mend_ini_get_boolean (ini, "s", "b", TRUE));
  g_assert_true (mend_ini_get_boolean (ini, "s", "c", FALSE));
  g_assert_false (mend_ini_get_boolean (ini, "s", "d", TRUE));
  g_assert_true (mend_ini_get_boolean (ini, "s", "e", FALSE));
  g_assert_true (mend_ini_get_boolean (ini, "s", "f", TRUE));
  g_assert_false (mend_ini_get_boolean (ini, "s", "f", FALSE));
  g_assert_true (mend_ini_get_boolean (ini, "s", "unset", TRUE));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-ini");

  g_test_add_func ("/ini/go", test_ini_go);
  g_test_add_func ("/ini/go-errors", test_ini_go_errors);
  g_test_add_func ("/ini/go-interpolation-bounded", test_ini_go_interpolation_bounded);
  g_test_add_func ("/ini/python", test_ini_python);
  g_test_add_func ("/ini/python-interpolation-errors", test_ini_python_interpolation_errors);
  g_test_add_func ("/ini/python-errors", test_ini_python_errors);
  g_test_add_func ("/ini/truncated", test_ini_truncated);
  g_test_add_func ("/ini/binary", test_ini_binary);
  g_test_add_func ("/ini/boolean", test_ini_boolean);

  return g_test_run ();
}
