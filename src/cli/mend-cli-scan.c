/* mend-cli-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-cli-scan"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mend-cli.h"
#include "mend-microsoft.h"
#include "mend-scanner.h"

static void
add_nullable_string (JsonBuilder *builder,
                     const char  *member,
                     const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_findings (JsonBuilder *builder,
              GPtrArray   *findings)
{
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);

  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, mend_finding_get_id (finding));
      json_builder_set_member_name (builder, "severity");
      json_builder_add_string_value (builder, mend_severity_to_string (mend_finding_get_severity (finding)));
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, mend_finding_get_title (finding));
      json_builder_set_member_name (builder, "explanation");
      json_builder_add_string_value (builder, mend_finding_get_explanation (finding));
      json_builder_set_member_name (builder, "remedy");
      json_builder_add_string_value (builder, mend_finding_get_remedy (finding));
      add_nullable_string (builder, "details", mend_finding_get_details (finding));
      add_nullable_string (builder, "link", mend_finding_get_link (finding));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
}

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
  add_nullable_string (builder, "client_version", mend_account_get_client_version (account));
  add_nullable_string (builder, "profile", mend_account_get_profile (account));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, mend_account_get_source (account));
  add_nullable_string (builder, "address", mend_account_get_address (account));
  add_nullable_string (builder, "username", mend_account_get_username (account));
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, mend_protocol_to_string (mend_account_get_protocol (account)));
  add_nullable_string (builder, "host", mend_account_get_host (account));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, mend_account_get_port (account));
  json_builder_set_member_name (builder, "security");
  json_builder_add_string_value (builder, mend_security_to_string (mend_account_get_security (account)));
  json_builder_set_member_name (builder, "auth");
  json_builder_add_string_value (builder, mend_auth_to_string (mend_account_get_auth (account)));
  json_builder_set_member_name (builder, "microsoft");
  json_builder_add_boolean_value (builder, cloud != MEND_MICROSOFT_CLOUD_NONE);
  add_nullable_string (builder, "microsoft_cloud", mend_microsoft_cloud_to_string (cloud));
  add_findings (builder, mend_account_get_findings (account));
  json_builder_end_object (builder);
}

static void
print_json (GPtrArray *accounts,
            GPtrArray *findings)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < accounts->len; i++)
    add_account (builder, g_ptr_array_index (accounts, i));
  json_builder_end_array (builder);
  add_findings (builder, findings);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
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

static void
print_text (MendScanner *scanner,
            GPtrArray   *accounts,
            GPtrArray   *findings,
            gboolean     all)
{
  g_autoptr(GString) out = g_string_new (NULL);
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

  g_print ("%s", out->str);
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
  const char *proc_dir;
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

  context = mend_scan_context_new (NULL, NULL);
  /* For tests: a fake process table, so that “is Thunderbird running?”
   * does not depend on the machine the tests run on. */
  if ((proc_dir = g_getenv ("MAILMEND_PROC_DIR")) != NULL)
    mend_scan_context_set_proc_dir (context, proc_dir);
  for (guint i = 0; folders != NULL && folders[i] != NULL; i++)
    mend_scan_context_add_extra_folder (context, folders[i]);

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
    print_json (shown, mend_scan_context_get_findings (context));
  else
    print_text (scanner, shown, mend_scan_context_get_findings (context), all);

  return MEND_CLI_EXIT_OK;
}
