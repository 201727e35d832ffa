/* mend-test-journal-tool.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs one journal operation in a process of its own, so that the tests can run it under the
 * fault injector (LD_PRELOAD) or have it killed halfway (MAILMEND_TEST_CRASH_AT):
 *
 *   mend-test-journal-tool JOURNAL apply PATH NEW-CONTENTS-FILE [PATH NEW-CONTENTS-FILE…]
 *   mend-test-journal-tool JOURNAL undo CHANGE-ID
 *   mend-test-journal-tool JOURNAL recover
 *
 * It prints the new change's id (apply) or the resolved changes' ids (recover) and exits 0;
 * on failure it prints the finding's id and exits 1.
 */

#include "config.h"

#include <stdlib.h>

#include "mend-journal.h"

static int
report (const GError *error)
{
  g_autoptr(MendFinding) finding = mend_repair_error_to_finding (error);

  g_printerr ("%s\n", error->message);
  g_print ("%s\n", finding != NULL ? mend_finding_get_id (finding) : "not-a-repair-error");

  return 1;
}

static MendRepairPlan *
build_plan (int    argc,
            char **argv)
{
  g_autoptr(MendAccount) account = mend_account_new ("msmtp", argv[0], "test",
                                                     MEND_PROTOCOL_SMTP);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new ();
  g_autoptr(MendRepairPlan) plan = NULL;

  mend_account_set_address (account, "alice@outlook.com");
  g_ptr_array_add (accounts, account);
  plan = mend_repair_plan_new ("msmtp", "msmtp", accounts);

  for (int i = 0; i + 1 < argc; i += 2)
    {
      g_autofree char *current = NULL;
      g_autofree char *replacement = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      if (!mend_repair_plan_read_file (plan, argv[i], &current, NULL, &error) ||
          !g_file_get_contents (argv[i + 1], &replacement, &length, &error))
        g_error ("%s", error->message);

      mend_repair_plan_write_file (plan, argv[i], replacement, length);
    }

  return g_steal_pointer (&plan);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(MendJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  if (argc < 3)
    {
      g_printerr ("Usage: %s JOURNAL apply|undo|recover …\n", argv[0]);
      return 2;
    }

  journal = mend_journal_new (argv[1]);

  if (g_str_equal (argv[2], "apply") && argc >= 5 && (argc - 3) % 2 == 0)
    {
      g_autoptr(MendRepairPlan) plan = build_plan (argc - 3, argv + 3);
      g_autofree char *change_id = NULL;

      if (!mend_journal_apply (journal, plan, &change_id, &error))
        return report (error);

      g_print ("%s\n", change_id);
      return 0;
    }

  if (g_str_equal (argv[2], "undo") && argc == 4)
    {
      if (!mend_journal_undo (journal, argv[3], &error))
        return report (error);

      return 0;
    }

  if (g_str_equal (argv[2], "recover") && argc == 3)
    {
      g_autoptr(GPtrArray) resolved = mend_journal_recover (journal, &error);

      if (resolved == NULL)
        return report (error);

      for (guint i = 0; i < resolved->len; i++)
        g_print ("%s\n", mend_change_get_id (g_ptr_array_index (resolved, i)));
      return 0;
    }

  g_printerr ("Usage: %s JOURNAL apply|undo|recover …\n", argv[0]);
  return 2;
}
