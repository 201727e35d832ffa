/* mend-cli-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-scan"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-cli.h"
#include "mend-cli-json.h"
#include "mend-microsoft.h"
#include "mend-scanner.h"

static void
add_account (JsonBuilder *builder,
             MendAccount *account)
{
  MendMicrosoftCloud cloud = mend_microsoft_classify_host (mend_account_get_host (account));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, mend_account_get_id (account));
  json_builder_set_member_name (builder, "client");
  json_builder_add_string_value (builder, mend_account_get_client (account));
  mend_cli_json_add_string (builder, "client_version", mend_account_get_client_version (account));
  mend_cli_json_add_string (builder, "profile", mend_account_get_profile (account));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, mend_account_get_source (account));
  mend_cli_json_add_string (builder, "address", mend_account_get_address (account));
  mend_cli_json_add_string (builder, "username", mend_account_get_username (account));
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, mend_protocol_to_string (mend_account_get_protocol (account)));
  mend_cli_json_add_string (builder, "host", mend_account_get_host (account));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, mend_account_get_port (account));
  json_builder_set_member_name (builder, "security");
  json_builder_add_string_value (builder, mend_security_to_string (mend_account_get_security (account)));
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder, mend_auth_to_string (mend_account_get_auth (account)));
  json_builder_set_member_name (builder, "microsoft");
  json_builder_add_boolean_value (builder, cloud != MEND_MICROSOFT_CLOUD_NONE);
  mend_cli_json_add_string (builder, "microsoft_cloud", mend_microsoft_cloud_to_string (cloud));
  mend_cli_json_add_findings (builder, mend_account_get_findings (account));
  json_builder_end_object (builder);
}

/**
 * mend_cli_scan_add_json:
 *
 * Adds the members of `mailmend scan --json`: "accounts" and the scan's own "findings".
 */
void
mend_cli_scan_add_json (JsonBuilder *builder,
                        GPtrArray   *accounts,
                        GPtrArray   *findings)
{
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    add_account (builder, g_ptr_array_index (accounts, i));
  json_builder_end_array (builder);
  mend_cli_json_add_findings (builder, findings);
}

static const char *
severity_mark (MendSeverity severity)
{
  switch (severity)
    {
    case MEND_SEVERITY_ERROR:
      return "✗";
    case MEND_SEVERITY_WARNING:
      return "!";
    case MEND_SEVERITY_INFO:
    default:
      return "✓";
    }
}

static const char *
client_name (MendScanner *scanner,
             MendAccount *account)
{
  MendClient *client = mend_scanner_find_client (scanner, mend_account_get_client (account));

  return client ? mend_client_get_name (client) : mend_account_get_client (account);
}

static void
print_finding (GString     *out,
               MendFinding *finding,
               const char  *indent)
{
  g_string_append_printf (out, "%s%s %s\n", indent, severity_mark (mend_finding_get_severity (finding)),
                          mend_finding_get_title (finding));
  if (mend_finding_get_remedy (finding)[0] != '\0')
    g_string_append_printf (out, "%s  %s\n", indent, mend_finding_get_remedy (finding));
}

/**
 * mend_cli_scan_append_text:
 *
 * Appends the accounts and the scan's findings as `mailmend scan` prints them.
 */
void
mend_cli_scan_append_text (GString     *out,
                           MendScanner *scanner,
                           GPtrArray   *accounts,
                           GPtrArray   *findings,
                           gboolean     all)
{
  g_autofree char *group = NULL;

  if (accounts->len == 0)
    {
      g_string_append_printf (out, "%s\n", all ? _("No mail accounts found.")
                                               : _("No Microsoft mail accounts found."));
      if (!all)
        g_string_append_printf (out, "%s\n",
                                _("Run “mailmend scan --all” to list every mail account."));
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      GPtrArray *account_findings = mend_account_get_findings (account);
      const char *where = mend_account_get_profile (account) ? mend_account_get_profile (account)
                                                              : mend_account_get_source (account);
      g_autofree char *heading = NULL;
      g_autofree char *protocol = g_ascii_strup (mend_protocol_to_string (mend_account_get_protocol (account)), -1);

      if (mend_account_get_client_version (account) != NULL)
        heading = g_strdup_printf ("%s %s — %s", client_name (scanner, account),
                                   mend_account_get_client_version (account), where);
      else
        heading = g_strdup_printf ("%s — %s", client_name (scanner, account), where);

      if (g_strcmp0 (group, heading) != 0)
        {
          g_string_append_printf (out, "%s%s\n", i > 0 ? "\n" : "", heading);
          g_free (group);
          group = g_strdup (heading);
        }

      g_string_append_printf (out, "  %-32s %-5s %s:%u  %s, %s\n",
                              mend_account_get_address (account) ? mend_account_get_address (account)
                                                                 : _("(no address)"),
                              protocol,
                              mend_account_get_host (account) ? mend_account_get_host (account) : "?",
                              mend_account_get_port (account),
                              mend_security_to_string (mend_account_get_security (account)),
                              mend_auth_to_string (mend_account_get_auth (account)));

      for (guint j = 0; j < account_findings->len; j++)
        print_finding (out, g_ptr_array_index (account_findings, j), "    ");
    }

  if (findings->len > 0)
    {
      g_string_append_printf (out, "\n%s\n", _("About the scan:"));
      for (guint i = 0; i < findings->len; i++)
        print_finding (out, g_ptr_array_index (findings, i), "  ");
    }
}

/**
 * mend_cli_new_scan_context:
 * @folders: (nullable): more folders to look in, as `--folder` gives them
 *
 * Returns: (transfer full): the scan context of every command that scans
 */
MendScanContext *
mend_cli_new_scan_context (const char * const *folders)
{
  MendScanContext *context = mend_scan_context_new (NULL, NULL);
  const char *proc_dir;

  /* For tests: a fake process table, so that “is Thunderbird running?”
   * does not depend on the machine the tests run on. */
  if ((proc_dir = g_getenv ("MAILMEND_PROC_DIR")) != NULL)
    mend_scan_context_set_proc_dir (context, proc_dir);
  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    mend_scan_context_add_extra_folder (context, folders[i]);

  return context;
}

/**
 * mend_cli_scan:
 *
 * `mailmend scan [--json] [--all] [--folder DIR…]`: lists the mail accounts on
 * this computer and what is wrong with them. Exits 0 whenever the scan ran.
 */
int
mend_cli_scan (const MendCliCommand  *command,
               int                    argc,
               char                 **argv)
{
  g_autoptr(GOptionContext) option_context = mend_cli_option_context_new (command);
  g_autoptr(MendScanContext) context = NULL;
  g_autoptr(MendScanner) scanner = NULL;
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) folders = NULL;
  gboolean json = FALSE;
  gboolean all = FALSE;
  GPtrArray *accounts;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, N_("List every mail account, not only Microsoft ones"), NULL },
    { "folder", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &folders,
      N_("Also look in this folder, such as a Thunderbird profile kept elsewhere"), N_("FOLDER") },
    { NULL }
  };

  g_option_context_add_main_entries (option_context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (option_context, &argc, &argv, &error))
    return mend_cli_usage_error (command, error->message);
  if (argc > 1)
    return mend_cli_usage_error (command, _("The scan takes no arguments."));

  context = mend_cli_new_scan_context ((const char * const *) folders);

  scanner = mend_scanner_new ();
  mend_scanner_scan (scanner, context);

  accounts = mend_scan_context_get_accounts (context);
  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);

      if (all || mend_account_is_microsoft (account))
        g_ptr_array_add (shown, account);
    }

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      mend_cli_scan_add_json (builder, shown, mend_scan_context_get_findings (context));
      json_builder_end_object (builder);
      mend_cli_json_print (builder);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      mend_cli_scan_append_text (out, scanner, shown, mend_scan_context_get_findings (context),
                                 all);
      g_print ("%s", out->str);
    }

  return MEND_CLI_EXIT_OK;
}
