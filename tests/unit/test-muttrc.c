/* test-muttrc.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "mend-muttrc.h"

#define HOME "/home/tester"
#define CONFIG "/home/tester/.config"

/* Files the parser may source, by absolute path, and the paths it asked for. */
typedef struct
{
  GHashTable *files;
  GPtrArray  *reads;
} FakeFiles;

static gboolean
read_fake (const char  *path,
           char       **contents,
           gsize       *length,
           gpointer     user_data)
{
  FakeFiles *fake = user_data;
  const char *text = g_hash_table_lookup (fake->files, path);

  g_ptr_array_add (fake->reads, g_strdup (path));
  if (text == NULL)
    return FALSE;

  *contents = g_strdup (text);
  *length = strlen (text);

  return TRUE;
}

static void
fake_files_init (FakeFiles *fake)
{
  fake->files = g_hash_table_new (g_str_hash, g_str_equal);
  fake->reads = g_ptr_array_new_with_free_func (g_free);
}

static void
add_file (FakeFiles  *fake,
          const char *path,
          const char *text)
{
  g_hash_table_insert (fake->files, (gpointer) path, (gpointer) text);
}

static void
fake_files_clear (FakeFiles *fake)
{
  g_clear_pointer (&fake->files, g_hash_table_unref);
  g_clear_pointer (&fake->reads, g_ptr_array_unref);
}

static MendMuttrc *
parse (const char *text)
{
  MendMuttrc *rc = mend_muttrc_new (HOME, CONFIG);

  mend_muttrc_parse (rc, HOME "/.muttrc", text, strlen (text), NULL, NULL);

  return rc;
}

static const MendMuttrcScope *
scope_at (MendMuttrc *rc,
          guint       index)
{
  GPtrArray *scopes = mend_muttrc_get_scopes (rc);

  g_assert_cmpuint (index, <, scopes->len);

  return g_ptr_array_index (scopes, index);
}

static const char *
top (MendMuttrc *rc,
     const char *name)
{
  return mend_muttrc_scope_get (scope_at (rc, 0), name);
}

static void
test_set_forms (void)
{
  g_autoptr(MendMuttrc) rc = parse (
    "# comment\n"
    "set imap_user=me@example.com folder = imaps://imap.example.com/ # trailing comment\n"
    "set realname = \"Alex \\\"the\\\" Example\"\n"
    "set signature='~/.sig $HOME'\n"
    "set ssl_starttls; unset ssl_force_tls\n"
    "set noimap_passive invpop_last mark_old\n"
    "set my_host = example.org\n"
    "set smtp_url = \"smtps://me@$my_host\" record = ${my_host}/sent\n"
    "set header_cache = $HOME/cache tmpdir = $XDG_CONFIG_HOME/tmp\n"
    "set spool_file = +INBOX\n"
    "set query_command = \"a\"\n"
    "set query_command += \"b\"\n"
    "set ?folder &mbox_type\n"
    "set sendmail = /usr/bin/msmtp \\\n"
    "    smtp_pass = \"x\"\n"
    "set timeout=\\t\n");
  const MendMuttrcValue *value;

  g_assert_cmpuint (mend_muttrc_get_errors (rc)->len, ==, 0);
  g_assert_cmpuint (mend_muttrc_get_scopes (rc)->len, ==, 1);

  g_assert_cmpstr (top (rc, "imap_user"), ==, "me@example.com");
  g_assert_cmpstr (top (rc, "folder"), ==, "imaps://imap.example.com/");
  g_assert_cmpstr (top (rc, "realname"), ==, "Alex \"the\" Example");
  /* Single quotes: no $variables. */
  g_assert_cmpstr (top (rc, "signature"), ==, "~/.sig $HOME");
  g_assert_cmpstr (top (rc, "ssl_starttls"), ==, "yes");
  value = mend_muttrc_scope_lookup (scope_at (rc, 0), "ssl_force_tls");
  g_assert_nonnull (value);
  g_assert_null (value->value);
  value = mend_muttrc_scope_lookup (scope_at (rc, 0), "imap_passive");
  g_assert_nonnull (value);
  g_assert_null (value->value);
  g_assert_cmpstr (top (rc, "pop_last"), ==, "yes");
  g_assert_cmpstr (top (rc, "mark_old"), ==, "yes");
  g_assert_cmpstr (top (rc, "smtp_url"), ==, "smtps://me@example.org");
  g_assert_cmpstr (top (rc, "record"), ==, "example.org/sent");
  g_assert_cmpstr (top (rc, "header_cache"), ==, HOME "/cache");
  g_assert_cmpstr (top (rc, "tmpdir"), ==, CONFIG "/tmp");
  /* NeoMutt's new name, kept under the old one. */
  g_assert_cmpstr (top (rc, "spoolfile"), ==, "+INBOX");
  g_assert_cmpstr (top (rc, "spool_file"), ==, "+INBOX");
  g_assert_cmpstr (top (rc, "query_command"), ==, "ab");
  g_assert_null (mend_muttrc_scope_lookup (scope_at (rc, 0), "mbox_type"));
  /* A line ending in a backslash goes on. */
  g_assert_cmpstr (top (rc, "sendmail"), ==, "/usr/bin/msmtp");
  /* Passwords are not kept. */
  g_assert_cmpstr (top (rc, "smtp_pass"), ==, MEND_MUTTRC_HIDDEN);
  g_assert_cmpstr (top (rc, "timeout"), ==, "\t");

  value = mend_muttrc_scope_lookup (scope_at (rc, 0), "folder");
  g_assert_cmpstr (value->source, ==, HOME "/.muttrc");
  g_assert_cmpuint (value->line, ==, 2);
  value = mend_muttrc_scope_lookup (scope_at (rc, 0), "smtp_pass");
  g_assert_cmpuint (value->line, ==, 14);
}

static void
test_backticks_never_run (void)
{
  g_autofree char *marker = g_build_filename (g_get_tmp_dir (), "mailmend-muttrc-backtick", NULL);
  g_autofree char *text = g_strdup_printf ("set imap_pass = `touch %s`\n"
                                           "set imap_user = \"me`touch %s`@example.com\"\n",
                                           marker, marker);
  g_autoptr(MendMuttrc) rc = parse (text);

  g_assert_cmpstr (top (rc, "imap_pass"), ==, "");
  g_assert_null (strstr (top (rc, "imap_user"), "touch"));
  g_assert_cmpstr (top (rc, "imap_user"), ==, "me@example.com");
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
}

static void
test_hooks (void)
{
  g_autoptr(MendMuttrc) rc = parse (
    "set folder = imaps://one.example.com/\n"
    "account-hook imaps://me@two\\.example\\.com 'set imap_user=me imap_pass=\"p w\"'\n"
    "folder-hook -noregex =work \"set from=work@example.com; set record=+Sent\"\n"
    "folder-hook !personal set from=other@example.com\n"
    "folder-hook . 'account-hook x \"set imap_user=nested\"'\n"
    "send-hook . 'set from=ignored@example.com'\n");
  const MendMuttrcScope *scope;

  g_assert_cmpuint (mend_muttrc_get_errors (rc)->len, ==, 0);
  g_assert_cmpuint (mend_muttrc_get_scopes (rc)->len, ==, 5);
  g_assert_null (scope_at (rc, 0)->hook);
  g_assert_null (top (rc, "from"));

  scope = scope_at (rc, 1);
  g_assert_cmpstr (scope->hook, ==, "account-hook");
  /* Outside single quotes, backslashes escape: the pattern's dots lose theirs. */
  g_assert_cmpstr (scope->pattern, ==, "imaps://me@two.example.com");
  g_assert_cmpuint (scope->line, ==, 2);
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "imap_user"), ==, "me");
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "imap_pass"), ==, MEND_MUTTRC_HIDDEN);
  g_assert_null (mend_muttrc_scope_get (scope, "folder"));

  scope = scope_at (rc, 2);
  g_assert_cmpstr (scope->hook, ==, "folder-hook");
  g_assert_cmpstr (scope->pattern, ==, "=work");
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "from"), ==, "work@example.com");
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "record"), ==, "+Sent");

  /* An unquoted command runs to the end of the line. */
  scope = scope_at (rc, 3);
  g_assert_cmpstr (scope->pattern, ==, "!personal");
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "from"), ==, "other@example.com");

  /* A hook inside a hook is skipped. */
  scope = scope_at (rc, 4);
  g_assert_cmpuint (g_hash_table_size (scope->values), ==, 0);
}

static void
test_macros (void)
{
  FakeFiles fake;
  g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);
  const MendMuttrcScope *scope;

  fake_files_init (&fake);
  add_file (&fake, HOME "/.muttrc",
            "macro index,pager i2 '<sync-mailbox><enter-command>source ~/accounts/2<enter>"
            "<change-folder>!<enter>' \"switch\"\n"
            "macro index gi \"<change-folder>=INBOX<enter>\" \"inbox\"\n"
            "macro index x \"<enter-command>set from=x@example.com<enter>\"\n");
  add_file (&fake, HOME "/accounts/2", "set folder = imaps://two.example.com/\n");

  mend_muttrc_load (rc, HOME "/.muttrc", read_fake, &fake);

  g_assert_cmpuint (mend_muttrc_get_errors (rc)->len, ==, 0);
  g_assert_cmpuint (mend_muttrc_get_scopes (rc)->len, ==, 3);
  g_assert_null (top (rc, "folder"));

  scope = scope_at (rc, 1);
  g_assert_cmpstr (scope->hook, ==, "macro");
  g_assert_cmpstr (scope->pattern, ==, "i2");
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "folder"), ==, "imaps://two.example.com/");
  g_assert_cmpstr (mend_muttrc_scope_lookup (scope, "folder")->source, ==, HOME "/accounts/2");

  scope = scope_at (rc, 2);
  g_assert_cmpstr (scope->pattern, ==, "x");
  g_assert_cmpstr (mend_muttrc_scope_get (scope, "from"), ==, "x@example.com");

  fake_files_clear (&fake);
}

static void
test_mailboxes (void)
{
  g_autoptr(MendMuttrc) rc = parse (
    "mailboxes =INBOX imaps://a.example.com/INBOX\n"
    "mailboxes -label Work -notify imaps://b.example.com/ -nopoll \"imaps://c.example.com/\"\n"
    "named-mailboxes \"Personal\" imaps://d.example.com/ Other pops://e.example.com\n");
  GPtrArray *mailboxes = mend_muttrc_get_mailboxes (rc);
  const char *expected[] = {
    "=INBOX", "imaps://a.example.com/INBOX", "imaps://b.example.com/", "imaps://c.example.com/",
    "imaps://d.example.com/", "pops://e.example.com",
  };

  g_assert_cmpuint (mailboxes->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (((MendMuttrcValue *) g_ptr_array_index (mailboxes, i))->value, ==,
                     expected[i]);
}

static void
test_conditionals (void)
{
  g_autoptr(MendMuttrc) rc = parse (
    "ifdef sidebar 'set sidebar_visible = yes'\n"
    "ifndef imap 'set folder = ~/Mail'\n"
    "ifdef a ifdef b ifdef c ifdef d ifdef e ifdef f set deep = yes\n"
    "set before = yes\n"
    "finish\n"
    "set after = yes\n");

  g_assert_cmpstr (top (rc, "sidebar_visible"), ==, "yes");
  g_assert_null (top (rc, "folder"));
  g_assert_null (mend_muttrc_scope_lookup (scope_at (rc, 0), "deep"));
  g_assert_cmpstr (top (rc, "before"), ==, "yes");
  g_assert_null (mend_muttrc_scope_lookup (scope_at (rc, 0), "after"));
}

static void
test_source (void)
{
  FakeFiles fake;
  g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);
  GPtrArray *files;

  fake_files_init (&fake);
  add_file (&fake, CONFIG "/neomutt/neomuttrc",
            "source accounts/work\n"
            "source ~/.mutt/common $XDG_CONFIG_HOME/neomutt/last\n"
            "source \"~/bin/generate.sh |\"\n"
            "source `echo never`\n"
            "source ~other/file\n"
            "set imap_user = top\n");
  add_file (&fake, CONFIG "/neomutt/accounts/work",
            "set folder = imaps://work.example.com/\n"
            "folder-hook work 'source ../hooked'\n");
  add_file (&fake, CONFIG "/neomutt/hooked", "set from = hooked@example.com\n");
  add_file (&fake, HOME "/.mutt/common", "set realname = Common\n");
  add_file (&fake, CONFIG "/neomutt/last", "set imap_user = last\n");

  mend_muttrc_load (rc, CONFIG "/neomutt/neomuttrc", read_fake, &fake);

  g_assert_cmpuint (mend_muttrc_get_errors (rc)->len, ==, 0);
  g_assert_cmpstr (top (rc, "folder"), ==, "imaps://work.example.com/");
  g_assert_cmpstr (mend_muttrc_scope_lookup (scope_at (rc, 0), "folder")->source, ==,
                   CONFIG "/neomutt/accounts/work");
  g_assert_cmpstr (top (rc, "realname"), ==, "Common");
  g_assert_cmpstr (top (rc, "imap_user"), ==, "top");

  /* The hook's `source` reads into the hook, relative to the file holding it. */
  g_assert_cmpuint (mend_muttrc_get_scopes (rc)->len, ==, 2);
  g_assert_cmpstr (mend_muttrc_scope_get (scope_at (rc, 1), "from"), ==, "hooked@example.com");
  g_assert_null (top (rc, "from"));

  /* Commands and other users' files are never read. */
  g_assert_cmpuint (fake.reads->len, ==, 5);
  for (guint i = 0; i < fake.reads->len; i++)
    {
      const char *path = g_ptr_array_index (fake.reads, i);

      g_assert_null (strstr (path, "generate"));
      g_assert_null (strstr (path, "never"));
      g_assert_null (strstr (path, "other"));
    }

  files = mend_muttrc_get_files (rc);
  g_assert_cmpuint (files->len, ==, 5);
  g_assert_cmpstr (g_ptr_array_index (files, 0), ==, CONFIG "/neomutt/neomuttrc");

  fake_files_clear (&fake);
}

static void
test_source_cycle (void)
{
  FakeFiles fake;
  g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);

  fake_files_init (&fake);
  add_file (&fake, HOME "/.muttrc", "source a\nsource .muttrc\nset top = yes\n");
  add_file (&fake, HOME "/a", "source b\nset a = yes\n");
  add_file (&fake, HOME "/b", "source ./a\nsource ~/.muttrc\nset b = yes\n");

  mend_muttrc_load (rc, HOME "/.muttrc", read_fake, &fake);

  g_assert_cmpstr (top (rc, "top"), ==, "yes");
  g_assert_cmpstr (top (rc, "a"), ==, "yes");
  g_assert_cmpstr (top (rc, "b"), ==, "yes");
  g_assert_cmpuint (fake.reads->len, ==, 3);

  fake_files_clear (&fake);
}

/* Every file sources one deeper file: the depth is bounded. */
static gboolean
read_endless (const char  *path,
              char       **contents,
              gsize       *length,
              gpointer     user_data)
{
  guint *reads = user_data;

  (*reads)++;
  *contents = g_strdup ("source deeper/rc deeper/rc2\nset x = y\n");
  *length = strlen (*contents);

  return TRUE;
}

static void
test_source_depth (void)
{
  g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);
  guint reads = 0;

  mend_muttrc_load (rc, HOME "/.muttrc", read_endless, &reads);

  g_assert_cmpuint (reads, >, 1);
  g_assert_cmpuint (reads, <=, 64);
  g_assert_cmpstr (top (rc, "x"), ==, "y");
}

static void
test_errors (void)
{
  g_autoptr(MendMuttrc) rc = parse (
    "set folder = \"imaps://open.example.com/\n"
    "set imap_pass = `pass show\n"
    "unset folder=x\n"
    "set = nothing\n"
    "account-hook onlypattern\n"
    "set smtp_url = smtps://after.example.com\n");
  GPtrArray *errors = mend_muttrc_get_errors (rc);
  const guint lines[] = { 1, 2, 3, 4, 5 };

  g_assert_cmpuint (errors->len, ==, G_N_ELEMENTS (lines));
  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    {
      const MendMuttrcError *error = g_ptr_array_index (errors, i);

      g_assert_cmpstr (error->path, ==, HOME "/.muttrc");
      g_assert_cmpuint (error->line, ==, lines[i]);
      g_assert_nonnull (error->message);
    }

  /* An open quote still sets the variable, as in Mutt; the scan goes on. */
  g_assert_cmpstr (top (rc, "folder"), ==, "imaps://open.example.com/");
  g_assert_cmpstr (top (rc, "smtp_url"), ==, "smtps://after.example.com");
}

static void
test_garbage (void)
{
  const char *inputs[] = {
    "",
    "\n\n\n",
    "set",
    "set =",
    "set a=",
    "set \"",
    "set a = '",
    "set a=\\",
    "set a = $",
    "set a = ${unclosed",
    "set a = \\c",
    "source",
    "source \"\"",
    "account-hook",
    "folder-hook !",
    "ifdef",
    "ifdef x",
    "mailboxes -label",
    ";;;;",
    "# only a comment \\",
    "\\",
    "\xff\xfe\x80 set \xc3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(MendMuttrc) rc = parse (inputs[i]);

      g_assert_cmpuint (mend_muttrc_get_scopes (rc)->len, >=, 1);
    }
}

static void
test_binary_and_truncated (void)
{
  const char text[] = "set folder = imaps://a.example.com/\n\0\0\1\2set imap_user = b\n\xff";
  const char *full = "set folder = \"imaps://imap.example.com/\" imap_user = \"me@example.com\"\n";

  /* NUL bytes end a line's text, and nothing crashes. */
  {
    g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);

    mend_muttrc_parse (rc, HOME "/.muttrc", text, sizeof text - 1, NULL, NULL);
    g_assert_cmpstr (top (rc, "folder"), ==, "imaps://a.example.com/");
  }

  /* Every prefix of a valid file parses. */
  for (gsize n = 0; n <= strlen (full); n++)
    {
      g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);

      mend_muttrc_parse (rc, HOME "/.muttrc", full, n, NULL, NULL);
      g_assert_cmpuint (mend_muttrc_get_scopes (rc)->len, ==, 1);
    }

  /* Random bytes. */
  for (guint seed = 0; seed < 200; seed++)
    {
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(MendMuttrc) rc = mend_muttrc_new (HOME, CONFIG);
      char buffer[512];
      gsize length = g_rand_int_range (rand, 0, sizeof buffer);
      const char alphabet[] = "set unsource hook \"'`$\\{};#=\n\t+-!?&abc:/@";

      for (gsize i = 0; i < length; i++)
        buffer[i] = seed % 2 ? (char) g_rand_int_range (rand, 0, 256)
                             : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];

      mend_muttrc_parse (rc, HOME "/.muttrc", buffer, length, NULL, NULL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-muttrc");

  g_test_add_func ("/muttrc/set-forms", test_set_forms);
  g_test_add_func ("/muttrc/backticks-never-run", test_backticks_never_run);
  g_test_add_func ("/muttrc/hooks", test_hooks);
  g_test_add_func ("/muttrc/macros", test_macros);
  g_test_add_func ("/muttrc/mailboxes", test_mailboxes);
  g_test_add_func ("/muttrc/conditionals", test_conditionals);
  g_test_add_func ("/muttrc/source", test_source);
  g_test_add_func ("/muttrc/source-cycle", test_source_cycle);
  g_test_add_func ("/muttrc/source-depth", test_source_depth);
  g_test_add_func ("/muttrc/errors", test_errors);
  g_test_add_func ("/muttrc/garbage", test_garbage);
  g_test_add_func ("/muttrc/binary-and-truncated", test_binary_and_truncated);

  return g_test_run ();
}
