/* mend-token-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * These clients sign in with XOAUTH2 using whatever their password command prints; the repair
 * makes that command `mailmend token LOGIN`, which serves the tokens Mailmend keeps in the
 * keyring. The token must be for the same Microsoft account as the user name the client sends
 * in XOAUTH2 (`user=`), so LOGIN is the server's user name when it is an address.
 */

#define G_LOG_DOMAIN "mend-token-command"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-repair-findings.h"
#include "mend-token-command.h"

/**
 * mend_token_command_get_accounts:
 *
 * Adds `nothing-to-change` to @plan when none of its servers needs switching.
 *
 * Returns: (transfer container) (element-type MendAccount): the servers of @plan to switch:
 *   Microsoft's, not already signing in with OAuth 2.0
 */
GPtrArray *
mend_token_command_get_accounts (MendRepairPlan *plan)
{
  GPtrArray *accounts = mend_repair_plan_get_accounts (plan);
  GPtrArray *to_switch = g_ptr_array_new ();

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (mend_account_is_microsoft (account) &&
          mend_account_get_auth (account) != MEND_AUTH_OAUTH2)
        g_ptr_array_add (to_switch, account);
    }

  if (to_switch->len == 0)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
    }

  return to_switch;
}

static gboolean
is_address (const char *text)
{
  return text != NULL && strchr (text, '@') != NULL && strpbrk (text, " \t\"'") == NULL;
}

/**
 * mend_token_command_get_login:
 *
 * Returns: (nullable): the address @account signs in to Microsoft with: its user name when
 *   that is an address, else the plan's address
 */
const char *
mend_token_command_get_login (MendRepairPlan *plan,
                              MendAccount    *account)
{
  const char *username = mend_account_get_username (account);
  const char *address = mend_repair_plan_get_address (plan);

  if (is_address (username))
    return username;

  return is_address (address) ? address : NULL;
}

/**
 * mend_token_command_check_signed_in:
 * @login: (nullable): from mend_token_command_get_login()
 *
 * Adds `signin-needed` to @plan when Mailmend keeps no sign-in for @login: the client would
 * run `mailmend token` for nothing. Without a login, the edits cannot be made: adds
 * `manual-edit-needed`.
 *
 * Returns: whether there is a login to write into the command
 */
gboolean
mend_token_command_check_signed_in (MendRepairContext *context,
                                    MendRepairPlan    *plan,
                                    const char        *login)
{
  g_autoptr(MendFinding) finding = NULL;

  if (login == NULL)
    {
      GPtrArray *accounts = mend_repair_plan_get_accounts (plan);
      MendAccount *first = g_ptr_array_index (accounts, 0);

      finding = mend_token_command_finding_manual_edit (
        mend_account_get_source (first),
        _("Set the user name to the Microsoft address of the account, then repair again."));
      mend_repair_plan_add_finding (plan, finding);
      return FALSE;
    }

  if (!mend_repair_context_is_signed_in (context, login))
    {
      finding = mend_repair_finding_signin_needed (login);
      mend_repair_plan_add_finding (plan, finding);
    }

  return TRUE;
}

/* Puts the scan's finding @id of @account, such as `no-oauth-path`, on @plan. */
void
mend_token_command_copy_findings (MendRepairPlan *plan,
                                  MendAccount    *account,
                                  const char     *id)
{
  GPtrArray *findings = mend_account_get_findings (account);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      if (g_str_equal (mend_finding_get_id (finding), id))
        mend_repair_plan_add_finding (plan, finding);
    }
}

/**
 * mend_token_command_finding_manual_edit:
 * @path: the file
 * @settings: what to change by hand, in a sentence or as the lines to write
 *
 * Returns: (transfer full): `manual-edit-needed`: the file is laid out in a way Mailmend does
 *   not edit safely (the setting comes from a command, an include it cannot follow, a layout
 *   its parser reads but cannot rewrite line by line)
 */
MendFinding *
mend_token_command_finding_manual_edit (const char *path,
                                        const char *settings)
{
  g_autoptr(MendFinding) finding = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (settings != NULL, NULL);

  finding = mend_finding_new ("manual-edit-needed", MEND_SEVERITY_ERROR,
                              _("This file needs a change by hand"),
                              _("Mailmend cannot change this account’s settings without risking "
                                "the rest of the file, so it leaves the file as it is."),
                              settings);
  mend_finding_set_details (finding, path);

  return g_steal_pointer (&finding);
}

/* Reads @path through @plan; a file that cannot be read any more has changed since the scan. */
gboolean
mend_token_command_read (MendRepairPlan  *plan,
                         const char      *path,
                         char           **contents,
                         gsize           *length)
{
  g_autoptr(GError) error = NULL;

  if (!mend_repair_plan_read_file (plan, path, contents, length, &error))
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_config_changed (path);

      g_debug ("Cannot read %s: %s", path, error->message);
      mend_repair_plan_add_finding (plan, finding);
      return FALSE;
    }

  return TRUE;
}
