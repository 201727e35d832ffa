/* mend-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-account"

#include "config.h"

#include "mend-account.h"
#include "mend-microsoft.h"

/* One server of one account in one mail client: an account with IMAP and
 * SMTP is two MendAccounts sharing an address. */
struct _MendAccount
{
  GObject       parent_instance;

  char         *id;
  char         *client;
  char         *source;
  char         *key;
  MendProtocol  protocol;

  char         *client_version;
  char         *profile;
  char         *address;
  char         *username;
  char         *host;
  guint         port;
  MendSecurity  security;
  MendAuth      auth;

  GPtrArray    *findings;
};

G_DEFINE_FINAL_TYPE (MendAccount, mend_account, G_TYPE_OBJECT)

static void
mend_account_finalize (GObject *object)
{
  MendAccount *self = (MendAccount *) object;

  g_free (self->id);
  g_free (self->client);
  g_free (self->source);
  g_free (self->key);
  g_free (self->client_version);
  g_free (self->profile);
  g_free (self->address);
  g_free (self->username);
  g_free (self->host);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_account_parent_class)->finalize (object);
}

static void
mend_account_class_init (MendAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_account_finalize;
}

static void
mend_account_init (MendAccount *self)
{
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->auth = MEND_AUTH_PASSWORD;
  self->security = MEND_SECURITY_NONE;
}

/**
 * mend_account_new:
 * @client: the client's id, such as “thunderbird”
 * @source: the absolute path of the file the account comes from
 * @key: the client's own name for this server in @source, such as
 *   “mail.server.server2”
 * @protocol: the server's protocol
 *
 * The account's id is derived from these four, so it stays the same from
 * one scan to the next.
 */
MendAccount *
mend_account_new (const char   *client,
                  const char   *source,
                  const char   *key,
                  MendProtocol  protocol)
{
  g_autoptr(GChecksum) checksum = NULL;
  MendAccount *self;

  g_return_val_if_fail (client != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  self = g_object_new (MEND_TYPE_ACCOUNT, NULL);
  self->client = g_strdup (client);
  self->source = g_strdup (source);
  self->key = g_strdup (key);
  self->protocol = protocol;

  /* NUL separators: no two different tuples give the same bytes. */
  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) client, strlen (client) + 1);
  g_checksum_update (checksum, (const guchar *) source, strlen (source) + 1);
  g_checksum_update (checksum, (const guchar *) key, strlen (key) + 1);
  g_checksum_update (checksum, (const guchar *) mend_protocol_to_string (protocol), -1);
  self->id = g_strndup (g_checksum_get_string (checksum), 16);

  return self;
}

const char *
mend_account_get_id (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), NULL);

  return self->id;
}

const char *
mend_account_get_client (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), NULL);

  return self->client;
}

const char *
mend_account_get_source (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), NULL);

  return self->source;
}

const char *
mend_account_get_key (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), NULL);

  return self->key;
}

MendProtocol
mend_account_get_protocol (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), MEND_PROTOCOL_IMAP);

  return self->protocol;
}

#define DEFINE_STRING_ACCESSORS(field)                                    \
  const char *                                                            \
  mend_account_get_##field (MendAccount *self)                            \
  {                                                                       \
    g_return_val_if_fail (MEND_IS_ACCOUNT (self), NULL);                  \
    return self->field;                                                   \
  }                                                                       \
                                                                          \
  void                                                                    \
  mend_account_set_##field (MendAccount *self,                            \
                            const char  *value)                           \
  {                                                                       \
    g_return_if_fail (MEND_IS_ACCOUNT (self));                            \
    g_free (self->field);                                                 \
    self->field = (value != NULL && value[0] != '\0') ? g_strdup (value) : NULL; \
  }

DEFINE_STRING_ACCESSORS (client_version)
DEFINE_STRING_ACCESSORS (profile)
DEFINE_STRING_ACCESSORS (address)
DEFINE_STRING_ACCESSORS (username)
DEFINE_STRING_ACCESSORS (host)

/**
 * mend_account_get_port:
 *
 * Returns: the effective port: the configured one, or the protocol's
 *   default for the account's security when none is configured
 */
guint
mend_account_get_port (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), 0);

  if (self->port != 0)
    return self->port;

  return mend_protocol_default_port (self->protocol, self->security);
}

/**
 * mend_account_set_port:
 * @port: the configured port, or 0 for the protocol's default
 */
void
mend_account_set_port (MendAccount *self,
                       guint        port)
{
  g_return_if_fail (MEND_IS_ACCOUNT (self));

  self->port = port <= G_MAXUINT16 ? port : 0;
}

MendSecurity
mend_account_get_security (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), MEND_SECURITY_NONE);

  return self->security;
}

void
mend_account_set_security (MendAccount  *self,
                           MendSecurity  security)
{
  g_return_if_fail (MEND_IS_ACCOUNT (self));

  self->security = security;
}

MendAuth
mend_account_get_auth (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), MEND_AUTH_OTHER);

  return self->auth;
}

void
mend_account_set_auth (MendAccount *self,
                       MendAuth     auth)
{
  g_return_if_fail (MEND_IS_ACCOUNT (self));

  self->auth = auth;
}

/**
 * mend_account_is_microsoft:
 *
 * Returns: whether the server is one of Microsoft's, in any cloud
 */
gboolean
mend_account_is_microsoft (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), FALSE);

  return mend_microsoft_classify_host (self->host) != MEND_MICROSOFT_CLOUD_NONE;
}

void
mend_account_add_finding (MendAccount *self,
                          MendFinding *finding)
{
  g_return_if_fail (MEND_IS_ACCOUNT (self));
  g_return_if_fail (MEND_IS_FINDING (finding));

  g_ptr_array_add (self->findings, g_object_ref (finding));
}

/**
 * mend_account_get_findings:
 *
 * Returns: (transfer none) (element-type MendFinding): the findings, in the
 *   order they were added
 */
GPtrArray *
mend_account_get_findings (MendAccount *self)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), NULL);

  return self->findings;
}

gboolean
mend_account_has_finding (MendAccount *self,
                          const char  *id)
{
  g_return_val_if_fail (MEND_IS_ACCOUNT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  for (guint i = 0; i < self->findings->len; i++)
    {
      if (g_str_equal (mend_finding_get_id (g_ptr_array_index (self->findings, i)), id))
        return TRUE;
    }

  return FALSE;
}

/* The JSON output's spellings. */
const char *
mend_protocol_to_string (MendProtocol protocol)
{
  switch (protocol)
    {
    case MEND_PROTOCOL_IMAP:
      return "imap";
    case MEND_PROTOCOL_POP3:
      return "pop3";
    case MEND_PROTOCOL_SMTP:
      return "smtp";
    case MEND_PROTOCOL_EWS:
      return "ews";
    case MEND_PROTOCOL_GRAPH:
      return "graph";
    default:
      g_return_val_if_reached ("imap");
    }
}

const char *
mend_security_to_string (MendSecurity security)
{
  switch (security)
    {
    case MEND_SECURITY_TLS:
      return "tls";
    case MEND_SECURITY_STARTTLS:
      return "starttls";
    case MEND_SECURITY_NONE:
      return "none";
    default:
      g_return_val_if_reached ("none");
    }
}

const char *
mend_auth_to_string (MendAuth auth)
{
  switch (auth)
    {
    case MEND_AUTH_PASSWORD:
      return "password";
    case MEND_AUTH_OAUTH2:
      return "oauth2";
    case MEND_AUTH_NONE:
      return "none";
    case MEND_AUTH_OTHER:
      return "other";
    default:
      g_return_val_if_reached ("other");
    }
}

/**
 * mend_protocol_default_port:
 *
 * Returns: the port a client uses for @protocol when its configuration
 *   names none: 993/143 for IMAP, 995/110 for POP3, 465/587 for SMTP
 *   (submission, also without TLS), 443 for EWS and Graph
 */
guint
mend_protocol_default_port (MendProtocol protocol,
                            MendSecurity security)
{
  switch (protocol)
    {
    case MEND_PROTOCOL_IMAP:
      return security == MEND_SECURITY_TLS ? 993 : 143;
    case MEND_PROTOCOL_POP3:
      return security == MEND_SECURITY_TLS ? 995 : 110;
    case MEND_PROTOCOL_SMTP:
      return security == MEND_SECURITY_TLS ? 465 : 587;
    case MEND_PROTOCOL_EWS:
    case MEND_PROTOCOL_GRAPH:
      return 443;
    default:
      g_return_val_if_reached (0);
    }
}
