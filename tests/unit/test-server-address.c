/* test-server-address.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `--imap`, `--smtp` and `--pop` accept, and what they refuse.
 */

#include "config.h"

#include <gio/gio.h>

#include "mend-probe-error.h"
#include "mend-server-address.h"

typedef struct
{
  const char   *text;
  MendProtocol  protocol;
  const char   *host;
  guint16       port;
  MendSecurity  security;
  const char   *url;
} Valid;

static void
test_valid (void)
{
  static const Valid cases[] = {
    /* Schemes, with and without a port. */
    { "imaps://outlook.office365.com", MEND_PROTOCOL_IMAP, "outlook.office365.com", 993,
      MEND_SECURITY_TLS, "imaps://outlook.office365.com:993" },
    { "imap://mail.example.com", MEND_PROTOCOL_IMAP, "mail.example.com", 143,
      MEND_SECURITY_STARTTLS, "imap://mail.example.com:143" },
    { "imap://127.0.0.1:10143", MEND_PROTOCOL_IMAP, "127.0.0.1", 10143,
      MEND_SECURITY_STARTTLS, "imap://127.0.0.1:10143" },
    { "smtps://smtp.example.com", MEND_PROTOCOL_SMTP, "smtp.example.com", 465,
      MEND_SECURITY_TLS, "smtps://smtp.example.com:465" },
    { "smtp://smtp.office365.com", MEND_PROTOCOL_SMTP, "smtp.office365.com", 587,
      MEND_SECURITY_STARTTLS, "smtp://smtp.office365.com:587" },
    { "smtp://smtp.example.com:25", MEND_PROTOCOL_SMTP, "smtp.example.com", 25,
      MEND_SECURITY_STARTTLS, "smtp://smtp.example.com:25" },
    { "pop3s://outlook.office365.com", MEND_PROTOCOL_POP3, "outlook.office365.com", 995,
      MEND_SECURITY_TLS, "pop3s://outlook.office365.com:995" },
    { "pop3://pop.example.com", MEND_PROTOCOL_POP3, "pop.example.com", 110,
      MEND_SECURITY_STARTTLS, "pop3://pop.example.com:110" },
    /* A scheme overrides what the port would suggest. */
    { "imap://mail.example.com:993", MEND_PROTOCOL_IMAP, "mail.example.com", 993,
      MEND_SECURITY_STARTTLS, "imap://mail.example.com:993" },
    { "IMAPS://Mail.Example.COM:1993/", MEND_PROTOCOL_IMAP, "mail.example.com", 1993,
      MEND_SECURITY_TLS, "imaps://mail.example.com:1993" },
    /* Bare hosts: Microsoft's ports; bare ports: 993, 995 and 465 mean TLS. */
    { "outlook.office365.com", MEND_PROTOCOL_IMAP, "outlook.office365.com", 993,
      MEND_SECURITY_TLS, "imaps://outlook.office365.com:993" },
    { "smtp.office365.com", MEND_PROTOCOL_SMTP, "smtp.office365.com", 587,
      MEND_SECURITY_STARTTLS, "smtp://smtp.office365.com:587" },
    { "outlook.office365.com", MEND_PROTOCOL_POP3, "outlook.office365.com", 995,
      MEND_SECURITY_TLS, "pop3s://outlook.office365.com:995" },
    { "mail.example.com:993", MEND_PROTOCOL_IMAP, "mail.example.com", 993,
      MEND_SECURITY_TLS, "imaps://mail.example.com:993" },
    { "mail.example.com:143", MEND_PROTOCOL_IMAP, "mail.example.com", 143,
      MEND_SECURITY_STARTTLS, "imap://mail.example.com:143" },
    { "mail.example.com:465", MEND_PROTOCOL_SMTP, "mail.example.com", 465,
      MEND_SECURITY_TLS, "smtps://mail.example.com:465" },
    { "mail.example.com:2525", MEND_PROTOCOL_SMTP, "mail.example.com", 2525,
      MEND_SECURITY_STARTTLS, "smtp://mail.example.com:2525" },
    { "mail.example.com:995", MEND_PROTOCOL_POP3, "mail.example.com", 995,
      MEND_SECURITY_TLS, "pop3s://mail.example.com:995" },
    { "mail.example.com:110", MEND_PROTOCOL_POP3, "mail.example.com", 110,
      MEND_SECURITY_STARTTLS, "pop3://mail.example.com:110" },
    /* IPv6 in brackets, written back in its shortest form. */
    { "[::1]:10993", MEND_PROTOCOL_IMAP, "::1", 10993, MEND_SECURITY_STARTTLS,
      "imap://[::1]:10993" },
    { "imaps://[2001:DB8:0:0::1]", MEND_PROTOCOL_IMAP, "2001:db8::1", 993, MEND_SECURITY_TLS,
      "imaps://[2001:db8::1]:993" },
    { "[::1]", MEND_PROTOCOL_SMTP, "::1", 587, MEND_SECURITY_STARTTLS, "smtp://[::1]:587" },
    /* Spaces around, a fully qualified name, an international name. */
    { "  imaps://localhost:10993 ", MEND_PROTOCOL_IMAP, "localhost", 10993, MEND_SECURITY_TLS,
      "imaps://localhost:10993" },
    { "outlook.office365.com.:993", MEND_PROTOCOL_IMAP, "outlook.office365.com", 993,
      MEND_SECURITY_TLS, "imaps://outlook.office365.com:993" },
    { "mail.bücher.example", MEND_PROTOCOL_IMAP, "mail.xn--bcher-kva.example", 993,
      MEND_SECURITY_TLS, "imaps://mail.xn--bcher-kva.example:993" },
    { "my_host.lan:65535", MEND_PROTOCOL_IMAP, "my_host.lan", 65535, MEND_SECURITY_STARTTLS,
      "imap://my_host.lan:65535" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendServerAddress) address = NULL;
      g_autoptr(MendServerAddress) again = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *url = NULL;

      g_test_message ("%s", cases[i].text);
      address = mend_server_address_parse (cases[i].text, cases[i].protocol, &error);
      g_assert_no_error (error);
      g_assert_nonnull (address);
      g_assert_cmpint (mend_server_address_get_protocol (address), ==, cases[i].protocol);
      g_assert_cmpstr (mend_server_address_get_host (address), ==, cases[i].host);
      g_assert_cmpuint (mend_server_address_get_port (address), ==, cases[i].port);
      g_assert_cmpint (mend_server_address_get_security (address), ==, cases[i].security);

      url = mend_server_address_to_string (address);
      g_assert_cmpstr (url, ==, cases[i].url);

      /* What it writes, it reads back. */
      again = mend_server_address_parse (url, cases[i].protocol, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (mend_server_address_get_host (again), ==, cases[i].host);
      g_assert_cmpuint (mend_server_address_get_port (again), ==, cases[i].port);
      g_assert_cmpint (mend_server_address_get_security (again), ==, cases[i].security);
    }
}

typedef struct
{
  const char   *text;
  MendProtocol  protocol;
  const char   *says;
} Invalid;

static void
test_invalid (void)
{
  static const Invalid cases[] = {
    { "", MEND_PROTOCOL_IMAP, "empty" },
    { "   ", MEND_PROTOCOL_IMAP, "empty" },
    { "smtp://smtp.office365.com", MEND_PROTOCOL_IMAP, "not an address for IMAP" },
    { "imaps://outlook.office365.com", MEND_PROTOCOL_SMTP, "not an address for SMTP" },
    { "imap://outlook.office365.com", MEND_PROTOCOL_POP3, "not an address for POP" },
    { "http://outlook.office365.com", MEND_PROTOCOL_IMAP, "not a mail server scheme" },
    { "pop://pop.example.com", MEND_PROTOCOL_POP3, "not a mail server scheme" },
    { "imaps://", MEND_PROTOCOL_IMAP, "host name" },
    { "imaps://:993", MEND_PROTOCOL_IMAP, "host name" },
    { "imaps://user@outlook.office365.com", MEND_PROTOCOL_IMAP, "only a host and a port" },
    { "imaps://outlook.office365.com/INBOX", MEND_PROTOCOL_IMAP, "only a host and a port" },
    { "outlook.office365.com?x=1", MEND_PROTOCOL_IMAP, "only a host and a port" },
    { "outlook office365.com", MEND_PROTOCOL_IMAP, "only a host and a port" },
    { "mail.example.com:", MEND_PROTOCOL_IMAP, "port" },
    { "mail.example.com:0", MEND_PROTOCOL_IMAP, "port" },
    { "mail.example.com:65536", MEND_PROTOCOL_IMAP, "port" },
    { "mail.example.com:99999999999999999999", MEND_PROTOCOL_IMAP, "port" },
    { "mail.example.com:-1", MEND_PROTOCOL_IMAP, "port" },
    { "mail.example.com:99a", MEND_PROTOCOL_IMAP, "port" },
    { "mail.example.com:+993", MEND_PROTOCOL_IMAP, "port" },
    { "2001:db8::1", MEND_PROTOCOL_IMAP, "brackets" },
    { "::1:993", MEND_PROTOCOL_IMAP, "brackets" },
    { "[::1", MEND_PROTOCOL_IMAP, "]" },
    { "[127.0.0.1]:993", MEND_PROTOCOL_IMAP, "not an IPv6 address" },
    { "[not-an-address]", MEND_PROTOCOL_IMAP, "not an IPv6 address" },
    { "[::1]x", MEND_PROTOCOL_IMAP, "only a port" },
    { "[::1]:", MEND_PROTOCOL_IMAP, "port" },
    { "-bad.example.com", MEND_PROTOCOL_IMAP, "host name" },
    { "bad-.example.com", MEND_PROTOCOL_IMAP, "host name" },
    { "double..dot.example", MEND_PROTOCOL_IMAP, "host name" },
    { ".", MEND_PROTOCOL_IMAP, "host name" },
    { "semi;colon.example", MEND_PROTOCOL_IMAP, "host name" },
    { "a.bcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop.example",
      MEND_PROTOCOL_IMAP, "host name" },
    { "\xff\xfe.example", MEND_PROTOCOL_IMAP, "host name" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendServerAddress) address = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = g_strescape (cases[i].text, NULL);

      g_test_message ("“%s”", shown);
      address = mend_server_address_parse (cases[i].text, cases[i].protocol, &error);
      g_assert_null (address);
      g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_INVALID_ADDRESS);
      if (strstr (error->message, cases[i].says) == NULL)
        g_error ("“%s”: the error does not say “%s”", shown, cases[i].says);

      /* An invalid address is a usage error, not a finding. */
      g_assert_null (mend_probe_error_to_finding (error, cases[i].protocol,
                                                  MEND_TENANT_TYPE_UNKNOWN, "a@example.com"));
    }
}

static void
test_long_host (void)
{
  g_autoptr(GString) host = g_string_new (NULL);
  g_autoptr(MendServerAddress) address = NULL;
  g_autoptr(GError) error = NULL;

  /* 253 characters: the most DNS allows. */
  while (host->len < 253 - 4)
    g_string_append (host, "abc.");
  g_string_append (host, "com");
  g_string_truncate (host, 253);
  g_assert_cmpuint (host->len, ==, 253);
  if (host->str[host->len - 1] == '.')
    host->str[host->len - 1] = 'x';

  address = mend_server_address_parse (host->str, MEND_PROTOCOL_IMAP, &error);
  g_assert_no_error (error);
  g_clear_pointer (&address, mend_server_address_free);

  g_string_prepend (host, "a");
  address = mend_server_address_parse (host->str, MEND_PROTOCOL_IMAP, &error);
  g_assert_error (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_INVALID_ADDRESS);
  g_assert_null (address);
}

static void
test_defaults (void)
{
  static const struct {
    MendProtocol  protocol;
    const char   *url;
  } cases[] = {
    { MEND_PROTOCOL_IMAP, "imaps://outlook.office365.com:993" },
    { MEND_PROTOCOL_SMTP, "smtp://smtp.office365.com:587" },
    { MEND_PROTOCOL_POP3, "pop3s://outlook.office365.com:995" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MendServerAddress) address = mend_server_address_new_default (cases[i].protocol);
      g_autoptr(MendServerAddress) copy = mend_server_address_copy (address);
      g_autofree char *url = mend_server_address_to_string (copy);
      g_autofree char *host_and_port = mend_server_address_to_host_and_port (copy);

      g_assert_cmpstr (url, ==, cases[i].url);
      g_assert_true (g_str_has_suffix (url, host_and_port));
    }

  g_assert_cmpstr (mend_protocol_get_display_name (MEND_PROTOCOL_POP3), ==, "POP");
  g_assert_true (G_TYPE_IS_BOXED (MEND_TYPE_SERVER_ADDRESS));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("test-server-address");

  g_test_add_func ("/server-address/valid", test_valid);
  g_test_add_func ("/server-address/invalid", test_invalid);
  g_test_add_func ("/server-address/long-host", test_long_host);
  g_test_add_func ("/server-address/defaults", test_defaults);

  return g_test_run ();
}
