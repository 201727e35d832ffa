/* test-microsoft.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "mend-account.h"
#include "mend-microsoft.h"

static void
test_classify_host (void)
{
  static const struct {
    const char         *host;
    MendMicrosoftCloud  cloud;
  } cases[] = {
    { "outlook.office365.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "smtp.office365.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "outlook.office.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "imap-mail.outlook.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "smtp-mail.outlook.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "pop-mail.outlook.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "Outlook.Office365.COM", MEND_MICROSOFT_CLOUD_GLOBAL },
    { " outlook.office365.com. ", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "pop3.live.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "smtp.hotmail.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "outlook.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "graph.microsoft.com", MEND_MICROSOFT_CLOUD_GLOBAL },
    { "www.microsoft.com", MEND_MICROSOFT_CLOUD_NONE },
    { "outlook.office365.us", MEND_MICROSOFT_CLOUD_US_GOVERNMENT },
    { "smtp.office365.us", MEND_MICROSOFT_CLOUD_US_GOVERNMENT },
    { "partner.outlook.cn", MEND_MICROSOFT_CLOUD_CHINA },
    { "smtp.partner.outlook.cn", MEND_MICROSOFT_CLOUD_CHINA },
    /* Look-alikes and others. */
    { "myoutlook.com", MEND_MICROSOFT_CLOUD_NONE },
    { "outlook.com.evil.example", MEND_MICROSOFT_CLOUD_NONE },
    { "office365.com.example.org", MEND_MICROSOFT_CLOUD_NONE },
    { "outlook.cn", MEND_MICROSOFT_CLOUD_NONE },
    { "imap.gmail.com", MEND_MICROSOFT_CLOUD_NONE },
    { "mail.example.com", MEND_MICROSOFT_CLOUD_NONE },
    { "", MEND_MICROSOFT_CLOUD_NONE },
    { "   ", MEND_MICROSOFT_CLOUD_NONE },
    { NULL, MEND_MICROSOFT_CLOUD_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].host ? cases[i].host : "(null)");
      g_assert_cmpint (mend_microsoft_classify_host (cases[i].host), ==, cases[i].cloud);
    }
}

static void
test_long_host (void)
{
  g_autofree char *host = g_strnfill (300, 'a');
  g_autofree char *long_outlook = g_strconcat (host, ".outlook.com", NULL);

  /* Longer than a DNS name can be: not Microsoft's, and no overflow. */
  g_assert_cmpint (mend_microsoft_classify_host (long_outlook), ==, MEND_MICROSOFT_CLOUD_NONE);
}

static void
test_legacy_hosts (void)
{
  g_assert_true (mend_microsoft_is_legacy_host ("imap-mail.outlook.com"));
  g_assert_true (mend_microsoft_is_legacy_host ("SMTP-MAIL.OUTLOOK.COM"));
  g_assert_true (mend_microsoft_is_legacy_host ("pop-mail.outlook.com"));
  g_assert_false (mend_microsoft_is_legacy_host ("outlook.office365.com"));
  g_assert_false (mend_microsoft_is_legacy_host ("smtp.office365.com"));
  g_assert_false (mend_microsoft_is_legacy_host (NULL));

  g_assert_true (mend_microsoft_is_consumer_host ("smtp-mail.outlook.com"));
  g_assert_true (mend_microsoft_is_consumer_host ("pop3.live.com"));
  g_assert_false (mend_microsoft_is_consumer_host ("outlook.office365.com"));

  g_assert_cmpstr (mend_microsoft_recommended_host (MEND_PROTOCOL_IMAP), ==, "outlook.office365.com");
  g_assert_cmpstr (mend_microsoft_recommended_host (MEND_PROTOCOL_SMTP), ==, "smtp.office365.com");
}

static void
test_consumer_address (void)
{
  static const char * const consumer[] = {
    "jo@outlook.com", "jo@Hotmail.com", "jo@live.com", "jo@msn.com", "jo@outlook.fr",
    "jo@hotmail.co.uk", "jo@outlook.com.br", "jo@live.nl", "jo@LIVE.COM.",
  };
  static const char * const work[] = {
    "jo@contoso.com", "jo@contoso.onmicrosoft.com", "jo@outlook.contoso.com",
    "jo@myoutlook.com", "jo@office365.com", "jo@liveware.com", "outlook.com", "",
    "jo@live.example.com", "jo@hotmail.", "jo@msn.com.evil.org",
  };

  for (guint i = 0; i < G_N_ELEMENTS (consumer); i++)
    g_assert_true (mend_microsoft_is_consumer_address (consumer[i]));
  for (guint i = 0; i < G_N_ELEMENTS (work); i++)
    g_assert_false (mend_microsoft_is_consumer_address (work[i]));
  g_assert_false (mend_microsoft_is_consumer_address (NULL));
}

static void
test_account_id_is_stable (void)
{
  g_autoptr(MendAccount) a = mend_account_new ("thunderbird", "/home/u/prefs.js", "mail.server.server1",
                                               MEND_PROTOCOL_IMAP);
  g_autoptr(MendAccount) b = mend_account_new ("thunderbird", "/home/u/prefs.js", "mail.server.server1",
                                               MEND_PROTOCOL_IMAP);
  g_autoptr(MendAccount) other_key = mend_account_new ("thunderbird", "/home/u/prefs.js",
                                                       "mail.server.server2", MEND_PROTOCOL_IMAP);
  g_autoptr(MendAccount) other_protocol = mend_account_new ("thunderbird", "/home/u/prefs.js",
                                                            "mail.server.server1", MEND_PROTOCOL_SMTP);
  /* The separator matters: "ab" + "c" is not "a" + "bc". */
  g_autoptr(MendAccount) shifted = mend_account_new ("thunderbir", "d/home/u/prefs.js",
                                                     "mail.server.server1", MEND_PROTOCOL_IMAP);

  g_assert_cmpuint (strlen (mend_account_get_id (a)), ==, 16);
  g_assert_cmpstr (mend_account_get_id (a), ==, mend_account_get_id (b));
  g_assert_cmpstr (mend_account_get_id (a), !=, mend_account_get_id (other_key));
  g_assert_cmpstr (mend_account_get_id (a), !=, mend_account_get_id (other_protocol));
  g_assert_cmpstr (mend_account_get_id (a), !=, mend_account_get_id (shifted));
}

static void
test_account_effective_port (void)
{
  g_autoptr(MendAccount) imap = mend_account_new ("x", "/f", "k", MEND_PROTOCOL_IMAP);
  g_autoptr(MendAccount) smtp = mend_account_new ("x", "/f", "k", MEND_PROTOCOL_SMTP);

  mend_account_set_security (imap, MEND_SECURITY_TLS);
  g_assert_cmpuint (mend_account_get_port (imap), ==, 993);
  mend_account_set_security (imap, MEND_SECURITY_STARTTLS);
  g_assert_cmpuint (mend_account_get_port (imap), ==, 143);
  mend_account_set_port (imap, 1993);
  g_assert_cmpuint (mend_account_get_port (imap), ==, 1993);
  mend_account_set_port (imap, 70000);
  g_assert_cmpuint (mend_account_get_port (imap), ==, 143);

  mend_account_set_security (smtp, MEND_SECURITY_STARTTLS);
  g_assert_cmpuint (mend_account_get_port (smtp), ==, 587);
  mend_account_set_security (smtp, MEND_SECURITY_TLS);
  g_assert_cmpuint (mend_account_get_port (smtp), ==, 465);
}

static void
test_account_microsoft (void)
{
  g_autoptr(MendAccount) account = mend_account_new ("x", "/f", "k", MEND_PROTOCOL_IMAP);

  g_assert_false (mend_account_is_microsoft (account));
  mend_account_set_host (account, "outlook.office365.com");
  g_assert_true (mend_account_is_microsoft (account));
  mend_account_set_host (account, "");
  g_assert_null (mend_account_get_host (account));
  g_assert_false (mend_account_is_microsoft (account));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/microsoft/classify-host", test_classify_host);
  g_test_add_func ("/microsoft/long-host", test_long_host);
  g_test_add_func ("/microsoft/legacy-hosts", test_legacy_hosts);
  g_test_add_func ("/microsoft/consumer-address", test_consumer_address);
  g_test_add_func ("/account/id-is-stable", test_account_id_is_stable);
  g_test_add_func ("/account/effective-port", test_account_effective_port);
  g_test_add_func ("/account/microsoft", test_account_microsoft);

  return g_test_run ();
}
