/* test-line-diff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The repair's diff against GNU `diff -u` for fixed cases, and a round trip through GNU
 * `patch` (with no fuzz) for random pairs of texts: the diff the user is shown is exactly the
 * change that is made.
 */

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "mend-line-diff.h"

#define LABEL "/home/alice/.msmtprc"

static const char * const temp_names[] = { "a", "b", "a.diff", "out" };
static char *work_folder;

static char *
write_temp (const char *name,
            GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (work_folder, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  return g_steal_pointer (&path);
}

static char *
gnu_diff (GBytes *before,
          GBytes *after)
{
  g_autofree char *a = write_temp ("a", before);
  g_autofree char *b = write_temp ("b", after);
  const char *argv[] = { "diff", "-u", "--label", LABEL, "--label", LABEL, a, b, NULL };
  g_autoptr(GError) error = NULL;
  char *output = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &output, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) <= 1);

  return output;
}

static void
assert_like_gnu_diff (const char *before,
                      const char *after)
{
  g_autoptr(GBytes) a = g_bytes_new_static (before, strlen (before));
  g_autoptr(GBytes) b = g_bytes_new_static (after, strlen (after));
  g_autofree char *expected = gnu_diff (a, b);
  g_autofree char *actual = mend_line_diff_unified (LABEL, a, b, 3);

  g_assert_cmpstr (actual, ==, expected);
}

static char *
numbered_lines (guint count,
                ...) G_GNUC_NULL_TERMINATED;

/* Lines "1\n" … "count\n", with "N", "text" pairs replacing line N. */
static char *
numbered_lines (guint count,
                ...)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GHashTable) replacements = g_hash_table_new (g_str_hash, g_str_equal);
  va_list args;

  va_start (args, count);
  for (const char *key = va_arg (args, const char *); key != NULL;
       key = va_arg (args, const char *))
    g_hash_table_insert (replacements, (gpointer) key, va_arg (args, char *));
  va_end (args);

  for (guint i = 1; i <= count; i++)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      const char *replacement = g_hash_table_lookup (replacements, key);

      if (replacement == NULL)
        g_string_append_printf (text, "%u\n", i);
      else
        g_string_append (text, replacement);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
test_equal (void)
{
  g_autoptr(GBytes) a = g_bytes_new_static ("same\n", 5);
  g_autoptr(GBytes) b = g_bytes_new_static ("same\n", 5);
  g_autofree char *diff = mend_line_diff_unified (LABEL, a, b, 3);

  g_assert_cmpstr (diff, ==, "");
  assert_like_gnu_diff ("same\n", "same\n");
}

static void
test_fixed_cases (void)
{
  g_autofree char *base = numbered_lines (30, NULL);
  g_autofree char *middle = numbered_lines (30, "15", "auth xoauth2\n", NULL);
  g_autofree char *first = numbered_lines (30, "1", "one\n", NULL);
  g_autofree char *last = numbered_lines (30, "30", "thirty\n", NULL);
  /* Six unchanged lines between two changes: one hunk; seven: two. */
  g_autofree char *gap_six = numbered_lines (30, "5", "five\n", "12", "twelve\n", NULL);
  g_autofree char *gap_seven = numbered_lines (30, "5", "five\n", "13", "thirteen\n", NULL);
  g_autofree char *far_apart = numbered_lines (30, "3", "three\n", "27", "27\nadded\n", NULL);
  g_autofree char *deleted = numbered_lines (30, "10", "", "11", "", "12", "", NULL);
  g_autofree char *inserted = numbered_lines (30, "20", "20\npasswordeval mailmend token\n",
                                              NULL);

  assert_like_gnu_diff (base, middle);
  assert_like_gnu_diff (base, first);
  assert_like_gnu_diff (base, last);
  assert_like_gnu_diff (base, gap_six);
  assert_like_gnu_diff (base, gap_seven);
  assert_like_gnu_diff (base, far_apart);
  assert_like_gnu_diff (base, deleted);
  assert_like_gnu_diff (deleted, base);
  assert_like_gnu_diff (base, inserted);
  assert_like_gnu_diff ("a\nb\nc\n", "x\ny\nz\n");
}

static void
test_edges (void)
{
  /* Empty files, and the last line without a newline on either side. */
  assert_like_gnu_diff ("", "account default\n");
  assert_like_gnu_diff ("account default\nauth on\n", "");
  assert_like_gnu_diff ("host a\nauth on", "host a\nauth xoauth2");
  assert_like_gnu_diff ("host a\nauth on", "host a\nauth on\n");
  assert_like_gnu_diff ("host a\nauth on\n", "host a\nauth on");
  assert_like_gnu_diff ("1\n2\n3\n4\n5\n6\n7\n8", "1\n2\n3\nfour\n5\n6\n7\n8");
  assert_like_gnu_diff ("only", "other");
  assert_like_gnu_diff ("\n\n\n", "\n\n");
}

/* --- random round trips --------------------------------------------------------------- */

static void
append_random_line (GString *text)
{
  static const char * const words[] = { "", "auth on", "auth xoauth2", "host outlook.office365.com",
                                         "# a comment", "account work", "  indented", "a", "b" };

  g_string_append (text, words[g_test_rand_int_range (0, G_N_ELEMENTS (words))]);
  g_string_append_c (text, '\n');
}

static GBytes *
random_text (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  guint lines = g_test_rand_int_range (0, 40);

  for (guint i = 0; i < lines; i++)
    append_random_line (text);
  if (text->len > 0 && g_test_rand_bit ())
    g_string_truncate (text, text->len - 1);

  return g_string_free_to_bytes (g_steal_pointer (&text));
}

/* @before with a few lines deleted, replaced or inserted, as a repair does; now and then a
 * completely different text. */
static GBytes *
random_edit (GBytes *before)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  gsize size;
  const char *data = g_bytes_get_data (before, &size);
  g_autofree char *copy = g_strndup (data, size);

  if (g_test_rand_int_range (0, 10) == 0)
    return random_text ();

  lines = g_strsplit (copy, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      gboolean last = lines[i + 1] == NULL;
      int dice = g_test_rand_int_range (0, 12);

      if (dice == 0)
        append_random_line (text);
      if (dice == 1 && !last)
        continue;
      if (dice == 2 && !last)
        {
          append_random_line (text);
          continue;
        }

      g_string_append (text, lines[i]);
      if (!last)
        g_string_append_c (text, '\n');
    }

  if (g_test_rand_int_range (0, 6) == 0)
    {
      if (text->len > 0 && text->str[text->len - 1] == '\n')
        g_string_truncate (text, text->len - 1);
      else
        g_string_append_c (text, '\n');
    }

  return g_string_free_to_bytes (g_steal_pointer (&text));
}

static void
assert_patch_round_trip (GBytes *before,
                         GBytes *after)
{
  g_autofree char *diff = mend_line_diff_unified (LABEL, before, after, 3);
  g_autoptr(GBytes) diff_bytes = g_bytes_new_static (diff, strlen (diff));
  g_autofree char *a = write_temp ("a", before);
  g_autofree char *patch_file = write_temp ("a.diff", diff_bytes);
  g_autofree char *out = g_build_filename (work_folder, "out", NULL);
  /* -F 0: no fuzz, the context must match exactly. */
  const char *argv[] = { "patch", "--force", "--silent", "--fuzz=0", "--no-backup-if-mismatch",
                         "--reject-file=-", "-o", out, a, patch_file, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *patch_output = NULL;
  g_autofree char *result = NULL;
  gsize result_length;
  int status;

  if (g_bytes_equal (before, after))
    {
      g_assert_cmpstr (diff, ==, "");
      return;
    }

  g_unlink (out);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                NULL, NULL, &patch_output, NULL, &status, &error);
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("patch refused the diff (%s):\n%s", patch_output, diff);

  g_file_get_contents (out, &result, &result_length, &error);
  g_assert_no_error (error);
  if (result_length != g_bytes_get_size (after) ||
      memcmp (result, g_bytes_get_data (after, NULL), result_length) != 0)
    g_error ("patch gave other bytes than the diff's target:\n%s", diff);
}

static void
test_random_round_trip (void)
{
  guint pairs = g_test_slow () ? 3000 : 400;

  for (guint i = 0; i < pairs; i++)
    {
      g_autoptr(GBytes) before = random_text ();
      g_autoptr(GBytes) after = random_edit (before);

      assert_patch_round_trip (before, after);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-line-diff");

  work_folder = g_dir_make_tmp ("mailmend-line-diff-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/line-diff/equal", test_equal);
  g_test_add_func ("/line-diff/like-gnu-diff", test_fixed_cases);
  g_test_add_func ("/line-diff/edges", test_edges);
  g_test_add_func ("/line-diff/patch-round-trip", test_random_round_trip);

  status = g_test_run ();

  for (guint i = 0; i < G_N_ELEMENTS (temp_names); i++)
    {
      g_autofree char *path = g_build_filename (work_folder, temp_names[i], NULL);

      g_unlink (path);
    }
  g_rmdir (work_folder);
  g_free (work_folder);

  return status;
}
