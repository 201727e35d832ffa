/* mend-probe-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a mail server's refusal means, and what to do about it: the classification of server
 * replies (shared/reference/microsoft.md §3.4) and the findings of the sign-in checks. Ids
 * are stable; texts are translated.
 */

#define G_LOG_DOMAIN "mend-probe-error"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "mend-probe-error.h"
#include "mend-server-address.h"

G_DEFINE_QUARK (mend-probe-error-quark, mend_probe_error)

#define SMTP_AUTH_DISABLED_LINK "https://aka.ms/smtp_auth_disabled"

typedef struct
{
  MendProbeError  code;
  const char     *id;
  MendSeverity    severity;
  const char     *title;
  const char     *explanation;
  const char     *remedy;
} Entry;

/* The findings whose words do not depend on the protocol or the kind of account. */
static const Entry entries[] = {
  { MEND_PROBE_ERROR_NETWORK_UNREACHABLE, "network-unreachable", MEND_SEVERITY_ERROR,
    N_("Cannot reach the server"),
    N_("Mailmend could not connect to the server: its name was not found, the connection was "
       "refused, or nothing answered."),
    N_("Check the internet connection, and the server’s name and port. A firewall, or a network "
       "that blocks mail ports (some public Wi-Fi does), can cause this.") },
  { MEND_PROBE_ERROR_TLS_FAILURE, "tls-failure", MEND_SEVERITY_ERROR,
    N_("The secure connection failed"),
    N_("The server’s certificate could not be verified, or the encrypted connection could not be "
       "set up. Mailmend never sends a sign-in over a connection it cannot trust."),
    N_("Check the server’s name (the certificate must match it) and this computer’s date and "
       "time. On a network that inspects encrypted traffic (a company proxy, some antivirus "
       "programs), ask its administrator.") },
  { MEND_PROBE_ERROR_NO_TLS_OFFERED, "no-tls-offered", MEND_SEVERITY_ERROR,
    N_("The server offers no encryption"),
    N_("The server does not offer to encrypt the connection (STARTTLS), so the sign-in would "
       "travel in clear text. Mailmend refuses to send it."),
    N_("Use the server’s encrypted port (993 for IMAP, 995 for POP, 587 with STARTTLS for "
       "sending), and check the server’s name.") },
  { MEND_PROBE_ERROR_TIMEOUT, "server-timeout", MEND_SEVERITY_ERROR,
    N_("The server did not answer in time"),
    N_("The server stopped answering during the check."),
    N_("Check again in a few minutes. If it keeps happening, check the network: a firewall can "
       "silently drop mail traffic.") },
  { MEND_PROBE_ERROR_PROTOCOL, "protocol-error", MEND_SEVERITY_ERROR,
    N_("The server’s answer makes no sense"),
    N_("The server answered with something Mailmend did not expect, or closed the connection in "
       "the middle of the conversation."),
    N_("Check that the address and port are those of the right kind of server (IMAP, SMTP or "
       "POP). If they are, check again later; the details show what the server said.") },
  { MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED, "xoauth2-not-offered", MEND_SEVERITY_ERROR,
    N_("The server does not offer OAuth 2.0 sign-in"),
    N_("The server does not list XOAUTH2, the sign-in method of Microsoft’s mail servers, so it "
       "cannot accept a Microsoft sign-in."),
    N_("Check the server’s name and port. Microsoft’s servers are outlook.office365.com (IMAP on "
       "port 993, POP on port 995) and smtp.office365.com (sending, port 587).") },
  { MEND_PROBE_ERROR_TOKEN_REJECTED, "token-rejected", MEND_SEVERITY_ERROR,
    N_("The server refused the sign-in"),
    N_("The server did not accept Mailmend’s access token. The sign-in may have been revoked "
       "(after a password change, for example), belong to another account than this address, "
       "or not include access to this mailbox."),
    N_("Sign in again with the account that owns this mailbox. If receiving still fails while "
       "sending works, IMAP or POP access is turned off for the mailbox.") },
  { MEND_PROBE_ERROR_BASIC_AUTH_REJECTED, "basic-auth-rejected", MEND_SEVERITY_ERROR,
    N_("The server refused a password sign-in"),
    N_("Microsoft no longer accepts passwords or app passwords from mail apps: only OAuth 2.0 "
       "sign-in works."),
    N_("Switch the mail app to OAuth 2.0: the Repair step does it.") },
  { MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED, "mailbox-not-connected", MEND_SEVERITY_ERROR,
    N_("Signed in, but the mailbox could not be opened"),
    N_("The server accepted the sign-in, then said “User is authenticated but not connected”. "
       "The account that signed in cannot open this mailbox (another account, or a shared "
       "mailbox it has no access to), or Microsoft is briefly blocking it after many "
       "connections."),
    N_("Sign in again with the account that owns this mailbox. If it was the right one, wait a "
       "few minutes and check again.") },
  { MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS, "too-many-connections", MEND_SEVERITY_ERROR,
    N_("Too many connections to this mailbox"),
    N_("The server refused one more connection: the mailbox already has as many open "
       "connections as the server allows (about 15 to 20 for Microsoft), usually from mail apps "
       "on several devices."),
    N_("Close some mail apps, or make them sync fewer folders and check for mail less often, "
       "then wait a few minutes and check again.") },
  { MEND_PROBE_ERROR_SERVER_UNAVAILABLE, "server-unavailable", MEND_SEVERITY_WARNING,
    N_("The server is busy or unavailable"),
    N_("The server asked to try again later."),
    N_("Wait a few minutes and check again. If it lasts, look at Microsoft’s service status.") },
};

/* Case-insensitive strstr() for ASCII patterns. */
static gboolean
contains (const char *haystack,
          const char *needle)
{
  gsize length = strlen (needle);

  if (haystack == NULL)
    return FALSE;

  for (const char *p = haystack; *p != '\0'; p++)
    {
      if (g_ascii_strncasecmp (p, needle, length) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
contains_any (const char         *haystack,
              const char * const *needles)
{
  for (guint i = 0; needles[i] != NULL; i++)
    {
      if (contains (haystack, needles[i]))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_status_code (const MendMailReply *reply,
                 const char          *code)
{
  g_autofree char *first = NULL;

  if (reply->status_code == NULL)
    return FALSE;

  /* IMAP's “[CODE more words]”: the code is the first word. */
  first = g_strndup (reply->status_code, strcspn (reply->status_code, " "));

  return g_ascii_strcasecmp (first, code) == 0;
}

/**
 * mend_probe_classify_reply:
 * @reply: a server's refusal
 * @fallback: what the refusal means when nothing in it says more, such as
 *   %MEND_PROBE_ERROR_TOKEN_REJECTED for the answer to the sign-in
 *
 * Reads what Microsoft's (and Dovecot's) servers say when they refuse: SMTP AUTH turned off
 * for the tenant (5.7.139), password sign-in refused, “User is authenticated but not
 * connected”, connection limits, temporary failures (SMTP 4xx, IMAP [UNAVAILABLE], POP
 * [SYS/TEMP]), an unknown sign-in method (504 5.7.4), a refused token.
 *
 * Returns: the error code that fits @reply
 */
MendProbeError
mend_probe_classify_reply (const MendMailReply *reply,
                           MendProbeError       fallback)
{
  static const char * const smtp_auth_disabled[] = {
    "SmtpClientAuthentication is disabled", "smtp_auth_disabled", NULL,
  };
  static const char * const basic_auth[] = {
    "basic authentication is disabled", "basic authentication is not supported",
    "LOGIN failed", "Logon failure", NULL,
  };
  static const char * const too_many[] = {
    "too many", "maximum number of", "simultaneous connections", "connection limit", NULL,
  };
  static const char * const not_offered[] = {
    "Unrecognized authentication type", "mechanism not supported",
    "unsupported authentication mechanism", NULL,
  };
  static const char * const temporary[] = {
    "temporary", "try again later", "temporarily", NULL,
  };
  static const char * const token[] = {
    "AUTHENTICATE failed", "Authentication failed", "Authentication unsuccessful",
    "Authentication failure", NULL,
  };
  const char *text;

  g_return_val_if_fail (reply != NULL, fallback);

  text = reply->raw;

  if (contains_any (text, smtp_auth_disabled))
    return MEND_PROBE_ERROR_SMTP_AUTH_DISABLED;

  if (contains_any (text, basic_auth) || has_status_code (reply, "5.7.30"))
    return MEND_PROBE_ERROR_BASIC_AUTH_REJECTED;

  if (contains (text, "authenticated but not connected"))
    return MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED;

  if (contains_any (text, too_many) || has_status_code (reply, "IN-USE"))
    return MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS;

  if (contains_any (text, not_offered) || reply->code == 504 || has_status_code (reply, "5.7.4"))
    return MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED;

  if ((reply->code >= 400 && reply->code < 500) ||
      has_status_code (reply, "UNAVAILABLE") || has_status_code (reply, "SYS/TEMP") ||
      contains_any (text, temporary))
    return MEND_PROBE_ERROR_SERVER_UNAVAILABLE;

  if (contains_any (text, token) || reply->code == 535 ||
      has_status_code (reply, "AUTHENTICATIONFAILED") ||
      has_status_code (reply, "AUTHORIZATIONFAILED") || has_status_code (reply, "AUTH"))
    return MEND_PROBE_ERROR_TOKEN_REJECTED;

  return fallback;
}

/**
 * mend_probe_error_get_finding_id:
 * @protocol: the protocol checked (access refusals and missing scopes depend on it)
 *
 * Returns: (nullable): the id of @code's finding, %NULL for
 *   %MEND_PROBE_ERROR_INVALID_ADDRESS
 */
const char *
mend_probe_error_get_finding_id (MendProbeError code,
                                 MendProtocol   protocol)
{
  switch (code)
    {
    case MEND_PROBE_ERROR_INVALID_ADDRESS:
      return NULL;
    case MEND_PROBE_ERROR_ACCESS_REFUSED:
      return protocol == MEND_PROTOCOL_POP3 ? "pop-access-refused" : "imap-access-refused";
    case MEND_PROBE_ERROR_SCOPE_MISSING:
      return "scope-missing";
    case MEND_PROBE_ERROR_SMTP_AUTH_DISABLED:
      return "smtp-auth-disabled";
    case MEND_PROBE_ERROR_NETWORK_UNREACHABLE:
    case MEND_PROBE_ERROR_TLS_FAILURE:
    case MEND_PROBE_ERROR_NO_TLS_OFFERED:
    case MEND_PROBE_ERROR_TIMEOUT:
    case MEND_PROBE_ERROR_PROTOCOL:
    case MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED:
    case MEND_PROBE_ERROR_TOKEN_REJECTED:
    case MEND_PROBE_ERROR_BASIC_AUTH_REJECTED:
    case MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED:
    case MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS:
    case MEND_PROBE_ERROR_SERVER_UNAVAILABLE:
    default:
      for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
        {
          if (entries[i].code == code)
            return entries[i].id;
        }
      g_return_val_if_reached (NULL);
    }
}

static MendFinding *
access_refused_finding_new (MendProtocol    protocol,
                            MendTenantType  tenant_type,
                            const char     *address)
{
  gboolean pop = protocol == MEND_PROTOCOL_POP3;
  const char *consumer;
  g_autofree char *organization = NULL;
  g_autofree char *remedy = NULL;

  consumer = pop ? _("On Outlook.com, open Settings → Mail → Forwarding and IMAP, turn on “Let "
                     "devices and apps use POP”, save, and check again.")
                 : _("On Outlook.com, open Settings → Mail → Forwarding and IMAP, turn on “Let "
                     "devices and apps use IMAP”, save, and check again.");
  organization = g_strdup_printf (pop
                                  /* Translators: %s is the mailbox's e-mail address. */
                                  ? _("Ask the Microsoft 365 administrator to turn POP on for "
                                      "this mailbox: in the Microsoft 365 admin center, Users → "
                                      "Active users → the user → Mail → Manage email apps → POP; "
                                      "or in PowerShell, Set-CASMailbox -Identity %s "
                                      "-PopEnabled $true.")
                                  /* Translators: %s is the mailbox's e-mail address. */
                                  : _("Ask the Microsoft 365 administrator to turn IMAP on for "
                                      "this mailbox: in the Microsoft 365 admin center, Users → "
                                      "Active users → the user → Mail → Manage email apps → IMAP; "
                                      "or in PowerShell, Set-CASMailbox -Identity %s "
                                      "-ImapEnabled $true."),
                                  address);

  switch (tenant_type)
    {
    case MEND_TENANT_TYPE_CONSUMER:
      remedy = g_strdup (consumer);
      break;
    case MEND_TENANT_TYPE_ORGANIZATION:
      remedy = g_steal_pointer (&organization);
      break;
    case MEND_TENANT_TYPE_UNKNOWN:
    default:
      /* Translators: two remedies, the first for a personal account, the second for a work
       * or school account. */
      remedy = g_strdup_printf (_("Personal account: %s Work or school account: %s"),
                                consumer, organization);
      break;
    }

  if (pop)
    return mend_finding_new ("pop-access-refused", MEND_SEVERITY_ERROR,
                             _("POP is turned off for this mailbox"),
                             _("The same sign-in works for sending, but the POP server refused "
                               "it: POP access is turned off for this mailbox."),
                             remedy);

  return mend_finding_new ("imap-access-refused", MEND_SEVERITY_ERROR,
                           _("IMAP is turned off for this mailbox"),
                           _("The same sign-in works for sending, but the IMAP server refused "
                             "it: IMAP access is turned off for this mailbox."),
                           remedy);
}

static MendFinding *
smtp_auth_disabled_finding_new (MendTenantType  tenant_type,
                                const char     *address)
{
  MendFinding *finding;
  g_autofree char *remedy = NULL;

  if (tenant_type == MEND_TENANT_TYPE_CONSUMER)
    remedy = g_strdup (_("A personal Outlook.com or Hotmail account has no administrator who "
                         "could turn it on: Microsoft decides. Send from Outlook on the web for "
                         "now, and ask Microsoft’s support to allow sending from mail apps."));
  else
    /* Translators: %s is the mailbox's e-mail address. */
    remedy = g_strdup_printf (_("Ask the Microsoft 365 administrator to turn on “Authenticated "
                                "SMTP” for this mailbox: in the Microsoft 365 admin center, "
                                "Users → Active users → the user → Mail → Manage email apps; or "
                                "in PowerShell, Set-CASMailbox -Identity %s "
                                "-SmtpClientAuthenticationDisabled $false (and check that "
                                "Get-TransportConfig does not show "
                                "SmtpClientAuthenticationDisabled as True for the whole "
                                "organization)."), address);

  finding = mend_finding_new ("smtp-auth-disabled", MEND_SEVERITY_ERROR,
                              _("Sending from mail apps is turned off"),
                              _("Microsoft accepted the sign-in but refuses to let mail apps send: "
                                "authenticated SMTP (SMTP AUTH) is turned off for this mailbox "
                                "or for the whole organization."),
                              remedy);
  mend_finding_set_link (finding, SMTP_AUTH_DISABLED_LINK);

  return finding;
}

static MendFinding *
scope_missing_finding_new (MendProtocol  protocol,
                           const char   *address)
{
  const char *name = mend_protocol_get_display_name (protocol);
  g_autofree char *title = NULL;
  g_autofree char *explanation = NULL;
  g_autofree char *remedy = NULL;
  g_autofree char *command = g_strdup_printf ("mailmend signin --pop %s", address);

  /* Translators: %s is “IMAP”, “POP” or “SMTP”. */
  title = g_strdup_printf (_("The sign-in does not include %s access"), name);
  /* Translators: %s is “IMAP”, “POP” or “SMTP”. */
  explanation = g_strdup_printf (_("Mailmend signed in without asking for %s access, so the "
                                   "server refuses the access token."), name);
  if (protocol == MEND_PROTOCOL_POP3)
    /* Translators: %s is a command, such as “mailmend signin --pop alice@outlook.com”. */
    remedy = g_strdup_printf (_("Sign in again with POP access: run “%s”, or ask for POP in the "
                                "Sign in step."), command);
  else
    remedy = g_strdup (_("Sign in again."));

  return mend_finding_new ("scope-missing", MEND_SEVERITY_ERROR, title, explanation, remedy);
}

/**
 * mend_probe_finding_new:
 * @code: what went wrong; not %MEND_PROBE_ERROR_INVALID_ADDRESS
 * @protocol: the protocol checked
 * @tenant_type: the kind of account, for remedies that depend on it (who turns a setting on)
 * @address: the mailbox's address, for the commands a remedy gives
 * @details: (nullable): technical details for support staff: the server and its words
 *
 * Returns: (transfer full): the finding for @code
 */
MendFinding *
mend_probe_finding_new (MendProbeError  code,
                        MendProtocol    protocol,
                        MendTenantType  tenant_type,
                        const char     *address,
                        const char     *details)
{
  MendFinding *finding = NULL;

  g_return_val_if_fail (code != MEND_PROBE_ERROR_INVALID_ADDRESS, NULL);
  g_return_val_if_fail (address != NULL, NULL);

  switch (code)
    {
    case MEND_PROBE_ERROR_ACCESS_REFUSED:
      finding = access_refused_finding_new (protocol, tenant_type, address);
      break;
    case MEND_PROBE_ERROR_SMTP_AUTH_DISABLED:
      finding = smtp_auth_disabled_finding_new (tenant_type, address);
      break;
    case MEND_PROBE_ERROR_SCOPE_MISSING:
      finding = scope_missing_finding_new (protocol, address);
      break;
    case MEND_PROBE_ERROR_INVALID_ADDRESS:
    case MEND_PROBE_ERROR_NETWORK_UNREACHABLE:
    case MEND_PROBE_ERROR_TLS_FAILURE:
    case MEND_PROBE_ERROR_NO_TLS_OFFERED:
    case MEND_PROBE_ERROR_TIMEOUT:
    case MEND_PROBE_ERROR_PROTOCOL:
    case MEND_PROBE_ERROR_XOAUTH2_NOT_OFFERED:
    case MEND_PROBE_ERROR_TOKEN_REJECTED:
    case MEND_PROBE_ERROR_BASIC_AUTH_REJECTED:
    case MEND_PROBE_ERROR_MAILBOX_NOT_CONNECTED:
    case MEND_PROBE_ERROR_TOO_MANY_CONNECTIONS:
    case MEND_PROBE_ERROR_SERVER_UNAVAILABLE:
    default:
      for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
        {
          if (entries[i].code == code)
            finding = mend_finding_new (entries[i].id, entries[i].severity, _(entries[i].title),
                                        _(entries[i].explanation), _(entries[i].remedy));
        }
      break;
    }

  g_return_val_if_fail (finding != NULL, NULL);

  if (details != NULL && details[0] != '\0')
    mend_finding_set_details (finding, details);

  return finding;
}

/**
 * mend_probe_error_to_finding:
 * @error: an error of a probe; a cancellation has no finding
 * @protocol: the protocol checked
 * @tenant_type: the kind of account
 * @address: the mailbox's address
 *
 * Returns: (transfer full) (nullable): @error's finding, with its message as the details;
 *   %NULL for a cancellation or an invalid address
 */
MendFinding *
mend_probe_error_to_finding (const GError   *error,
                             MendProtocol    protocol,
                             MendTenantType  tenant_type,
                             const char     *address)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_INVALID_ADDRESS))
    return NULL;

  /* The connection wraps every failure in MEND_PROBE_ERROR; anything else is a surprise. */
  if (error->domain != MEND_PROBE_ERROR)
    return mend_probe_finding_new (MEND_PROBE_ERROR_PROTOCOL, protocol, tenant_type, address,
                                   error->message);

  return mend_probe_finding_new (error->code, protocol, tenant_type, address, error->message);
}
