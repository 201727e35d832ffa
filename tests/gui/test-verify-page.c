/* test-verify-page.c: the Verify step against the rig's Dovecot and the fake provider
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real sign-in (the engine's flow against mend-fake-idp) is kept in the rig's keyring;
 * the page logs in with it to a private Dovecot whose oauth2 passdb asks the fake provider
 * whether the token is live (tests/integration/mend-test-mail-server.[ch]). Then: a revoked
 * token is refused with `token-rejected`; an address without a sign-in offers the way back
 * to the Sign In step; no Microsoft account gives the empty state.
 */

#include "config.h"

#include <adwaita.h>
#include <libsecret/secret.h>

#include "mend-account-group.h"
#include "mend-finding-row.h"
#include "mend-test-gui.h"
#include "mend-test-mail-server.h"
#include "mend-test-oauth.h"
#include "mend-token-store.h"
#include "pages/mend-verify-page.h"

typedef struct
{
  MendTestIdp        *idp;
  MendTestMailServer *server;
  GtkWidget          *window;
  MendVerifyPage     *page;
  char               *address;
} Fixture;

static guint
count_success_icons (Fixture *fixture)
{
  g_autoptr(GPtrArray) images = mend_test_gui_find_all (GTK_WIDGET (fixture->page), GTK_TYPE_IMAGE);
  guint count = 0;

  for (guint i = 0; i < images->len; i++)
    {
      GtkWidget *image = g_ptr_array_index (images, i);

      if (gtk_widget_has_css_class (image, "success") &&
          g_strcmp0 (gtk_image_get_icon_name (GTK_IMAGE (image)), "emblem-ok-symbolic") == 0)
        count++;
    }

  return count;
}

static gboolean
finding_shown (Fixture    *fixture,
               const char *id)
{
  g_autoptr(GPtrArray) rows = mend_test_gui_find_all (GTK_WIDGET (fixture->page),
                                                      MEND_TYPE_FINDING_ROW);

  for (guint i = 0; i < rows->len; i++)
    {
      MendFinding *finding = mend_finding_row_get_finding (g_ptr_array_index (rows, i));

      if (g_str_equal (mend_finding_get_id (finding), id))
        return TRUE;
    }

  return FALSE;
}

/* The check is over when Check Again can be pressed again. */
static gboolean
check_finished (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *button = mend_test_gui_find_button (GTK_WIDGET (fixture->page),
                                                 "verify.check-again", NULL);

  return button != NULL && gtk_widget_get_sensitive (button) && gtk_widget_get_mapped (button);
}

static GPtrArray *
groups_for (const char *address,
            gboolean    pop)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  MendProtocol protocols[] = { pop ? MEND_PROTOCOL_POP3 : MEND_PROTOCOL_IMAP, MEND_PROTOCOL_SMTP };

  for (guint i = 0; i < G_N_ELEMENTS (protocols); i++)
    {
      g_autofree char *key = g_strdup_printf ("server%u", i);
      MendAccount *account = mend_account_new ("msmtp", "/home/u/.msmtprc", key, protocols[i]);

      mend_account_set_address (account, address);
      mend_account_set_host (account, protocols[i] == MEND_PROTOCOL_SMTP ? "smtp.office365.com"
                                                                         : "outlook.office365.com");
      g_ptr_array_add (accounts, account);
    }

  return mend_account_group_collect (accounts);
}

static void
show_page (Fixture    *fixture,
           GPtrArray  *groups)
{
  fixture->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 640, 720);
  fixture->page = g_object_new (MEND_TYPE_VERIFY_PAGE, NULL);
  mend_verify_page_set_accounts (fixture->page, groups);
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (GTK_WINDOW (fixture->window));
}

static void
point_at_rig (Fixture *fixture)
{
  g_autofree char *imap = g_strdup_printf ("imaps://127.0.0.1:%u",
                                           mend_test_mail_server_get_imaps_port (fixture->server));
  g_autofree char *smtp = g_strdup_printf ("smtp://127.0.0.1:%u",
                                           mend_test_mail_server_get_submission_port (fixture->server));
  g_autofree char *pop = g_strdup_printf ("pop3s://127.0.0.1:%u",
                                          mend_test_mail_server_get_pop3s_port (fixture->server));

  g_setenv ("MAILMEND_VERIFY_IMAP", imap, TRUE);
  g_setenv ("MAILMEND_VERIFY_SMTP", smtp, TRUE);
  g_setenv ("MAILMEND_VERIFY_POP", pop, TRUE);
  g_setenv ("MAILMEND_VERIFY_CA_FILE", mend_test_mail_server_get_ca_file (fixture->server), TRUE);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *introspection_url = NULL;
  g_autoptr(GError) error = NULL;
  static guint counter;

  if (!mend_test_mail_server_can_run ())
    return;

  fixture->address = g_strdup_printf ("verify-%u-%u@example.com", (guint) getpid (), ++counter);
  fixture->idp = mend_test_idp_start (NULL);
  introspection_url = g_strconcat (fixture->idp->base, "/introspect", NULL);
  fixture->server = mend_test_mail_server_start (introspection_url, &error);
  g_assert_no_error (error);
  point_at_rig (fixture);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  mend_test_gui_run_pending ();

  if (fixture->address != NULL)
    mend_test_forget (fixture->address);
  g_clear_pointer (&fixture->server, mend_test_mail_server_stop);
  g_clear_pointer (&fixture->idp, mend_test_idp_stop);
  g_clear_pointer (&fixture->address, g_free);
}

static void
test_works_then_revoked (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GPtrArray) groups = NULL;

  if (fixture->server == NULL)
    return;

  token = mend_test_idp_sign_in (fixture->idp, fixture->address);
  groups = groups_for (fixture->address, FALSE);
  show_page (fixture, groups);
  mend_test_gui_wait_for (check_finished, fixture, "the logins");

  /* IMAP and SMTP, both logged in, and nothing to report. */
  g_assert_cmpuint (count_success_icons (fixture), ==, 2);
  g_assert_false (finding_shown (fixture, "token-rejected"));

  /* Microsoft takes the sign-in back: both servers refuse it. */
  mend_test_idp_control (fixture->idp, "revoke", "login", fixture->address, NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "verify.check-again", NULL);
  g_assert_false (check_finished (fixture));
  mend_test_gui_wait_for (check_finished, fixture, "the logins");
  g_assert_cmpuint (count_success_icons (fixture), ==, 0);
  g_assert_true (finding_shown (fixture, "token-rejected"));
}

static void
test_pop (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(MendOAuthToken) token = NULL;
  g_autoptr(GPtrArray) groups = NULL;

  if (fixture->server == NULL)
    return;

  /* POP is checked too, for an account that uses it: IMAP, SMTP and POP. */
  token = mend_test_idp_sign_in (fixture->idp, fixture->address);
  groups = groups_for (fixture->address, TRUE);
  show_page (fixture, groups);
  mend_test_gui_wait_for (check_finished, fixture, "the logins");

  g_assert_cmpuint (count_success_icons (fixture), ==, 3);
}

static void
test_not_signed_in (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = NULL;

  if (fixture->server == NULL)
    return;

  groups = groups_for (fixture->address, FALSE);
  show_page (fixture, groups);
  mend_test_gui_wait_for (check_finished, fixture, "the check");

  g_assert_true (finding_shown (fixture, "not-signed-in"));
  g_assert_cmpuint (count_success_icons (fixture), ==, 0);
}

static void
test_nothing_chosen (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) groups = g_ptr_array_new ();
  g_autoptr(GPtrArray) pages = NULL;
  gboolean shown = FALSE;

  if (fixture->server == NULL)
    return;

  show_page (fixture, groups);
  mend_test_gui_wait_for (mend_test_gui_widget_is_mapped, fixture->page, "the page to map");

  pages = mend_test_gui_find_all (GTK_WIDGET (fixture->page), ADW_TYPE_STATUS_PAGE);
  for (guint i = 0; i < pages->len; i++)
    {
      AdwStatusPage *page = g_ptr_array_index (pages, i);

      if (g_strcmp0 (adw_status_page_get_title (page), "Nothing to Test") == 0)
        shown = gtk_widget_get_mapped (GTK_WIDGET (page));
    }
  g_assert_true (shown);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-verify-page");

  if (!mend_test_gui_init ())
    return 0;

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/verify-page/works-then-revoked", test_works_then_revoked);
  ADD ("/verify-page/pop", test_pop);
  ADD ("/verify-page/not-signed-in", test_not_signed_in);
  ADD ("/verify-page/nothing-chosen", test_nothing_chosen);
#undef ADD

  ret = g_test_run ();
  secret_service_disconnect ();

  return ret;
}
