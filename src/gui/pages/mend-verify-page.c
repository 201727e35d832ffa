/* mend-verify-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-verify-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mend-account-verifier.h"
#include "mend-finding-row.h"
#include "mend-probe-result.h"
#include "mend-verify-page.h"

/* The Verify step: for every address of the chosen Microsoft accounts, a real login with
 * the sign-in from the keyring — IMAP (with a folder list), SMTP (no mail sent), and POP
 * when an account of the address uses it — each failure explained as a finding. It runs
 * when the step is shown and again on Check Again; it never stops the wizard.
 *
 * Microsoft's servers by default. Test hooks: MAILMEND_VERIFY_IMAP, MAILMEND_VERIFY_SMTP and
 * MAILMEND_VERIFY_POP take a SERVER as `mailmend verify` does, MAILMEND_VERIFY_CA_FILE extra
 * trust anchors. */

typedef struct
{
  char     *address;
  gboolean  uses_pop;
} Target;

struct _MendVerifyPage
{
  GtkWidget            parent_instance;

  GArray              *targets;
  gboolean             checked;
  GCancellable        *cancellable;
  MendAccountVerifier *verifier;
  guint                pending;

  /* Template widgets */
  GtkStack            *stack;
  GtkBox              *accounts_box;
  GtkWidget           *check_again_button;
};

G_DEFINE_FINAL_TYPE (MendVerifyPage, mend_verify_page, GTK_TYPE_WIDGET)

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->address, g_free);
}

/* One address's results arrive into the group made for it. */
typedef struct
{
  MendVerifyPage      *self;
  GCancellable        *cancellable;
  AdwPreferencesGroup *group;
  GtkWidget           *checking_row;
} Check;

static void
check_free (Check *check)
{
  g_clear_object (&check->self);
  g_clear_object (&check->cancellable);
  g_clear_object (&check->group);
  g_clear_object (&check->checking_row);
  g_free (check);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Check, check_free)

static MendServerAddress *
server_from_environment (const char   *variable,
                         MendProtocol  protocol)
{
  const char *value = g_getenv (variable);
  g_autoptr(GError) error = NULL;
  MendServerAddress *server;

  if (value == NULL || value[0] == '\0')
    return mend_server_address_new_default (protocol);

  server = mend_server_address_parse (value, protocol, &error);
  if (server == NULL)
    {
      g_warning ("Ignoring %s: %s", variable, error->message);
      return mend_server_address_new_default (protocol);
    }

  return server;
}

static const char *
protocol_title (MendProtocol protocol)
{
  switch (protocol)
    {
    case MEND_PROTOCOL_IMAP:
      return _("Receiving Mail (IMAP)");
    case MEND_PROTOCOL_SMTP:
      return _("Sending Mail (SMTP)");
    case MEND_PROTOCOL_POP3:
      return _("Receiving Mail (POP)");
    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
    default:
      return mend_protocol_get_display_name (protocol);
    }
}

static GtkWidget *
new_result_row (MendProbeResult *result)
{
  const MendServerAddress *server = mend_probe_result_get_server (result);
  g_autofree char *where = mend_server_address_to_host_and_port (server);
  g_autofree char *subtitle = NULL;
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                 protocol_title (mend_server_address_get_protocol (server)));
  /* Translators: the result of a test, then the server, e.g. “Logged in — host:993”. */
  subtitle = g_strdup_printf (_("%s — %s"), mend_probe_result_get_summary (result), where);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (mend_probe_result_get_ok (result))
    {
      icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Works"), -1);
    }
  else
    {
      icon = mend_finding_severity_icon_new (MEND_SEVERITY_ERROR);
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Does not work"), -1);
    }
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

  return row;
}

/* What the servers said, for support staff; the tokens in it are already masked. */
static GtkWidget *
new_transcript_row (GPtrArray *results)
{
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *label;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("What the Servers Said"));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), _("For support staff"));

  for (guint i = 0; i < results->len; i++)
    {
      const char *transcript = mend_probe_result_get_transcript (g_ptr_array_index (results, i));

      if (transcript == NULL || transcript[0] == '\0')
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, transcript);
    }

  label = gtk_label_new (text->str);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_widget_set_margin_top (label, 12);
  gtk_widget_set_margin_bottom (label, 12);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), label);

  return row;
}

static void
show_not_checked (Check       *check,
                  MendFinding *finding)
{
  GtkWidget *row = mend_finding_row_new (finding);

  /* No sign-in for this address: the way back to the step that makes one. */
  if (g_str_equal (mend_finding_get_id (finding), "not-signed-in") ||
      g_str_equal (mend_finding_get_id (finding), "token-expired"))
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Sign In"));

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "wizard.go-to-step");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "signin");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  adw_preferences_group_add (check->group, row);
}

static void
check_done (MendVerifyPage *self)
{
  g_assert (self->pending > 0);

  if (--self->pending == 0)
    gtk_widget_set_sensitive (self->check_again_button, TRUE);
}

static void
on_verified (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Check) check = user_data;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;

  results = mend_account_verifier_run_finish (MEND_ACCOUNT_VERIFIER (object), result, NULL,
                                              &error);

  if (g_cancellable_is_cancelled (check->cancellable))
    return;

  adw_preferences_group_remove (check->group, check->checking_row);

  if (results == NULL)
    {
      g_autoptr(MendFinding) finding = mend_token_service_error_to_finding (error);

      if (finding == NULL)
        finding = mend_finding_new ("verify-failed", MEND_SEVERITY_ERROR,
                                    _("The sign-in could not be tested"), error->message,
                                    _("Choose Check Again."));
      show_not_checked (check, finding);
    }
  else
    {
      for (guint i = 0; i < results->len; i++)
        {
          MendProbeResult *probe = g_ptr_array_index (results, i);
          GPtrArray *findings = mend_probe_result_get_findings (probe);

          adw_preferences_group_add (check->group, new_result_row (probe));
          for (guint j = 0; j < findings->len; j++)
            adw_preferences_group_add (check->group,
                                       mend_finding_row_new (g_ptr_array_index (findings, j)));
        }
      adw_preferences_group_add (check->group, new_transcript_row (results));
    }

  check_done (check->self);
}

static GtkWidget *
new_checking_row (void)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spinner = gtk_spinner_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Logging in…"));
  gtk_spinner_start (GTK_SPINNER (spinner));
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), spinner);

  return row;
}

static void
clear_accounts_box (MendVerifyPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_box))) != NULL)
    gtk_box_remove (self->accounts_box, child);
}

static void
check (MendVerifyPage *self)
{
  g_autoptr(MendServerAddress) imap = NULL;
  g_autoptr(MendServerAddress) smtp = NULL;
  g_autoptr(MendServerAddress) pop = NULL;
  const char *ca_file = g_getenv ("MAILMEND_VERIFY_CA_FILE");

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->pending = 0;
  self->checked = TRUE;
  clear_accounts_box (self);

  if (self->targets->len == 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "results");
  self->cancellable = g_cancellable_new ();

  if (self->verifier == NULL)
    {
      g_autoptr(MendTokenService) service = mend_token_service_new ();

      self->verifier = mend_account_verifier_new (service);
      if (ca_file != NULL && ca_file[0] != '\0')
        {
          g_autoptr(GError) error = NULL;

          if (!mend_account_verifier_set_ca_file (self->verifier, ca_file, &error))
            g_warning ("Ignoring MAILMEND_VERIFY_CA_FILE: %s", error->message);
        }
    }

  imap = server_from_environment ("MAILMEND_VERIFY_IMAP", MEND_PROTOCOL_IMAP);
  smtp = server_from_environment ("MAILMEND_VERIFY_SMTP", MEND_PROTOCOL_SMTP);
  pop = server_from_environment ("MAILMEND_VERIFY_POP", MEND_PROTOCOL_POP3);

  gtk_widget_set_sensitive (self->check_again_button, FALSE);

  for (guint i = 0; i < self->targets->len; i++)
    {
      const Target *target = &g_array_index (self->targets, Target, i);
      Check *check = g_new0 (Check, 1);
      GtkWidget *group = adw_preferences_group_new ();

      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), target->address);
      gtk_box_append (self->accounts_box, group);

      check->self = g_object_ref (self);
      check->cancellable = g_object_ref (self->cancellable);
      check->group = g_object_ref (ADW_PREFERENCES_GROUP (group));
      check->checking_row = g_object_ref_sink (new_checking_row ());
      adw_preferences_group_add (check->group, check->checking_row);

      self->pending++;
      mend_account_verifier_run_async (self->verifier, target->address, imap, smtp,
                                       target->uses_pop ? pop : NULL,
                                       self->cancellable, on_verified, check);
    }
}

static void
verify_check_again_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  check (MEND_VERIFY_PAGE (widget));
}

static void
mend_verify_page_map (GtkWidget *widget)
{
  MendVerifyPage *self = MEND_VERIFY_PAGE (widget);

  GTK_WIDGET_CLASS (mend_verify_page_parent_class)->map (widget);

  if (!self->checked)
    check (self);
}

static void
mend_verify_page_dispose (GObject *object)
{
  MendVerifyPage *self = MEND_VERIFY_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->verifier);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_VERIFY_PAGE);

  G_OBJECT_CLASS (mend_verify_page_parent_class)->dispose (object);
}

static void
mend_verify_page_finalize (GObject *object)
{
  MendVerifyPage *self = MEND_VERIFY_PAGE (object);

  g_clear_pointer (&self->targets, g_array_unref);

  G_OBJECT_CLASS (mend_verify_page_parent_class)->finalize (object);
}

static void
mend_verify_page_class_init (MendVerifyPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_verify_page_dispose;
  object_class->finalize = mend_verify_page_finalize;
  widget_class->map = mend_verify_page_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PATH "/ui/mend-verify-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendVerifyPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MendVerifyPage, accounts_box);
  gtk_widget_class_bind_template_child (widget_class, MendVerifyPage, check_again_button);

  gtk_widget_class_install_action (widget_class, "verify.check-again", NULL,
                                   verify_check_again_action);
}

static void
mend_verify_page_init (MendVerifyPage *self)
{
  self->targets = g_array_new (FALSE, TRUE, sizeof (Target));
  g_array_set_clear_func (self->targets, (GDestroyNotify) target_clear);

  gtk_widget_init_template (GTK_WIDGET (self));
}

static gboolean
targets_equal (GArray *a,
               GArray *b)
{
  if (a->len != b->len)
    return FALSE;

  for (guint i = 0; i < a->len; i++)
    {
      const Target *x = &g_array_index (a, Target, i);
      const Target *y = &g_array_index (b, Target, i);

      if (g_ascii_strcasecmp (x->address, y->address) != 0 || x->uses_pop != y->uses_pop)
        return FALSE;
    }

  return TRUE;
}

/**
 * mend_verify_page_set_accounts:
 * @groups: (element-type MendAccountGroup): the accounts chosen on the Accounts step
 *
 * Tests each address of the Microsoft ones, once per address; a different choice tests
 * again the next time the page is shown.
 */
void
mend_verify_page_set_accounts (MendVerifyPage *self,
                               GPtrArray      *groups)
{
  g_autoptr(GArray) targets = NULL;

  g_return_if_fail (MEND_IS_VERIFY_PAGE (self));
  g_return_if_fail (groups != NULL);

  targets = g_array_new (FALSE, TRUE, sizeof (Target));
  g_array_set_clear_func (targets, (GDestroyNotify) target_clear);

  for (guint i = 0; i < groups->len; i++)
    {
      MendAccountGroup *group = g_ptr_array_index (groups, i);
      const char *address = mend_account_group_get_address (group);
      GPtrArray *servers = mend_account_group_get_servers (group);
      gboolean uses_pop = FALSE;
      Target *known = NULL;

      if (address == NULL || !mend_account_group_is_microsoft (group))
        continue;

      for (guint j = 0; j < servers->len; j++)
        uses_pop |= mend_account_get_protocol (g_ptr_array_index (servers, j)) == MEND_PROTOCOL_POP3;

      for (guint j = 0; j < targets->len && known == NULL; j++)
        {
          if (g_ascii_strcasecmp (g_array_index (targets, Target, j).address, address) == 0)
            known = &g_array_index (targets, Target, j);
        }

      if (known != NULL)
        {
          known->uses_pop |= uses_pop;
        }
      else
        {
          Target target = { g_strdup (address), uses_pop };

          g_array_append_val (targets, target);
        }
    }

  if (targets_equal (targets, self->targets))
    return;

  g_array_unref (self->targets);
  self->targets = g_steal_pointer (&targets);
  self->checked = FALSE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    check (self);
}
