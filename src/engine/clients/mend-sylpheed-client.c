/* mend-sylpheed-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sylpheed keeps every account in ~/.sylpheed-2.0/accountrc, one
 * `[Account: N]` section each (shared/reference/clients.md §7; key names
 * from sylpheed libsylph/prefs_account.c, numbers from libsylph/imap.h,
 * pop.h and smtp.h).
 *
 * OAuth 2.0 exists only in the 3.8.0 development releases. Sylpheed writes
 * no version of itself into its configuration, so the version stays
 * unknown, and neither `client-too-old` nor `no-oauth-path` is reported:
 * from the files alone the stable 3.7 (no OAuth) cannot be told apart from
 * 3.8, and claiming either would be a guess. The accountrc also holds
 * plain-text passwords (`password`, `smtp_password`): they are never read
 * here.
 */

#define G_LOG_DOMAIN "mend-sylpheed-client"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mend-accountrc.h"
#include "mend-scan-findings.h"
#include "mend-sylpheed-client.h"
#include "mend-token-command.h"

#define CLIENT_ID   "sylpheed"
#define CLIENT_NAME "Sylpheed"

#define SECTION_PREFIX "Account: "

/* RecvProtocol (libsylph/prefs_account.h) */
enum
{
  SYLPHEED_POP3  = 0,
  SYLPHEED_APOP  = 1,
  SYLPHEED_RPOP  = 2,
  SYLPHEED_IMAP4 = 3,
};

/* SSLType */
enum
{
  SYLPHEED_SSL_NONE     = 0,
  SYLPHEED_SSL_TUNNEL   = 1,
  SYLPHEED_SSL_STARTTLS = 2,
};

/* IMAPAuthType, Pop3AuthType (0 is USER/PASS or APOP), SMTPAuthType. */
enum
{
  SYLPHEED_IMAP_AUTH_OAUTH2 = 1 << 3,
  SYLPHEED_POP3_AUTH_OAUTH2 = 1 << 3,
  SYLPHEED_SMTP_AUTH_OAUTH2 = 1 << 4,
};

struct _MendSylpheedClient
{
  GObject parent_instance;
};

static void mend_sylpheed_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendSylpheedClient, mend_sylpheed_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_sylpheed_client_iface_init))

static MendSecurity
get_security (MendAccountrc *rc,
              const char    *section,
              const char    *key)
{
  switch (mend_accountrc_get_int_or (rc, section, key, SYLPHEED_SSL_NONE))
    {
    case SYLPHEED_SSL_TUNNEL:
      return MEND_SECURITY_TLS;
    case SYLPHEED_SSL_STARTTLS:
      return MEND_SECURITY_STARTTLS;
    default:
      return MEND_SECURITY_NONE;
    }
}

/* The configured port counts only when set_<x>port is on; otherwise the
 * well-known one for the SSL mode (25, not 587, for SMTP). */
static guint
get_port (MendAccountrc *rc,
          const char    *section,
          const char    *protocol,
          MendSecurity   security,
          guint          plain_port,
          guint          tls_port)
{
  g_autofree char *set_key = g_strdup_printf ("set_%sport", protocol);
  g_autofree char *port_key = g_strdup_printf ("%s_port", protocol);
  gint64 port;

  if (mend_accountrc_get_boolean (rc, section, set_key, FALSE) &&
      mend_accountrc_get_int (rc, section, port_key, &port) &&
      port > 0 && port <= G_MAXUINT16)
    return (guint) port;

  return security == MEND_SECURITY_TLS ? tls_port : plain_port;
}

static void
add_account (MendScanContext *context,
             MendAccount     *account,
             gboolean         running)
{
  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running (CLIENT_NAME);

      mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

static void
scan_account (MendScanContext *context,
              MendAccountrc   *rc,
              const char      *source,
              const char      *section,
              gboolean         running)
{
  const char *address = mend_accountrc_get_nonempty (rc, section, "address");
  const char *user = mend_accountrc_get_nonempty (rc, section, "user_id");
  const char *host = mend_accountrc_get_nonempty (rc, section, "receive_server");
  gint64 protocol = mend_accountrc_get_int_or (rc, section, "protocol", SYLPHEED_POP3);
  gboolean pop3 = protocol == SYLPHEED_POP3 || protocol == SYLPHEED_APOP ||
                  protocol == SYLPHEED_RPOP;
  gboolean imap = protocol == SYLPHEED_IMAP4;

  /* NNTP and local accounts receive nothing from a mail server. */
  if ((pop3 || imap) && host != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%s/%s", section, imap ? "imap" : "pop3");
      g_autoptr(MendAccount) account = NULL;
      MendSecurity security;
      gint64 method;

      account = mend_account_new (CLIENT_ID, source, key,
                                  imap ? MEND_PROTOCOL_IMAP : MEND_PROTOCOL_POP3);
      security = get_security (rc, section, imap ? "ssl_imap" : "ssl_pop");
      method = mend_accountrc_get_int_or (rc, section, imap ? "imap_auth_method" : "pop_auth_method", 0);
      mend_account_set_address (account, address);
      mend_account_set_username (account, user);
      mend_account_set_host (account, host);
      mend_account_set_security (account, security);
      mend_account_set_port (account, imap ? get_port (rc, section, "imap", security, 143, 993)
                                           : get_port (rc, section, "pop", security, 110, 995));
      /* The same bit, 8, means OAuth 2.0 for IMAP and POP3. */
      mend_account_set_auth (account, (method & SYLPHEED_IMAP_AUTH_OAUTH2) ? MEND_AUTH_OAUTH2
                                                                         : MEND_AUTH_PASSWORD);
      add_account (context, account, running);
    }

  host = mend_accountrc_get_nonempty (rc, section, "smtp_server");
  if (host != NULL)
    {
      g_autofree char *key = g_strdup_printf ("%s/smtp", section);
      g_autoptr(MendAccount) account = NULL;
      MendSecurity security = get_security (rc, section, "ssl_smtp");

      account = mend_account_new (CLIENT_ID, source, key, MEND_PROTOCOL_SMTP);
      mend_account_set_address (account, address);
      mend_account_set_host (account, host);
      mend_account_set_security (account, security);
      mend_account_set_port (account, get_port (rc, section, "smtp", security, 25, 465));

      if (mend_accountrc_get_boolean (rc, section, "use_smtp_auth", FALSE))
        {
          const char *smtp_user = mend_accountrc_get_nonempty (rc, section, "smtp_user_id");
          gint64 method = mend_accountrc_get_int_or (rc, section, "smtp_auth_method", 0);

          /* An empty SMTP user means “the same as for receiving”. */
          mend_account_set_username (account, smtp_user != NULL ? smtp_user : user);
          mend_account_set_auth (account, (method & SYLPHEED_SMTP_AUTH_OAUTH2) ? MEND_AUTH_OAUTH2
                                                                             : MEND_AUTH_PASSWORD);
        }
      else
        {
          mend_account_set_auth (account, MEND_AUTH_NONE);
        }

      add_account (context, account, running);
    }
}

static void
mend_sylpheed_client_scan (MendClient      *client,
                           MendScanContext *context)
{
  static const char * const process_names[] = { "sylpheed", NULL };
  g_autofree char *path = NULL;
  g_autoptr(MendAccountrc) accountrc = NULL;
  gboolean running;

  G_STATIC_ASSERT (SYLPHEED_IMAP_AUTH_OAUTH2 == SYLPHEED_POP3_AUTH_OAUTH2);

  path = mend_scan_context_expand_path (context, "~/.sylpheed-2.0/accountrc", NULL);
  accountrc = mend_accountrc_load (context, path);
  if (accountrc == NULL)
    return;

  running = mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < mend_accountrc_get_n_sections (accountrc); i++)
    {
      const char *section = mend_accountrc_get_section (accountrc, i);

      if (g_str_has_prefix (section, SECTION_PREFIX))
        scan_account (context, accountrc, path, section, running);
    }
}

static const char *
mend_sylpheed_client_get_id (MendClient *client)
{
  return CLIENT_ID;
}

static const char *
mend_sylpheed_client_get_name (MendClient *client)
{
  return CLIENT_NAME;
}

static const char *
mend_sylpheed_client_get_icon_name (MendClient *client)
{
  return "sylpheed";
}

/* Repairs. Sylpheed 3.8 signs in with OAuth 2.0 by running `syl-auth-helper USER` from PATH
 * and taking the first line it prints as the access token (libsylph/oauth2.c); the accountrc
 * only says which servers use it. The stored passwords are left as they are: whether 3.8 asks
 * for a password when one is empty, even with OAuth 2.0, could not be checked. */

static gboolean
switched_to_oauth2 (const char   *contents,
                    gsize         length,
                    const char   *section,
                    MendProtocol  protocol)
{
  g_autoptr(MendAccountrc) rc = mend_accountrc_parse (contents, length, NULL);

  if (rc == NULL)
    return FALSE;

  if (protocol == MEND_PROTOCOL_SMTP)
    return mend_accountrc_get_boolean (rc, section, "use_smtp_auth", FALSE) &&
           mend_accountrc_get_int_or (rc, section, "smtp_auth_method", 0) ==
             SYLPHEED_SMTP_AUTH_OAUTH2;

  if (protocol == MEND_PROTOCOL_POP3)
    return mend_accountrc_get_int_or (rc, section, "pop_auth_method", 0) ==
             SYLPHEED_POP3_AUTH_OAUTH2 &&
           !mend_accountrc_get_boolean (rc, section, "use_apop_auth", FALSE);

  return mend_accountrc_get_int_or (rc, section, "imap_auth_method", 0) ==
           SYLPHEED_IMAP_AUTH_OAUTH2;
}

static char *
set_value (char       *contents,
           const char *section,
           const char *key,
           const char *value)
{
  char *edited = mend_accountrc_set_value (contents, strlen (contents), section, key, value);

  g_free (contents);

  return edited;
}

static char *
switch_server (const char   *contents,
               const char   *section,
               MendProtocol  protocol)
{
  char *edited = g_strdup (contents);
  g_autofree char *number = NULL;

  switch (protocol)
    {
    case MEND_PROTOCOL_SMTP:
      edited = set_value (edited, section, "use_smtp_auth", "1");
      number = g_strdup_printf ("%d", SYLPHEED_SMTP_AUTH_OAUTH2);
      return set_value (edited, section, "smtp_auth_method", number);

    case MEND_PROTOCOL_POP3:
      /* APOP would come first. */
      {
        g_autoptr(MendAccountrc) rc = mend_accountrc_parse (edited, strlen (edited), NULL);

        if (rc != NULL && mend_accountrc_get_boolean (rc, section, "use_apop_auth", FALSE))
          edited = set_value (edited, section, "use_apop_auth", "0");
      }
      number = g_strdup_printf ("%d", SYLPHEED_POP3_AUTH_OAUTH2);
      return set_value (edited, section, "pop_auth_method", number);

    case MEND_PROTOCOL_IMAP:
    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
    default:
      number = g_strdup_printf ("%d", SYLPHEED_IMAP_AUTH_OAUTH2);
      return set_value (edited, section, "imap_auth_method", number);
    }
}

/* `exec PROGRAM token "$1"`, the whole helper, for the note that asks to install it. */
static char *
helper_command (MendRepairContext *context)
{
  const char * const *program = mend_repair_context_get_token_program (context);
  g_autoptr(GString) command = g_string_new ("exec");

  for (guint i = 0; program[i] != NULL; i++)
    {
      g_autofree char *quoted = NULL;

      if (strpbrk (program[i], " \t\n'\"\\$`;&|<>()*?[]#~!{}") != NULL)
        quoted = g_shell_quote (program[i]);
      g_string_append_printf (command, " %s", quoted != NULL ? quoted : program[i]);
    }
  g_string_append (command, " token \"$1\"");

  return g_string_free (g_steal_pointer (&command), FALSE);
}

static void
add_notes (MendRepairContext *context,
           MendRepairPlan    *plan,
           GPtrArray         *accounts)
{
  g_autofree char *helper = g_find_program_in_path ("syl-auth-helper");

  mend_repair_plan_add_note (plan, _("This needs Sylpheed 3.8 or later: earlier versions cannot "
                                     "sign in to Microsoft with OAuth 2.0."));

  /* A plan edits files that exist; the helper is a new one, so the user writes it. */
  if (helper == NULL)
    {
      g_autofree char *command = helper_command (context);
      g_autofree char *note = NULL;

      /* Translators: the last line is a shell command, which stays as it is. */
      note = g_strdup_printf (_("Sylpheed gets its sign-in token from a program named "
                                "syl-auth-helper, which is not installed. Create the file "
                                "~/.local/bin/syl-auth-helper with these two lines, then make "
                                "it executable (chmod +x ~/.local/bin/syl-auth-helper):\n"
                                "#!/bin/sh\n%s"), command);
      mend_repair_plan_add_note (plan, note);
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (mend_account_get_protocol (account) == MEND_PROTOCOL_POP3)
        {
          g_autofree char *pop = NULL;

          /* Translators: %s is an e-mail address; the command stays in English. */
          pop = g_strdup_printf (_("Reading mail over POP needs a sign-in that allows POP: if "
                                   "yours does not, run “mailmend signin %s --pop”."),
                                 mend_token_command_get_login (plan, account));
          mend_repair_plan_add_note (plan, pop);
        }
    }
}

static void
mend_sylpheed_client_plan_repair (MendClient        *client,
                                  MendRepairContext *context,
                                  MendRepairPlan    *plan)
{
  g_autoptr(GPtrArray) accounts = mend_token_command_get_accounts (plan);

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      const char *path = mend_account_get_source (account);
      const char *login = mend_token_command_get_login (plan, account);
      const char *key = mend_account_get_key (account);
      MendProtocol protocol = mend_account_get_protocol (account);
      g_autofree char *section = g_strndup (key, strrchr (key, '/') - key);
      g_autofree char *contents = NULL;
      g_autofree char *repaired = NULL;

      if (!mend_token_command_check_signed_in (context, plan, login) ||
          !mend_token_command_read (plan, path, &contents, NULL))
        continue;

      repaired = switch_server (contents, section, protocol);
      if (!switched_to_oauth2 (repaired, strlen (repaired), section, protocol))
        {
          g_autoptr(MendFinding) finding = NULL;
          g_autofree char *settings = NULL;

          /* Translators: %s is a section such as “Account: 1”; the settings stay in English. */
          settings = g_strdup_printf (_("In [%s], set imap_auth_method=8 (IMAP), "
                                        "pop_auth_method=8 (POP) or use_smtp_auth=1 and "
                                        "smtp_auth_method=16 (SMTP)."), section);
          finding = mend_token_command_finding_manual_edit (path, settings);
          mend_repair_plan_add_finding (plan, finding);
          continue;
        }

      mend_repair_plan_write_file (plan, path, repaired, -1);
    }

  if (accounts->len == 0)
    return;

  /* Sylpheed writes its accountrc back when it quits. */
  mend_repair_plan_set_must_close (plan, TRUE);
  add_notes (context, plan, accounts);
}

static void
mend_sylpheed_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_sylpheed_client_get_id;
  iface->get_name = mend_sylpheed_client_get_name;
  iface->get_icon_name = mend_sylpheed_client_get_icon_name;
  iface->scan = mend_sylpheed_client_scan;
  iface->plan_repair = mend_sylpheed_client_plan_repair;
}

static void
mend_sylpheed_client_class_init (MendSylpheedClientClass *klass)
{
}

static void
mend_sylpheed_client_init (MendSylpheedClient *self)
{
}
