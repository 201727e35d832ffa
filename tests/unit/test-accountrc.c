/* test-accountrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mend-accountrc.h"

static MendAccountrc *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  MendAccountrc *rc = mend_accountrc_parse (text, strlen (text), &error);

  g_assert_no_error (error);
  g_assert_nonnull (rc);

  return rc;
}

static void
assert_fails (const char         *data,
              gsize               length,
              MendAccountrcError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MendAccountrc) rc = mend_accountrc_parse (data, length, &error);

  g_assert_null (rc);
  g_assert_error (error, MEND_ACCOUNTRC_ERROR, code);
  g_assert_nonnull (error->message);
}

static void
test_sections (void)
{
  g_autoptr(MendAccountrc) rc = parse ("[Account: 1]\n"
                                       "account_name=Work\n"
                                       "address=jo@contoso.onmicrosoft.com\n"
                                       "protocol=1\n"
                                       "\n"
                                       "[Account: 2]\n"
                                       "account_name=Home\n"
                                       "protocol=0\n");
  gint64 number;

  g_assert_cmpuint (mend_accountrc_get_n_sections (rc), ==, 2);
  g_assert_cmpstr (mend_accountrc_get_section (rc, 0), ==, "Account: 1");
  g_assert_cmpstr (mend_accountrc_get_section (rc, 1), ==, "Account: 2");
  g_assert_true (mend_accountrc_has_section (rc, "Account: 2"));
  g_assert_false (mend_accountrc_has_section (rc, "Account: 3"));

  g_assert_cmpstr (mend_accountrc_get_value (rc, "Account: 1", "address"), ==,
                   "jo@contoso.onmicrosoft.com");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Account: 2", "account_name"), ==, "Home");
  g_assert_null (mend_accountrc_get_value (rc, "Account: 2", "address"));
  g_assert_null (mend_accountrc_get_value (rc, "Account: 3", "address"));

  g_assert_true (mend_accountrc_get_int (rc, "Account: 1", "protocol", &number));
  g_assert_cmpint (number, ==, 1);
  g_assert_false (mend_accountrc_get_int (rc, "Account: 1", "account_name", &number));
  g_assert_false (mend_accountrc_get_int (rc, "Account: 1", "missing", &number));
}

static void
test_values (void)
{
  /* Raw values: backslashes, “=”, “#” and spaces are not special in them;
   * keys may hold spaces (KConfig); surrounding blanks go; CRLF works. */
  g_autoptr(MendAccountrc) rc = parse ("# a comment\r\n"
                                       "; another\r\n"
                                       "top=level\r\n"
                                       "[Identity #0]\r\n"
                                       "Email Address = jo@example.com \r\n"
                                       "password=a\\b=c#d\r\n"
                                       "empty=\r\n"
                                       "  indented=yes\r\n"
                                       "[Instances][akonadi_imap_resource_0]\r\n"
                                       "AgentType=akonadi_imap_resource");

  g_assert_cmpuint (mend_accountrc_get_n_sections (rc), ==, 3);
  g_assert_cmpstr (mend_accountrc_get_section (rc, 0), ==, "");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "", "top"), ==, "level");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Identity #0", "Email Address"), ==,
                   "jo@example.com");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Identity #0", "password"), ==, "a\\b=c#d");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Identity #0", "empty"), ==, "");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Identity #0", "indented"), ==, "yes");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Instances][akonadi_imap_resource_0",
                                             "AgentType"), ==, "akonadi_imap_resource");
}

static void
test_booleans (void)
{
  g_autoptr(MendAccountrc) rc = parse ("[a]\n"
                                       "one=1\nzero=0\ntrue=true\nfalse=False\n"
                                       "yes=yes\nno=no\nodd=maybe\n");

  g_assert_true (mend_accountrc_get_boolean (rc, "a", "one", FALSE));
  g_assert_false (mend_accountrc_get_boolean (rc, "a", "zero", TRUE));
  g_assert_true (mend_accountrc_get_boolean (rc, "a", "true", FALSE));
  g_assert_false (mend_accountrc_get_boolean (rc, "a", "false", TRUE));
  g_assert_true (mend_accountrc_get_boolean (rc, "a", "yes", FALSE));
  g_assert_false (mend_accountrc_get_boolean (rc, "a", "no", TRUE));
  g_assert_true (mend_accountrc_get_boolean (rc, "a", "odd", TRUE));
  g_assert_false (mend_accountrc_get_boolean (rc, "a", "odd", FALSE));
  g_assert_true (mend_accountrc_get_boolean (rc, "a", "missing", TRUE));
  g_assert_false (mend_accountrc_get_boolean (rc, "b", "one", FALSE));
}

static void
test_duplicates (void)
{
  /* A later key wins; a section that comes back is the same section. */
  g_autoptr(MendAccountrc) rc = parse ("[Account: 1]\n"
                                       "host=first.example.com\n"
                                       "host=second.example.com\n"
                                       "[Account: 2]\n"
                                       "host=other.example.com\n"
                                       "[Account: 1]\n"
                                       "user=jo\n");

  g_assert_cmpuint (mend_accountrc_get_n_sections (rc), ==, 2);
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Account: 1", "host"), ==,
                   "second.example.com");
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Account: 1", "user"), ==, "jo");
}

static void
test_empty (void)
{
  g_autoptr(MendAccountrc) empty = parse ("");
  g_autoptr(MendAccountrc) blank = parse ("\n\n   \n# only comments\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(MendAccountrc) null_data = mend_accountrc_parse (NULL, 0, &error);

  g_assert_cmpuint (mend_accountrc_get_n_sections (empty), ==, 0);
  g_assert_cmpuint (mend_accountrc_get_n_sections (blank), ==, 0);
  g_assert_no_error (error);
  g_assert_nonnull (null_data);
  g_assert_cmpuint (mend_accountrc_get_n_sections (null_data), ==, 0);
}

static void
test_malformed (void)
{
  static const char * const malformed[] = {
    "[Account: 1]\nthis is not a setting\n",
    "[Account: 1]\n=no key\n",
    "[Account: 1\nhost=x\n",
    "[]\nhost=x\n",
    "[\n",
    "host=x\n[Acc",
  };

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    assert_fails (malformed[i], strlen (malformed[i]), MEND_ACCOUNTRC_ERROR_SYNTAX);
}

static void
test_truncated (void)
{
  const char *text = "[Account: 1]\naccount_name=Work\nreceive_server=outlook.office365.com\n";
  gsize length = strlen (text);

  /* Every prefix either parses or fails cleanly; one cut inside the
   * section header fails. */
  for (gsize i = 0; i <= length; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendAccountrc) rc = mend_accountrc_parse (text, i, &error);

      g_assert_true ((rc == NULL) != (error == NULL));
    }

  assert_fails (text, 5, MEND_ACCOUNTRC_ERROR_SYNTAX);

  /* A value cut short is still a value. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(MendAccountrc) rc = mend_accountrc_parse (text, length - 10, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (mend_accountrc_get_value (rc, "Account: 1", "receive_server"), ==,
                     "outlook.offi");
  }
}

static void
test_binary (void)
{
  static const char binary[] = "[Account: 1]\nhost=a\0b\n";
  static const char latin1[] = "[Account: 1]\nname=Jos\xe9\n";
  guint8 noise[512];

  assert_fails (binary, sizeof binary - 1, MEND_ACCOUNTRC_ERROR_BINARY);
  assert_fails (latin1, sizeof latin1 - 1, MEND_ACCOUNTRC_ERROR_ENCODING);

  /* Random bytes never crash it. */
  for (guint round = 0; round < 200; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MendAccountrc) rc = NULL;

      for (guint i = 0; i < sizeof noise; i++)
        noise[i] = (guint8) g_test_rand_int_range (1, 256);

      rc = mend_accountrc_parse ((const char *) noise, g_test_rand_int_range (0, sizeof noise),
                                 &error);
      g_assert_true ((rc == NULL) != (error == NULL));
    }
}

static void
test_large (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(MendAccountrc) rc = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (text, "[Account: %u]\n", i);
      for (guint j = 0; j < 40; j++)
        g_string_append_printf (text, "key_%u=value %u\n", j, i * j);
    }

  rc = mend_accountrc_parse (text->str, text->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mend_accountrc_get_n_sections (rc), ==, 5000);
  g_assert_cmpstr (mend_accountrc_get_value (rc, "Account: 4999", "key_39"), ==, "value 194961");
}

static void
test_refcount (void)
{
  MendAccountrc *rc = parse ("[a]\nb=c\n");
  MendAccountrc *other = mend_accountrc_ref (rc);

  g_assert_true (rc == other);
  mend_accountrc_unref (rc);
  g_assert_cmpstr (mend_accountrc_get_value (other, "a", "b"), ==, "c");
  mend_accountrc_unref (other);

  g_assert_true (G_TYPE_IS_BOXED (MEND_TYPE_ACCOUNTRC));
}

static void
assert_set (const char *before,
            const char *section,
            const char *key,
            const char *value,
            const char *after)
{
  g_autofree char *result = mend_accountrc_set_value (before, strlen (before), section, key,
                                                      value);
  g_autoptr(MendAccountrc) rc = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (result, ==, after);
  rc = mend_accountrc_parse (result, strlen (result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mend_accountrc_get_value (rc, section, key), ==, value);
}

static void
test_set_value (void)
{
  /* In place: the spacing, comments and other sections stay. */
  assert_set ("# c\n[a]\nx = 1 \n\n[b]\nx=1\n", "b", "x", "2",
              "# c\n[a]\nx = 1 \n\n[b]\nx=2\n");
  assert_set ("[a]\nx = 1 \r\ny=2\r\n", "a", "x", "3", "[a]\nx = 3 \r\ny=2\r\n");
  /* A section in two parts: every line that sets it. */
  assert_set ("[a]\nx=1\n[b]\n[a]\nx=2\n", "a", "x", "3", "[a]\nx=3\n[b]\n[a]\nx=3\n");
  /* Before the first section. */
  assert_set ("x=1\n[a]\nx=2\n", "", "x", "3", "x=3\n[a]\nx=2\n");
}

static void
test_set_value_adds (void)
{
  /* Sorted keys (KConfig): in order. Others: after the last setting. */
  assert_set ("[T]\nauth=true\nencryption=TLS\nhost=h\n\n[U]\n", "T", "authtype", "XOAUTH2",
              "[T]\nauth=true\nauthtype=XOAUTH2\nencryption=TLS\nhost=h\n\n[U]\n");
  assert_set ("[network]\nImapServer=h\nUserName=u\n", "network", "Authentication", "9",
              "[network]\nAuthentication=9\nImapServer=h\nUserName=u\n");
  assert_set ("[A]\nname=n\naddress=a\n# end\n\n[B]\nz=1\n", "A", "id", "x",
              "[A]\nname=n\naddress=a\nid=x\n# end\n\n[B]\nz=1\n");
  assert_set ("[A]\nb=1\r\n", "A", "c", "2", "[A]\nb=1\r\nc=2\r\n");
  /* The last part of a section in two parts. */
  assert_set ("[A]\nb=1\n[B]\n[A]\nd=1\n", "A", "c", "2", "[A]\nb=1\n[B]\n[A]\nc=2\nd=1\n");
  /* A section with no settings yet, a missing section, an empty file. */
  assert_set ("[A]\n[B]\nx=1", "A", "c", "2", "[A]\nc=2\n[B]\nx=1");
  assert_set ("[A]\nb=1", "C", "c", "2", "[A]\nb=1\n\n[C]\nc=2\n");
  assert_set ("", "C", "c", "2", "[C]\nc=2\n");
  assert_set ("", "", "c", "2", "c=2\n");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-accountrc");

  g_test_add_func ("/accountrc/sections", test_sections);
  g_test_add_func ("/accountrc/values", test_values);
  g_test_add_func ("/accountrc/booleans", test_booleans);
  g_test_add_func ("/accountrc/duplicates", test_duplicates);
  g_test_add_func ("/accountrc/empty", test_empty);
  g_test_add_func ("/accountrc/malformed", test_malformed);
  g_test_add_func ("/accountrc/truncated", test_truncated);
  g_test_add_func ("/accountrc/binary", test_binary);
  g_test_add_func ("/accountrc/large", test_large);
  g_test_add_func ("/accountrc/refcount", test_refcount);
  g_test_add_func ("/accountrc/set-value", test_set_value);
  g_test_add_func ("/accountrc/set-value-adds", test_set_value_adds);

  return g_test_run ();
}
