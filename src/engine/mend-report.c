/* mend-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The support report: everything Mailmend found, as text, Markdown or JSON,
 * to copy or save for whoever helps. Sign-ins are copied in as plain data
 * (address, kind of account, expiry), never as tokens, and every value goes
 * through mend_redact_text() on its way out, so that nothing secret that
 * slipped into a finding or a path ever reaches the page. Addresses can be
 * masked for screen sharing: the same address always becomes the same
 * “userN@domain” within a report; Microsoft's consumer domains (outlook.com,
 * hotmail.fr…) stay, since they tell a personal account from a work one,
 * and an organization's domain becomes “orgN.example”.
 */

#define G_LOG_DOMAIN "mend-report"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>

#include "mend-microsoft.h"
#include "mend-redact.h"
#include "mend-report.h"

typedef struct
{
  MendAccount *account;
  char        *client_name;
} AccountEntry;

/* What the report keeps of a sign-in: never its tokens. */
typedef struct
{
  char           *address;
  MendTenantType  tenant_type;
  char           *tenant_id;
  GStrv           scopes;
  GDateTime      *expires_at;
  GDateTime      *last_refresh;
  char           *authority;
  char           *client_id;
  char           *signed_in_as;
  gboolean        damaged;
} SignIn;

typedef struct
{
  GDateTime *time;
  char      *change_id;
  char      *account_id;
  GStrv      files;
  gboolean   undone;
} Change;

struct _MendReport
{
  GObject    parent_instance;

  char      *os_name;
  GDateTime *generated_at;
  GPtrArray *status_findings;
  GPtrArray *accounts;
  GPtrArray *sign_ins;
  GPtrArray *findings;
  GPtrArray *changes;

  guint      mask_addresses : 1;
  guint      status_checked : 1;
};

G_DEFINE_FINAL_TYPE (MendReport, mend_report, G_TYPE_OBJECT)

/* What every value goes through: masked secrets, and masked addresses when asked. */
typedef struct
{
  gboolean    mask;
  GHashTable *addresses;
  GHashTable *domains;
} Presenter;

static void
account_entry_free (AccountEntry *entry)
{
  g_clear_object (&entry->account);
  g_free (entry->client_name);
  g_free (entry);
}

static void
sign_in_free (SignIn *sign_in)
{
  g_free (sign_in->address);
  g_free (sign_in->tenant_id);
  g_strfreev (sign_in->scopes);
  g_clear_pointer (&sign_in->expires_at, g_date_time_unref);
  g_clear_pointer (&sign_in->last_refresh, g_date_time_unref);
  g_free (sign_in->authority);
  g_free (sign_in->client_id);
  g_free (sign_in->signed_in_as);
  g_free (sign_in);
}

static void
change_free (Change *change)
{
  g_clear_pointer (&change->time, g_date_time_unref);
  g_free (change->change_id);
  g_free (change->account_id);
  g_strfreev (change->files);
  g_free (change);
}

static gboolean
is_local_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("._%+-", c) != NULL);
}

static gboolean
is_domain (const char *domain,
           gsize       length)
{
  gsize last_dot = 0;
  gboolean has_dot = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (domain[i] == '.')
        {
          if (i == 0 || domain[i - 1] == '.')
            return FALSE;
          has_dot = TRUE;
          last_dot = i;
        }
      else if (!g_ascii_isalnum (domain[i]) && domain[i] != '-')
        {
          return FALSE;
        }
    }

  if (!has_dot || length - last_dot - 1 < 2)
    return FALSE;

  for (gsize i = last_dot + 1; i < length; i++)
    {
      if (!g_ascii_isalpha (domain[i]))
        return FALSE;
    }

  return TRUE;
}

/* outlook.com, hotmail.co.uk, live.fr…: whose users are people, not an organization. */
static gboolean
is_consumer_domain (const char *domain)
{
  static const char * const names[] = {
    "outlook.", "hotmail.", "live.", "msn.", "windowslive.", "passport.",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_str_has_prefix (domain, names[i]))
        {
          const char *rest = domain + strlen (names[i]);
          const char *dot = strchr (rest, '.');

          return dot == NULL || strchr (dot + 1, '.') == NULL;
        }
    }

  return FALSE;
}

static const char *
mask_for (Presenter  *presenter,
          const char *address)
{
  const char *mask = g_hash_table_lookup (presenter->addresses, address);
  const char *domain;
  const char *masked_domain;

  if (mask != NULL)
    return mask;

  domain = strchr (address, '@') + 1;
  if (is_consumer_domain (domain))
    {
      masked_domain = domain;
    }
  else if ((masked_domain = g_hash_table_lookup (presenter->domains, domain)) == NULL)
    {
      char *name = g_strdup_printf ("org%u.example", g_hash_table_size (presenter->domains) + 1);

      g_hash_table_insert (presenter->domains, g_strdup (domain), name);
      masked_domain = name;
    }

  mask = g_strdup_printf ("user%u@%s", g_hash_table_size (presenter->addresses) + 1,
                          masked_domain);
  g_hash_table_insert (presenter->addresses, g_strdup (address), (char *) mask);

  return mask;
}

static char *
mask_addresses (Presenter  *presenter,
                const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = text;
  const char *at;

  while ((at = strchr (p, '@')) != NULL)
    {
      const char *start = at;
      const char *end = at + 1;

      while (start > p && is_local_char (start[-1]))
        start--;
      while (g_ascii_isalnum (*end) || *end == '.' || *end == '-')
        end++;
      while (end > at + 1 && (end[-1] == '.' || end[-1] == '-'))
        end--;

      if (start < at && is_domain (at + 1, end - at - 1))
        {
          g_autofree char *address = g_ascii_strdown (start, end - start);

          g_string_append_len (out, p, start - p);
          g_string_append (out, mask_for (presenter, address));
        }
      else
        {
          g_string_append_len (out, p, end - p);
        }
      p = end;
    }
  g_string_append (out, p);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Returns: (transfer full) (nullable): @value, safe to show */
static char *
present (Presenter  *presenter,
         const char *value)
{
  g_autofree char *redacted = NULL;

  if (value == NULL)
    return NULL;

  redacted = mend_redact_text (value);
  if (!presenter->mask)
    return g_steal_pointer (&redacted);

  return mask_addresses (presenter, redacted);
}

static void
presenter_init (Presenter  *presenter,
                MendReport *self)
{
  presenter->mask = self->mask_addresses;
  presenter->addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  presenter->domains = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  /* Numbers follow the accounts and the sign-ins, whatever the format. */
  for (guint i = 0; presenter->mask && i < self->accounts->len; i++)
    {
      AccountEntry *entry = g_ptr_array_index (self->accounts, i);

      g_free (present (presenter, mend_account_get_address (entry->account)));
      g_free (present (presenter, mend_account_get_username (entry->account)));
    }
  for (guint i = 0; presenter->mask && i < self->sign_ins->len; i++)
    {
      SignIn *sign_in = g_ptr_array_index (self->sign_ins, i);

      g_free (present (presenter, sign_in->address));
      g_free (present (presenter, sign_in->signed_in_as));
    }
}

static void
presenter_clear (Presenter *presenter)
{
  g_clear_pointer (&presenter->addresses, g_hash_table_unref);
  g_clear_pointer (&presenter->domains, g_hash_table_unref);
}

static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;

  utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%d %H:%M UTC");
}

static char *
format_iso8601 (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;

  utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static char *
library_versions (void)
{
  return g_strdup_printf ("GLib %u.%u.%u, libsoup %u.%u.%u, json-glib %s, libsecret %d.%d.%d",
                          glib_major_version, glib_minor_version, glib_micro_version,
                          soup_get_major_version (), soup_get_minor_version (),
                          soup_get_micro_version (), JSON_VERSION_S, SECRET_MAJOR_VERSION,
                          SECRET_MINOR_VERSION, SECRET_MICRO_VERSION);
}

static const char *
severity_label (MendSeverity severity)
{
  switch (severity)
    {
    case MEND_SEVERITY_ERROR:
      /* Translators: the severity of a finding in the support report. */
      return _("Error");
    case MEND_SEVERITY_WARNING:
      /* Translators: the severity of a finding in the support report. */
      return _("Warning");
    case MEND_SEVERITY_INFO:
    default:
      /* Translators: the severity of a finding in the support report. */
      return _("Note");
    }
}

static const char *
tenant_type_label (MendTenantType type)
{
  switch (type)
    {
    case MEND_TENANT_TYPE_CONSUMER:
      return _("personal account");
    case MEND_TENANT_TYPE_ORGANIZATION:
      return _("work or school account");
    case MEND_TENANT_TYPE_UNKNOWN:
    default:
      return _("kind of account unknown");
    }
}

static char *
describe_server (Presenter   *presenter,
                 MendAccount *account)
{
  MendProtocol kind = mend_account_get_protocol (account);
  g_autofree char *protocol = g_ascii_strup (mend_protocol_to_string (kind), -1);
  g_autofree char *host = present (presenter, mend_account_get_host (account));

  return g_strdup_printf ("%s %s:%u, %s, %s", protocol, host ? host : "?",
                          mend_account_get_port (account),
                          mend_security_to_string (mend_account_get_security (account)),
                          mend_auth_to_string (mend_account_get_auth (account)));
}

static char *
describe_client (Presenter    *presenter,
                 AccountEntry *entry)
{
  const char *name = entry->client_name ? entry->client_name
                                        : mend_account_get_client (entry->account);
  const char *version = mend_account_get_client_version (entry->account);
  g_autofree char *safe_name = present (presenter, name);
  g_autofree char *safe_version = present (presenter, version);

  if (safe_version != NULL)
    return g_strdup_printf ("%s %s", safe_name, safe_version);

  return g_steal_pointer (&safe_name);
}

/* Plain text */

static void
text_heading (GString    *out,
              const char *title,
              char        underline)
{
  glong width = g_utf8_strlen (title, -1);

  g_string_append_printf (out, "\n%s\n", title);
  for (glong i = 0; i < width; i++)
    g_string_append_c (out, underline);
  g_string_append_c (out, '\n');
}

static void
text_indented (GString    *out,
               const char *indent,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    g_string_append_printf (out, "%s%s\n", indent, lines[i]);
}

static void
text_finding (GString     *out,
              Presenter   *presenter,
              MendFinding *finding,
              const char  *indent)
{
  g_autofree char *title = present (presenter, mend_finding_get_title (finding));
  g_autofree char *explanation = present (presenter, mend_finding_get_explanation (finding));
  g_autofree char *remedy = present (presenter, mend_finding_get_remedy (finding));
  g_autofree char *details = present (presenter, mend_finding_get_details (finding));
  g_autofree char *link = present (presenter, mend_finding_get_link (finding));
  g_autofree char *deeper = g_strconcat (indent, "    ", NULL);

  g_string_append_printf (out, "%s[%s] %s (%s)\n", indent,
                          severity_label (mend_finding_get_severity (finding)), title,
                          mend_finding_get_id (finding));
  if (explanation[0] != '\0')
    text_indented (out, deeper, explanation);
  if (remedy[0] != '\0')
    {
      /* Translators: %s is what to do about a finding. */
      g_autofree char *line = g_strdup_printf (_("What to do: %s"), remedy);

      text_indented (out, deeper, line);
    }
  if (link != NULL)
    {
      /* Translators: %s is a web address with more help. */
      g_autofree char *line = g_strdup_printf (_("More help: %s"), link);

      text_indented (out, deeper, line);
    }
  if (details != NULL && details[0] != '\0')
    {
      g_string_append_printf (out, "%s%s\n", deeper, _("Details:"));
      text_indented (out, deeper, details);
    }
}

static void
text_findings (GString    *out,
               Presenter  *presenter,
               GPtrArray  *findings,
               const char *indent)
{
  for (guint i = 0; i < findings->len; i++)
    text_finding (out, presenter, g_ptr_array_index (findings, i), indent);
}

static char *
render_text (MendReport *self,
             Presenter  *presenter)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *generated = format_time (self->generated_at);
  g_autofree char *os_name = present (presenter, self->os_name);
  g_autofree char *libraries = library_versions ();
  const char *title = _("Mailmend support report");

  g_string_append_printf (out, "%s\n", title);
  for (glong i = 0; i < g_utf8_strlen (title, -1); i++)
    g_string_append_c (out, '=');
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Created: %s"), generated);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Mailmend version: %s"), PACKAGE_VERSION);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("System: %s"), os_name ? os_name : _("unknown"));
  g_string_append_c (out, '\n');
  g_string_append_printf (out, _("Libraries: %s"), libraries);
  g_string_append_c (out, '\n');
  g_string_append_printf (out, "%s\n", self->mask_addresses ? _("E-mail addresses are masked.")
                                                            : _("E-mail addresses are shown."));

  text_heading (out, _("Microsoft service status"), '-');
  if (!self->status_checked)
    g_string_append_printf (out, "%s\n", _("Not checked."));
  else if (self->status_findings->len == 0)
    g_string_append_printf (out, "%s\n", _("No problem reported."));
  text_findings (out, presenter, self->status_findings, "");

  text_heading (out, _("Mail accounts"), '-');
  if (self->accounts->len == 0)
    g_string_append_printf (out, "%s\n", _("No Microsoft mail account was found."));
  for (guint i = 0; i < self->accounts->len; i++)
    {
      AccountEntry *entry = g_ptr_array_index (self->accounts, i);
      MendAccount *account = entry->account;
      g_autofree char *client = describe_client (presenter, entry);
      g_autofree char *address = present (presenter, mend_account_get_address (account));
      g_autofree char *username = present (presenter, mend_account_get_username (account));
      g_autofree char *server = describe_server (presenter, account);
      g_autofree char *source = present (presenter, mend_account_get_source (account));
      g_autofree char *id = present (presenter, mend_account_get_id (account));

      g_string_append_printf (out, "%s%s — %s\n", i > 0 ? "\n" : "", client,
                              address ? address : _("(no address)"));
      g_string_append_printf (out, "  %s\n", server);
      if (username != NULL && g_strcmp0 (username, address) != 0)
        {
          g_string_append (out, "  ");
          /* Translators: %s is the user name an account signs in with. */
          g_string_append_printf (out, _("User name: %s"), username);
          g_string_append_c (out, '\n');
        }
      g_string_append (out, "  ");
      /* Translators: %s is the file where a mail app keeps the account. */
      g_string_append_printf (out, _("Configuration: %s"), source);
      g_string_append_printf (out, "\n  id: %s\n", id);
      text_findings (out, presenter, mend_account_get_findings (account), "  ");
    }

  text_heading (out, _("Sign-ins kept by Mailmend"), '-');
  if (self->sign_ins->len == 0)
    g_string_append_printf (out, "%s\n", _("Mailmend keeps no sign-ins."));
  for (guint i = 0; i < self->sign_ins->len; i++)
    {
      SignIn *sign_in = g_ptr_array_index (self->sign_ins, i);
      g_autofree char *address = present (presenter, sign_in->address);
      g_autofree char *expires = format_time (sign_in->expires_at);
      g_autofree char *renewed = format_time (sign_in->last_refresh);
      g_autofree char *signed_in_as = present (presenter, sign_in->signed_in_as);

      if (sign_in->damaged)
        {
          /* Translators: %s is an e-mail address. */
          g_string_append_printf (out, _("%s: damaged, sign in again"), address);
          g_string_append_c (out, '\n');
          continue;
        }

      g_string_append_printf (out, "%s: %s\n", address, tenant_type_label (sign_in->tenant_type));
      g_string_append (out, "  ");
      /* Translators: %s is a date and time, or “—”. */
      g_string_append_printf (out, _("Access token expires: %s"), expires ? expires : "—");
      g_string_append (out, "\n  ");
      /* Translators: %s is a date and time, or “—”. */
      g_string_append_printf (out, _("Last renewed: %s"), renewed ? renewed : "—");
      g_string_append_c (out, '\n');
      if (signed_in_as != NULL && g_ascii_strcasecmp (signed_in_as, address) != 0)
        {
          g_string_append (out, "  ");
          /* Translators: %s is the e-mail address of the Microsoft account that signed in. */
          g_string_append_printf (out, _("Signed in as: %s"), signed_in_as);
          g_string_append_c (out, '\n');
        }
    }

  text_heading (out, _("Other findings"), '-');
  if (self->findings->len == 0)
    g_string_append_printf (out, "%s\n", _("None."));
  text_findings (out, presenter, self->findings, "");

  text_heading (out, _("What was changed"), '-');
  if (self->changes->len == 0)
    g_string_append_printf (out, "%s\n", _("No changes recorded."));
  for (guint i = 0; i < self->changes->len; i++)
    {
      Change *change = g_ptr_array_index (self->changes, i);
      g_autofree char *when = format_time (change->time);
      g_autofree char *change_id = present (presenter, change->change_id);
      g_autofree char *account_id = present (presenter, change->account_id);

      g_string_append_printf (out, "%s  %s", when ? when : "—", change_id);
      if (account_id != NULL)
        g_string_append_printf (out, " (%s)", account_id);
      if (change->undone)
        /* Translators: said of a change to a mail app's settings that was reverted. */
        g_string_append_printf (out, " — %s", _("undone"));
      g_string_append_c (out, '\n');
      for (guint j = 0; change->files != NULL && change->files[j] != NULL; j++)
        {
          g_autofree char *file = present (presenter, change->files[j]);

          g_string_append_printf (out, "  %s\n", file);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Markdown */

static char *
md_escape (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (strchr ("\\`*_[]<>#|~", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p == '\n' ? ' ' : *p);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* A value as inline code, with a fence longer than any backtick run in it. */
static void
md_code (GString    *out,
         const char *text)
{
  guint longest = 0, run = 0;
  g_autofree char *fence = NULL;

  if (text[0] == '\0')
    {
      g_string_append (out, "—");
      return;
    }

  for (const char *p = text; *p != '\0'; p++)
    {
      run = *p == '`' ? run + 1 : 0;
      longest = MAX (longest, run);
    }

  fence = g_strnfill (longest + 1, '`');
  g_string_append_printf (out, "%s%s%s%s%s", fence, text[0] == '`' ? " " : "", text,
                          text[strlen (text) - 1] == '`' ? " " : "", fence);
}

static void
md_finding (GString     *out,
            Presenter   *presenter,
            MendFinding *finding,
            const char  *indent)
{
  g_autofree char *title = present (presenter, mend_finding_get_title (finding));
  g_autofree char *explanation = present (presenter, mend_finding_get_explanation (finding));
  g_autofree char *remedy = present (presenter, mend_finding_get_remedy (finding));
  g_autofree char *details = present (presenter, mend_finding_get_details (finding));
  g_autofree char *link = present (presenter, mend_finding_get_link (finding));
  g_autofree char *safe_title = md_escape (title);

  g_string_append_printf (out, "%s- **%s:** %s (", indent,
                          severity_label (mend_finding_get_severity (finding)), safe_title);
  md_code (out, mend_finding_get_id (finding));
  g_string_append (out, ")\n");
  if (explanation[0] != '\0')
    {
      g_autofree char *safe = md_escape (explanation);

      g_string_append_printf (out, "%s  %s\n", indent, safe);
    }
  if (remedy[0] != '\0')
    {
      g_autofree char *safe = md_escape (remedy);
      g_autofree char *line = g_strdup_printf (_("What to do: %s"), safe);

      g_string_append_printf (out, "%s\n%s  %s\n", indent, indent, line);
    }
  if (link != NULL)
    {
      g_autofree char *safe = md_escape (link);
      g_autofree char *line = g_strdup_printf (_("More help: %s"), safe);

      g_string_append_printf (out, "%s\n%s  %s\n", indent, indent, line);
    }
  if (details != NULL && details[0] != '\0')
    {
      g_auto(GStrv) lines = g_strsplit (details, "\n", -1);

      /* Details are for support staff, verbatim; “~~~” in them cannot end the block. */
      g_string_append_printf (out, "%s\n%s  ~~~~text\n", indent, indent);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autoptr(GString) line = g_string_new (lines[i]);

          g_string_replace (line, "~~~~", "~ ~ ~ ~", 0);
          g_string_append_printf (out, "%s  %s\n", indent, line->str);
        }
      g_string_append_printf (out, "%s  ~~~~\n", indent);
    }
}

static void
md_findings (GString    *out,
             Presenter  *presenter,
             GPtrArray  *findings,
             const char *indent)
{
  for (guint i = 0; i < findings->len; i++)
    md_finding (out, presenter, g_ptr_array_index (findings, i), indent);
}

static void
md_item (GString    *out,
         const char *label,
         const char *value)
{
  g_autofree char *safe_label = md_escape (label);

  g_string_append_printf (out, "- %s ", safe_label);
  md_code (out, value);
  g_string_append_c (out, '\n');
}

static char *
render_markdown (MendReport *self,
                 Presenter  *presenter)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *generated = format_time (self->generated_at);
  g_autofree char *os_name = present (presenter, self->os_name);
  g_autofree char *libraries = library_versions ();

  g_string_append_printf (out, "# %s\n\n", _("Mailmend support report"));
  /* Translators: a label in the report, followed by a value. */
  md_item (out, _("Created:"), generated);
  md_item (out, _("Mailmend version:"), PACKAGE_VERSION);
  md_item (out, _("System:"), os_name ? os_name : _("unknown"));
  md_item (out, _("Libraries:"), libraries);
  g_string_append_printf (out, "- %s\n", self->mask_addresses ? _("E-mail addresses are masked.")
                                                              : _("E-mail addresses are shown."));

  g_string_append_printf (out, "\n## %s\n\n", _("Microsoft service status"));
  if (!self->status_checked)
    g_string_append_printf (out, "%s\n", _("Not checked."));
  else if (self->status_findings->len == 0)
    g_string_append_printf (out, "%s\n", _("No problem reported."));
  md_findings (out, presenter, self->status_findings, "");

  g_string_append_printf (out, "\n## %s\n\n", _("Mail accounts"));
  if (self->accounts->len == 0)
    g_string_append_printf (out, "%s\n", _("No Microsoft mail account was found."));
  for (guint i = 0; i < self->accounts->len; i++)
    {
      AccountEntry *entry = g_ptr_array_index (self->accounts, i);
      MendAccount *account = entry->account;
      g_autofree char *client = describe_client (presenter, entry);
      g_autofree char *safe_client = md_escape (client);
      g_autofree char *address = present (presenter, mend_account_get_address (account));
      g_autofree char *server = describe_server (presenter, account);
      g_autofree char *source = present (presenter, mend_account_get_source (account));
      g_autofree char *id = present (presenter, mend_account_get_id (account));

      g_string_append_printf (out, "### %s — ", safe_client);
      md_code (out, address ? address : "?");
      g_string_append (out, "\n\n");
      md_item (out, _("Server:"), server);
      md_item (out, _("Configuration:"), source);
      md_item (out, "id:", id);
      md_findings (out, presenter, mend_account_get_findings (account), "");
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, "\n## %s\n\n", _("Sign-ins kept by Mailmend"));
  if (self->sign_ins->len == 0)
    g_string_append_printf (out, "%s\n", _("Mailmend keeps no sign-ins."));
  for (guint i = 0; i < self->sign_ins->len; i++)
    {
      SignIn *sign_in = g_ptr_array_index (self->sign_ins, i);
      g_autofree char *address = present (presenter, sign_in->address);
      g_autofree char *expires = format_time (sign_in->expires_at);
      g_autofree char *renewed = format_time (sign_in->last_refresh);
      g_autofree char *signed_in_as = present (presenter, sign_in->signed_in_as);

      g_string_append (out, "- ");
      md_code (out, address);
      if (sign_in->damaged)
        {
          g_autofree char *safe = md_escape (_("damaged, sign in again"));

          g_string_append_printf (out, ": %s\n", safe);
          continue;
        }
      g_string_append_printf (out, ": %s; ", tenant_type_label (sign_in->tenant_type));
      g_string_append_printf (out, _("Access token expires: %s"), expires ? expires : "—");
      g_string_append (out, "; ");
      g_string_append_printf (out, _("Last renewed: %s"), renewed ? renewed : "—");
      if (signed_in_as != NULL && g_ascii_strcasecmp (signed_in_as, address) != 0)
        {
          g_autofree char *safe = md_escape (signed_in_as);

          g_string_append (out, "; ");
          g_string_append_printf (out, _("Signed in as: %s"), safe);
        }
      g_string_append_c (out, '\n');
    }

  g_string_append_printf (out, "\n## %s\n\n", _("Other findings"));
  if (self->findings->len == 0)
    g_string_append_printf (out, "%s\n", _("None."));
  md_findings (out, presenter, self->findings, "");

  g_string_append_printf (out, "\n## %s\n\n", _("What was changed"));
  if (self->changes->len == 0)
    g_string_append_printf (out, "%s\n", _("No changes recorded."));
  for (guint i = 0; i < self->changes->len; i++)
    {
      Change *change = g_ptr_array_index (self->changes, i);
      g_autofree char *when = format_time (change->time);
      g_autofree char *change_id = present (presenter, change->change_id);
      g_autofree char *account_id = present (presenter, change->account_id);

      g_string_append_printf (out, "- %s ", when ? when : "—");
      md_code (out, change_id);
      if (account_id != NULL)
        {
          g_string_append (out, " (");
          md_code (out, account_id);
          g_string_append_c (out, ')');
        }
      if (change->undone)
        g_string_append_printf (out, " — %s", _("undone"));
      g_string_append_c (out, '\n');
      for (guint j = 0; change->files != NULL && change->files[j] != NULL; j++)
        {
          g_autofree char *file = present (presenter, change->files[j]);

          g_string_append (out, "  - ");
          md_code (out, file);
          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* JSON */

static void
json_string (JsonBuilder *builder,
             Presenter   *presenter,
             const char  *member,
             const char  *value)
{
  g_autofree char *safe = present (presenter, value);

  json_builder_set_member_name (builder, member);
  if (safe != NULL)
    json_builder_add_string_value (builder, safe);
  else
    json_builder_add_null_value (builder);
}

static void
json_time (JsonBuilder *builder,
           const char  *member,
           GDateTime   *time)
{
  g_autofree char *text = format_iso8601 (time);

  json_builder_set_member_name (builder, member);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

/* The shape of `mailmend scan --json`. */
static void
json_findings (JsonBuilder *builder,
               Presenter   *presenter,
               GPtrArray   *findings)
{
  json_builder_set_member_name (builder, "findings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (findings, i);

      json_builder_begin_object (builder);
      json_string (builder, presenter, "id", mend_finding_get_id (finding));
      json_string (builder, presenter, "severity",
                   mend_severity_to_string (mend_finding_get_severity (finding)));
      json_string (builder, presenter, "title", mend_finding_get_title (finding));
      json_string (builder, presenter, "explanation", mend_finding_get_explanation (finding));
      json_string (builder, presenter, "remedy", mend_finding_get_remedy (finding));
      json_string (builder, presenter, "details", mend_finding_get_details (finding));
      json_string (builder, presenter, "link", mend_finding_get_link (finding));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
json_account (JsonBuilder  *builder,
              Presenter    *presenter,
              AccountEntry *entry)
{
  MendAccount *account = entry->account;

  json_builder_begin_object (builder);
  json_string (builder, presenter, "id", mend_account_get_id (account));
  json_string (builder, presenter, "client", mend_account_get_client (account));
  json_string (builder, presenter, "client_name", entry->client_name);
  json_string (builder, presenter, "client_version", mend_account_get_client_version (account));
  json_string (builder, presenter, "profile", mend_account_get_profile (account));
  json_string (builder, presenter, "source", mend_account_get_source (account));
  json_string (builder, presenter, "address", mend_account_get_address (account));
  json_string (builder, presenter, "username", mend_account_get_username (account));
  json_string (builder, presenter, "protocol",
               mend_protocol_to_string (mend_account_get_protocol (account)));
  json_string (builder, presenter, "host", mend_account_get_host (account));
  json_builder_set_member_name (builder, "port");
  json_builder_add_int_value (builder, mend_account_get_port (account));
  json_string (builder, presenter, "security",
               mend_security_to_string (mend_account_get_security (account)));
  json_string (builder, presenter, "auth", mend_auth_to_string (mend_account_get_auth (account)));
  json_findings (builder, presenter, mend_account_get_findings (account));
  json_builder_end_object (builder);
}

static void
json_sign_in (JsonBuilder *builder,
              Presenter   *presenter,
              SignIn      *sign_in)
{
  json_builder_begin_object (builder);
  json_string (builder, presenter, "address", sign_in->address);
  json_builder_set_member_name (builder, "damaged");
  json_builder_add_boolean_value (builder, sign_in->damaged);
  json_string (builder, presenter, "tenant_type",
               sign_in->damaged ? NULL : mend_tenant_type_to_string (sign_in->tenant_type));
  json_string (builder, presenter, "tenant_id", sign_in->tenant_id);
  json_builder_set_member_name (builder, "scopes");
  json_builder_begin_array (builder);
  for (guint i = 0; sign_in->scopes != NULL && sign_in->scopes[i] != NULL; i++)
    {
      g_autofree char *scope = present (presenter, sign_in->scopes[i]);

      json_builder_add_string_value (builder, scope);
    }
  json_builder_end_array (builder);
  json_time (builder, "expires_at", sign_in->expires_at);
  json_time (builder, "last_refresh", sign_in->last_refresh);
  json_string (builder, presenter, "authority", sign_in->authority);
  json_string (builder, presenter, "client_id", sign_in->client_id);
  json_string (builder, presenter, "signed_in_as", sign_in->signed_in_as);
  json_builder_end_object (builder);
}

static void
json_change (JsonBuilder *builder,
             Presenter   *presenter,
             Change      *change)
{
  json_builder_begin_object (builder);
  json_time (builder, "time", change->time);
  json_string (builder, presenter, "change_id", change->change_id);
  json_string (builder, presenter, "account_id", change->account_id);
  json_builder_set_member_name (builder, "files");
  json_builder_begin_array (builder);
  for (guint i = 0; change->files != NULL && change->files[i] != NULL; i++)
    {
      g_autofree char *file = present (presenter, change->files[i]);

      json_builder_add_string_value (builder, file);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "undone");
  json_builder_add_boolean_value (builder, change->undone);
  json_builder_end_object (builder);
}

static char *
render_json (MendReport *self,
             Presenter  *presenter)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "report_version");
  json_builder_add_int_value (builder, 1);
  json_time (builder, "generated_at", self->generated_at);
  json_string (builder, presenter, "mailmend_version", PACKAGE_VERSION);
  json_builder_set_member_name (builder, "addresses_masked");
  json_builder_add_boolean_value (builder, self->mask_addresses);

  json_builder_set_member_name (builder, "system");
  json_builder_begin_object (builder);
  json_string (builder, presenter, "os", self->os_name);
  json_builder_set_member_name (builder, "libraries");
  json_builder_begin_object (builder);
  {
    g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version,
                                             glib_micro_version);
    g_autofree char *soup = g_strdup_printf ("%u.%u.%u", soup_get_major_version (),
                                             soup_get_minor_version (), soup_get_micro_version ());
    g_autofree char *secret = g_strdup_printf ("%d.%d.%d", SECRET_MAJOR_VERSION,
                                               SECRET_MINOR_VERSION, SECRET_MICRO_VERSION);

    json_string (builder, presenter, "glib", glib);
    json_string (builder, presenter, "libsoup", soup);
    json_string (builder, presenter, "json-glib", JSON_VERSION_S);
    json_string (builder, presenter, "libsecret", secret);
  }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "service_status");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "checked");
  json_builder_add_boolean_value (builder, self->status_checked);
  json_findings (builder, presenter, self->status_findings);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "accounts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->accounts->len; i++)
    json_account (builder, presenter, g_ptr_array_index (self->accounts, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "sign_ins");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->sign_ins->len; i++)
    json_sign_in (builder, presenter, g_ptr_array_index (self->sign_ins, i));
  json_builder_end_array (builder);

  json_findings (builder, presenter, self->findings);

  json_builder_set_member_name (builder, "changes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->changes->len; i++)
    json_change (builder, presenter, g_ptr_array_index (self->changes, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

static void
mend_report_finalize (GObject *object)
{
  MendReport *self = (MendReport *) object;

  g_free (self->os_name);
  g_clear_pointer (&self->generated_at, g_date_time_unref);
  g_clear_pointer (&self->status_findings, g_ptr_array_unref);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->sign_ins, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->changes, g_ptr_array_unref);

  G_OBJECT_CLASS (mend_report_parent_class)->finalize (object);
}

static void
mend_report_class_init (MendReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_report_finalize;
}

static void
mend_report_init (MendReport *self)
{
  self->status_findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->accounts = g_ptr_array_new_with_free_func ((GDestroyNotify) account_entry_free);
  self->sign_ins = g_ptr_array_new_with_free_func ((GDestroyNotify) sign_in_free);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  self->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
}

/**
 * mend_report_new:
 *
 * Returns: (transfer full): an empty report about this computer: its
 *   system (from os-release) and the time now
 */
MendReport *
mend_report_new (void)
{
  MendReport *self = g_object_new (MEND_TYPE_REPORT, NULL);

  /* Inside Flatpak, the host's os-release is the one that matters. */
  self->os_name = mend_report_read_os_name ("/run/host/os-release");
  if (self->os_name == NULL)
    self->os_name = mend_report_read_os_name ("/etc/os-release");
  if (self->os_name == NULL)
    self->os_name = mend_report_read_os_name ("/usr/lib/os-release");
  self->generated_at = g_date_time_new_now_utc ();

  return self;
}

gboolean
mend_report_get_mask_addresses (MendReport *self)
{
  g_return_val_if_fail (MEND_IS_REPORT (self), FALSE);

  return self->mask_addresses;
}

/**
 * mend_report_set_mask_addresses:
 * @self: a #MendReport
 * @mask_addresses: whether to mask e-mail addresses, for screen sharing
 */
void
mend_report_set_mask_addresses (MendReport *self,
                                gboolean    mask_addresses)
{
  g_return_if_fail (MEND_IS_REPORT (self));

  self->mask_addresses = !!mask_addresses;
}

void
mend_report_set_os_name (MendReport *self,
                         const char *os_name)
{
  g_return_if_fail (MEND_IS_REPORT (self));

  g_free (self->os_name);
  self->os_name = g_strdup (os_name);
}

void
mend_report_set_generated_at (MendReport *self,
                              GDateTime  *generated_at)
{
  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (generated_at != NULL);

  g_date_time_unref (self->generated_at);
  self->generated_at = g_date_time_ref (generated_at);
}

/**
 * mend_report_add_status_findings:
 * @self: a #MendReport
 * @findings: (element-type MendFinding): what Microsoft's service status
 *   check found, possibly nothing
 *
 * Marks the service status as checked.
 */
void
mend_report_add_status_findings (MendReport *self,
                                 GPtrArray  *findings)
{
  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (findings != NULL);

  self->status_checked = TRUE;
  for (guint i = 0; i < findings->len; i++)
    g_ptr_array_add (self->status_findings, g_object_ref (g_ptr_array_index (findings, i)));
}

/**
 * mend_report_add_account:
 * @self: a #MendReport
 * @account: a scanned account, with its findings
 * @client_name: (nullable): the client's name, such as “Thunderbird”
 */
void
mend_report_add_account (MendReport  *self,
                         MendAccount *account,
                         const char  *client_name)
{
  AccountEntry *entry;

  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (MEND_IS_ACCOUNT (account));

  entry = g_new0 (AccountEntry, 1);
  entry->account = g_object_ref (account);
  entry->client_name = g_strdup (client_name);
  g_ptr_array_add (self->accounts, entry);
}

/**
 * mend_report_add_scan:
 * @self: a #MendReport
 * @scanner: the scanner that ran, for the clients' names
 * @context: its results
 *
 * Adds the Microsoft accounts of a scan, and what the scan itself found
 * (files it could not read) to the other findings.
 */
void
mend_report_add_scan (MendReport      *self,
                      MendScanner     *scanner,
                      MendScanContext *context)
{
  GPtrArray *accounts;
  GPtrArray *findings;

  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (MEND_IS_SCANNER (scanner));
  g_return_if_fail (MEND_IS_SCAN_CONTEXT (context));

  accounts = mend_scan_context_get_accounts (context);
  for (guint i = 0; i < accounts->len; i++)
    {
      MendAccount *account = g_ptr_array_index (accounts, i);
      MendClient *client = mend_scanner_find_client (scanner, mend_account_get_client (account));

      if (mend_account_is_microsoft (account))
        mend_report_add_account (self, account, client ? mend_client_get_name (client) : NULL);
    }

  findings = mend_scan_context_get_findings (context);
  for (guint i = 0; i < findings->len; i++)
    mend_report_add_finding (self, g_ptr_array_index (findings, i));
}

/**
 * mend_report_add_sign_in:
 * @self: a #MendReport
 * @token: a sign-in Mailmend keeps
 *
 * Copies the address, the kind of account, the tenant, the scopes, the
 * expiry, where the sign-in came from and the account that signed in;
 * never a token.
 */
void
mend_report_add_sign_in (MendReport     *self,
                         MendOAuthToken *token)
{
  SignIn *sign_in;
  GDateTime *time;

  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (MEND_IS_OAUTH_TOKEN (token));

  sign_in = g_new0 (SignIn, 1);
  sign_in->address = g_strdup (mend_oauth_token_get_address (token));
  sign_in->tenant_type = mend_oauth_token_get_tenant_type (token);
  sign_in->tenant_id = g_strdup (mend_oauth_token_get_tenant_id (token));
  sign_in->scopes = g_strdupv ((char **) mend_oauth_token_get_scopes (token));
  if ((time = mend_oauth_token_get_expires_at (token)) != NULL)
    sign_in->expires_at = g_date_time_ref (time);
  if ((time = mend_oauth_token_get_last_refresh (token)) != NULL)
    sign_in->last_refresh = g_date_time_ref (time);
  sign_in->authority = g_strdup (mend_oauth_token_get_authority (token));
  sign_in->client_id = g_strdup (mend_oauth_token_get_client_id (token));
  sign_in->signed_in_as = g_strdup (mend_oauth_token_get_signed_in_as (token));
  g_ptr_array_add (self->sign_ins, sign_in);
}

/**
 * mend_report_add_damaged_sign_in:
 * @self: a #MendReport
 * @address: the address of a keyring item Mailmend cannot read
 */
void
mend_report_add_damaged_sign_in (MendReport *self,
                                 const char *address)
{
  SignIn *sign_in;

  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (address != NULL);

  sign_in = g_new0 (SignIn, 1);
  sign_in->address = g_strdup (address);
  sign_in->damaged = TRUE;
  g_ptr_array_add (self->sign_ins, sign_in);
}

/**
 * mend_report_add_finding:
 * @self: a #MendReport
 * @finding: anything else that was found, such as a diagnosis's findings
 */
void
mend_report_add_finding (MendReport  *self,
                         MendFinding *finding)
{
  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (MEND_IS_FINDING (finding));

  g_ptr_array_add (self->findings, g_object_ref (finding));
}

/**
 * mend_report_add_change:
 * @self: a #MendReport
 * @time: when the change was made
 * @change_id: what the change was, such as a repair's id
 * @account_id: (nullable): the account it changed (as in `mailmend scan --json`)
 * @files: (nullable) (array zero-terminated=1): the files it changed
 * @undone: whether it was undone since
 *
 * Adds one record of the repair history, to “What was changed”.
 */
void
mend_report_add_change (MendReport         *self,
                        GDateTime          *time,
                        const char         *change_id,
                        const char         *account_id,
                        const char * const *files,
                        gboolean            undone)
{
  Change *change;

  g_return_if_fail (MEND_IS_REPORT (self));
  g_return_if_fail (time != NULL);
  g_return_if_fail (change_id != NULL);

  change = g_new0 (Change, 1);
  change->time = g_date_time_ref (time);
  change->change_id = g_strdup (change_id);
  change->account_id = g_strdup (account_id);
  change->files = g_strdupv ((char **) files);
  change->undone = !!undone;
  g_ptr_array_add (self->changes, change);
}

/**
 * mend_report_render:
 * @self: a #MendReport
 * @format: text, Markdown or JSON
 *
 * The JSON shape is documented in README's command-line section. Every
 * value is masked with mend_redact_text(), and its addresses too when
 * mend_report_set_mask_addresses() asked for it.
 *
 * Returns: (transfer full): the report, ending with a line break
 */
char *
mend_report_render (MendReport       *self,
                    MendReportFormat  format)
{
  Presenter presenter = { 0, };
  char *text;

  g_return_val_if_fail (MEND_IS_REPORT (self), NULL);

  presenter_init (&presenter, self);

  switch (format)
    {
    case MEND_REPORT_FORMAT_MARKDOWN:
      text = render_markdown (self, &presenter);
      break;
    case MEND_REPORT_FORMAT_JSON:
      text = render_json (self, &presenter);
      break;
    case MEND_REPORT_FORMAT_TEXT:
    default:
      text = render_text (self, &presenter);
      break;
    }

  presenter_clear (&presenter);

  return text;
}

/**
 * mend_report_format_from_string:
 * @name: “text”, “markdown” (or “md”) or “json”
 * @format: (out): the format
 *
 * Returns: whether @name is a format
 */
gboolean
mend_report_format_from_string (const char       *name,
                                MendReportFormat *format)
{
  g_return_val_if_fail (format != NULL, FALSE);

  if (g_strcmp0 (name, "text") == 0)
    *format = MEND_REPORT_FORMAT_TEXT;
  else if (g_strcmp0 (name, "markdown") == 0 || g_strcmp0 (name, "md") == 0)
    *format = MEND_REPORT_FORMAT_MARKDOWN;
  else if (g_strcmp0 (name, "json") == 0)
    *format = MEND_REPORT_FORMAT_JSON;
  else
    return FALSE;

  return TRUE;
}

/**
 * mend_report_read_os_name:
 * @os_release_path: an os-release(5) file
 *
 * Returns: (transfer full) (nullable): its `PRETTY_NAME`, or %NULL when the
 *   file cannot be read or has none
 */
char *
mend_report_read_os_name (const char *os_release_path)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (os_release_path != NULL, NULL);

  if (!g_file_get_contents (os_release_path, &contents, NULL, NULL))
    return NULL;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "PRETTY_NAME="))
        {
          char *value = g_shell_unquote (lines[i] + strlen ("PRETTY_NAME="), NULL);

          if (value != NULL && g_utf8_validate (value, -1, NULL) && value[0] != '\0')
            return value;
          g_free (value);
        }
    }

  return NULL;
}
