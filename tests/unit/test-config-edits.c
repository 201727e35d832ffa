/* test-config-edits.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The line-preserving editing helpers the repairs are made of, on their edge cases: line
 * endings, a missing final newline, layouts copied from a sample line, muttrc assignments among
 * others on one line, over continued lines and inside hooks, the line numbers the INI and TOML
 * readers give for what a file sets, and msmtp's and mbsync's account edits.
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "mend-ini.h"
#include "mend-line-editor.h"
#include "mend-mbsyncrc.h"
#include "mend-msmtprc.h"
#include "mend-muttrc.h"
#include "mend-toml.h"

static void
test_line_editor_endings (void)
{
  g_autoptr(MendLineEditor) editor = NULL;
  g_autofree char *text = NULL;
  gsize length;

  /* CRLF stays CRLF, new lines get it too; untouched lines keep their bytes. */
  editor = mend_line_editor_new ("a\r\nb\r\nc\r\n", 9);
  g_assert_cmpuint (mend_line_editor_get_n_lines (editor), ==, 3);
  g_assert_cmpstr (mend_line_editor_get_line (editor, 2), ==, "b");
  g_assert_false (mend_line_editor_has_changes (editor));
  mend_line_editor_insert_after (editor, 1, "x");
  mend_line_editor_insert_after (editor, 1, "y");
  mend_line_editor_replace (editor, 3, "C");
  mend_line_editor_remove (editor, 2);
  mend_line_editor_insert_after (editor, 0, "first");
  g_assert_true (mend_line_editor_has_changes (editor));
  text = mend_line_editor_finish (editor, &length);
  g_assert_cmpstr (text, ==, "first\r\na\r\nx\r\ny\r\nC\r\n");
  g_assert_cmpuint (length, ==, strlen (text));
  g_clear_pointer (&editor, mend_line_editor_free);
  g_clear_pointer (&text, g_free);

  /* Without a final newline: kept when nothing follows, given when a line is added after. */
  editor = mend_line_editor_new ("a\nb", 3);
  mend_line_editor_replace (editor, 2, "B");
  text = mend_line_editor_finish (editor, NULL);
  g_assert_cmpstr (text, ==, "a\nB");
  g_clear_pointer (&text, g_free);
  mend_line_editor_insert_after (editor, 2, "c");
  text = mend_line_editor_finish (editor, NULL);
  g_assert_cmpstr (text, ==, "a\nB\nc\n");
  g_clear_pointer (&editor, mend_line_editor_free);
  g_clear_pointer (&text, g_free);

  /* A NUL byte in a line it does not touch is kept. */
  editor = mend_line_editor_new ("a\0b\nc\n", 6);
  mend_line_editor_replace (editor, 2, "C");
  text = mend_line_editor_finish (editor, &length);
  g_assert_cmpuint (length, ==, 6);
  g_assert_cmpmem (text, length, "a\0b\nC\n", 6);
  g_clear_pointer (&editor, mend_line_editor_free);
  g_clear_pointer (&text, g_free);

  /* Replacing a line with itself is no change. */
  editor = mend_line_editor_new ("same\n", 5);
  mend_line_editor_replace (editor, 1, "same");
  g_assert_false (mend_line_editor_has_changes (editor));
}

static void
test_line_editor_layout (void)
{
  static const struct
  {
    const char *sample;
    const char *key;
    const char *expected;
  } cases[] = {
    /* Values aligned in a column: the new one too, when its key fits. */
    { "host           smtp.example.com", "auth", "auth           xoauth2" },
    { "host           smtp.example.com", "passwordeval", "passwordeval   xoauth2" },
    { "host   smtp.example.com", "passwordeval", "passwordeval xoauth2" },
    /* One blank: one blank. */
    { "User alex@example.com", "AuthMechs", "AuthMechs xoauth2" },
    /* Indentation and separators as they are. */
    { "  remoteuser: alex", "auth_mechanisms", "  auth_mechanisms: xoauth2" },
    { "source   = imaps://x", "source-cred-cmd", "source-cred-cmd = xoauth2" },
    { "from     = x", "copy", "copy     = xoauth2" },
    { "key=value", "other", "other=xoauth2" },
    { "\tHost\tmail.example.com", "User", "\tUser\txoauth2" },
    { "defaults", "auth", "auth xoauth2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *sample = cases[i].sample;
      gsize key_start = strspn (sample, " \t");
      gsize key_end = key_start + strcspn (sample + key_start, " \t=:");
      gsize value_start = key_end + strspn (sample + key_end, " \t=:");
      g_autofree char *line = NULL;

      line = mend_line_editor_format_like (sample, key_start, key_end, value_start,
                                           cases[i].key, "xoauth2");
      g_assert_cmpstr (line, ==, cases[i].expected);
    }
}

static char *
mutt_edit (const char *text,
           const char *what,
           guint       line,
           const char *name,
           const char *value,
           gboolean    expect_done)
{
  g_autoptr(MendMuttrcEditor) editor = mend_muttrc_editor_new (text, strlen (text));
  gboolean done;

  if (g_str_equal (what, "set"))
    done = mend_muttrc_editor_set (editor, line, name, value);
  else if (g_str_equal (what, "add"))
    done = mend_muttrc_editor_add_to_hook (editor, line, name, value);
  else
    done = mend_muttrc_editor_remove (editor, line, name);

  g_assert_cmpint (done, ==, expect_done);

  return mend_muttrc_editor_finish (editor, NULL);
}

static void
test_muttrc_editor (void)
{
  static const struct
  {
    const char *text;
    const char *what;
    guint       line;
    const char *name;
    const char *value;
    gboolean    done;
    const char *expected;
  } cases[] = {
    /* One assignment of several. */
    { "set a=1 b=2 c=3\n", "remove", 1, "b", NULL, TRUE, "set a=1 c=3\n" },
    { "set a=1 b=2 c=3\n", "remove", 1, "c", NULL, TRUE, "set a=1 b=2\n" },
    { "set a=1 b=2 c=3\n", "remove", 1, "a", NULL, TRUE, "set b=2 c=3\n" },
    { "set a = 1  b = \"x y\"\n", "remove", 1, "b", NULL, TRUE, "set a = 1\n" },
    /* One command of several. */
    { "set x=1; set y=2\n", "remove", 1, "y", NULL, TRUE, "set x=1\n" },
    { "set x=1; set y=2\n", "remove", 1, "x", NULL, TRUE, "set y=2\n" },
    { "set x=1 ; set y=2 ; set z=3\n", "remove", 1, "y", NULL, TRUE, "set x=1 ; set z=3\n" },
    /* The whole line, with its comment; other lines stay. */
    { "# keep\nset x=\"1\"  # the password\nset y=2\n", "remove", 2, "x", NULL, TRUE,
      "# keep\nset y=2\n" },
    /* Continued lines: the continuation left empty goes with its backslash. */
    { "set a=1 \\\n    b=2\nset c=3\n", "remove", 1, "b", NULL, TRUE, "set a=1\nset c=3\n" },
    { "set a=1 \\\n    b=2\n", "remove", 1, "a", NULL, TRUE, "set  \\\n    b=2\n" },
    { "set a=1 \\\n    b=2\n", "set", 1, "b", "x", TRUE, "set a=1 \\\n    b=\"x\"\n" },
    /* Values: quoted for Mutt. */
    { "set v = old # note\n", "set", 1, "v", "a \"b\" $c `d` \\e", TRUE,
      "set v = \"a \\\"b\\\" \\$c \\`d\\` \\\\e\" # note\n" },
    { "unset v\n", "set", 1, "v", "x", FALSE, "unset v\n" },
    { "set other=1\n", "remove", 1, "v", NULL, FALSE, "set other=1\n" },
    /* Inside a hook's single-quoted command. */
    { "account-hook . 'set a=\"1\" b=2'\n", "set", 1, "a", "new", TRUE,
      "account-hook . 'set a=\"new\" b=2'\n" },
    { "account-hook . 'set a=\"1\" b=2'\n", "remove", 1, "a", NULL, TRUE,
      "account-hook . 'set b=2'\n" },
    { "account-hook . 'set a=1'\nset z=1\n", "remove", 1, "a", NULL, TRUE, "set z=1\n" },
    { "folder-hook x 'set a=1; push <x>'\n", "add", 1, "b", "v", TRUE,
      "folder-hook x 'set a=1; push <x>; set b=\"v\"'\n" },
    { "folder-hook x 'set a=1'\n", "add", 1, "b", "v", TRUE,
      "folder-hook x 'set a=1 b=\"v\"'\n" },
    { "folder-hook x 'set a=1'\n", "add", 1, "b", "it's", FALSE,
      "folder-hook x 'set a=1'\n" },
    /* Double quotes mean escapes and variables: left alone. */
    { "account-hook . \"set a=1 b=2\"\n", "remove", 1, "a", NULL, FALSE,
      "account-hook . \"set a=1 b=2\"\n" },
    { "account-hook . \"set a=1\"\n", "add", 1, "b", "v", FALSE, "account-hook . \"set a=1\"\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *result = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      result = mutt_edit (cases[i].text, cases[i].what, cases[i].line, cases[i].name,
                          cases[i].value, cases[i].done);
      g_assert_cmpstr (result, ==, cases[i].expected);
    }
}

static gboolean
read_nothing (const char  *path,
              char       **contents,
              gsize       *length,
              gpointer     user_data)
{
  return FALSE;
}

/* What mend_muttrc_quote() writes, Mutt's reader gives back; new lines follow a sample. */
static void
test_muttrc_quote (void)
{
  static const char * const values[] = {
    "plain", "with space", "'single'", "\"double\"", "$HOME ${x}", "`cmd`", "back\\slash",
    "semi;colon # hash", "",
  };
  g_autoptr(MendMuttrcEditor) editor = NULL;
  g_autofree char *line = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autoptr(MendMuttrc) rc = mend_muttrc_new ("/nonexistent", "/nonexistent");
      g_autofree char *quoted = mend_muttrc_quote (values[i]);
      g_autofree char *text = g_strdup_printf ("set my_value = %s\n", quoted);
      const MendMuttrcScope *top;

      mend_muttrc_parse (rc, "/muttrc", text, strlen (text), read_nothing, NULL);
      g_assert_cmpuint (mend_muttrc_get_errors (rc)->len, ==, 0);
      top = g_ptr_array_index (mend_muttrc_get_scopes (rc), 0);
      g_assert_cmpstr (mend_muttrc_scope_get (top, "my_value"), ==, values[i]);
    }

  editor = mend_muttrc_editor_new ("  set folder=\"imaps://x\"\n", 25);
  line = mend_muttrc_editor_format_set (editor, 1, "imap_authenticators", "xoauth2");
  g_assert_cmpstr (line, ==, "  set imap_authenticators=\"xoauth2\"");
}

static void
assert_key_lines (MendIni    *ini,
                  const char *section,
                  const char *key,
                  guint       first,
                  guint       last)
{
  guint found_first = 0, found_last = 0;

  g_assert_true (mend_ini_get_key_lines (ini, section, key, &found_first, &found_last));
  g_assert_cmpuint (found_first, ==, first);
  g_assert_cmpuint (found_last, ==, last);
}

static void
test_ini_lines (void)
{
  static const char python[] =
    "[DEFAULT]\n"                       /* 1 */
    "root = ~/Mail\n"                   /* 2 */
    "\n"                                /* 3 */
    "[Repository Remote]\n"             /* 4 */
    "RemoteHost = mail.example.com\n"   /* 5 */
    "folderfilter = lambda f: f in [\n" /* 6 */
    "    'INBOX',\n"                    /* 7 */
    "\n"                                /* 8 */
    "    'Sent']\n"                     /* 9 */
    "# a comment\n"                     /* 10 */
    "remoteuser: jo\n";                 /* 11 */
  static const char go[] =
    "[Work]\n"                          /* 1 */
    "source = imaps://x \\\n"           /* 2 */
    "   ?a=b\n"                         /* 3 */
    "from = \"\"\"Jo\n"                 /* 4 */
    "Example\"\"\"\n"                   /* 5 */
    "[Other]\n"                         /* 6 */
    "[Work]\n"                          /* 7 */
    "copy-to = Sent\n";                 /* 8 */
  g_autoptr(MendIni) ini = NULL;
  guint header = 0, last = 0;

  ini = mend_ini_parse (python, -1, MEND_INI_DIALECT_PYTHON, NULL);
  g_assert_nonnull (ini);
  assert_key_lines (ini, "Repository Remote", "remotehost", 5, 5);
  assert_key_lines (ini, "Repository Remote", "FolderFilter", 6, 9);
  assert_key_lines (ini, "Repository Remote", "remoteuser", 11, 11);
  assert_key_lines (ini, "DEFAULT", "root", 2, 2);
  /* A DEFAULT setting is not the section's own. */
  g_assert_false (mend_ini_get_key_lines (ini, "Repository Remote", "root", &header, &last));
  g_assert_true (mend_ini_get_section_lines (ini, "Repository Remote", &header, &last));
  g_assert_cmpuint (header, ==, 4);
  g_assert_cmpuint (last, ==, 11);
  g_assert_false (mend_ini_get_section_lines (ini, "Missing", &header, &last));
  g_clear_pointer (&ini, mend_ini_free);

  ini = mend_ini_parse (go, -1, MEND_INI_DIALECT_GO, NULL);
  g_assert_nonnull (ini);
  assert_key_lines (ini, "Work", "source", 2, 3);
  assert_key_lines (ini, "Work", "from", 4, 5);
  assert_key_lines (ini, "Work", "copy-to", 8, 8);
  g_assert_true (mend_ini_get_section_lines (ini, "Work", &header, &last));
  g_assert_cmpuint (header, ==, 1);
  g_assert_cmpuint (last, ==, 8);
  g_clear_pointer (&ini, mend_ini_free);

  /* CRLF counts as one line end; a carriage return alone would count differently for an
   * editor: no lines then. */
  ini = mend_ini_parse ("[s]\r\nkey = v\r\n", -1, MEND_INI_DIALECT_GO, NULL);
  assert_key_lines (ini, "s", "key", 2, 2);
  g_clear_pointer (&ini, mend_ini_free);
  ini = mend_ini_parse ("[s]\rkey = v\n", -1, MEND_INI_DIALECT_PYTHON, NULL);
  g_assert_nonnull (ini);
  g_assert_cmpstr (mend_ini_get_raw (ini, "s", "key"), ==, "v");
  g_assert_false (mend_ini_get_key_lines (ini, "s", "key", &header, &last));
  g_assert_false (mend_ini_get_section_lines (ini, "s", &header, &last));
}

static void
assert_statement (GPtrArray  *statements,
                  guint       index,
                  gboolean    header,
                  const char *path,
                  guint       first,
                  guint       last)
{
  const MendTomlStatement *statement = g_ptr_array_index (statements, index);
  g_autofree char *joined = g_strjoinv ("/", statement->path);

  g_assert_cmpint (statement->header, ==, header);
  g_assert_cmpstr (joined, ==, path);
  g_assert_cmpuint (statement->first, ==, first);
  g_assert_cmpuint (statement->last, ==, last);
}

static void
test_toml_statements (void)
{
  static const char text[] =
    "title = \"x\"\n"                      /* 1 */
    "[accounts.\"my.work\"]\n"             /* 2 */
    "  imap.server = 'outlook'  # note\n"  /* 3 */
    "list = [\n"                           /* 4 */
    "  1,\n"                               /* 5 */
    "]\n"                                  /* 6 */
    "text = \"\"\"a\n"                     /* 7 */
    "b\"\"\"\n"                            /* 8 */
    "[[servers]]\n"                        /* 9 */
    "name = \"a\"\n";                      /* 10 */
  g_autoptr(GPtrArray) statements = NULL;
  g_autoptr(GError) error = NULL;
  const MendTomlStatement *server;

  statements = mend_toml_parse_statements (text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (statements->len, ==, 7);
  assert_statement (statements, 0, FALSE, "title", 1, 1);
  assert_statement (statements, 1, TRUE, "accounts/my.work", 2, 2);
  assert_statement (statements, 2, FALSE, "accounts/my.work/imap/server", 3, 3);
  assert_statement (statements, 3, FALSE, "accounts/my.work/list", 4, 6);
  assert_statement (statements, 4, FALSE, "accounts/my.work/text", 7, 8);
  assert_statement (statements, 5, TRUE, "servers", 9, 9);
  assert_statement (statements, 6, FALSE, "servers/name", 10, 10);

  /* The key and the value, within the line, for a new line laid out the same way. */
  server = g_ptr_array_index (statements, 2);
  g_assert_cmpuint (server->key_start, ==, 2);
  g_assert_cmpuint (server->key_end, ==, 13);
  g_assert_cmpuint (server->value_start, ==, 16);

  g_clear_pointer (&statements, g_ptr_array_unref);
  statements = mend_toml_parse_statements ("a = 1\na = 2\n", -1, &error);
  g_assert_null (statements);
  g_assert_error (error, MEND_TOML_ERROR, MEND_TOML_ERROR_DUPLICATE);
}

static void
test_msmtprc_edits (void)
{
  static const char text[] =
    "account a\n"
    "host h\n"
    "auth plain\n"
    "password x\n"
    "auth login\n"
    "account b : a\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  gsize length = 0;

  /* The first auth line changes, the later one and the password go. */
  result = mend_msmtprc_set_xoauth2 (text, strlen (text), "a", "cmd", &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==,
                   "account a\nhost h\nauth xoauth2\npasswordeval \"cmd\"\naccount b : a\n");
  g_clear_pointer (&result, g_free);

  /* An account with nothing of its own gets its lines after its `account` line. */
  result = mend_msmtprc_set_xoauth2 (text, strlen (text), "b", "cmd", &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==,
                   "account a\nhost h\nauth plain\npassword x\nauth login\naccount b : a\n"
                   "auth xoauth2\npasswordeval \"cmd\"\npassword \"\"\n");
  g_clear_pointer (&result, g_free);

  result = mend_msmtprc_set_xoauth2 (text, strlen (text), "c", "cmd", &length, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_mbsyncrc_edits (void)
{
  static const char text[] =
    "IMAPAccount a\n"
    "Host h\n"
    "AuthMech LOGIN\n"
    "PassCmd \"old\"\n"
    "AuthMechs PLAIN\n"
    "IMAPStore a\n"
    "Host h\n"
    "Pass p\n"
    "\n"
    "IMAPAccount c\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *result = NULL;
  gsize length = 0;

  /* The section ends where another one starts, blank line or not. */
  result = mend_mbsyncrc_set_xoauth2 (text, strlen (text), "IMAPAccount", "a", "say \"hi\"",
                                      &length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==,
                   "IMAPAccount a\nHost h\nAuthMechs XOAUTH2\nPassCmd \"say \\\"hi\\\"\"\n"
                   "IMAPStore a\nHost h\nPass p\n\nIMAPAccount c\n");
  g_clear_pointer (&result, g_free);

  result = mend_mbsyncrc_set_xoauth2 (text, strlen (text), "IMAPStore", "a", "cmd", &length,
                                      &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result, ==,
                   "IMAPAccount a\nHost h\nAuthMech LOGIN\nPassCmd \"old\"\nAuthMechs PLAIN\n"
                   "IMAPStore a\nHost h\nAuthMechs XOAUTH2\nPassCmd \"cmd\"\n\nIMAPAccount c\n");
  g_clear_pointer (&result, g_free);

  result = mend_mbsyncrc_set_xoauth2 (text, strlen (text), "IMAPAccount", "b", "cmd", &length,
                                      &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/config-edits/line-editor/endings", test_line_editor_endings);
  g_test_add_func ("/config-edits/line-editor/layout", test_line_editor_layout);
  g_test_add_func ("/config-edits/muttrc/editor", test_muttrc_editor);
  g_test_add_func ("/config-edits/muttrc/quote", test_muttrc_quote);
  g_test_add_func ("/config-edits/ini/lines", test_ini_lines);
  g_test_add_func ("/config-edits/toml/statements", test_toml_statements);
  g_test_add_func ("/config-edits/msmtprc", test_msmtprc_edits);
  g_test_add_func ("/config-edits/mbsyncrc", test_mbsyncrc_edits);

  return g_test_run ();
}
