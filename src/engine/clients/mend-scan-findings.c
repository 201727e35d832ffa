/* mend-scan-findings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a scan can find, worded for the people who read it: ids are stable,
 * texts are translated.
 */

#define G_LOG_DOMAIN "mend-scan-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-microsoft.h"
#include "mend-scan-findings.h"

/**
 * mend_scan_finding_config_unreadable:
 * @path: the file
 * @reason: why it could not be read, translated
 */
MendFinding *
mend_scan_finding_config_unreadable (const char *path,
                                     const char *reason)
{
  g_autofree char *title = NULL;
  MendFinding *finding;

  g_return_val_if_fail (path != NULL, NULL);

  /* Translators: %s is a file name. */
  title = g_strdup_printf (_("Cannot read %s"), path);
  finding = mend_finding_new ("config-unreadable", MEND_SEVERITY_WARNING, title,
                              reason,
                              _("The accounts in this file were skipped. If a mail app uses it, "
                                "check that the file is readable and not damaged, then scan again."));
  mend_finding_set_details (finding, path);

  return finding;
}

MendFinding *
mend_scan_finding_basic_auth (MendAccount *account)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (account), NULL);

  return mend_finding_new ("basic-auth", MEND_SEVERITY_ERROR,
                           _("Signs in with a password"),
                           _("Microsoft no longer accepts passwords or app passwords from mail "
                             "apps, so this account cannot connect."),
                           _("Sign in to Microsoft with Mailmend, then let it switch this account "
                             "to OAuth 2.0."));
}

MendFinding *
mend_scan_finding_oauth_ready (MendAccount *account)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (account), NULL);

  return mend_finding_new ("oauth-ready", MEND_SEVERITY_INFO,
                           _("Already uses OAuth 2.0"),
                           _("This account signs in the way Microsoft requires."),
                           _("Nothing to change. If it still fails, test the sign-in in the "
                             "Verify step."));
}

MendFinding *
mend_scan_finding_pop3_in_use (MendAccount *account)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (account), NULL);

  return mend_finding_new ("pop3-in-use", MEND_SEVERITY_WARNING,
                           _("Receives mail over POP"),
                           _("POP works with OAuth 2.0 too, but it downloads mail to one computer "
                             "only; with Outlook.com it also has to be allowed in Outlook’s "
                             "settings (Forwarding and IMAP)."),
                           _("Keep POP if it suits you; Mailmend asks for POP access when you sign "
                             "in. IMAP keeps your mail in step on every device."));
}

MendFinding *
mend_scan_finding_insecure_connection (MendAccount *account)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (account), NULL);

  return mend_finding_new ("insecure-connection", MEND_SEVERITY_WARNING,
                           _("Connects without encryption"),
                           _("The connection to this server is not encrypted. Microsoft refuses "
                             "to sign in over an unencrypted connection."),
                           _("Use SSL/TLS (port 993 for IMAP, 995 for POP) or STARTTLS (port 587 "
                             "for sending)."));
}

MendFinding *
mend_scan_finding_sovereign_cloud (MendAccount *account)
{
  g_autofree char *explanation = NULL;
  MendFinding *finding;

  g_return_val_if_fail (MEND_IS_ACCOUNT (account), NULL);

  switch (mend_microsoft_classify_host (mend_account_get_host (account)))
    {
    case MEND_MICROSOFT_CLOUD_US_GOVERNMENT:
      explanation = g_strdup (_("This server belongs to Microsoft 365 for the US government (GCC "
                                "High or DoD), which has its own sign-in service."));
      break;
    case MEND_MICROSOFT_CLOUD_CHINA:
      explanation = g_strdup (_("This server belongs to Microsoft 365 operated by 21Vianet in "
                                "China, which has its own sign-in service."));
      break;
    case MEND_MICROSOFT_CLOUD_NONE:
    case MEND_MICROSOFT_CLOUD_GLOBAL:
    default:
      g_return_val_if_reached (NULL);
    }

  finding = mend_finding_new ("sovereign-cloud", MEND_SEVERITY_WARNING,
                              _("Uses a national Microsoft cloud"), explanation,
                              _("Ask your administrator for the sign-in address (authority) and "
                                "the app registration to use, and set them in Mailmend’s "
                                "settings."));
  mend_finding_set_details (finding, mend_account_get_host (account));

  return finding;
}

/**
 * mend_scan_finding_legacy_host:
 * @client_name: the client's name as people know it
 * @needed_version: (nullable): the client version that can use OAuth 2.0 with this host
 */
MendFinding *
mend_scan_finding_legacy_host (MendAccount *account,
                               const char  *client_name,
                               const char  *needed_version)
{
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;
  MendFinding *finding;

  g_return_val_if_fail (MEND_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (client_name != NULL, NULL);

  /* Translators: the first %s is a server, the second a mail app. */
  explanation = g_strdup_printf (_("%s is an old Outlook.com server name that this version of %s "
                                   "cannot use with OAuth 2.0."),
                                 mend_account_get_host (account), client_name);
  if (needed_version != NULL)
    /* Translators: the first %s is a mail app, the second a version, the third a server. */
    remedy = g_strdup_printf (_("Update %s to version %s or later, or change the server to %s."),
                              client_name, needed_version,
                              mend_microsoft_recommended_host (mend_account_get_protocol (account)));
  else
    /* Translators: %s is a server name. */
    remedy = g_strdup_printf (_("Change the server to %s."),
                              mend_microsoft_recommended_host (mend_account_get_protocol (account)));

  finding = mend_finding_new ("legacy-host", MEND_SEVERITY_WARNING,
                              _("Uses an outdated server name"), explanation, remedy);
  mend_finding_set_details (finding, mend_account_get_host (account));

  return finding;
}

/**
 * mend_scan_finding_client_too_old:
 * @client_name: the client's name as people know it
 * @version: the version found
 * @needed_version: the first version that can sign in to Microsoft with OAuth 2.0
 */
MendFinding *
mend_scan_finding_client_too_old (const char *client_name,
                                  const char *version,
                                  const char *needed_version)
{
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;

  g_return_val_if_fail (client_name != NULL, NULL);
  g_return_val_if_fail (version != NULL, NULL);
  g_return_val_if_fail (needed_version != NULL, NULL);

  /* Translators: the first %s is a mail app, the second and third are versions. */
  explanation = g_strdup_printf (_("%s %s cannot sign in to Microsoft with OAuth 2.0: that came in "
                                   "version %s."),
                                 client_name, version, needed_version);
  /* Translators: the first %s is a mail app, the second a version. */
  remedy = g_strdup_printf (_("Update %s to version %s or later, then run Mailmend again."),
                            client_name, needed_version);

  return mend_finding_new ("client-too-old", MEND_SEVERITY_ERROR,
                           _("Mail app too old for OAuth 2.0"), explanation, remedy);
}

/**
 * mend_scan_finding_no_oauth_path:
 * @explanation: why this account cannot use OAuth 2.0, translated
 * @remedy: what to use instead, translated
 */
MendFinding *
mend_scan_finding_no_oauth_path (const char *explanation,
                                 const char *remedy)
{
  g_return_val_if_fail (explanation != NULL, NULL);
  g_return_val_if_fail (remedy != NULL, NULL);

  return mend_finding_new ("no-oauth-path", MEND_SEVERITY_ERROR,
                           _("Cannot be switched to OAuth 2.0 here"), explanation, remedy);
}

/**
 * mend_scan_finding_client_running:
 * @client_name: the client's name as people know it
 */
MendFinding *
mend_scan_finding_client_running (const char *client_name)
{
  g_autofree char *title = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;

  g_return_val_if_fail (client_name != NULL, NULL);

  /* Translators: %s is a mail app. */
  title = g_strdup_printf (_("%s is running"), client_name);
  /* Translators: %s is a mail app. */
  explanation = g_strdup_printf (_("%s rewrites its settings when it closes, which would undo a "
                                   "repair made while it runs."),
                                 client_name);
  /* Translators: %s is a mail app. */
  remedy = g_strdup_printf (_("Close %s before the Repair step."), client_name);

  return mend_finding_new ("client-running", MEND_SEVERITY_WARNING, title, explanation, remedy);
}
