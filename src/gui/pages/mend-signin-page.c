/* mend-signin-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-signin-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <webkit/webkit.h>

#include "mend-microsoft.h"
#include "mend-oauth-client.h"
#include "mend-oauth-device-code.h"
#include "mend-oauth-error.h"
#include "mend-oauth-flow.h"
#include "mend-oauth-settings.h"
#include "mend-signin-page-private.h"
#include "mend-token-service.h"

/* The Sign In step: the user consents on Microsoft's own page, shown in a
 * WebKitWebView made for this sign-in only (its own ephemeral network
 * session, https only but for a loopback authority, no popups, downloads or
 * script bridges). The redirect to the redirect URI is caught before it
 * loads; its code is exchanged for tokens, which go to the keyring. Two
 * fallbacks sit on the same page: a device code, typed on another device,
 * and the user's own browser with the final address pasted back.
 *
 * Sign-in starts when the page is shown and stops when it is left: the web
 * view and its processes live only while the user is signing in with it. */

typedef enum
{
  STATE_IDLE,
  STATE_ADDRESS,
  STATE_NO_CLIENT_ID,
  STATE_SIGNING_IN,
  STATE_WORKING,
  STATE_DONE,
  STATE_ERROR,
} State;

struct _MendSigninPage
{
  GtkWidget             parent_instance;

  char                 *address;
  State                 state;
  MendSigninMethod      method;

  /* Every address the chosen accounts use, signed in one after the other; signed_in holds
   * those done (here, or found in the keyring), lower-cased. */
  GPtrArray            *addresses;
  GHashTable           *signed_in;
  /* Whether the keyring was asked for a sign-in of the current address already, and whether
   * the user asked to sign in again all the same. */
  gboolean              keyring_checked;
  gboolean              sign_in_again;

  /* One sign-in attempt: cancelled and replaced whenever it starts over. */
  GCancellable         *cancellable;
  MendOAuthSettings    *settings;
  MendOAuthFlow        *flow;
  MendOAuthDeviceCode  *device_code;
  char                 *authorize_url;
  MendFinding          *finding;

  MendOAuthClient      *client;
  MendTokenService     *token_service;
  /* The keys that start() reads, watched while the page waits for them. */
  GSettings            *preferences;

  WebKitWebContext     *web_context;
  WebKitNetworkSession *network_session;
  WebKitWebView        *web_view;

  guint                 web_view_teardown_source;

  /* Template widgets */
  GtkWidget            *box;
  GtkStack             *stack;
  AdwEntryRow          *address_row;
  AdwStatusPage        *no_client_id_status;
  GtkLabel             *no_client_id_remedy;
  GtkImage             *security_icon;
  GtkLabel             *host_label;
  GtkLabel             *insecure_label;
  GtkOverlay           *web_overlay;
  GtkProgressBar       *progress_bar;
  GtkStack             *code_stack;
  GtkSpinner           *requesting_spinner;
  GtkLinkButton        *verification_link;
  GtkLabel             *user_code_label;
  GtkLabel             *code_expiry_label;
  GtkSpinner           *waiting_spinner;
  GtkLabel             *browser_message;
  AdwEntryRow          *pasted_row;
  GtkLabel             *paste_error;
  GtkSpinner           *working_spinner;
  AdwStatusPage        *done_status;
  GtkLabel             *other_account_label;
  GtkLabel             *done_hint;
  GtkButton            *next_address_button;
  GtkWidget            *sign_in_again_button;
  AdwStatusPage        *error_status;
  GtkLabel             *error_remedy;
  GtkLinkButton        *error_link;
  GtkExpander          *error_details_expander;
  GtkLabel             *error_details;
  GtkWidget            *method_bar;
  GtkWidget            *use_web_button;
  GtkWidget            *use_code_button;
  GtkWidget            *use_browser_button;
};

enum {
  PROP_0,
  PROP_ADDRESS,
  PROP_COMPLETE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendSigninPage, mend_signin_page, GTK_TYPE_WIDGET)

/* The preferences that sign-in reads (mend_oauth_settings_apply_gsettings()). */
static const char * const preference_keys[] = {
  "microsoft-client-id", "microsoft-tenant", "microsoft-authority", NULL
};

static void start (MendSigninPage *self);
static void switch_to_address (MendSigninPage *self,
                               const char     *address);

/* An asynchronous step of one attempt. Its result counts only while the
 * attempt it belongs to is the page's current one. */
typedef struct
{
  MendSigninPage *self;
  GCancellable   *cancellable;
} Operation;

static Operation *
operation_new (MendSigninPage *self)
{
  Operation *operation = g_new0 (Operation, 1);

  operation->self = g_object_ref (self);
  operation->cancellable = g_object_ref (self->cancellable);

  return operation;
}

static void
operation_free (Operation *operation)
{
  g_clear_object (&operation->self);
  g_clear_object (&operation->cancellable);
  g_free (operation);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Operation, operation_free)

static gboolean
operation_is_current (Operation *operation)
{
  return !g_cancellable_is_cancelled (operation->cancellable) &&
         operation->cancellable == operation->self->cancellable;
}

static const char *
view_name_for_method (MendSigninMethod method)
{
  switch (method)
    {
    case MEND_SIGNIN_METHOD_CODE:
      return "code";

    case MEND_SIGNIN_METHOD_BROWSER:
      return "browser";

    case MEND_SIGNIN_METHOD_WEB:
    default:
      return "web";
    }
}

static gboolean
looks_like_address (const char *text)
{
  const char *at;

  if (text == NULL)
    return FALSE;

  at = strchr (text, '@');

  return at != NULL && at != text && at[1] != '\0' && strchr (at + 1, '@') == NULL &&
         strpbrk (text, " \t\r\n") == NULL;
}

static void
set_state (MendSigninPage *self,
           State           state)
{
  gboolean was_complete = mend_signin_page_get_complete (self);
  gboolean choosing = state == STATE_SIGNING_IN || (state == STATE_ERROR && self->settings != NULL);

  self->state = state;

  switch (state)
    {
    case STATE_ADDRESS:
      gtk_stack_set_visible_child_name (self->stack, "address");
      break;

    case STATE_NO_CLIENT_ID:
      gtk_stack_set_visible_child_name (self->stack, "no-client-id");
      break;

    case STATE_SIGNING_IN:
      gtk_stack_set_visible_child_name (self->stack, view_name_for_method (self->method));
      break;

    case STATE_WORKING:
      gtk_stack_set_visible_child_name (self->stack, "working");
      break;

    case STATE_DONE:
      gtk_stack_set_visible_child_name (self->stack, "done");
      break;

    case STATE_ERROR:
      gtk_stack_set_visible_child_name (self->stack, "error");
      break;

    case STATE_IDLE:
    default:
      break;
    }

  /* The other ways to sign in, below the current one and below an error. */
  gtk_widget_set_visible (self->method_bar, choosing && self->address != NULL);
  gtk_widget_set_visible (self->use_web_button, self->method != MEND_SIGNIN_METHOD_WEB);
  gtk_widget_set_visible (self->use_code_button, self->method != MEND_SIGNIN_METHOD_CODE);
  gtk_widget_set_visible (self->use_browser_button, self->method != MEND_SIGNIN_METHOD_BROWSER);

  gtk_spinner_set_spinning (self->working_spinner, state == STATE_WORKING);
  if (state != STATE_SIGNING_IN || self->method != MEND_SIGNIN_METHOD_CODE)
    {
      gtk_spinner_set_spinning (self->requesting_spinner, FALSE);
      gtk_spinner_set_spinning (self->waiting_spinner, FALSE);
    }

  if (was_complete != mend_signin_page_get_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* ---------------------------------------------------------------------------------------------
 * The web view
 * ------------------------------------------------------------------------------------------- */

static void
destroy_web_view (MendSigninPage *self)
{
  g_autoptr(WebKitWebView) web_view = g_steal_pointer (&self->web_view);
  g_autoptr(WebKitNetworkSession) network_session = g_steal_pointer (&self->network_session);
  g_autoptr(WebKitWebContext) web_context = g_steal_pointer (&self->web_context);

  g_clear_handle_id (&self->web_view_teardown_source, g_source_remove);

  if (network_session != NULL)
    g_signal_handlers_disconnect_by_data (network_session, self);

  if (web_view == NULL)
    return;

  g_debug ("Releasing the web view");
  g_signal_handlers_disconnect_by_data (web_view, self);
  webkit_web_view_stop_loading (web_view);
  gtk_overlay_set_child (self->web_overlay, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), FALSE);

  /* The last references go here, and with them the web and network processes. */
}

static gboolean
destroy_web_view_idle (gpointer data)
{
  MendSigninPage *self = data;

  self->web_view_teardown_source = 0;
  destroy_web_view (self);

  return G_SOURCE_REMOVE;
}

/* From WebKit's own signal handlers, the web view cannot go at once. */
static void
schedule_destroy_web_view (MendSigninPage *self)
{
  if (self->web_view == NULL || self->web_view_teardown_source != 0)
    return;

  self->web_view_teardown_source = g_idle_add_full (G_PRIORITY_DEFAULT, destroy_web_view_idle,
                                                     self, NULL);
}

/* What the user sees of an error: Microsoft's answers, the keyring's and the
 * network's each have their finding; anything else gets a plain one. */
static MendFinding *
finding_for_error (const GError *error)
{
  MendFinding *finding;
  g_autofree char *details = NULL;

  finding = mend_token_service_error_to_finding (error);
  if (finding != NULL)
    return finding;

  finding = mend_finding_new ("sign-in-failed", MEND_SEVERITY_ERROR,
                              _("Signing in did not work"),
                              error->message,
                              _("Try again. If it keeps failing, sign in with a code instead."));
  details = g_strdup_printf ("%s %d", g_quark_to_string (error->domain), error->code);
  mend_finding_set_details (finding, details);

  return finding;
}

static void
show_finding (MendSigninPage *self,
              MendFinding    *finding)
{
  const char *details = mend_finding_get_details (finding);
  const char *link = mend_finding_get_link (finding);

  g_debug ("Sign-in stopped: %s", mend_finding_get_id (finding));

  g_set_object (&self->finding, finding);
  schedule_destroy_web_view (self);
  g_clear_object (&self->flow);

  adw_status_page_set_title (self->error_status, mend_finding_get_title (finding));
  adw_status_page_set_description (self->error_status, mend_finding_get_explanation (finding));
  gtk_label_set_label (self->error_remedy, mend_finding_get_remedy (finding));
  gtk_widget_set_visible (GTK_WIDGET (self->error_remedy),
                          mend_finding_get_remedy (finding) != NULL);

  gtk_widget_set_visible (GTK_WIDGET (self->error_link), link != NULL);
  if (link != NULL)
    gtk_link_button_set_uri (self->error_link, link);

  gtk_expander_set_expanded (self->error_details_expander, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->error_details_expander), details != NULL);
  gtk_label_set_label (self->error_details, details);

  set_state (self, STATE_ERROR);
}

static void
show_error (MendSigninPage *self,
            const GError   *error)
{
  g_autoptr(MendFinding) finding = finding_for_error (error);

  show_finding (self, finding);
}

static gboolean
address_equal (gconstpointer a,
               gconstpointer b)
{
  return g_ascii_strcasecmp (a, b) == 0;
}

static gboolean
is_signed_in (MendSigninPage *self,
              const char     *address)
{
  g_autofree char *key = address ? g_ascii_strdown (address, -1) : NULL;

  return key != NULL && g_hash_table_contains (self->signed_in, key);
}

/* Returns: (nullable): the first chosen address still to sign in */
static const char *
next_pending_address (MendSigninPage *self)
{
  for (guint i = 0; i < self->addresses->len; i++)
    {
      const char *address = g_ptr_array_index (self->addresses, i);

      if (!is_signed_in (self, address))
        return address;
    }

  return NULL;
}

static void
show_done (MendSigninPage *self,
           MendOAuthToken *token,
           gboolean        already)
{
  const char *address = self->address;
  const char *next;
  g_autofree char *description = NULL;

  if (already)
    {
      /* Translators: %s is an email address. */
      description = g_strdup_printf (_("%s is already signed in: Mailmend keeps the sign-in in "
                                       "your keyring."),
                                     address);
    }
  else
    {
      switch (mend_oauth_token_get_tenant_type (token))
        {
        case MEND_TENANT_TYPE_CONSUMER:
          /* Translators: %s is an email address. */
          description = g_strdup_printf (_("Signed in as %s, a personal Microsoft account."),
                                         address);
          break;

        case MEND_TENANT_TYPE_ORGANIZATION:
          /* Translators: %s is an email address. */
          description = g_strdup_printf (_("Signed in as %s, a work or school account."), address);
          break;

        case MEND_TENANT_TYPE_UNKNOWN:
        default:
          /* Translators: %s is an email address. */
          description = g_strdup_printf (_("Signed in as %s."), address);
          break;
        }
    }

  g_debug ("Signed in%s, %s account", already ? " before" : "",
           mend_tenant_type_to_string (mend_oauth_token_get_tenant_type (token)));

  g_hash_table_add (self->signed_in, g_ascii_strdown (address, -1));

  /* Kept for the address all the same: an alias of the same mailbox signs in this way. */
  if (mend_oauth_token_signed_in_as_other (token))
    {
      g_autofree char *warning = NULL;

      /* Translators: both are email addresses. */
      warning = g_strdup_printf (_("Microsoft signed you in as %s, not %s. If that is another "
                                   "mailbox and not an alias of this one, your mail app will be "
                                   "refused: choose Sign In Again and pick the right account."),
                                 mend_oauth_token_get_signed_in_as (token), address);
      gtk_label_set_label (self->other_account_label, warning);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->other_account_label),
                          mend_oauth_token_signed_in_as_other (token));

  next = next_pending_address (self);
  if (next != NULL)
    {
      g_autofree char *hint = NULL;
      g_autofree char *label = NULL;

      /* Translators: %s is an email address. */
      hint = g_strdup_printf (_("Another chosen account uses %s: sign in for it too."), next);
      /* Translators: %s is an email address; a button. */
      label = g_strdup_printf (_("Sign In as %s"), next);
      gtk_label_set_label (self->done_hint, hint);
      gtk_button_set_label (self->next_address_button, label);
    }
  else
    {
      gtk_label_set_label (self->done_hint,
                           _("The sign-in is kept in your keyring, where your mail apps will find "
                             "it once Mailmend has set them up. Choose Next to continue."));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->next_address_button), next != NULL);
  gtk_widget_set_visible (self->sign_in_again_button, TRUE);

  /* Not from a web view's signal: it can go at once. */
  destroy_web_view (self);
  g_clear_object (&self->flow);
  g_clear_object (&self->finding);
  adw_status_page_set_title (self->done_status,
                             already ? _("Already Signed In") : _("Signed In"));
  adw_status_page_set_description (self->done_status, description);
  set_state (self, STATE_DONE);
}

/* Saving needs the token again once done, to show whose it is. */
typedef struct
{
  Operation      *operation;
  MendOAuthToken *token;
} SaveOperation;

static void
save_operation_free (SaveOperation *save)
{
  g_clear_pointer (&save->operation, operation_free);
  g_clear_object (&save->token);
  g_free (save);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveOperation, save_operation_free)

static void
on_saved (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SaveOperation) save = user_data;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = mend_token_service_save_finish (MEND_TOKEN_SERVICE (object), result, &error);

  if (!operation_is_current (save->operation))
    return;

  if (!saved)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (save->operation->self, error);
      return;
    }

  show_done (save->operation->self, save->token, FALSE);
}

static void
save_token (MendSigninPage *self,
            MendOAuthToken *token)
{
  SaveOperation *save = g_new0 (SaveOperation, 1);

  save->operation = operation_new (self);
  save->token = g_object_ref (token);

  if (self->token_service == NULL)
    self->token_service = mend_token_service_new ();

  set_state (self, STATE_WORKING);
  mend_token_service_save_async (self->token_service, token, self->cancellable, on_saved, save);
}

static void
on_code_exchanged (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = mend_oauth_client_exchange_code_finish (MEND_OAUTH_CLIENT (object), result, &error);

  if (!operation_is_current (operation))
    return;

  if (token == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (operation->self, error);
      return;
    }

  save_token (operation->self, token);
}

static void
exchange_code (MendSigninPage *self,
               const char     *code)
{
  g_assert (self->flow != NULL);

  set_state (self, STATE_WORKING);
  mend_oauth_client_exchange_code_async (self->client, self->flow, code, self->address,
                                         self->cancellable, on_code_exchanged,
                                         operation_new (self));
}

static void
handle_redirect (MendSigninPage *self,
                 const char     *uri)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  if (self->state != STATE_SIGNING_IN || self->flow == NULL)
    return;

  g_debug ("Caught the redirect");
  schedule_destroy_web_view (self);

  if (!mend_oauth_flow_parse_redirect (self->flow, uri, &code, &error))
    {
      show_error (self, error);
      return;
    }

  exchange_code (self, code);
}

static gboolean
is_allowed_uri (const char *uri)
{
  g_autoptr(GUri) parsed = NULL;
  const char *scheme;

  if (uri == NULL)
    return FALSE;

  /* Pages build their frames from these. */
  if (g_str_equal (uri, "about:blank") || g_str_equal (uri, "about:srcdoc"))
    return TRUE;

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  if (parsed == NULL || g_uri_get_userinfo (parsed) != NULL)
    return FALSE;

  scheme = g_uri_get_scheme (parsed);
  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  /* Only the test rig's fake provider, or a developer's, may be plain http. */
  if (g_ascii_strcasecmp (scheme, "http") == 0)
    return mend_oauth_is_loopback_host (g_uri_get_host (parsed));

  return FALSE;
}

static gboolean
on_decide_policy (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  MendSigninPage           *self)
{
  WebKitNavigationPolicyDecision *navigation;
  WebKitResponsePolicyDecision *response;
  WebKitNavigationAction *action;
  const char *uri;

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      navigation = WEBKIT_NAVIGATION_POLICY_DECISION (decision);
      action = webkit_navigation_policy_decision_get_navigation_action (navigation);
      uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

      /* The end of the sign-in: never loaded, so the code goes nowhere else. */
      if (self->flow != NULL && mend_oauth_flow_is_redirect (self->flow, uri))
        {
          webkit_policy_decision_ignore (decision);
          handle_redirect (self, uri);
          return TRUE;
        }

      if (type == WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
        {
          g_debug ("Refused a new window");
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }

      if (!is_allowed_uri (uri))
        {
          g_debug ("Refused to leave the web");
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }

      webkit_policy_decision_use (decision);
      return TRUE;

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      response = WEBKIT_RESPONSE_POLICY_DECISION (decision);
      if (!webkit_response_policy_decision_is_mime_type_supported (response))
        {
          g_debug ("Refused a download");
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;

    default:
      return FALSE;
    }
}

static GtkWidget *
on_create (WebKitWebView          *web_view,
           WebKitNavigationAction *action,
           MendSigninPage         *self)
{
  g_debug ("Refused a popup");

  return NULL;
}

static void
on_download_started (WebKitNetworkSession *network_session,
                     WebKitDownload       *download,
                     MendSigninPage       *self)
{
  g_debug ("Refused a download");
  webkit_download_cancel (download);
}

static gboolean
on_permission_request (WebKitWebView           *web_view,
                       WebKitPermissionRequest *request,
                       MendSigninPage          *self)
{
  webkit_permission_request_deny (request);

  return TRUE;
}

static gboolean
on_run_file_chooser (WebKitWebView            *web_view,
                     WebKitFileChooserRequest *request,
                     MendSigninPage           *self)
{
  webkit_file_chooser_request_cancel (request);

  return TRUE;
}

/* Printing, notifications and full screen have no place in a sign-in. */
static gboolean
on_refuse (WebKitWebView *web_view,
           gpointer       unused,
           gpointer       data)
{
  return TRUE;
}

static gboolean
on_enter_fullscreen (WebKitWebView  *web_view,
                     MendSigninPage *self)
{
  return TRUE;
}

/* Only the editing items: nothing that opens a window, downloads or inspects. */
static gboolean
on_context_menu (WebKitWebView       *web_view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit_test_result,
                 MendSigninPage      *self)
{
  static const WebKitContextMenuAction allowed[] = {
    WEBKIT_CONTEXT_MENU_ACTION_COPY,
    WEBKIT_CONTEXT_MENU_ACTION_CUT,
    WEBKIT_CONTEXT_MENU_ACTION_PASTE,
    WEBKIT_CONTEXT_MENU_ACTION_PASTE_AS_PLAIN_TEXT,
    WEBKIT_CONTEXT_MENU_ACTION_DELETE,
    WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL,
    WEBKIT_CONTEXT_MENU_ACTION_INPUT_METHODS,
    WEBKIT_CONTEXT_MENU_ACTION_UNICODE,
    WEBKIT_CONTEXT_MENU_ACTION_INSERT_EMOJI,
    WEBKIT_CONTEXT_MENU_ACTION_SPELLING_GUESS,
    WEBKIT_CONTEXT_MENU_ACTION_NO_GUESSES_FOUND,
    WEBKIT_CONTEXT_MENU_ACTION_IGNORE_SPELLING,
    WEBKIT_CONTEXT_MENU_ACTION_LEARN_SPELLING,
    WEBKIT_CONTEXT_MENU_ACTION_IGNORE_GRAMMAR,
    WEBKIT_CONTEXT_MENU_ACTION_GO_BACK,
    WEBKIT_CONTEXT_MENU_ACTION_GO_FORWARD,
    WEBKIT_CONTEXT_MENU_ACTION_STOP,
    WEBKIT_CONTEXT_MENU_ACTION_RELOAD,
  };
  GList *items = g_list_copy (webkit_context_menu_get_items (menu));

  for (GList *l = items; l != NULL; l = l->next)
    {
      WebKitContextMenuItem *item = l->data;
      WebKitContextMenuAction action = webkit_context_menu_item_get_stock_action (item);
      gboolean keep = webkit_context_menu_item_is_separator (item);

      for (guint i = 0; i < G_N_ELEMENTS (allowed) && !keep; i++)
        keep = action == allowed[i];

      if (!keep)
        webkit_context_menu_remove (menu, item);
    }
  g_list_free (items);

  return webkit_context_menu_get_n_items (menu) == 0;
}

static void
show_web_failure (MendSigninPage *self,
                  const char     *id,
                  const char     *title,
                  const char     *explanation,
                  const char     *details)
{
  g_autoptr(MendFinding) finding = NULL;

  finding = mend_finding_new (id, MEND_SEVERITY_ERROR, title, explanation,
                              _("Check that this computer is connected to the internet, then try "
                                "again. You can also sign in with a code on another device, or "
                                "in your own browser."));
  mend_finding_set_details (finding, details);
  show_finding (self, finding);
}

static gboolean
is_showing_web (MendSigninPage *self)
{
  return self->state == STATE_SIGNING_IN && self->method == MEND_SIGNIN_METHOD_WEB;
}

static gboolean
on_load_failed (WebKitWebView   *web_view,
                WebKitLoadEvent  load_event,
                const char      *failing_uri,
                GError          *error,
                MendSigninPage  *self)
{
  g_autofree char *details = NULL;

  /* Our own refusals (the redirect, a download) leave the page as it was;
   * after the redirect the view is on its way out. */
  if (!is_showing_web (self) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR,
                       WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE) ||
      g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED))
    return TRUE;

  details = g_strdup_printf ("%s %d: %s", g_quark_to_string (error->domain), error->code,
                             error->message);
  show_web_failure (self, "sign-in-page-unavailable",
                    _("Microsoft’s sign-in page did not load"),
                    _("Mailmend could not reach Microsoft’s sign-in page."),
                    details);

  return TRUE;
}

static gboolean
on_load_failed_with_tls_errors (WebKitWebView        *web_view,
                                const char           *failing_uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                MendSigninPage       *self)
{
  g_autofree char *details = NULL;

  if (!is_showing_web (self))
    return TRUE;

  details = g_strdup_printf ("GTlsCertificateFlags 0x%x", (guint) errors);
  show_web_failure (self, "sign-in-page-untrusted",
                    _("The sign-in page could not be trusted"),
                    _("The page did not prove that it is Microsoft’s: its security certificate "
                      "is not valid. Something on this network may be listening in, so the page "
                      "was not shown."),
                    details);

  return TRUE;
}

static void
on_web_process_terminated (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           MendSigninPage                    *self)
{
  g_autofree char *details = NULL;

  if (!is_showing_web (self))
    return;

  details = g_strdup_printf ("WebKitWebProcessTerminationReason %d", reason);
  show_web_failure (self, "sign-in-page-stopped",
                    _("The sign-in page stopped working"),
                    _("The part of Mailmend that shows Microsoft’s page stopped unexpectedly."),
                    details);
}

static void
update_address_display (MendSigninPage *self)
{
  const char *uri = webkit_web_view_get_uri (self->web_view);
  g_autoptr(GUri) parsed = NULL;
  g_autofree char *host = NULL;
  gboolean secure = FALSE;

  if (uri != NULL)
    parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);

  if (parsed != NULL && g_uri_get_host (parsed) != NULL)
    {
      secure = g_ascii_strcasecmp (g_uri_get_scheme (parsed), "https") == 0;
      if (g_uri_get_port (parsed) != -1)
        host = g_strdup_printf ("%s:%d", g_uri_get_host (parsed), g_uri_get_port (parsed));
      else
        host = g_strdup (g_uri_get_host (parsed));
    }

  /* The host only: the rest of the address may carry the sign-in's state. */
  gtk_label_set_label (self->host_label, host ? host : "");
  gtk_image_set_from_icon_name (self->security_icon,
                                secure ? "channel-secure-symbolic" : "channel-insecure-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->security_icon),
                               secure ? _("The connection to this page is encrypted")
                                      : _("The connection to this page is not encrypted"));
  gtk_widget_set_visible (GTK_WIDGET (self->insecure_label), host != NULL && !secure);
}

static void
update_progress (MendSigninPage *self)
{
  gtk_progress_bar_set_fraction (self->progress_bar,
                                 webkit_web_view_get_estimated_load_progress (self->web_view));
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          webkit_web_view_is_loading (self->web_view));
}

static void
create_web_view (MendSigninPage *self)
{
  g_autoptr(WebKitSettings) settings = NULL;

  g_assert (self->web_view == NULL);

  /* Nothing of this sign-in stays on disk, and nothing of another one
   * (a cookie, a cached page) comes in. */
  self->network_session = webkit_network_session_new_ephemeral ();
  g_signal_connect (self->network_session, "download-started",
                    G_CALLBACK (on_download_started), self);

  /* Microsoft's page needs JavaScript; no developer tools, no windows. */
  settings = webkit_settings_new_with_settings ("enable-javascript", TRUE,
                                                "javascript-can-open-windows-automatically", FALSE,
                                                "enable-developer-extras", FALSE,
                                                "enable-webrtc", FALSE,
                                                "enable-media-stream", FALSE,
                                                "enable-back-forward-navigation-gestures", FALSE,
                                                NULL);

  /* A context of its own too: once the last reference to it goes, so do its
   * web processes, rather than staying around for a next page. */
  self->web_context = webkit_web_context_new ();

  self->web_view = g_object_ref_sink (g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                                    "web-context", self->web_context,
                                                    "network-session", self->network_session,
                                                    "settings", settings,
                                                    "hexpand", TRUE,
                                                    "vexpand", TRUE,
                                                    NULL));

  g_signal_connect (self->web_view, "decide-policy", G_CALLBACK (on_decide_policy), self);
  g_signal_connect (self->web_view, "create", G_CALLBACK (on_create), self);
  g_signal_connect (self->web_view, "permission-request", G_CALLBACK (on_permission_request), self);
  g_signal_connect (self->web_view, "run-file-chooser", G_CALLBACK (on_run_file_chooser), self);
  g_signal_connect (self->web_view, "print", G_CALLBACK (on_refuse), self);
  g_signal_connect (self->web_view, "show-notification", G_CALLBACK (on_refuse), self);
  g_signal_connect (self->web_view, "enter-fullscreen", G_CALLBACK (on_enter_fullscreen), self);
  g_signal_connect (self->web_view, "context-menu", G_CALLBACK (on_context_menu), self);
  g_signal_connect (self->web_view, "load-failed", G_CALLBACK (on_load_failed), self);
  g_signal_connect (self->web_view, "load-failed-with-tls-errors",
                    G_CALLBACK (on_load_failed_with_tls_errors), self);
  g_signal_connect (self->web_view, "web-process-terminated",
                    G_CALLBACK (on_web_process_terminated), self);
  g_signal_connect_swapped (self->web_view, "notify::uri",
                            G_CALLBACK (update_address_display), self);
  g_signal_connect_swapped (self->web_view, "notify::estimated-load-progress",
                            G_CALLBACK (update_progress), self);
  g_signal_connect_swapped (self->web_view, "notify::is-loading",
                            G_CALLBACK (update_progress), self);

  gtk_overlay_set_child (self->web_overlay, GTK_WIDGET (self->web_view));
}

static const char *
guess_domain_hint (MendSigninPage *self)
{
  MendTenantType tenant_type = mend_oauth_settings_get_tenant_type (self->settings);
  const char *at = self->address ? strrchr (self->address, '@') : NULL;

  /* Outlook.com, Hotmail and Live addresses are personal accounts for sure. */
  if (tenant_type == MEND_TENANT_TYPE_UNKNOWN && at != NULL &&
      mend_microsoft_is_consumer_host (at + 1))
    tenant_type = MEND_TENANT_TYPE_CONSUMER;

  return mend_oauth_domain_hint_for_tenant_type (tenant_type);
}

static gboolean
new_flow (MendSigninPage *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->flow);
  g_clear_pointer (&self->authorize_url, g_free);

  self->flow = mend_oauth_flow_new (self->settings, &error);
  if (self->flow == NULL)
    {
      show_error (self, error);
      return FALSE;
    }

  self->authorize_url = mend_oauth_flow_build_authorize_url (self->flow, self->address,
                                                             guess_domain_hint (self));

  return TRUE;
}

static void
start_web (MendSigninPage *self)
{
  if (!new_flow (self))
    return;

  gtk_label_set_label (self->host_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->insecure_label), FALSE);
  set_state (self, STATE_SIGNING_IN);
  create_web_view (self);

  g_debug ("Loading Microsoft’s sign-in page");
  webkit_web_view_load_uri (self->web_view, self->authorize_url);
}

/* ---------------------------------------------------------------------------------------------
 * The device code
 * ------------------------------------------------------------------------------------------- */

static void
on_device_code_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GError) error = NULL;

  token = mend_oauth_client_wait_for_device_code_finish (MEND_OAUTH_CLIENT (object), result,
                                                         &error);

  if (!operation_is_current (operation))
    return;

  if (token == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (operation->self, error);
      return;
    }

  save_token (operation->self, token);
}

static void
show_device_code (MendSigninPage *self)
{
  MendOAuthDeviceCode *device_code = self->device_code;
  guint minutes = MAX (1, device_code->expires_in / 60);
  g_autofree char *expiry = NULL;

  gtk_label_set_label (self->user_code_label, device_code->user_code);
  gtk_link_button_set_uri (self->verification_link, device_code->verification_uri);
  gtk_button_set_label (GTK_BUTTON (self->verification_link), device_code->verification_uri);

  expiry = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "The code works for %u minute.",
                                         "The code works for %u minutes.",
                                         minutes),
                            minutes);
  gtk_label_set_label (self->code_expiry_label, expiry);

  gtk_spinner_set_spinning (self->requesting_spinner, FALSE);
  gtk_spinner_set_spinning (self->waiting_spinner, TRUE);
  gtk_stack_set_visible_child_name (self->code_stack, "ready");
}

static void
on_device_code (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  g_autoptr(MendOAuthDeviceCode) device_code = NULL;
  g_autoptr(GError) error = NULL;
  MendSigninPage *self = operation->self;

  device_code = mend_oauth_client_request_device_code_finish (MEND_OAUTH_CLIENT (object), result,
                                                              &error);

  if (!operation_is_current (operation))
    return;

  if (device_code == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
      return;
    }

  g_debug ("Got a device code; waiting for the sign-in on another device");
  g_clear_pointer (&self->device_code, mend_oauth_device_code_free);
  self->device_code = g_steal_pointer (&device_code);
  show_device_code (self);

  mend_oauth_client_wait_for_device_code_async (self->client, self->settings, self->device_code,
                                                self->address, self->cancellable,
                                                on_device_code_done, operation_new (self));
}

static void
start_code (MendSigninPage *self)
{
  gtk_stack_set_visible_child_name (self->code_stack, "requesting");
  set_state (self, STATE_SIGNING_IN);
  gtk_spinner_set_spinning (self->requesting_spinner, TRUE);

  mend_oauth_client_request_device_code_async (self->client, self->settings, self->cancellable,
                                               on_device_code, operation_new (self));
}

/* ---------------------------------------------------------------------------------------------
 * The user's own browser
 * ------------------------------------------------------------------------------------------- */

static void
show_browser_message (MendSigninPage *self,
                      const char     *message)
{
  gtk_label_set_label (self->browser_message, message);
  gtk_widget_set_visible (GTK_WIDGET (self->browser_message), message != NULL);
}

static void
show_paste_error (MendSigninPage *self,
                  const char     *message)
{
  gtk_label_set_label (self->paste_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->paste_error), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->pasted_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->pasted_row), "error");
}

static void
start_browser (MendSigninPage *self)
{
  if (!new_flow (self))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->pasted_row), "");
  show_paste_error (self, NULL);
  show_browser_message (self, NULL);
  set_state (self, STATE_SIGNING_IN);
}

static void
on_browser_launched (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  g_autoptr(GError) error = NULL;

  if (g_app_info_launch_default_for_uri_finish (result, &error))
    return;

  g_debug ("No browser opened: %s", error->message);
  if (operation_is_current (operation))
    show_browser_message (operation->self,
                          _("No web browser could be opened. Copy the link, and paste it into a "
                            "browser’s address bar."));
}

static void
launch_browser (MendSigninPage *self)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;

  if (self->authorize_url == NULL)
    return;

  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  show_browser_message (self, NULL);
  g_app_info_launch_default_for_uri_async (self->authorize_url, G_APP_LAUNCH_CONTEXT (context),
                                           self->cancellable, on_browser_launched,
                                           operation_new (self));
}

static void
continue_with_pasted (MendSigninPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->pasted_row));

  if (self->flow == NULL || self->state != STATE_SIGNING_IN ||
      self->method != MEND_SIGNIN_METHOD_BROWSER)
    return;

  if (!mend_oauth_flow_parse_redirect (self->flow, text, &code, &error))
    {
      /* A wrong paste gets a second chance; Microsoft's answers do not. */
      if (g_error_matches (error, MEND_OAUTH_ERROR, MEND_OAUTH_ERROR_REDIRECT_INVALID))
        show_paste_error (self, error->message);
      else
        show_error (self, error);
      return;
    }

  show_paste_error (self, NULL);
  exchange_code (self, code);
}

/* ---------------------------------------------------------------------------------------------
 * Starting and stopping
 * ------------------------------------------------------------------------------------------- */

static void
stop (MendSigninPage *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  destroy_web_view (self);
  g_clear_object (&self->flow);
  g_clear_pointer (&self->device_code, mend_oauth_device_code_free);
  g_clear_pointer (&self->authorize_url, g_free);
}

static void
show_no_client_id (MendSigninPage *self,
                   const GError   *error)
{
  g_autoptr(MendFinding) finding = finding_for_error (error);

  g_debug ("No client id: sign-in is not possible");
  g_set_object (&self->finding, finding);
  adw_status_page_set_title (self->no_client_id_status, mend_finding_get_title (finding));
  adw_status_page_set_description (self->no_client_id_status,
                                   mend_finding_get_explanation (finding));
  gtk_label_set_label (self->no_client_id_remedy, mend_finding_get_remedy (finding));
  set_state (self, STATE_NO_CLIENT_ID);
}

static void
on_stored_sign_ins (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Operation) operation = user_data;
  g_autoptr(GPtrArray) tokens = NULL;
  g_autoptr(GError) error = NULL;
  MendOAuthToken *current = NULL;
  MendSigninPage *self;

  tokens = mend_token_store_list_finish (MEND_TOKEN_STORE (object), result, NULL, &error);

  if (!operation_is_current (operation))
    return;

  self = operation->self;
  if (tokens == NULL)
    {
      show_error (self, error);
      return;
    }

  /* Every chosen address signed in before counts as done, not only the current one. */
  self->keyring_checked = TRUE;
  for (guint i = 0; i < tokens->len; i++)
    {
      MendOAuthToken *token = g_ptr_array_index (tokens, i);
      const char *address = mend_oauth_token_get_address (token);

      if (address == NULL || mend_oauth_token_get_refresh_token (token) == NULL)
        continue;
      if (g_ascii_strcasecmp (address, self->address) == 0)
        current = token;
      else if (g_ptr_array_find_with_equal_func (self->addresses, address, address_equal, NULL))
        g_hash_table_add (self->signed_in, g_ascii_strdown (address, -1));
    }

  if (current != NULL)
    show_done (self, current, TRUE);
  else
    start (self);
}

static void
look_for_stored_sign_ins (MendSigninPage *self)
{
  if (self->token_service == NULL)
    self->token_service = mend_token_service_new ();

  set_state (self, STATE_WORKING);
  mend_token_store_list_async (mend_token_service_get_store (self->token_service),
                               self->cancellable, on_stored_sign_ins, operation_new (self));
}

static void
start (MendSigninPage *self)
{
  g_autoptr(MendOAuthSettings) settings = NULL;
  g_autoptr(GError) error = NULL;

  stop (self);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->settings);
  g_clear_object (&self->finding);

  /* Read each time: the preferences may have changed since. */
  settings = mend_oauth_settings_new_from_gsettings (&error);
  if (settings == NULL)
    {
      show_error (self, error);
      return;
    }

  if (!mend_oauth_settings_check_client_id (settings, &error))
    {
      show_no_client_id (self, error);
      return;
    }

  if (!looks_like_address (self->address))
    {
      set_state (self, STATE_ADDRESS);
      return;
    }

  self->settings = g_steal_pointer (&settings);
  if (self->client == NULL)
    self->client = mend_oauth_client_new ();

  /* Whoever signed in before, here or with `mailmend signin`, need not do it again. */
  if (!self->keyring_checked && !self->sign_in_again)
    {
      look_for_stored_sign_ins (self);
      return;
    }

  g_debug ("Signing in with the %s method", view_name_for_method (self->method));

  switch (self->method)
    {
    case MEND_SIGNIN_METHOD_CODE:
      start_code (self);
      break;

    case MEND_SIGNIN_METHOD_BROWSER:
      start_browser (self);
      break;

    case MEND_SIGNIN_METHOD_WEB:
    default:
      start_web (self);
      break;
    }
}

/* Waiting for a client id, or for a valid value in place of an invalid one: the preferences
 * may just have provided it. */
static void
on_preferences_changed (MendSigninPage *self,
                        const char     *key)
{
  gboolean waiting = self->state == STATE_NO_CLIENT_ID ||
                     (self->state == STATE_ERROR && self->settings == NULL);

  if (waiting && g_strv_contains (preference_keys, key) &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      g_debug ("The sign-in preferences changed: starting over");
      start (self);
    }
}

static void
use_method (MendSigninPage   *self,
            MendSigninMethod  method)
{
  self->method = method;
  start (self);
}

/* ---------------------------------------------------------------------------------------------
 * Actions and template callbacks
 * ------------------------------------------------------------------------------------------- */

static void
on_address_row_changed (MendSigninPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autofree char *address = g_strstrip (g_strdup (text));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.start", looks_like_address (address));
}

static void
on_address_row_activated (MendSigninPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "signin.start", NULL);
}

static void
on_pasted_row_changed (MendSigninPage *self)
{
  show_paste_error (self, NULL);
}

static void
on_pasted_row_activated (MendSigninPage *self)
{
  continue_with_pasted (self);
}

static void
signin_start_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->address_row));
  g_autofree char *address = g_strstrip (g_strdup (text));

  if (!looks_like_address (address))
    return;

  /* A new address starts over by itself. */
  if (g_strcmp0 (self->address, address) == 0)
    start (self);
  else
    mend_signin_page_set_address (self, address);
}

static void
signin_next_address_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);
  const char *next = next_pending_address (self);

  if (next != NULL)
    switch_to_address (self, next);
}

/* The stored sign-in may be the wrong account, or one the user wants to renew. */
static void
signin_again_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);
  g_autofree char *key = g_ascii_strdown (self->address, -1);
  gboolean was_complete = mend_signin_page_get_complete (self);

  self->sign_in_again = TRUE;
  g_hash_table_remove (self->signed_in, key);
  start (self);

  if (was_complete != mend_signin_page_get_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
signin_retry_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  start (MEND_SIGNIN_PAGE (widget));
}

static void
signin_use_web_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  use_method (MEND_SIGNIN_PAGE (widget), MEND_SIGNIN_METHOD_WEB);
}

static void
signin_use_code_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  use_method (MEND_SIGNIN_PAGE (widget), MEND_SIGNIN_METHOD_CODE);
}

static void
signin_use_browser_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);

  use_method (self, MEND_SIGNIN_METHOD_BROWSER);
  if (self->state == STATE_SIGNING_IN)
    launch_browser (self);
}

static void
signin_open_browser_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  launch_browser (MEND_SIGNIN_PAGE (widget));
}

static void
signin_copy_link_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);

  if (self->authorize_url == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->authorize_url);
  show_browser_message (self,
                        _("The link is copied. Paste it into a web browser’s address bar."));
}

static void
signin_copy_code_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);

  if (self->device_code != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), self->device_code->user_code);
}

static void
signin_continue_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  continue_with_pasted (MEND_SIGNIN_PAGE (widget));
}

/* Stops waiting for the code, back to the page in the window. */
static void
signin_cancel_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  use_method (MEND_SIGNIN_PAGE (widget), MEND_SIGNIN_METHOD_WEB);
}

/* ---------------------------------------------------------------------------------------------
 * GObject and GtkWidget
 * ------------------------------------------------------------------------------------------- */

static void
mend_signin_page_map (GtkWidget *widget)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);

  GTK_WIDGET_CLASS (mend_signin_page_parent_class)->map (widget);

  /* At once, so that the first frame of the step already shows where the
   * sign-in is, and the wizard knows whether it may go on. */
  if (self->state != STATE_DONE)
    start (self);
}

static void
mend_signin_page_unmap (GtkWidget *widget)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (widget);

  /* Leaving the page ends the attempt, and releases the web view. */
  stop (self);

  GTK_WIDGET_CLASS (mend_signin_page_parent_class)->unmap (widget);
}

static void
mend_signin_page_dispose (GObject *object)
{
  MendSigninPage *self = (MendSigninPage *) object;

  stop (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), MEND_TYPE_SIGNIN_PAGE);

  if (self->preferences != NULL)
    g_signal_handlers_disconnect_by_data (self->preferences, self);
  g_clear_object (&self->preferences);

  g_clear_object (&self->settings);
  g_clear_object (&self->finding);
  g_clear_object (&self->client);
  g_clear_object (&self->token_service);

  G_OBJECT_CLASS (mend_signin_page_parent_class)->dispose (object);
}

static void
mend_signin_page_finalize (GObject *object)
{
  MendSigninPage *self = (MendSigninPage *) object;

  g_clear_pointer (&self->address, g_free);
  g_clear_pointer (&self->addresses, g_ptr_array_unref);
  g_clear_pointer (&self->signed_in, g_hash_table_unref);

  G_OBJECT_CLASS (mend_signin_page_parent_class)->finalize (object);
}

static void
mend_signin_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case PROP_COMPLETE:
      g_value_set_boolean (value, mend_signin_page_get_complete (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_signin_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MendSigninPage *self = MEND_SIGNIN_PAGE (object);

  switch (prop_id)
    {
    case PROP_ADDRESS:
      mend_signin_page_set_address (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_signin_page_class_init (MendSigninPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mend_signin_page_dispose;
  object_class->finalize = mend_signin_page_finalize;
  object_class->get_property = mend_signin_page_get_property;
  object_class->set_property = mend_signin_page_set_property;
  widget_class->map = mend_signin_page_map;
  widget_class->unmap = mend_signin_page_unmap;

  /**
   * MendSigninPage:address:
   *
   * The address to sign in with; %NULL to ask for one.
   */
  properties[PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * MendSigninPage:complete:
   *
   * Whether the wizard may go on: signed in, or nothing to do here because
   * this copy of Mailmend cannot sign in (no client id).
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PATH "/ui/mend-signin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, box);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, address_row);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, no_client_id_status);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, no_client_id_remedy);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, security_icon);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, host_label);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, insecure_label);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, web_overlay);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, code_stack);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, requesting_spinner);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, verification_link);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, user_code_label);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, code_expiry_label);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, waiting_spinner);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, browser_message);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, pasted_row);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, paste_error);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, working_spinner);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, done_status);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, other_account_label);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, done_hint);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, next_address_button);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, sign_in_again_button);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, error_remedy);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, error_link);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, error_details_expander);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, error_details);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, method_bar);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, use_web_button);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, use_code_button);
  gtk_widget_class_bind_template_child (widget_class, MendSigninPage, use_browser_button);
  gtk_widget_class_bind_template_callback (widget_class, on_address_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_address_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_pasted_row_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_pasted_row_activated);

  gtk_widget_class_install_action (widget_class, "signin.start", NULL, signin_start_action);
  gtk_widget_class_install_action (widget_class, "signin.retry", NULL, signin_retry_action);
  gtk_widget_class_install_action (widget_class, "signin.next-address", NULL,
                                   signin_next_address_action);
  gtk_widget_class_install_action (widget_class, "signin.again", NULL, signin_again_action);
  gtk_widget_class_install_action (widget_class, "signin.use-web", NULL, signin_use_web_action);
  gtk_widget_class_install_action (widget_class, "signin.use-code", NULL, signin_use_code_action);
  gtk_widget_class_install_action (widget_class, "signin.use-browser", NULL,
                                   signin_use_browser_action);
  gtk_widget_class_install_action (widget_class, "signin.open-browser", NULL,
                                   signin_open_browser_action);
  gtk_widget_class_install_action (widget_class, "signin.copy-link", NULL, signin_copy_link_action);
  gtk_widget_class_install_action (widget_class, "signin.copy-code", NULL, signin_copy_code_action);
  gtk_widget_class_install_action (widget_class, "signin.continue", NULL, signin_continue_action);
  gtk_widget_class_install_action (widget_class, "signin.cancel", NULL, signin_cancel_action);
}

static void
mend_signin_page_init (MendSigninPage *self)
{
  self->addresses = g_ptr_array_new_with_free_func (g_free);
  self->signed_in = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->method = MEND_SIGNIN_METHOD_WEB;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "signin.start", FALSE);

  /* GSettings only tells of changes to keys read since the handler was connected. */
  self->preferences = g_settings_new (SCHEMA_ID);
  g_signal_connect_swapped (self->preferences, "changed", G_CALLBACK (on_preferences_changed),
                            self);
  for (guint i = 0; preference_keys[i] != NULL; i++)
    g_free (g_settings_get_string (self->preferences, preference_keys[i]));
}

/**
 * mend_signin_page_get_address:
 *
 * Returns: (nullable): the address to sign in with
 */
const char *
mend_signin_page_get_address (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), NULL);

  return self->address;
}

/* Makes @address the one being signed in: a different one starts over, even after a
 * sign-in. */
static void
switch_to_address (MendSigninPage *self,
                   const char     *address)
{
  if (address != NULL && address[0] == '\0')
    address = NULL;

  if (g_strcmp0 (self->address, address) == 0)
    return;

  g_free (self->address);
  self->address = g_strdup (address);
  self->keyring_checked = FALSE;
  self->sign_in_again = FALSE;
  gtk_editable_set_text (GTK_EDITABLE (self->address_row), address ? address : "");

  /* A sign-in for another address is not this one's. */
  if (self->state != STATE_IDLE && self->state != STATE_NO_CLIENT_ID)
    {
      stop (self);
      set_state (self, STATE_IDLE);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        start (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ADDRESS]);
}

/**
 * mend_signin_page_set_address:
 * @address: (nullable): the address to sign in with; %NULL to ask for one
 *
 * Signs in one address, as mend_signin_page_set_addresses() with one.
 */
void
mend_signin_page_set_address (MendSigninPage *self,
                              const char     *address)
{
  const char *addresses[] = { address, NULL };

  g_return_if_fail (MEND_IS_SIGNIN_PAGE (self));

  mend_signin_page_set_addresses (self, address != NULL && *address != '\0' ? addresses : NULL);
}

/**
 * mend_signin_page_set_addresses:
 * @addresses: (nullable) (array zero-terminated=1): the addresses of the accounts chosen on
 *   the Accounts page, each once; %NULL or empty to ask for one
 *
 * The page signs them in one after the other, skipping those already signed in (here or in
 * the keyring), and is complete once all are.
 */
void
mend_signin_page_set_addresses (MendSigninPage     *self,
                                const char * const *addresses)
{
  const char *first = NULL;
  gboolean was_complete;

  g_return_if_fail (MEND_IS_SIGNIN_PAGE (self));

  was_complete = mend_signin_page_get_complete (self);
  g_ptr_array_set_size (self->addresses, 0);
  for (guint i = 0; addresses != NULL && addresses[i] != NULL; i++)
    g_ptr_array_add (self->addresses, g_strdup (addresses[i]));

  /* Keep to the address on show while it is still chosen, or go to the first one to do. */
  if (self->address != NULL &&
      g_ptr_array_find_with_equal_func (self->addresses, self->address, address_equal, NULL))
    first = self->address;
  else if ((first = next_pending_address (self)) == NULL && self->addresses->len > 0)
    first = g_ptr_array_index (self->addresses, 0);

  switch_to_address (self, first);

  if (self->state == STATE_DONE && next_pending_address (self) != NULL)
    {
      /* The done page must offer the next address. */
      stop (self);
      set_state (self, STATE_IDLE);
      self->keyring_checked = FALSE;
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        start (self);
    }

  if (was_complete != mend_signin_page_get_complete (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/**
 * mend_signin_page_get_complete:
 *
 * Returns: whether the wizard may go on, see #MendSigninPage:complete
 */
gboolean
mend_signin_page_get_complete (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), FALSE);

  /* Another chosen address may stay without a sign-in (a work account waiting for its
   * admin's consent): the Repair step then says so for its accounts. */
  return self->state == STATE_DONE || self->state == STATE_NO_CLIENT_ID;
}

const char *
_mend_signin_page_get_view_name (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

/* Returns: (transfer none) (nullable): the finding shown, on an error or without a client id */
MendFinding *
_mend_signin_page_get_finding (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), NULL);

  return self->finding;
}

/* Returns: (transfer none) (nullable): the web view, while there is one */
GtkWidget *
_mend_signin_page_get_web_view (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), NULL);

  return self->web_view ? GTK_WIDGET (self->web_view) : NULL;
}

const char *
_mend_signin_page_get_authorize_url (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), NULL);

  return self->authorize_url;
}

const char *
_mend_signin_page_get_user_code (MendSigninPage *self)
{
  g_return_val_if_fail (MEND_IS_SIGNIN_PAGE (self), NULL);

  return self->device_code ? self->device_code->user_code : NULL;
}

/* Like the buttons below the page, without opening a browser. */
void
_mend_signin_page_use_method (MendSigninPage   *self,
                              MendSigninMethod  method)
{
  g_return_if_fail (MEND_IS_SIGNIN_PAGE (self));

  use_method (self, method);
}
