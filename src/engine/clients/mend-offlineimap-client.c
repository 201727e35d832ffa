/* mend-offlineimap-client.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OfflineIMAP reads $XDG_CONFIG_HOME/offlineimap/config, or ~/.offlineimaprc
 * when that does not exist (OfflineIMAP/offlineimap3: offlineimap/init.py),
 * with Python's configparser. Every [Account NAME] names a
 * `remoterepository`, whose [Repository NAME] section (type IMAP or Gmail)
 * holds the server: remotehost, remoteport, remoteuser, ssl (default yes),
 * starttls (default yes), auth_mechanisms (default GSSAPI, XOAUTH2,
 * CRAM-MD5, PLAIN, LOGIN; XOAUTH2 is tried only with an oauth2 refresh or
 * access token) (offlineimap.conf, offlineimap/repository/IMAP.py).
 * OfflineIMAP only syncs: it has no SMTP server. The *eval settings are
 * Python and are never evaluated here.
 */

#define G_LOG_DOMAIN "mend-offlineimap-client"

#include "config.h"

#include "mend-ini.h"
#include "mend-offlineimap-client.h"
#include "mend-scan-findings.h"

struct _MendOfflineimapClient
{
  GObject parent_instance;
};

static const char * const process_names[] = { "offlineimap", NULL };

static void mend_offlineimap_client_iface_init (MendClientInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MendOfflineimapClient, mend_offlineimap_client, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (MEND_TYPE_CLIENT,
                                                      mend_offlineimap_client_iface_init))

/* The value, interpolated and stripped; %NULL when it is not set, empty,
 * or its %(references)s are broken. */
static char *
get_string (MendIni    *ini,
            const char *section,
            const char *key)
{
  g_autofree char *value = mend_ini_get_value (ini, section, key, NULL);

  if (value == NULL)
    return NULL;

  g_strstrip (value);
  if (value[0] == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
has_setting (MendIni    *ini,
             const char *section,
             const char *key)
{
  const char *raw = mend_ini_get_raw (ini, section, key);

  return raw != NULL && raw[0] != '\0';
}

static MendAuth
find_auth (MendIni    *ini,
           const char *section)
{
  static const char *token_keys[] = {
    "oauth2_refresh_token", "oauth2_refresh_token_eval",
    "oauth2_access_token", "oauth2_access_token_eval",
  };
  g_autofree char *configured = get_string (ini, section, "auth_mechanisms");
  g_auto(GStrv) mechanisms = NULL;
  gboolean has_token = FALSE;
  gboolean xoauth2 = FALSE;
  gboolean password = FALSE;
  gboolean gssapi = FALSE;

  /* A preauthenticated tunnel signs in by itself. */
  if (has_setting (ini, section, "preauthtunnel"))
    return MEND_AUTH_NONE;

  for (guint i = 0; i < G_N_ELEMENTS (token_keys); i++)
    has_token |= has_setting (ini, section, token_keys[i]);

  mechanisms = g_strsplit (configured ? configured : "GSSAPI, XOAUTH2, CRAM-MD5, PLAIN, LOGIN",
                           ",", -1);
  for (guint i = 0; mechanisms[i] != NULL; i++)
    {
      const char *mechanism = g_strstrip (mechanisms[i]);

      if (g_ascii_strcasecmp (mechanism, "XOAUTH2") == 0)
        xoauth2 = TRUE;
      else if (g_ascii_strcasecmp (mechanism, "GSSAPI") == 0)
        gssapi = TRUE;
      else if (mechanism[0] != '\0')
        password = TRUE;
    }

  if (xoauth2 && has_token)
    return MEND_AUTH_OAUTH2;

  if (password)
    return MEND_AUTH_PASSWORD;

  if (gssapi)
    return MEND_AUTH_OTHER;

  /* XOAUTH2 alone, without a token: OfflineIMAP has nothing to sign in with. */
  return MEND_AUTH_OTHER;
}

static guint
find_port (MendIni    *ini,
           const char *section)
{
  g_autofree char *value = NULL;
  guint64 port = 0;

  if (has_setting (ini, section, "remoteporteval") ||
      !(value = get_string (ini, section, "remoteport")) ||
      !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;

  return (guint) port;
}

static void
add_repository (MendScanContext *context,
                MendIni         *ini,
                const char      *source,
                const char      *section,
                gboolean         running)
{
  g_autoptr(MendAccount) account = NULL;
  g_autofree char *type = get_string (ini, section, "type");
  g_autofree char *host = NULL;
  g_autofree char *username = NULL;
  gboolean gmail;
  gboolean ssl;
  gboolean starttls;

  if (type == NULL ||
      (g_ascii_strcasecmp (type, "IMAP") != 0 && g_ascii_strcasecmp (type, "Gmail") != 0))
    {
      g_debug ("%s is not a remote IMAP repository", section);
      return;
    }

  gmail = g_ascii_strcasecmp (type, "Gmail") == 0;

  /* remotehosteval and remoteusereval are Python: the host or the user
   * stays unknown. */
  if (!has_setting (ini, section, "remotehosteval"))
    {
      host = get_string (ini, section, "remotehost");
      if (host == NULL && gmail)
        host = g_strdup ("imap.gmail.com");
    }

  if (!has_setting (ini, section, "remoteusereval"))
    username = get_string (ini, section, "remoteuser");

  ssl = mend_ini_get_boolean (ini, section, "ssl", TRUE);
  starttls = mend_ini_get_boolean (ini, section, "starttls", TRUE);

  account = mend_account_new ("offlineimap", source, section, MEND_PROTOCOL_IMAP);
  mend_account_set_host (account, host);
  mend_account_set_port (account, find_port (ini, section));
  mend_account_set_username (account, username);
  if (username != NULL && strchr (username, '@') != NULL)
    mend_account_set_address (account, username);

  if (ssl)
    mend_account_set_security (account, MEND_SECURITY_TLS);
  else if (starttls)
    mend_account_set_security (account, MEND_SECURITY_STARTTLS);
  else
    mend_account_set_security (account, MEND_SECURITY_NONE);

  mend_account_set_auth (account, find_auth (ini, section));

  if (running)
    {
      g_autoptr(MendFinding) finding = mend_scan_finding_client_running ("OfflineIMAP");
      mend_account_add_finding (account, finding);
    }

  mend_scan_context_add_account (context, account);
}

static void
scan_file (MendScanContext *context,
           const char      *source)
{
  g_autofree char *contents = NULL;
  g_autoptr(MendIni) ini = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = NULL;
  gboolean running;
  gsize length;

  if (!mend_scan_context_read_file (context, source, &contents, &length))
    return;

  if (!(ini = mend_ini_parse (contents, length, MEND_INI_DIALECT_PYTHON, &error)))
    {
      mend_scan_context_report_unreadable (context, source, error->message);
      return;
    }

  running = mend_scan_context_is_process_running (context, process_names);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  /* Every [Account NAME] can be synced (`offlineimap -a NAME`), listed in
   * [general] accounts or not. Two accounts may share a repository. */
  for (guint i = 0; i < mend_ini_get_n_sections (ini); i++)
    {
      const char *section = mend_ini_get_section_name (ini, i);
      g_autofree char *remote = NULL;
      g_autofree char *repository = NULL;

      if (!g_str_has_prefix (section, "Account "))
        continue;

      if (!(remote = get_string (ini, section, "remoterepository")))
        {
          g_debug ("%s has no remote repository", section);
          continue;
        }

      repository = g_strconcat ("Repository ", remote, NULL);
      if (!mend_ini_has_section (ini, repository))
        {
          g_debug ("%s names a missing repository", section);
          continue;
        }

      if (g_hash_table_add (seen, g_strdup (repository)))
        add_repository (context, ini, source, repository, running);
    }
}

static const char *
mend_offlineimap_client_get_id (MendClient *client)
{
  return "offlineimap";
}

static const char *
mend_offlineimap_client_get_name (MendClient *client)
{
  return "OfflineIMAP";
}

static const char *
mend_offlineimap_client_get_icon_name (MendClient *client)
{
  return "utilities-terminal";
}

static void
mend_offlineimap_client_scan (MendClient      *client,
                              MendScanContext *context)
{
  g_autofree char *xdg = g_build_filename (mend_scan_context_get_config_dir (context),
                                           "offlineimap", "config", NULL);
  g_autofree char *rc = g_build_filename (mend_scan_context_get_home_dir (context),
                                          ".offlineimaprc", NULL);
  g_autofree char *source = mend_scan_context_expand_path (context, xdg, NULL);

  /* OfflineIMAP reads one file: the XDG one when it exists. */
  if (!g_file_test (source, G_FILE_TEST_EXISTS))
    {
      g_free (source);
      source = mend_scan_context_expand_path (context, rc, NULL);
    }

  scan_file (context, source);
}

static void
mend_offlineimap_client_iface_init (MendClientInterface *iface)
{
  iface->get_id = mend_offlineimap_client_get_id;
  iface->get_name = mend_offlineimap_client_get_name;
  iface->get_icon_name = mend_offlineimap_client_get_icon_name;
  iface->scan = mend_offlineimap_client_scan;
}

static void
mend_offlineimap_client_class_init (MendOfflineimapClientClass *klass)
{
}

static void
mend_offlineimap_client_init (MendOfflineimapClient *self)
{
}
