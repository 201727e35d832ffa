/* mend-log-findings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the log analyzer can find, worded for the people who read it. The
 * ids that a protocol probe can also produce (token-rejected,
 * smtp-auth-disabled, …) keep the probes' meaning.
 */

#define G_LOG_DOMAIN "mend-log-findings"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-log-findings.h"

static const struct {
  MendLogFindingKind  kind;
  const char         *id;
  MendSeverity        severity;
  const char         *title;
  const char         *explanation;
  const char         *remedy;
  const char         *link;
} findings[] = {
  { MEND_LOG_FINDING_TOKEN_REJECTED, "token-rejected", MEND_SEVERITY_ERROR,
    N_("The server refused the sign-in token"),
    N_("The mail app signed in with OAuth 2.0, but the server did not accept its access token: "
       "it has expired or was revoked, it belongs to another account, or it does not allow this "
       "kind of mail access (IMAP, POP or SMTP)."),
    N_("Sign in again in the mail app (or with Mailmend, for apps that get their access from it), "
       "with the account of this mailbox. For Outlook.com, also check that IMAP is turned on in "
       "Outlook’s settings (Mail, Forwarding and IMAP)."),
    NULL },
  { MEND_LOG_FINDING_BASIC_AUTH_REJECTED, "basic-auth-rejected", MEND_SEVERITY_ERROR,
    N_("The server no longer accepts passwords"),
    N_("The mail app signed in with a password or an app password. Microsoft has turned this "
       "off: for Outlook.com, Hotmail and Live since 16 September 2024, for work and school "
       "accounts since 2022–2023."),
    N_("Switch the account to OAuth 2.0. Mailmend’s repair does it for most mail apps; the app "
       "then asks you to sign in to Microsoft."),
    "https://support.microsoft.com/office/c5d65390-9676-4763-b41f-d7986499a90d" },
  { MEND_LOG_FINDING_AUTH_FAILED, "auth-failed", MEND_SEVERITY_ERROR,
    N_("The server refused the sign-in"),
    N_("The server rejected the mail app’s sign-in, and the log does not show whether the app "
       "used a password or OAuth 2.0."),
    N_("If the app signs in with a password, switch it to OAuth 2.0 with Mailmend. If it already "
       "uses OAuth 2.0, sign in again in the app."),
    NULL },
  { MEND_LOG_FINDING_CLIENT_SECRET_INVALID, "client-secret-invalid", MEND_SEVERITY_ERROR,
    N_("The mail app’s registration with Microsoft is outdated"),
    N_("Microsoft refused the secret the mail app shows when it signs in. The app uses an old "
       "registration with Microsoft, or its OAuth settings are damaged."),
    N_("Update the mail app to its latest version, then remove the account’s saved sign-in and "
       "sign in again."),
    NULL },
  { MEND_LOG_FINDING_SMTP_AUTH_DISABLED, "smtp-auth-disabled", MEND_SEVERITY_ERROR,
    N_("Sending from mail apps is turned off for this account"),
    N_("The sign-in worked, but authenticated SMTP, which mail apps use to send mail, is turned "
       "off for this mailbox or for the whole organization."),
    N_("Ask your administrator to turn on “Authenticated SMTP” for the mailbox in the "
       "Microsoft 365 admin center (Users, Active users, Mail, Manage email apps), or to run "
       "“Set-CASMailbox -Identity ADDRESS -SmtpClientAuthenticationDisabled $false”."),
    "https://aka.ms/smtp_auth_disabled" },
  { MEND_LOG_FINDING_MAILBOX_NOT_CONNECTED, "mailbox-not-connected", MEND_SEVERITY_ERROR,
    N_("Signed in, but the mailbox could not be opened"),
    N_("The server accepted the sign-in, then refused to open the mailbox. This happens when the "
       "account that signed in is not the mailbox’s own account or has no access to it, and for "
       "a while after many connections in a short time."),
    N_("Sign in again with the account of this mailbox. If that is already the case, wait an "
       "hour and let the app use fewer connections."),
    NULL },
  { MEND_LOG_FINDING_TOO_MANY_CONNECTIONS, "too-many-connections", MEND_SEVERITY_WARNING,
    N_("Too many connections to the mailbox"),
    N_("Outlook allows about 15 to 20 IMAP connections to one mailbox at a time. Several apps or "
       "devices syncing the same mailbox, or one app syncing many folders, go over the limit, "
       "and new connections are refused."),
    N_("Sync fewer folders, check for mail less often, let the app keep fewer connections open "
       "(Thunderbird: Server Settings, Advanced, maximum number of server connections to cache), "
       "and close other apps that use the same mailbox."),
    NULL },
  { MEND_LOG_FINDING_SMTP_NOT_AUTHENTICATED, "smtp-not-authenticated", MEND_SEVERITY_ERROR,
    N_("The mail app sends without signing in"),
    N_("The server refused a message because the mail app did not sign in before sending it."),
    N_("In the app’s outgoing (SMTP) server settings, turn authentication on and choose "
       "OAuth 2.0."),
    NULL },
  { MEND_LOG_FINDING_SEND_AS_DENIED, "send-as-denied", MEND_SEVERITY_ERROR,
    N_("The sender address does not belong to this account"),
    N_("The server refused a message whose sender (From) address is not the address of the "
       "mailbox that signed in."),
    N_("Send from the mailbox’s own address, or ask your administrator for permission to send "
       "as the other address."),
    NULL },
  { MEND_LOG_FINDING_TLS_FAILURE, "tls-failure", MEND_SEVERITY_ERROR,
    N_("The secure connection failed"),
    N_("The mail app could not set up an encrypted connection with the server: the server’s "
       "certificate was not trusted or did not match its name, or something between them "
       "interfered, such as antivirus software, a company proxy or a wrong port."),
    N_("Check the servers and ports (IMAP outlook.office365.com, port 993; SMTP "
       "smtp.office365.com, port 587 with STARTTLS), the computer’s date and time, and any "
       "antivirus or proxy that inspects encrypted connections."),
    NULL },
  { MEND_LOG_FINDING_NETWORK_UNREACHABLE, "network-unreachable", MEND_SEVERITY_WARNING,
    N_("The server could not be reached"),
    N_("The mail app could not find or connect to the server: the name did not resolve, the "
       "connection was refused, or the network was down."),
    N_("Check the internet connection and the server name. A VPN, a firewall or the sign-in page "
       "of a public Wi-Fi network can block mail connections."),
    NULL },
  { MEND_LOG_FINDING_EMPTY, "log-empty", MEND_SEVERITY_INFO,
    N_("The log is empty"),
    N_("There is nothing to analyse."),
    N_("Turn on the mail app’s logging, let the problem happen once more, then analyse the new "
       "log."),
    NULL },
  { MEND_LOG_FINDING_NOT_TEXT, "log-not-text", MEND_SEVERITY_INFO,
    N_("This does not look like a text log"),
    N_("Most of the file is not text: it is probably not a mail app’s log, or it is "
       "compressed."),
    N_("Choose the log file itself, and decompress it first if its name ends in .gz, .xz or "
       ".zip."),
    NULL },
};

G_STATIC_ASSERT (G_N_ELEMENTS (findings) == MEND_LOG_FINDING_NOT_TEXT + 1);

/**
 * mend_log_finding_kind_to_id:
 * @kind: a #MendLogFindingKind
 *
 * Returns: the stable finding id, such as “token-rejected”
 */
const char *
mend_log_finding_kind_to_id (MendLogFindingKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (findings), NULL);

  return findings[kind].id;
}

/**
 * mend_log_finding_new:
 * @kind: what the log shows
 *
 * Returns: (transfer full): the finding, without details
 */
MendFinding *
mend_log_finding_new (MendLogFindingKind kind)
{
  MendFinding *finding;

  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (findings), NULL);

  finding = mend_finding_new (findings[kind].id, findings[kind].severity,
                              _(findings[kind].title), _(findings[kind].explanation),
                              _(findings[kind].remedy));
  if (findings[kind].link != NULL)
    mend_finding_set_link (finding, findings[kind].link);

  return finding;
}

/**
 * mend_log_finding_no_known_problem:
 * @format_name: (nullable): the client whose log it is, such as “Thunderbird”,
 *   or %NULL when the format was not recognised
 * @n_lines: how many lines were read
 *
 * Returns: (transfer full): the `log-no-known-problem` finding
 */
MendFinding *
mend_log_finding_no_known_problem (const char *format_name,
                                   guint64     n_lines)
{
  g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT, n_lines);
  g_autofree char *explanation = NULL;
  gulong plural = (gulong) MIN (n_lines, G_MAXULONG);

  if (format_name != NULL)
    /* Translators: the first %s is a number of lines, the second the kind
     * of log, such as “Thunderbird (MOZ_LOG)”. */
    explanation = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Mailmend read %s line of this %s log and found "
                                                "none of the errors it knows.",
                                                "Mailmend read %s lines of this %s log and found "
                                                "none of the errors it knows.",
                                                plural),
                                   count, format_name);
  else
    /* Translators: %s is a number of lines. */
    explanation = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                "Mailmend read %s line and found none of the "
                                                "errors it knows.",
                                                "Mailmend read %s lines and found none of the "
                                                "errors it knows.",
                                                plural),
                                   count);

  return mend_finding_new ("log-no-known-problem", MEND_SEVERITY_INFO,
                           _("No known problem in this log"), explanation,
                           _("If mail still fails, turn on the mail app’s detailed logging, let "
                             "the problem happen once more, and analyse the new log. Mailmend’s "
                             "Verify step also tests the sign-in directly."));
}

/**
 * mend_log_finding_truncated:
 * @n_bytes: how much of the log was read
 *
 * Returns: (transfer full): the `log-truncated` finding
 */
MendFinding *
mend_log_finding_truncated (guint64 n_bytes)
{
  g_autofree char *size = g_format_size (n_bytes);
  g_autofree char *explanation = NULL;

  /* Translators: %s is a size, such as “268.4 MB”. */
  explanation = g_strdup_printf (_("The log is very large: Mailmend read its first %s only."),
                                 size);

  return mend_finding_new ("log-truncated", MEND_SEVERITY_INFO,
                           _("Only the beginning of the log was read"), explanation,
                           _("Problems further on in the file were not looked for. Keep only "
                             "the part of the log from when the problem happened, and analyse "
                             "it again."));
}
