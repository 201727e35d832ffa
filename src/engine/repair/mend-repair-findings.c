/* mend-repair-findings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-repair-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-repair-findings.h"

MendFinding *
mend_repair_finding_signin_needed (const char *address)
{
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  /* Translators: %s is an e-mail address. */
  explanation = g_strdup_printf (_("This app will ask Mailmend for a sign-in token for %s, and "
                                   "Mailmend has none stored yet."),
                                 address);
  /* Translators: %s is an e-mail address; the command stays in English. */
  remedy = g_strdup_printf (_("Sign in first, in the Sign in step or with “mailmend signin %s”, "
                              "then repair again."),
                            address);

  return mend_finding_new ("signin-needed", MEND_SEVERITY_ERROR, _("Sign in to Microsoft first"),
                           explanation, remedy);
}

MendFinding *
mend_repair_finding_client_id_missing (const char *client_name)
{
  g_autofree char *explanation = NULL;

  g_return_val_if_fail (client_name != NULL, NULL);

  /* Translators: %s is a mail app. */
  explanation = g_strdup_printf (_("%s signs in to Microsoft with the app registration Mailmend "
                                   "gives it, and this copy of Mailmend has none."),
                                 client_name);

  return mend_finding_new ("client-id-missing", MEND_SEVERITY_ERROR,
                           _("No Microsoft app registration"), explanation,
                           _("Install Mailmend from Flathub, or set a client id in Mailmend’s "
                             "preferences, then repair again."));
}

MendFinding *
mend_repair_finding_work_account_needs_new (const char *address)
{
  g_autofree char *explanation = NULL;

  g_return_val_if_fail (address != NULL, NULL);

  /* Translators: %s is an e-mail address. */
  explanation = g_strdup_printf (_("Evolution’s Outlook sign-in serves Outlook.com, Hotmail and "
                                   "Live addresses only; %s is a work or school account."),
                                 address);

  return mend_finding_new ("work-account-needs-new-account", MEND_SEVERITY_ERROR,
                           _("Needs a Microsoft 365 account in Evolution"), explanation,
                           _("In Evolution, add the account again with the account type "
                             "“Microsoft 365” (or “Exchange Web Services” with OAuth 2.0), then "
                             "remove the old one. Your mail stays on the server."));
}

MendFinding *
mend_repair_finding_config_changed (const char *path)
{
  g_autoptr(MendFinding) finding = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  finding = mend_finding_new ("config-changed", MEND_SEVERITY_ERROR,
                              _("The settings changed in the meantime"),
                              _("The file was changed after Mailmend read it, perhaps by the mail "
                                "app. Mailmend does not overwrite changes it has not seen."),
                              _("Close the mail app, then look at the changes again."));
  mend_finding_set_details (finding, path);

  return g_steal_pointer (&finding);
}

MendFinding *
mend_repair_finding_write_failed (const char *path,
                                  const char *reason)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *details = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (reason != NULL, NULL);

  finding = mend_finding_new ("write-failed", MEND_SEVERITY_ERROR,
                              _("The settings could not be saved"),
                              _("Mailmend could not write the new settings. Nothing was changed: "
                                "the files are as they were."),
                              _("Free some disk space or check the folder’s permissions, then "
                                "try again."));
  details = g_strdup_printf ("%s: %s", path, reason);
  mend_finding_set_details (finding, details);

  return g_steal_pointer (&finding);
}

MendFinding *
mend_repair_finding_nothing_to_change (void)
{
  return mend_finding_new ("nothing-to-change", MEND_SEVERITY_INFO,
                           _("Nothing to change"),
                           _("This account already signs in the way Microsoft requires."),
                           _("If mail still fails, check the sign-in in the Verify step."));
}

/**
 * mend_repair_finding_host_change_needed:
 * @host: the incoming server's name now
 * @new_host: the name Thunderbird signs in to with OAuth 2.0
 * @update_version: (nullable): the Thunderbird version that signs in to @host as it is
 *
 * Thunderbird's own: an incoming server whose name only Thunderbird can change safely.
 */
MendFinding *
mend_repair_finding_host_change_needed (const char *host,
                                        const char *new_host,
                                        const char *update_version)
{
  g_autoptr(MendFinding) finding = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;

  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (new_host != NULL, NULL);

  /* Translators: both %s are server names. */
  explanation = g_strdup_printf (_("For Thunderbird to sign in with OAuth 2.0, the server name "
                                   "must change from %s to %s. Changing it outside Thunderbird "
                                   "would break its folders: its sent, draft and archive folders "
                                   "and its filters name the server."),
                                 host, new_host);
  if (update_version != NULL)
    /* Translators: the first %s is a server name, the second a version. Account Settings,
     * Server Settings and Server Name are as Thunderbird names them in your language. */
    remedy = g_strdup_printf (_("In Thunderbird, open Account Settings → Server Settings of this "
                                "account, change the Server Name to %s (Thunderbird moves its "
                                "folders itself), close Thunderbird, then repair again. Or "
                                "update Thunderbird to version %s or later, then repair again."),
                              new_host, update_version);
  else
    /* Translators: %s is a server name. Account Settings, Server Settings and Server Name are
     * as Thunderbird names them in your language. */
    remedy = g_strdup_printf (_("In Thunderbird, open Account Settings → Server Settings of this "
                                "account, change the Server Name to %s (Thunderbird moves its "
                                "folders itself), close Thunderbird, then repair again."),
                              new_host);

  finding = mend_finding_new ("host-change-needed", MEND_SEVERITY_ERROR,
                              _("Change the server name in Thunderbird first"), explanation,
                              remedy);
  mend_finding_set_details (finding, host);

  return g_steal_pointer (&finding);
}
