/* mend-claws-mail-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Claws Mail keeps every account in ~/.claws-mail/accountrc, one
 * `[Account: N]` section each (shared/reference/clients.md §6; key names
 * from claws-mail src/prefs_account.c, numbers from src/imap.h,
 * src/common/smtp.h and src/prefs_migration.c).
 *
 * Claws writes no version of itself into its configuration, so the
 * version stays unknown and there is no `client-too-old` finding: OAuth 2.0
 * with Microsoft works from 4.1.0 (3.19.0 on the GTK 2 line).
 *
 * The repair sets the account's OAuth2 methods, its provider (Outlook for
 * personal addresses, Exchange for work ones) and the client id: Claws Mail
 * has no app registration of its own, so it signs in with Mailmend's. An
 * account that already has a provider and a client id keeps them: its
 * tokens belong to that id. The user then clicks “Authorise”; Claws Mail
 * asks for nothing by itself. The lines are edited in place.
 */

#define G_LOG_DOMAIN "mend-claws-mail-client"

#include "config.h"

#include <glib/gi18n.h>

#include "mend-accountrc.h"
#include "mend-claws-mail-client.h"
#include "mend-microsoft.h"
#include "mend-repair-findings.h"
#include "mend-scan-findings.h"

#define CLIENT_ID   "claws-mail"
#define CLIENT_NAME "Claws Mail"

#define SECTION_PREFIX "Account: "

/* RecvProtocol since config_version 1; older files number IMAP from 3. */
typedef enum
{
  RECV_POP3,
  RECV_IMAP,
  RECV_NNTP,
  RECV_LOCAL,
  RECV_NONE,
  RECV_UNKNOWN,
} RecvProtocol;

/* SSLType */
enum
{
  CLAWS_SSL_NONE     = 0,
  CLAWS_SSL_TUNNEL   = 1,
  CLAWS_SSL_STARTTLS = 2,
};

/* IMAPAuthType (src/imap.h); 0 is “automatic”. */
enum
{
  CLAWS_IMAP_AUTH_ANON   = 1 << 2,
  CLAWS_IMAP_AUTH_GSSAPI = 1 << 3,
  CLAWS_IMAP_AUTH_OAUTH2 = 1 << 8,
};

/* POPAuthType, with use_pop_auth (config_version 4 and later). */
enum
{
  CLAWS_POP_AUTH_OAUTH2 = 1 << 1,
};

/* SMTPAuthType (src/common/smtp.h), with use_smtp_auth. */
enum
{
  CLAWS_SMTP_AUTH_OAUTH2 = 1 << 5,
};

/* Oauth2Service (src/oauth2.h) */
enum
{
  CLAWS_OAUTH2_OUTLOOK  = 2,
  CLAWS_OAUTH2_EXCHANGE = 3,
  CLAWS_OAUTH2_GCC_HIGH = 4,
};

/* The config_version of Claws Mail 3.18 and 4.0, the first with OAuth 2.0. */
#define OAUTH_CONFIG_VERSION 4

struct _MendClawsMailClient
{
  GObject parent_instance;
};

static void mend_claws_mail_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendClawsMailClient, mend_claws_mail_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_claws_mail_client_iface_init))

static RecvProtocol
get_protocol (MendAccountrc *rc,
              const char    *section,
              gint64         config_version)
{
  gint64 protocol = mend_accountrc_get_int_or (rc, section, "protocol", 0);

  /* config_version 0 had APOP = 1 and RPOP = 2, and IMAP from 3 on;
   * Claws turns APOP into POP3 and moves the rest down by two. */
  if (config_version < 1)
    {
      if (protocol == 1)
        protocol = RECV_POP3;
      else if (protocol > 2)
        protocol -= 2;
    }

  if (protocol < RECV_POP3 || protocol > RECV_NONE)
    return RECV_UNKNOWN;

  return (RecvProtocol) protocol;
}

static MendSecurity
get_security (MendAccountrc *rc,
              const char    *section,
              const char    *key)
{
  switch (mend_accountrc_get_int_or (rc, section, key, CLAWS_SSL_NONE))
    {
    case CLAWS_SSL_TUNNEL:
      return MEND_SECURITY_TLS;
    case CLAWS_SSL_STARTTLS:
      return MEND_SECURITY_STARTTLS;
    default:
      return MEND_SECURITY_NONE;
    }
}

/* Claws uses the configured port only when set_<x>port is on; otherwise
 * the well-known one for the SSL mode (25, not 587, for SMTP). */
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

static MendAuth
get_receive_auth (MendAccountrc *rc,
                  const char    *section,
                  RecvProtocol   protocol,
                  gint64         config_version)
{
  if (protocol == RECV_IMAP)
    {
      gint64 method = mend_accountrc_get_int_or (rc, section, "imap_auth_method", 0);

      if (method & CLAWS_IMAP_AUTH_OAUTH2)
        return MEND_AUTH_OAUTH2;
      if (method & CLAWS_IMAP_AUTH_GSSAPI)
        return MEND_AUTH_OTHER;
      if (method == CLAWS_IMAP_AUTH_ANON)
        return MEND_AUTH_NONE;

      return MEND_AUTH_PASSWORD;
    }

  /* POP3: USER/PASS, APOP, or OAuth 2.0 (config_version 4, Claws 3.18/4.0). */
  if (config_version >= 4 &&
      mend_accountrc_get_boolean (rc, section, "use_pop_auth", FALSE) &&
      (mend_accountrc_get_int_or (rc, section, "pop_auth_method", 0) & CLAWS_POP_AUTH_OAUTH2))
    return MEND_AUTH_OAUTH2;

  return MEND_AUTH_PASSWORD;
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
              gint64           common_config_version,
              gboolean         running)
{
  RecvProtocol protocol;
  const char *address = mend_accountrc_get_nonempty (rc, section, "address");
  const char *user = mend_accountrc_get_nonempty (rc, section, "user_id");
  const char *host;
  gint64 config_version;

  config_version = mend_accountrc_get_int_or (rc, section, "config_version", -1);
  if (config_version < 0)
    config_version = common_config_version;

  protocol = get_protocol (rc, section, config_version);
  host = mend_accountrc_get_nonempty (rc, section, "receive_server");

  if ((protocol == RECV_POP3 || protocol == RECV_IMAP) && host != NULL)
    {
      gboolean imap = protocol == RECV_IMAP;
      g_autofree char *key = g_strdup_printf ("%s/%s", section, imap ? "imap" : "pop3");
      g_autoptr(MendAccount) account = NULL;
      MendSecurity security;

      account = mend_account_new (CLIENT_ID, source, key,
                                  imap ? MEND_PROTOCOL_IMAP : MEND_PROTOCOL_POP3);
      security = get_security (rc, section, imap ? "ssl_imap" : "ssl_pop");
      mend_account_set_address (account, address);
      mend_account_set_username (account, user);
      mend_account_set_host (account, host);
      mend_account_set_security (account, security);
      mend_account_set_port (account, imap ? get_port (rc, section, "imap", security, 143, 993)
                                           : get_port (rc, section, "pop", security, 110, 995));
      mend_account_set_auth (account, get_receive_auth (rc, section, protocol, config_version));
      add_account (context, account, running);
    }

  host = mend_accountrc_get_nonempty (rc, section, "smtp_server");

  /* An account that sends through a command (sendmail) has no SMTP server. */
  if (host != NULL && !mend_accountrc_get_boolean (rc, section, "use_mail_command", FALSE))
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

          /* An empty SMTP user means “the same as for receiving”. */
          mend_account_set_username (account, smtp_user != NULL ? smtp_user : user);
          mend_account_set_auth (account,
                                 (mend_accountrc_get_int_or (rc, section, "smtp_auth_method", 0) &
                                  CLAWS_SMTP_AUTH_OAUTH2) ? MEND_AUTH_OAUTH2
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
mend_claws_mail_client_scan (MendClient      *client,
                             MendScanContext *context)
{
  static const char * const process_names[] = { "claws-mail", NULL };
  g_autofree char *accountrc_path = NULL;
  g_autofree char *clawsrc_path = NULL;
  g_autoptr(MendAccountrc) accountrc = NULL;
  g_autoptr(MendAccountrc) clawsrc = NULL;
  gint64 common_config_version = 0;
  gboolean running;

  accountrc_path = mend_scan_context_expand_path (context, "~/.claws-mail/accountrc", NULL);
  accountrc = mend_accountrc_load (context, accountrc_path);
  if (accountrc == NULL)
    return;

  /* Accounts without their own config_version use clawsrc's, as Claws does. */
  clawsrc_path = mend_scan_context_expand_path (context, "~/.claws-mail/clawsrc", NULL);
  clawsrc = mend_accountrc_load (context, clawsrc_path);
  if (clawsrc != NULL)
    common_config_version = mend_accountrc_get_int_or (clawsrc, "Common", "config_version", 0);

  running = mend_scan_context_is_process_running (context, process_names);

  for (guint i = 0; i < mend_accountrc_get_n_sections (accountrc); i++)
    {
      const char *section = mend_accountrc_get_section (accountrc, i);

      if (g_str_has_prefix (section, SECTION_PREFIX))
        scan_account (context, accountrc, accountrc_path, section, common_config_version, running);
    }
}

static gint64
read_common_config_version (const char *accountrc_path)
{
  g_autofree char *dir = g_path_get_dirname (accountrc_path);
  g_autofree char *path = g_build_filename (dir, "clawsrc", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(MendAccountrc) clawsrc = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL) ||
      !(clawsrc = mend_accountrc_parse (contents, length, NULL)))
    return 0;

  return mend_accountrc_get_int_or (clawsrc, "Common", "config_version", 0);
}

/* Sets @key to @value in @section of @contents, replacing it. */
static void
set_value (char       **contents,
           const char  *section,
           const char  *key,
           const char  *value)
{
  char *edited = mend_accountrc_set_value (*contents, strlen (*contents), section, key, value);

  g_free (*contents);
  *contents = edited;
}

static void
set_int (char       **contents,
         const char  *section,
         const char  *key,
         gint64       value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  set_value (contents, section, key, text);
}

static void
mend_claws_mail_client_plan_repair (MendClient        *client,
                                    MendRepairContext *context,
                                    MendRepairPlan    *plan)
{
  GPtrArray *servers = mend_repair_plan_get_accounts (plan);
  const char *path = mend_account_get_source (g_ptr_array_index (servers, 0));
  g_autofree char *section = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(MendAccountrc) rc = NULL;
  g_autoptr(GError) error = NULL;
  const char *client_id;
  const char *key;
  gint64 config_version;
  gint64 provider;
  gboolean changed = FALSE;
  gsize length;

  if (!mend_repair_plan_read_file (plan, path, &contents, &length, &error) ||
      !(rc = mend_accountrc_parse (contents, length, &error)))
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_config_unreadable (path, error->message);

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  /* Every server of a plan is in one [Account: N]: its key is “Account: N/imap”. */
  key = mend_account_get_key (g_ptr_array_index (servers, 0));
  section = g_strndup (key, strcspn (key, "/"));

  /* A file last written by a Claws Mail without OAuth 2.0 would be read with
   * the older numbering. */
  config_version = mend_accountrc_get_int_or (rc, section, "config_version", -1);
  if (config_version < 0)
    config_version = read_common_config_version (path);

  for (guint i = 0; i < servers->len; i++)
    {
      MendAccount *server = g_ptr_array_index (servers, i);
      const char *host = mend_account_get_host (server);

      if (!mend_account_is_microsoft (server) ||
          mend_account_get_auth (server) != MEND_AUTH_PASSWORD)
        continue;

      if (config_version < OAUTH_CONFIG_VERSION)
        {
          g_autoptr(MendFinding) finding = NULL;

          finding = mend_scan_finding_no_oauth_path (
            _("These settings were last saved by a Claws Mail older than 3.18, which cannot "
              "sign in with OAuth 2.0."),
            _("Update Claws Mail to version 4.1 or later, open it once and close it, then "
              "repair again."));
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      if (mend_microsoft_classify_host (host) != MEND_MICROSOFT_CLOUD_GLOBAL)
        {
          g_autoptr(MendFinding) finding = NULL;
          g_autofree char *explanation = NULL;

          /* Translators: the first %s is a mail app, the second a server name. */
          explanation = g_strdup_printf (_("%s signs in to Microsoft’s worldwide cloud only, "
                                           "and %s belongs to a national cloud."),
                                         CLIENT_NAME, host);
          finding = mend_scan_finding_no_oauth_path (explanation,
                                                     _("Ask your administrator which mail app "
                                                       "to use with this cloud."));
          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      switch (mend_account_get_protocol (server))
        {
        case MEND_PROTOCOL_IMAP:
          set_int (&contents, section, "imap_auth_method", CLAWS_IMAP_AUTH_OAUTH2);
          break;
        case MEND_PROTOCOL_POP3:
          set_value (&contents, section, "use_pop_auth", "1");
          set_int (&contents, section, "pop_auth_method", CLAWS_POP_AUTH_OAUTH2);
          break;
        case MEND_PROTOCOL_SMTP:
          set_value (&contents, section, "use_smtp_auth", "1");
          set_int (&contents, section, "smtp_auth_method", CLAWS_SMTP_AUTH_OAUTH2);
          break;
        case MEND_PROTOCOL_EWS:
        case MEND_PROTOCOL_GRAPH:
        default:
          g_assert_not_reached ();
        }
      changed = TRUE;
    }

  if (!changed)
    {
      g_autoptr(MendFinding) finding = mend_repair_finding_nothing_to_change ();

      mend_repair_plan_add_finding (plan, finding);
      return;
    }

  provider = mend_accountrc_get_int_or (rc, section, "oauth2_auth_provider", 0);
  if ((provider < CLAWS_OAUTH2_OUTLOOK || provider > CLAWS_OAUTH2_GCC_HIGH) ||
      mend_accountrc_get_nonempty (rc, section, "oauth2_client_id") == NULL)
    {
      client_id = mend_repair_context_get_client_id (context);
      if (client_id == NULL)
        {
          g_autoptr(MendFinding) finding = mend_repair_finding_client_id_missing (CLIENT_NAME);

          mend_repair_plan_add_finding (plan, finding);
          return;
        }

      set_int (&contents, section, "oauth2_auth_provider",
               mend_microsoft_is_consumer_address (mend_repair_plan_get_address (plan))
                 ? CLAWS_OAUTH2_OUTLOOK : CLAWS_OAUTH2_EXCHANGE);
      set_value (&contents, section, "oauth2_client_id", client_id);
    }

  mend_repair_plan_write_file (plan, path, contents, -1);

  /* Claws Mail writes accountrc when it quits. */
  mend_repair_plan_set_must_close (plan, TRUE);
  mend_repair_plan_add_note (plan, _("In Claws Mail, edit this account (Configuration ▸ Edit "
                                     "accounts), open its OAuth2 page, click “Authorise” and "
                                     "sign in to Microsoft."));
}

static const char *
mend_claws_mail_client_get_id (MendClient *client)
{
  return CLIENT_ID;
}

static const char *
mend_claws_mail_client_get_name (MendClient *client)
{
  return CLIENT_NAME;
}

static const char *
mend_claws_mail_client_get_icon_name (MendClient *client)
{
  return "claws-mail";
}

static void
mend_claws_mail_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_claws_mail_client_get_id;
  iface->get_name = mend_claws_mail_client_get_name;
  iface->get_icon_name = mend_claws_mail_client_get_icon_name;
  iface->scan = mend_claws_mail_client_scan;
  iface->plan_repair = mend_claws_mail_client_plan_repair;
}

static void
mend_claws_mail_client_class_init (MendClawsMailClientClass *klass)
{
}

static void
mend_claws_mail_client_init (MendClawsMailClient *self)
{
}
