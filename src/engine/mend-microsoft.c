/* mend-microsoft.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Microsoft facts in one place (shared/reference/clients.md §0 and
 * microsoft.md §3.2).
 */

#define G_LOG_DOMAIN "mend-microsoft"

#include "config.h"

#include <string.h>

#include "mend-microsoft.h"

typedef struct
{
  const char         *suffix;
  MendMicrosoftCloud  cloud;
} HostSuffix;

/* Matched against the host and each of its parent domains, so
 * “outlook.com” covers “imap-mail.outlook.com” but not “myoutlook.com”. */
static const HostSuffix host_suffixes[] = {
  { "outlook.com", MEND_MICROSOFT_CLOUD_GLOBAL },
  { "office365.com", MEND_MICROSOFT_CLOUD_GLOBAL },
  { "office.com", MEND_MICROSOFT_CLOUD_GLOBAL },
  { "hotmail.com", MEND_MICROSOFT_CLOUD_GLOBAL },
  { "live.com", MEND_MICROSOFT_CLOUD_GLOBAL },
  /* Microsoft Graph, for clients that read mail through it. */
  { "graph.microsoft.com", MEND_MICROSOFT_CLOUD_GLOBAL },
  /* GCC High and DoD: outlook.office365.us, smtp.office365.us. */
  { "office365.us", MEND_MICROSOFT_CLOUD_US_GOVERNMENT },
  /* Operated by 21Vianet: partner.outlook.cn. */
  { "partner.outlook.cn", MEND_MICROSOFT_CLOUD_CHINA },
};

/* Consumer hosts from before Outlook.com moved onto Exchange Online. Older
 * clients cannot use OAuth 2.0 with them (Thunderbird before 133). */
static const char *legacy_hosts[] = {
  "imap-mail.outlook.com",
  "pop-mail.outlook.com",
  "smtp-mail.outlook.com",
  "imap.outlook.com",
  "pop3.live.com",
  "smtp.live.com",
};

static const char *
normalize_host (const char *host,
                char       *buffer,
                gsize       size)
{
  gsize length;

  if (host == NULL)
    return NULL;

  while (g_ascii_isspace (*host))
    host++;

  length = strlen (host);
  while (length > 0 && (g_ascii_isspace (host[length - 1]) || host[length - 1] == '.'))
    length--;

  if (length == 0 || length >= size)
    return NULL;

  for (gsize i = 0; i < length; i++)
    buffer[i] = g_ascii_tolower (host[i]);
  buffer[length] = '\0';

  return buffer;
}

static gboolean
has_domain_suffix (const char *host,
                   const char *suffix)
{
  gsize host_length = strlen (host);
  gsize suffix_length = strlen (suffix);

  if (host_length == suffix_length)
    return g_str_equal (host, suffix);

  return host_length > suffix_length &&
         host[host_length - suffix_length - 1] == '.' &&
         g_str_equal (host + host_length - suffix_length, suffix);
}

/* “com”, “fr”, “co.uk”, “com.au”: a top-level domain, perhaps after a
 * generic second level. */
static gboolean
is_country_suffix (const char *suffix)
{
  static const char * const second_levels[] = { "co.", "com." };
  gsize length;

  for (guint i = 0; i < G_N_ELEMENTS (second_levels); i++)
    {
      if (g_str_has_prefix (suffix, second_levels[i]))
        {
          suffix += strlen (second_levels[i]);
          break;
        }
    }

  length = strlen (suffix);
  if (length < 2 || length > 3)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalpha (suffix[i]))
        return FALSE;
    }

  return TRUE;
}

/**
 * mend_microsoft_classify_host:
 * @host: (nullable): a server's host name
 *
 * Returns: the Microsoft cloud that serves @host, or
 *   %MEND_MICROSOFT_CLOUD_NONE when it is not Microsoft's
 */
MendMicrosoftCloud
mend_microsoft_classify_host (const char *host)
{
  char buffer[256];
  const char *normalized = normalize_host (host, buffer, sizeof buffer);

  if (normalized == NULL)
    return MEND_MICROSOFT_CLOUD_NONE;

  /* The more specific suffix wins: partner.outlook.cn is not outlook.com's. */
  for (guint i = G_N_ELEMENTS (host_suffixes); i > 0; i--)
    {
      if (has_domain_suffix (normalized, host_suffixes[i - 1].suffix))
        return host_suffixes[i - 1].cloud;
    }

  return MEND_MICROSOFT_CLOUD_NONE;
}

/**
 * mend_microsoft_is_legacy_host:
 *
 * Returns: whether @host is one of Outlook.com's old consumer servers
 */
gboolean
mend_microsoft_is_legacy_host (const char *host)
{
  char buffer[256];
  const char *normalized = normalize_host (host, buffer, sizeof buffer);

  if (normalized == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (legacy_hosts); i++)
    {
      if (g_str_equal (normalized, legacy_hosts[i]))
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_microsoft_is_consumer_host:
 *
 * Returns: whether @host is an Outlook.com, Hotmail or Live host rather than
 *   Microsoft 365's (outlook.office365.com, smtp.office365.com), which serve both
 */
gboolean
mend_microsoft_is_consumer_host (const char *host)
{
  char buffer[256];
  const char *normalized = normalize_host (host, buffer, sizeof buffer);

  if (normalized == NULL)
    return FALSE;

  return has_domain_suffix (normalized, "outlook.com") ||
         has_domain_suffix (normalized, "hotmail.com") ||
         has_domain_suffix (normalized, "live.com");
}

/**
 * mend_microsoft_is_consumer_address:
 * @address: (nullable): an e-mail address
 *
 * Returns: whether @address is a personal Microsoft account's: Outlook.com,
 *   Hotmail or Live in any country (outlook.fr, hotmail.co.uk, live.nl…) or
 *   msn.com, as opposed to a work or school address
 */
gboolean
mend_microsoft_is_consumer_address (const char *address)
{
  static const char * const brands[] = { "outlook.", "hotmail.", "live." };
  const char *at = address != NULL ? strrchr (address, '@') : NULL;
  char buffer[256];
  const char *domain;

  if (at == NULL)
    return FALSE;

  domain = normalize_host (at + 1, buffer, sizeof buffer);
  if (domain == NULL)
    return FALSE;

  if (g_str_equal (domain, "msn.com"))
    return TRUE;

  for (guint i = 0; i < G_N_ELEMENTS (brands); i++)
    {
      /* The brand, then a country's domain: “outlook.com.br”, not “outlook.contoso.com”. */
      if (g_str_has_prefix (domain, brands[i]) &&
          is_country_suffix (domain + strlen (brands[i])))
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_microsoft_recommended_host:
 *
 * Returns: the host to use for @protocol, for personal and work accounts
 *   alike; %NULL for protocols without one
 */
const char *
mend_microsoft_recommended_host (MendProtocol protocol)
{
  switch (protocol)
    {
    case MEND_PROTOCOL_IMAP:
    case MEND_PROTOCOL_POP3:
    case MEND_PROTOCOL_EWS:
      return "outlook.office365.com";
    case MEND_PROTOCOL_SMTP:
      return "smtp.office365.com";
    case MEND_PROTOCOL_GRAPH:
      return "graph.microsoft.com";
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * mend_microsoft_cloud_to_string:
 *
 * Returns: “global”, “us-government”, “china”, or %NULL for none
 */
const char *
mend_microsoft_cloud_to_string (MendMicrosoftCloud cloud)
{
  switch (cloud)
    {
    case MEND_MICROSOFT_CLOUD_NONE:
      return NULL;
    case MEND_MICROSOFT_CLOUD_GLOBAL:
      return "global";
    case MEND_MICROSOFT_CLOUD_US_GOVERNMENT:
      return "us-government";
    case MEND_MICROSOFT_CLOUD_CHINA:
      return "china";
    default:
      g_return_val_if_reached (NULL);
    }
}
