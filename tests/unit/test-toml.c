/* test-toml.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "mend-toml.h"

static MendToml *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  MendToml *root = mend_toml_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (root);
  g_assert_cmpint (mend_toml_get_kind (root), ==, MEND_TOML_KIND_TABLE);

  return root;
}

static void
assert_fails (const char    *text,
              MendTomlError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendToml) root = mend_toml_parse (text, -1, &error);

  if (root != NULL)
    g_error ("parsed, but should not have: %s", text);
  g_assert_error (error, MEND_TOML_ERROR, code);
}

static void
test_toml_scalars (void)
{
  g_autoptr(MendToml) root = parse_ok ("s = \"text\"\n"
                                       "i = 42\n"
                                       "neg = -17\n"
                                       "big = 1_000_000\n"
                                       "hex = 0xDEAD_beef\n"
                                       "oct = 0o755\n"
                                       "bin = 0b1101\n"
                                       "min = -9223372036854775808\n"
                                       "f = 3.25\n"
                                       "e = 6.626e-34\n"
                                       "inf = -inf\n"
                                       "nan = nan\n"
                                       "yes = true\n"
                                       "no = false\n"
                                       "odt = 1979-05-27T07:32:00Z\n"
                                       "odt2 = 1979-05-27 07:32:00.999+01:00\n"
                                       "ld = 1979-05-27\n"
                                       "lt = 07:32\n");
  gint64 integer = 0;
  gboolean boolean = TRUE;

  g_assert_cmpstr (mend_toml_lookup_string (root, "s"), ==, "text");
  g_assert_true (mend_toml_lookup_integer (root, "i", &integer));
  g_assert_cmpint (integer, ==, 42);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "neg")), ==, -17);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "big")), ==, 1000000);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "hex")), ==, 0xdeadbeef);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "oct")), ==, 0755);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "bin")), ==, 13);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "min")), ==, G_MININT64);
  g_assert_cmpfloat (mend_toml_get_float (mend_toml_lookup (root, "f")), ==, 3.25);
  g_assert_cmpfloat_with_epsilon (mend_toml_get_float (mend_toml_lookup (root, "e")), 6.626e-34,
                                  1e-40);
  g_assert_true (isinf (mend_toml_get_float (mend_toml_lookup (root, "inf"))));
  g_assert_true (isnan (mend_toml_get_float (mend_toml_lookup (root, "nan"))));
  g_assert_true (mend_toml_lookup_boolean (root, "yes", &boolean));
  g_assert_true (boolean);
  g_assert_true (mend_toml_lookup_boolean (root, "no", &boolean));
  g_assert_false (boolean);
  g_assert_cmpint (mend_toml_get_kind (mend_toml_lookup (root, "odt")), ==,
                   MEND_TOML_KIND_DATETIME);
  g_assert_cmpstr (mend_toml_get_string (mend_toml_lookup (root, "odt2")), ==,
                   "1979-05-27 07:32:00.999+01:00");
  g_assert_cmpint (mend_toml_get_kind (mend_toml_lookup (root, "ld")), ==,
                   MEND_TOML_KIND_DATETIME);
  g_assert_cmpint (mend_toml_get_kind (mend_toml_lookup (root, "lt")), ==,
                   MEND_TOML_KIND_DATETIME);

  /* Lookups of the wrong kind answer nothing, without complaint. */
  g_assert_null (mend_toml_lookup_string (root, "i"));
  g_assert_false (mend_toml_lookup_integer (root, "s", NULL));
  g_assert_null (mend_toml_lookup (root, "s.deeper"));
  g_assert_null (mend_toml_lookup (root, "missing"));
}

static void
test_toml_strings (void)
{
  g_autoptr(MendToml) root = parse_ok (
    "escapes = \"tab\\tquote\\\"back\\\\slash\\u00e9\\U0001F600\\e\\x41\"\n"
    "literal = 'C:\\Users\\nobody'\n"
    "ml = \"\"\"\nfirst\n  second\"\"\"\n"
    "folded = \"\"\"\\\n    The quick \\\n    brown fox.\"\"\"\n"
    "quotes = \"\"\"Here are two quotation marks: \"\". Simple.\"\"\"\"\n"
    "mll = '''\nraw \\n text\n'''\n"
    "crlf = \"\"\"a\r\nb\"\"\"\n"
    "unicode = \"Zoë 日本\"\n"
    "empty = \"\"\n");

  g_assert_cmpstr (mend_toml_lookup_string (root, "escapes"), ==,
                   "tab\tquote\"back\\slash\xc3\xa9\xf0\x9f\x98\x80\x1b" "A");
  g_assert_cmpstr (mend_toml_lookup_string (root, "literal"), ==, "C:\\Users\\nobody");
  g_assert_cmpstr (mend_toml_lookup_string (root, "ml"), ==, "first\n  second");
  g_assert_cmpstr (mend_toml_lookup_string (root, "folded"), ==, "The quick brown fox.");
  g_assert_cmpstr (mend_toml_lookup_string (root, "quotes"), ==,
                   "Here are two quotation marks: \"\". Simple.\"");
  g_assert_cmpstr (mend_toml_lookup_string (root, "mll"), ==, "raw \\n text\n");
  g_assert_cmpstr (mend_toml_lookup_string (root, "crlf"), ==, "a\nb");
  g_assert_cmpstr (mend_toml_lookup_string (root, "unicode"), ==, "Zoë 日本");
  g_assert_cmpstr (mend_toml_lookup_string (root, "empty"), ==, "");
}

static void
test_toml_tables (void)
{
  g_autoptr(MendToml) root = parse_ok (
    "# a comment\n"
    "title = \"top\" # trailing comment\n"
    "\n"
    "[accounts.work]\n"
    "backend.type = \"imap\"\n"
    "backend . port = 993\n"
    "\"quoted key\" = 1\n"
    "'literal.key' = 2\n"
    "\n"
    "[ accounts . \"with.dot\" ]\n"
    "x = 1\n"
    "\n"
    "[accounts.work.message.send.backend]\n"
    "type = \"smtp\"\n"
    "\n"
    "[[servers]]\n"
    "name = \"a\"\n"
    "[[servers]]\n"
    "name = \"b\"\n"
    "[servers.extra]\n"
    "z = true\n");
  const MendToml *accounts = mend_toml_get_member (root, "accounts");
  const MendToml *work = mend_toml_get_member (accounts, "work");
  const MendToml *servers = mend_toml_get_member (root, "servers");

  g_assert_cmpstr (mend_toml_lookup_string (root, "title"), ==, "top");
  g_assert_cmpuint (mend_toml_get_length (accounts), ==, 2);
  g_assert_cmpstr (mend_toml_get_key (accounts, 0), ==, "work");
  g_assert_cmpstr (mend_toml_get_key (accounts, 1), ==, "with.dot");
  g_assert_true (mend_toml_get_element (accounts, 0) == work);
  g_assert_cmpstr (mend_toml_lookup_string (work, "backend.type"), ==, "imap");
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (work, "backend.port")), ==, 993);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_get_member (work, "quoted key")), ==, 1);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_get_member (work, "literal.key")), ==, 2);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (
                     mend_toml_get_member (accounts, "with.dot"), "x")), ==, 1);
  g_assert_cmpstr (mend_toml_lookup_string (work, "message.send.backend.type"), ==, "smtp");

  g_assert_cmpint (mend_toml_get_kind (servers), ==, MEND_TOML_KIND_ARRAY);
  g_assert_cmpuint (mend_toml_get_length (servers), ==, 2);
  g_assert_cmpstr (mend_toml_lookup_string (mend_toml_get_element (servers, 1), "name"), ==, "b");
  g_assert_true (mend_toml_lookup_boolean (mend_toml_get_element (servers, 1), "extra.z", NULL));
  g_assert_null (mend_toml_get_key (servers, 0));
}

static void
test_toml_arrays_and_inline_tables (void)
{
  g_autoptr(MendToml) root = parse_ok (
    "empty = []\n"
    "nested = [ [1, 2], [\"a\", 'b'], [] ]\n"
    "multiline = [\n"
    "  \"one\", # comment\n"
    "\n"
    "  \"two\",\n"
    "]\n"
    "point = { x = 1, y.z = \"deep\", list = [1, { a = true }] }\n"
    "relaxed = {\n"
    "  a = 1,\n"
    "  b = 2,\n"
    "}\n"
    "empty_table = {}\n");
  const MendToml *nested = mend_toml_get_member (root, "nested");
  const MendToml *point = mend_toml_get_member (root, "point");

  g_assert_cmpuint (mend_toml_get_length (mend_toml_get_member (root, "empty")), ==, 0);
  g_assert_cmpuint (mend_toml_get_length (nested), ==, 3);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_get_element (mend_toml_get_element (nested, 0),
                                                                 1)), ==, 2);
  g_assert_cmpstr (mend_toml_get_string (mend_toml_get_element (mend_toml_get_element (nested, 1),
                                                                1)), ==, "b");
  g_assert_cmpuint (mend_toml_get_length (mend_toml_get_member (root, "multiline")), ==, 2);
  g_assert_cmpstr (mend_toml_lookup_string (point, "y.z"), ==, "deep");
  g_assert_true (mend_toml_lookup_boolean (mend_toml_get_element (mend_toml_get_member (point,
                                                                                       "list"),
                                                                  1), "a", NULL));
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "relaxed.b")), ==, 2);
  g_assert_cmpint (mend_toml_get_kind (mend_toml_get_member (root, "empty_table")), ==,
                   MEND_TOML_KIND_TABLE);
  /* An element that is out of range. */
  g_assert_null (mend_toml_get_element (nested, 3));
}

static void
test_toml_many_members (void)
{
  g_autoptr(GString) text = g_string_new ("[t]\n");
  g_autoptr(MendToml) root = NULL;

  for (guint i = 0; i < 200; i++)
    g_string_append_printf (text, "key%u = %u\n", i, i);

  root = parse_ok (text->str);
  g_assert_cmpuint (mend_toml_get_length (mend_toml_get_member (root, "t")), ==, 200);
  g_assert_cmpint (mend_toml_get_integer (mend_toml_lookup (root, "t.key150")), ==, 150);
  g_assert_cmpstr (mend_toml_get_key (mend_toml_get_member (root, "t"), 199), ==, "key199");
}

static void
test_toml_syntax_errors (void)
{
  static const char *invalid[] = {
    "a = \"unterminated\n",
    "a = \"\"\"unterminated\n",
    "a = 'unterminated\n",
    "a = '''unterminated",
    "a = \"bad \\q escape\"\n",
    "a = \"\\uD800\"\n",
    "a = \"ctrl \x01 char\"\n",
    "a =\n",
    "a\n",
    "= 1\n",
    "a = 1 b = 2\n",
    "a = [1, 2\n",
    "a = [1 2]\n",
    "a = { b = 1\n",
    "a = { b = 1 c = 2 }\n",
    "a = 01\n",
    "a = 1__0\n",
    "a = 9223372036854775808\n",
    "a = 1.\n",
    "a = .5\n",
    "a = truely\n",
    "a = 1979-05-27T25\n",
    "[a\n",
    "[[a]\n",
    "[]\n",
    "a.\"\"\"b\"\"\" = 1\n",
    "a = \"\"\"x\"\"\"\"\"\"\n",
    "a = 1\r b = 2\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    assert_fails (invalid[i], MEND_TOML_ERROR_SYNTAX);
}

static void
test_toml_redefinitions (void)
{
  static const char *invalid[] = {
    "a = 1\na = 2\n",
    "a = 1\n[a]\n",
    "[a]\n[a]\n",
    "[a]\nb.c = 1\n[a.b]\n",
    "[a.b.c]\n[a]\nb.c.d = 1\n",
    "a = { b = 1 }\n[a.c]\n",
    "a = { b = 1 }\na.c = 2\n",
    "a = { b = 1, b = 2 }\n",
    "a = [1]\n[[a]]\n",
    "[[a]]\n[a]\n",
    "a.b = 1\na.b.c = 2\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    assert_fails (invalid[i], MEND_TOML_ERROR_DUPLICATE);
}

static void
test_toml_error_line (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendToml) root = mend_toml_parse ("a = 1\n\n# c\nb = \"x\nc = 2\n", -1, &error);

  g_assert_null (root);
  g_assert_error (error, MEND_TOML_ERROR, MEND_TOML_ERROR_SYNTAX);
  g_assert_nonnull (strstr (error->message, "4"));
}

static void
test_toml_truncated (void)
{
  const char *document =
    "[accounts.work]\n"
    "email = \"alex@example.com\"\n"
    "backend.type = \"imap\"\n"
    "backend.auth = { type = \"oauth2\", scopes = [\"a\", \"b\"] }\n"
    "signature = \"\"\"\nRegards\n\"\"\"\n";
  gsize length = strlen (document);

  /* Every prefix either parses or fails cleanly. */
  for (gsize i = 0; i <= length; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendToml) root = mend_toml_parse (document, i, &error);

      g_assert_true ((root != NULL) != (error != NULL));
    }
}

static void
test_toml_binary (void)
{
  static const char binary[] = "a = 1\n\x00\xff\xfe garbage";
  g_autoptr(GError) error = NULL;
  g_autoptr(MendToml) root = mend_toml_parse (binary, sizeof binary - 1, &error);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  g_assert_null (root);
  g_assert_error (error, MEND_TOML_ERROR, MEND_TOML_ERROR_SYNTAX);

  /* Random bytes never crash it. */
  for (guint i = 0; i < 200; i++)
    {
      guint8 data[256];
      g_autoptr(GError) random_error = NULL;
      g_autoptr(MendToml) random_root = NULL;

      for (guint j = 0; j < sizeof data; j++)
        data[j] = (guint8) g_rand_int_range (rand, 1, 128);

      random_root = mend_toml_parse ((const char *) data, sizeof data, &random_error);
      g_assert_true ((random_root != NULL) != (random_error != NULL));
    }
}

static void
test_toml_limits (void)
{
  g_autoptr(GString) deep = g_string_new ("a = ");
  g_autoptr(GString) long_key = g_string_new ("a");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) key_error = NULL;
  g_autoptr(MendToml) root = NULL;
  g_autoptr(MendToml) key_root = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_c (deep, '[');
  root = mend_toml_parse (deep->str, -1, &error);
  g_assert_null (root);
  g_assert_error (error, MEND_TOML_ERROR, MEND_TOML_ERROR_TOO_LARGE);

  for (guint i = 0; i < 1000; i++)
    g_string_append (long_key, ".a");
  g_string_append (long_key, " = 1\n");
  key_root = mend_toml_parse (long_key->str, -1, &key_error);
  g_assert_null (key_root);
  g_assert_error (key_error, MEND_TOML_ERROR, MEND_TOML_ERROR_TOO_LARGE);
}

static void
test_toml_empty (void)
{
  g_autoptr(MendToml) root = parse_ok ("");
  g_autoptr(MendToml) bom = parse_ok ("\xef\xbb\xbf# only a comment\r\n\r\n");

  g_assert_cmpuint (mend_toml_get_length (root), ==, 0);
  g_assert_cmpuint (mend_toml_get_length (bom), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-toml");

  g_test_add_func ("/toml/scalars", test_toml_scalars);
  g_test_add_func ("/toml/strings", test_toml_strings);
  g_test_add_func ("/toml/tables", test_toml_tables);
  g_test_add_func ("/toml/arrays-and-inline-tables", test_toml_arrays_and_inline_tables);
  g_test_add_func ("/toml/many-members", test_toml_many_members);
  g_test_add_func ("/toml/syntax-errors", test_toml_syntax_errors);
  g_test_add_func ("/toml/redefinitions", test_toml_redefinitions);
  g_test_add_func ("/toml/error-line", test_toml_error_line);
  g_test_add_func ("/toml/truncated", test_toml_truncated);
  g_test_add_func ("/toml/binary", test_toml_binary);
  g_test_add_func ("/toml/limits", test_toml_limits);
  g_test_add_func ("/toml/empty", test_toml_empty);

  return g_test_run ();
}
