/* mend-server-address.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where a probe connects: a protocol, a host, a port and how the connection is encrypted. Every
 * address is encrypted, from the first byte (imaps://, smtps://, pop3s://) or after STARTTLS
 * (imap://, smtp://, pop3://): Mailmend never sends a token in clear text.
 */

#define G_LOG_DOMAIN "mend-server-address"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <gio/gio.h>

#include "mend-microsoft.h"
#include "mend-probe-error.h"
#include "mend-server-address.h"

struct _MendServerAddress
{
  MendProtocol  protocol;
  MendSecurity  security;
  guint16       port;
  char         *host;
};

G_DEFINE_BOXED_TYPE (MendServerAddress, mend_server_address,
                     mend_server_address_copy, mend_server_address_free)

typedef struct
{
  const char   *scheme;
  MendProtocol  protocol;
  MendSecurity  security;
} Scheme;

static const Scheme schemes[] = {
  { "imaps", MEND_PROTOCOL_IMAP, MEND_SECURITY_TLS },
  { "imap", MEND_PROTOCOL_IMAP, MEND_SECURITY_STARTTLS },
  { "smtps", MEND_PROTOCOL_SMTP, MEND_SECURITY_TLS },
  { "smtp", MEND_PROTOCOL_SMTP, MEND_SECURITY_STARTTLS },
  { "pop3s", MEND_PROTOCOL_POP3, MEND_SECURITY_TLS },
  { "pop3", MEND_PROTOCOL_POP3, MEND_SECURITY_STARTTLS },
};

/* Longest host name DNS allows. */
#define MAX_HOST_LENGTH 253

static gboolean
is_supported_protocol (MendProtocol protocol)
{
  return protocol == MEND_PROTOCOL_IMAP ||
         protocol == MEND_PROTOCOL_SMTP ||
         protocol == MEND_PROTOCOL_POP3;
}

static const char *
scheme_for (MendProtocol protocol,
            MendSecurity security)
{
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    {
      if (schemes[i].protocol == protocol && schemes[i].security == security)
        return schemes[i].scheme;
    }

  g_return_val_if_reached ("imaps");
}

static GError *
invalid_error_new (const char *text,
                   const char *reason)
{
  g_autofree char *shown = g_utf8_make_valid (text, -1);

  return g_error_new (MEND_PROBE_ERROR, MEND_PROBE_ERROR_INVALID_ADDRESS,
                      /* Translators: the first %s is what the user typed as a server, the
                       * second why it is wrong. */
                      _("“%s” is not a server address: %s"), shown, reason);
}

/* A DNS name (possibly international) or an IPv4 address; returns it in lower-case ASCII. */
static char *
normalize_host_name (const char *host)
{
  g_autofree char *ascii = NULL;
  g_auto(GStrv) labels = NULL;
  gsize length;

  if (host[0] == '\0' || !g_utf8_validate (host, -1, NULL))
    return NULL;

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL)
    return NULL;

  /* A fully qualified name may end with a dot. */
  length = strlen (ascii);
  if (length > 1 && ascii[length - 1] == '.')
    ascii[--length] = '\0';
  if (length == 0 || length > MAX_HOST_LENGTH)
    return NULL;

  /* Labels of letters, digits and inner hyphens (underscores too: some private DNS has them). */
  labels = g_strsplit (ascii, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      gsize label_length = strlen (labels[i]);

      if (label_length == 0 || label_length > 63 ||
          labels[i][0] == '-' || labels[i][label_length - 1] == '-')
        return NULL;

      for (const char *p = labels[i]; *p != '\0'; p++)
        {
          if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
            return NULL;
        }
    }

  return g_ascii_strdown (ascii, -1);
}

static gboolean
parse_port (const char  *text,
            guint16     *port)
{
  guint value = 0;

  if (text[0] == '\0' || strlen (text) > 5)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint) (*p - '0');
    }

  if (value == 0 || value > G_MAXUINT16)
    return FALSE;

  *port = (guint16) value;
  return TRUE;
}

/* Splits @authority: “host”, “host:port”, “[v6]” or “[v6]:port”. @text is what the user
 * typed, for the error message. */
static gboolean
split_host_and_port (const char  *text,
                     const char  *authority,
                     char       **host,
                     guint16     *port,
                     gboolean    *has_port,
                     GError     **error)
{
  g_autofree char *name = NULL;
  const char *port_text = NULL;

  if (authority[0] == '[')
    {
      const char *end = strchr (authority, ']');
      g_autofree char *inside = NULL;
      g_autoptr(GInetAddress) inet = NULL;

      if (end == NULL)
        {
          g_propagate_error (error, invalid_error_new (text, _("the “]” after the IPv6 address "
                                                               "is missing")));
          return FALSE;
        }

      inside = g_strndup (authority + 1, end - authority - 1);
      inet = g_inet_address_new_from_string (inside);
      if (inet == NULL || g_inet_address_get_family (inet) != G_SOCKET_FAMILY_IPV6)
        {
          g_propagate_error (error, invalid_error_new (text, _("the part in brackets is not an "
                                                               "IPv6 address")));
          return FALSE;
        }
      name = g_inet_address_to_string (inet);

      if (end[1] == ':')
        {
          port_text = end + 2;
        }
      else if (end[1] != '\0')
        {
          g_propagate_error (error, invalid_error_new (text, _("only a port may follow the IPv6 "
                                                               "address")));
          return FALSE;
        }
    }
  else
    {
      const char *colon = strchr (authority, ':');
      g_autofree char *typed = NULL;

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          g_propagate_error (error, invalid_error_new (text, _("write an IPv6 address in "
                                                               "brackets, such as "
                                                               "[2001:db8::1]:993")));
          return FALSE;
        }

      if (colon != NULL)
        {
          typed = g_strndup (authority, colon - authority);
          port_text = colon + 1;
        }
      else
        {
          typed = g_strdup (authority);
        }

      name = normalize_host_name (typed);
      if (name == NULL)
        {
          g_propagate_error (error, invalid_error_new (text, _("the host name is not valid")));
          return FALSE;
        }
    }

  *has_port = port_text != NULL;
  if (port_text != NULL && !parse_port (port_text, port))
    {
      g_propagate_error (error, invalid_error_new (text, _("the port must be a number from 1 "
                                                           "to 65535")));
      return FALSE;
    }

  *host = g_steal_pointer (&name);

  return TRUE;
}

/**
 * mend_server_address_new:
 * @protocol: IMAP, SMTP or POP
 * @host: a host name or an IP address (an IPv6 address without brackets)
 * @port: the port
 * @security: %MEND_SECURITY_TLS or %MEND_SECURITY_STARTTLS
 */
MendServerAddress *
mend_server_address_new (MendProtocol  protocol,
                         const char   *host,
                         guint16       port,
                         MendSecurity  security)
{
  MendServerAddress *self;

  g_return_val_if_fail (is_supported_protocol (protocol), NULL);
  g_return_val_if_fail (host != NULL && host[0] != '\0', NULL);
  g_return_val_if_fail (port != 0, NULL);
  g_return_val_if_fail (security == MEND_SECURITY_TLS || security == MEND_SECURITY_STARTTLS, NULL);

  self = g_new0 (MendServerAddress, 1);
  self->protocol = protocol;
  self->host = g_strdup (host);
  self->port = port;
  self->security = security;

  return self;
}

/**
 * mend_server_address_new_default:
 * @protocol: IMAP, SMTP or POP
 *
 * Returns: Microsoft's server for @protocol, for personal and work accounts alike:
 *   outlook.office365.com:993 (TLS) for IMAP, smtp.office365.com:587 (STARTTLS) for SMTP,
 *   outlook.office365.com:995 (TLS) for POP
 */
MendServerAddress *
mend_server_address_new_default (MendProtocol protocol)
{
  MendSecurity security;

  g_return_val_if_fail (is_supported_protocol (protocol), NULL);

  /* Exchange Online sends only after STARTTLS on 587: it has no implicit TLS on 465. */
  security = protocol == MEND_PROTOCOL_SMTP ? MEND_SECURITY_STARTTLS : MEND_SECURITY_TLS;

  return mend_server_address_new (protocol, mend_microsoft_recommended_host (protocol),
                                  mend_server_address_default_port (protocol, security),
                                  security);
}

/**
 * mend_server_address_parse:
 * @text: what the user typed: `imaps://host[:port]`, `imap://host[:port]` (STARTTLS),
 *   `smtps://…`, `smtp://…` (STARTTLS), `pop3s://…`, `pop3://…` (STARTTLS), or a bare
 *   `host[:port]`; an IPv6 address goes in brackets
 * @protocol: the protocol the address is for
 * @error: a %MEND_PROBE_ERROR_INVALID_ADDRESS that says what is wrong
 *
 * A bare host gets Microsoft's port and security for @protocol (993 TLS, 587 STARTTLS, 995
 * TLS); with a port, 993, 995 and 465 mean TLS from the first byte and any other port
 * STARTTLS. A scheme without a port gets the scheme's standard port (143, 993, 587, 465, 110,
 * 995: smtp:// means mail submission, so 587 rather than 25).
 */
MendServerAddress *
mend_server_address_parse (const char    *text,
                           MendProtocol   protocol,
                           GError       **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *host = NULL;
  const char *authority;
  const char *separator;
  const Scheme *scheme = NULL;
  MendSecurity security;
  gboolean has_port;
  guint16 port = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (is_supported_protocol (protocol), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, MEND_PROBE_ERROR, MEND_PROBE_ERROR_INVALID_ADDRESS,
                           _("The server address is empty."));
      return NULL;
    }

  authority = trimmed;
  separator = strstr (trimmed, "://");
  if (separator != NULL)
    {
      g_autofree char *name = g_ascii_strdown (trimmed, separator - trimmed);

      for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
        {
          if (g_str_equal (schemes[i].scheme, name))
            scheme = &schemes[i];
        }

      if (scheme == NULL)
        {
          g_autofree char *reason = NULL;

          /* Translators: %s is what the user typed before “://”, such as “http”. */
          reason = g_strdup_printf (_("“%s://” is not a mail server scheme (use imaps://, "
                                      "imap://, smtps://, smtp://, pop3s:// or pop3://)"), name);
          g_propagate_error (error, invalid_error_new (text, reason));
          return NULL;
        }

      if (scheme->protocol != protocol)
        {
          g_autofree char *reason = NULL;

          /* Translators: the first %s is a scheme such as “smtp”, the second a protocol
           * such as “IMAP”. */
          reason = g_strdup_printf (_("“%s://” is not an address for %s"), scheme->scheme,
                                    mend_protocol_get_display_name (protocol));
          g_propagate_error (error, invalid_error_new (text, reason));
          return NULL;
        }

      authority = separator + 3;
    }

  /* A trailing slash is harmless; a path, a user name or a query is not. */
  if (scheme != NULL && g_str_has_suffix (authority, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';

  if (strpbrk (authority, "/?#@ \t") != NULL)
    {
      g_propagate_error (error, invalid_error_new (text, _("give only a host and a port")));
      return NULL;
    }

  if (!split_host_and_port (text, authority, &host, &port, &has_port, error))
    return NULL;

  if (scheme != NULL)
    {
      security = scheme->security;
      if (!has_port)
        port = mend_server_address_default_port (protocol, security);
    }
  else if (has_port)
    {
      security = (port == 993 || port == 995 || port == 465) ? MEND_SECURITY_TLS
                                                             : MEND_SECURITY_STARTTLS;
    }
  else
    {
      security = protocol == MEND_PROTOCOL_SMTP ? MEND_SECURITY_STARTTLS : MEND_SECURITY_TLS;
      port = mend_server_address_default_port (protocol, security);
    }

  return mend_server_address_new (protocol, host, port, security);
}

MendServerAddress *
mend_server_address_copy (const MendServerAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return mend_server_address_new (self->protocol, self->host, self->port, self->security);
}

void
mend_server_address_free (MendServerAddress *self)
{
  if (self == NULL)
    return;

  g_free (self->host);
  g_free (self);
}

MendProtocol
mend_server_address_get_protocol (const MendServerAddress *self)
{
  g_return_val_if_fail (self != NULL, MEND_PROTOCOL_IMAP);

  return self->protocol;
}

/**
 * mend_server_address_get_host:
 *
 * Returns: the host: a lower-case ASCII name, or an IP address (IPv6 without brackets)
 */
const char *
mend_server_address_get_host (const MendServerAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

guint16
mend_server_address_get_port (const MendServerAddress *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

MendSecurity
mend_server_address_get_security (const MendServerAddress *self)
{
  g_return_val_if_fail (self != NULL, MEND_SECURITY_TLS);

  return self->security;
}

/**
 * mend_server_address_to_host_and_port:
 *
 * Returns: “host:port”, with an IPv6 address in brackets
 */
char *
mend_server_address_to_host_and_port (const MendServerAddress *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (strchr (self->host, ':') != NULL)
    return g_strdup_printf ("[%s]:%u", self->host, self->port);

  return g_strdup_printf ("%s:%u", self->host, self->port);
}

/**
 * mend_server_address_to_string:
 *
 * Returns: the address as a URL that mend_server_address_parse() reads back, such as
 *   “imaps://outlook.office365.com:993” or “smtp://smtp.office365.com:587” (STARTTLS)
 */
char *
mend_server_address_to_string (const MendServerAddress *self)
{
  g_autofree char *host_and_port = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  host_and_port = mend_server_address_to_host_and_port (self);

  return g_strdup_printf ("%s://%s", scheme_for (self->protocol, self->security), host_and_port);
}

/**
 * mend_server_address_default_port:
 *
 * Returns: the standard port of @protocol with @security: 993 or 143 for IMAP, 465 or 587
 *   for SMTP (mail submission), 995 or 110 for POP
 */
guint16
mend_server_address_default_port (MendProtocol protocol,
                                  MendSecurity security)
{
  gboolean tls = security == MEND_SECURITY_TLS;

  switch (protocol)
    {
    case MEND_PROTOCOL_IMAP:
      return tls ? 993 : 143;
    case MEND_PROTOCOL_SMTP:
      return tls ? 465 : 587;
    case MEND_PROTOCOL_POP3:
      return tls ? 995 : 110;
    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
    default:
      g_return_val_if_reached (0);
    }
}

/**
 * mend_protocol_get_display_name:
 *
 * Returns: “IMAP”, “SMTP” or “POP”, as people know them (not translated)
 */
const char *
mend_protocol_get_display_name (MendProtocol protocol)
{
  switch (protocol)
    {
    case MEND_PROTOCOL_IMAP:
      return "IMAP";
    case MEND_PROTOCOL_SMTP:
      return "SMTP";
    case MEND_PROTOCOL_POP3:
      return "POP";
    case MEND_PROTOCOL_EWS:
      return "EWS";
    case MEND_PROTOCOL_GRAPH:
      return "Microsoft Graph";
    default:
      g_return_val_if_reached ("IMAP");
    }
}
