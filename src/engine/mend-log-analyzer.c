/* mend-log-analyzer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads a mail client's log and says what went wrong, as findings. The log
 * is streamed a line at a time with a cap on the line length and on the
 * total size, so a 50 MB debug log, a binary file or a file without a
 * single line break takes bounded memory. Nothing from the log is kept but
 * the first offending line of each finding, masked by mend_redact_line().
 *
 * The signatures are the replies Microsoft's servers give (microsoft.md
 * §3.4) and the AADSTS codes of its sign-in service (through
 * mend-oauth-error); they are matched whatever the log's format. The format
 * only names the client, and tells apart the connections of one log
 * (Thunderbird's connection addresses, Evolution's tag prefixes, NeoMutt's
 * sockets), so that a failure is blamed on the way its own connection
 * signed in: a password (`basic-auth-rejected`) or OAuth 2.0
 * (`token-rejected`).
 */

#define G_LOG_DOMAIN "mend-log-analyzer"

#include "config.h"

#include <string.h>

#include "mend-log-analyzer.h"
#include "mend-log-findings.h"
#include "mend-redact.h"
#include "oauth/mend-oauth-error.h"

#define N_FORMATS (MEND_LOG_FORMAT_KMAIL + 1)

/* Line numbers kept per finding; the others are only counted. */
#define MAX_LINES_KEPT 10
/* Bytes of the offending line kept in a finding's details. */
#define MAX_EXCERPT 400
/* The first bytes, looked at to tell a text log from a binary file. */
#define SAMPLE_SIZE (64 * 1024)
/* Connections whose sign-in method is remembered at once. */
#define MAX_CONNECTIONS 256
/* Lines enough to recognise a format. */
#define MAX_VOTES 2000
#define READ_CHUNK (64 * 1024)

typedef enum
{
  MECHANISM_NONE,
  MECHANISM_OAUTH,
  MECHANISM_PASSWORD,
} Mechanism;

/* How a connection last signed in, and on which line it said so. */
typedef struct
{
  Mechanism mechanism;
  guint64   line;
} Seen;

/* The line being analysed, in lower case, with the pairs of bytes it holds: a text with a
 * pair the line lacks is ruled out without a substring search. Most lines of a large log
 * (message bodies, FETCH replies) are dismissed that way. */
typedef struct
{
  const char    *lower;
  const guint64 *pairs;
} Line;

typedef struct
{
  MendFinding *finding;
  guint64      lines[MAX_LINES_KEPT];
  guint        n_lines_kept;
  guint64      count;
  char        *excerpt;
} Hit;

struct _MendLogAnalyzer
{
  GObject        parent_instance;

  GString       *line;
  GString       *lower;
  GHashTable    *mechanisms;
  GPtrArray     *hits;
  GHashTable    *hits_by_id;
  GPtrArray     *findings;
  guint64        pairs[65536 / 64];

  guint64        n_lines;
  guint64        n_text_lines;
  guint64        n_bytes;
  gsize          n_binary;
  guint          votes[N_FORMATS];
  guint          n_votes;
  Seen           last_unkeyed;
  Mechanism      last_mechanism;
  MendLogFormat  format;
  guint          line_cut : 1;
  guint          truncated : 1;
  guint          finished : 1;
};

G_DEFINE_FINAL_TYPE (MendLogAnalyzer, mend_log_analyzer, G_TYPE_OBJECT)

/* Sign-ins by OAuth 2.0, as logs write them (lower case). */
static const char * const oauth_marks[] = {
  "authenticate xoauth2", "authenticate oauthbearer", "auth xoauth2", "auth oauthbearer",
  "xoauth2 auth", "mechanism xoauth2", "mechanism oauthbearer", "(xoauth2)", "(oauthbearer)",
  "method xoauth2", "method oauthbearer", "imap_auth_oauth", "imap_auth_xoauth2",
  "smtp_auth_oauth", "smtp_auth_xoauth2",
};

/* Sign-ins with a password. The IMAP LOGIN command is found apart. */
static const char * const password_marks[] = {
  "authenticate plain", "authenticate login", "auth plain", "auth login", "plain auth",
  "login auth", "old-style auth", "mechanism plain", "mechanism login", "(plain)", "(login)",
  "method plain", "method login", "method cram-md5", "--> user ", "--> pass ", "c: user ",
  "c: pass ", "imap_auth_login", "imap_auth_plain",
};

/* A server refusing a sign-in, whatever the method. */
static const char * const auth_failure_marks[] = {
  "authenticate failed", "authenticationfailed", "login failed", "authentication failed",
  "authentication unsuccessful", "535 5.7.", "535-5.7.", "-err authentication failure",
  "-err logon failure",
};

static const char * const client_secret_marks[] = {
  "invalid client secret", "client secret keys are expired", "aadsts7000215", "aadsts7000222",
};

static const char * const basic_disabled_marks[] = {
  "basic authentication is disabled", "basic authentication is not supported", "5.7.30 ",
};

static const char * const too_many_marks[] = {
  "too many simultaneous connections", "too many connections", "maximum number of connections",
};

static const char * const tls_marks[] = {
  "certificate verify failed", "certificate verification failed",
  "certificate verification error", "unable to get local issuer certificate",
  "self signed certificate", "self-signed certificate", "certificate has expired",
  "certificate is not trusted", "unacceptable tls certificate", "tls handshake failed",
  "error performing tls handshake", "ssl handshake failed", "sec_error_", "ssl_error_",
  "mozilla_pkix_error_", "ssl routines", "gnutls_e_", "wrong version number",
  "certificate does not match", "ssl error connecting",
};

static const char * const network_marks[] = {
  "name or service not known", "temporary failure in name resolution", "could not resolve",
  "couldn't resolve", "cannot resolve", "nodename nor servname", "network is unreachable",
  "no route to host", "connection refused", "error resolving",
};

/* OAuth `error` values worth a finding of their own when no AADSTS code says more. */
static const char * const oauth_error_names[] = {
  "invalid_grant", "invalid_client", "unauthorized_client", "invalid_scope", "access_denied",
  "interaction_required", "login_required", "consent_required", "authorization_declined",
  "expired_token",
};

static void
hit_free (Hit *hit)
{
  g_clear_object (&hit->finding);
  g_free (hit->excerpt);
  g_free (hit);
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_' || c == '=';
}

static guint
pair_index (const char *p)
{
  return ((guchar) p[0] << 8) | (guchar) p[1];
}

static gboolean
may_have (const Line *line,
          const char *text)
{
  for (const char *p = text; p[0] != '\0' && p[1] != '\0'; p++)
    {
      guint index = pair_index (p);

      if ((line->pairs[index / 64] & (G_GUINT64_CONSTANT (1) << (index % 64))) == 0)
        return FALSE;
    }

  return TRUE;
}

static const char *
line_find (const Line *line,
           const char *text)
{
  return may_have (line, text) ? strstr (line->lower, text) : NULL;
}

/* @mark in @line, on word boundaries where @mark starts or ends with a
 * letter or a digit. Capabilities list mechanisms, they do not use one:
 * “AUTH=PLAIN AUTH=XOAUTH2” holds no “plain auth”, and neither does an
 * EHLO reply (“250-AUTH LOGIN XOAUTH2”) hold an “auth login”. */
static gboolean
has_mark (const Line *line,
          const char *mark)
{
  const char *lower = line->lower;
  gsize mark_length = strlen (mark);
  gboolean starts_alnum = g_ascii_isalnum (mark[0]);
  gboolean ends_alnum = g_ascii_isalnum (mark[mark_length - 1]);

  for (const char *p = line_find (line, mark); p != NULL; p = strstr (p + 1, mark))
    {
      char after = p[mark_length];

      if (starts_alnum && p > lower && is_name_char (p[-1]))
        continue;
      if (ends_alnum && is_name_char (after))
        continue;
      if (g_str_has_prefix (mark, "auth ") && p - lower >= 4 && strncmp (p - 4, "250 ", 4) == 0)
        continue;

      return TRUE;
    }

  return FALSE;
}

static gboolean
has_any_mark (const Line         *line,
              const char * const *marks,
              gsize               n_marks)
{
  for (gsize i = 0; i < n_marks; i++)
    {
      if (has_mark (line, marks[i]))
        return TRUE;
    }

  return FALSE;
}

/* “a0002 login …”, “>>> 2 login …”: an IMAP LOGIN command, so a password. */
static gboolean
has_login_command (const Line *line)
{
  const char *lower = line->lower;
  static const char * const outcomes[] = { "failed", "completed", "ok", "successful" };

  for (const char *p = line_find (line, " login "); p != NULL; p = strstr (p + 1, " login "))
    {
      const char *tag_end = p;
      const char *tag = p;
      const char *next = p + strlen (" login ");
      gboolean has_digit = FALSE;
      gboolean outcome = FALSE;

      while (tag > lower && g_ascii_isalnum (tag[-1]))
        {
          tag--;
          has_digit |= g_ascii_isdigit (*tag);
        }

      if (tag == tag_end || tag_end - tag > 16 || !has_digit)
        continue;
      if (tag > lower && tag[-1] != ' ' && tag[-1] != '\'' && tag[-1] != '"')
        continue;

      for (guint i = 0; i < G_N_ELEMENTS (outcomes); i++)
        outcome |= g_str_has_prefix (next, outcomes[i]);
      if (!outcome)
        return TRUE;
    }

  return FALSE;
}

static Mechanism
line_mechanism (const Line *line)
{
  if (has_any_mark (line, oauth_marks, G_N_ELEMENTS (oauth_marks)))
    return MECHANISM_OAUTH;

  if (has_any_mark (line, password_marks, G_N_ELEMENTS (password_marks)) ||
      has_login_command (line))
    return MECHANISM_PASSWORD;

  return MECHANISM_NONE;
}

/* MOZ_LOG's module after the level letter, “[Parent 4123: IMAP]: I/IMAP 0x7f…:host:NA:…”:
 * the “/IMAP ” (or SMTP, POP3), or %NULL. */
static const char *
find_moz_module (const char *text)
{
  for (const char *p = strchr (text, '/'); p != NULL; p = strchr (p + 1, '/'))
    {
      if (p - text >= 2 && p[-2] == ' ' && g_ascii_isupper (p[-1]) &&
          (g_str_has_prefix (p, "/IMAP ") || g_str_has_prefix (p, "/SMTP ") ||
           g_str_has_prefix (p, "/POP3 ")))
        return p;
    }

  return NULL;
}

static MendLogFormat
line_format (const char *text)
{
  const char *p;

  if (strstr (text, "Mailbird") != NULL)
    return MEND_LOG_FORMAT_MAILBIRD;

  if (find_moz_module (text) != NULL)
    return MEND_LOG_FORMAT_THUNDERBIRD;
  if (strstr (text, "mailnews.smtp") != NULL || strstr (text, "mailnews.imap") != NULL ||
      strstr (text, "mailnews.pop3") != NULL)
    return MEND_LOG_FORMAT_THUNDERBIRD;

  if (g_str_has_prefix (text, "[imapx:") || g_str_has_prefix (text, "[SMTP] "))
    return MEND_LOG_FORMAT_EVOLUTION;

  if (g_str_has_prefix (text, "<-- ") || g_str_has_prefix (text, "--> ") ||
      g_str_has_prefix (text, "msmtp: "))
    return MEND_LOG_FORMAT_MSMTP;

  if (g_str_has_prefix (text, ">>> ") || strstr (text, "IMAP command '") != NULL ||
      strstr (text, " side store ") != NULL || g_str_has_prefix (text, "Opening master store") ||
      g_str_has_prefix (text, "Opening slave store") ||
      g_str_has_prefix (text, "Authenticating with SASL mechanism"))
    return MEND_LOG_FORMAT_MBSYNC;

  /* NeoMutt: “[2024-09-17 10:15:32]<2> imap_cmd_step() …”. */
  if (text[0] == '[' && (p = strstr (text, "]<")) != NULL && p[2] != '\0' && p[3] == '>' &&
      p[4] == ' ' && strstr (p, "() ") != NULL)
    return MEND_LOG_FORMAT_NEOMUTT;

  if (strstr (text, "org.kde.pim.") != NULL)
    return MEND_LOG_FORMAT_KMAIL;

  return MEND_LOG_FORMAT_UNKNOWN;
}

/* Which connection a line belongs to, when the format says. */
static gboolean
line_connection (const char *text,
                 char        key[32])
{
  const char *p;
  gsize length;

  if (g_str_has_prefix (text, "[imapx:") && text[7] != '\0' && text[8] == ']')
    {
      g_snprintf (key, 32, "imapx:%c", text[7]);
      return TRUE;
    }

  if (g_str_has_prefix (text, "[SMTP] "))
    {
      g_strlcpy (key, "smtp", 32);
      return TRUE;
    }

  /* Thunderbird: the connection's address after the module, “I/IMAP 0x7f3a1c0b2000:”. */
  if ((p = find_moz_module (text)) != NULL)
    {
      const char *address = p + strlen ("/IMAP ");

      length = strspn (address, "0123456789abcdefABCDEFx");
      if (length < 6 || length > 18 || address[length] != ':')
        return FALSE;

      g_snprintf (key, 32, "%.4s:%.*s", p + 1, (int) length, address);
      return TRUE;
    }

  /* NeoMutt: “imap_cmd_step() 4< …”, “mutt_socket_write_d() 4> …”. */
  if (text[0] == '[' && (p = strstr (text, "() ")) != NULL)
    {
      p += 3;
      length = strspn (p, "0123456789");
      if (length > 0 && length < 10 && (p[length] == '<' || p[length] == '>'))
        {
          g_snprintf (key, 32, "fd%.*s", (int) length, p);
          return TRUE;
        }
    }

  return FALSE;
}

/* The first AADSTS code of the line, or 0. */
static guint
find_aadsts (const Line  *line,
             const char **where)
{
  for (const char *p = line_find (line, "aadsts"); p != NULL; p = strstr (p + 1, "aadsts"))
    {
      const char *digits = p + 6;
      gsize n_digits = strspn (digits, "0123456789");

      if (n_digits >= 5 && n_digits <= 8)
        {
          *where = p;
          return (guint) g_ascii_strtoull (digits, NULL, 10);
        }
    }

  return 0;
}

/* An OAuth `error` named in JSON (`"error":"invalid_grant"`) or in an address (`error=…`). */
static const char *
find_oauth_error_name (const Line *line)
{
  static const char * const prefixes[] = { "\"error\":\"", "\"error\": \"", "error=" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    {
      const char *p;

      for (p = line_find (line, prefixes[i]); p != NULL; p = strstr (p + 1, prefixes[i]))
        {
          const char *name = p + strlen (prefixes[i]);

          for (guint j = 0; j < G_N_ELEMENTS (oauth_error_names); j++)
            {
              gsize length = strlen (oauth_error_names[j]);

              if (strncmp (name, oauth_error_names[j], length) == 0 &&
                  !g_ascii_isalnum (name[length]) && name[length] != '_')
                return oauth_error_names[j];
            }
        }
    }

  return NULL;
}

static char *
make_excerpt (const char *text,
              gsize       length)
{
  g_autofree char *masked = mend_redact_line (text, length);
  const char *cut;

  if (strlen (masked) <= MAX_EXCERPT)
    return g_steal_pointer (&masked);

  cut = g_utf8_find_prev_char (masked, masked + MAX_EXCERPT);

  return g_strdup_printf ("%.*s…", (int) (cut ? cut - masked : 0), masked);
}

static Hit *
lookup_hit (MendLogAnalyzer *self,
            const char      *id)
{
  return g_hash_table_lookup (self->hits_by_id, id);
}

/* Counts @finding (taking it) as seen on the current line. */
static void
add_hit (MendLogAnalyzer *self,
         MendFinding     *finding,
         const char      *text,
         gsize            length)
{
  Hit *hit = lookup_hit (self, mend_finding_get_id (finding));

  if (hit == NULL)
    {
      hit = g_new0 (Hit, 1);
      hit->finding = finding;
      hit->excerpt = make_excerpt (text, length);
      g_ptr_array_add (self->hits, hit);
      g_hash_table_insert (self->hits_by_id, (gpointer) mend_finding_get_id (finding), hit);
    }
  else
    {
      g_object_unref (finding);
    }

  hit->count++;
  if (hit->n_lines_kept < MAX_LINES_KEPT)
    hit->lines[hit->n_lines_kept++] = self->n_lines;
}

static void
add_kind (MendLogAnalyzer    *self,
          MendLogFindingKind  kind,
          const char         *text,
          gsize               length)
{
  Hit *hit = lookup_hit (self, mend_log_finding_kind_to_id (kind));

  /* Findings are built once: a long log repeats the same error thousands of times. */
  add_hit (self, hit ? g_object_ref (hit->finding) : mend_log_finding_new (kind), text, length);
}

static void
add_oauth_error (MendLogAnalyzer *self,
                 const char      *oauth_error,
                 guint            aadsts,
                 const char      *description,
                 const char      *text,
                 gsize            length)
{
  MendOAuthErrorInfo info = { 0, };
  g_autoptr(GError) error = NULL;
  g_autofree char *masked = NULL;
  MendOAuthError code;
  Hit *hit;

  code = mend_oauth_error_classify (oauth_error, aadsts, NULL, MEND_TENANT_TYPE_UNKNOWN);
  if ((hit = lookup_hit (self, mend_oauth_error_get_finding_id (code))) != NULL)
    {
      add_hit (self, g_object_ref (hit->finding), text, length);
      return;
    }

  /* The description ends with its JSON string or its query parameter. */
  masked = description ? mend_redact_line (description, strcspn (description, "\"&")) : NULL;
  info.error = oauth_error;
  info.aadsts = aadsts;
  info.error_description = masked;
  error = mend_oauth_error_new_from_info (&info);
  add_hit (self, mend_oauth_error_get_finding (error), text, length);
}

/* A line that names a method without naming its connection (Thunderbird's “XOAUTH2 auth”,
 * NeoMutt's “Authenticating (XOAUTH2)…”) speaks for the connection signing in right then:
 * the newer of the two wins. A line of no connection goes by the last method named. */
static Mechanism
connection_mechanism (MendLogAnalyzer *self,
                      gboolean         has_key,
                      const char      *key)
{
  const Seen *seen = has_key ? g_hash_table_lookup (self->mechanisms, key) : NULL;

  if (!has_key)
    return self->last_mechanism;

  if (seen != NULL && seen->line > self->last_unkeyed.line)
    return seen->mechanism;

  if (self->last_unkeyed.mechanism != MECHANISM_NONE)
    return self->last_unkeyed.mechanism;

  return seen ? seen->mechanism : self->last_mechanism;
}

static void
remember_mechanism (MendLogAnalyzer *self,
                    gboolean         has_key,
                    const char      *key,
                    Mechanism        mechanism)
{
  Seen *seen;

  self->last_mechanism = mechanism;

  if (!has_key)
    {
      self->last_unkeyed.mechanism = mechanism;
      self->last_unkeyed.line = self->n_lines;
      return;
    }

  if (g_hash_table_size (self->mechanisms) >= MAX_CONNECTIONS &&
      !g_hash_table_contains (self->mechanisms, key))
    g_hash_table_remove_all (self->mechanisms);

  seen = g_new (Seen, 1);
  seen->mechanism = mechanism;
  seen->line = self->n_lines;
  g_hash_table_insert (self->mechanisms, g_strdup (key), seen);
}

static void
analyze_line (MendLogAnalyzer *self,
              const char      *text,
              gsize            length)
{
  const Line line = { self->lower->str, self->pairs };
  const char *lower = self->lower->str;
  const char *where = NULL;
  const char *oauth_error;
  Mechanism mechanism;
  gboolean has_key;
  char key[32];
  guint aadsts;

  if (self->n_votes < MAX_VOTES)
    {
      MendLogFormat format = line_format (text);

      if (format != MEND_LOG_FORMAT_UNKNOWN)
        {
          self->votes[format]++;
          self->n_votes++;
        }
    }

  has_key = line_connection (text, key);
  mechanism = line_mechanism (&line);

  if (has_any_mark (&line, client_secret_marks, G_N_ELEMENTS (client_secret_marks)))
    {
      add_kind (self, MEND_LOG_FINDING_CLIENT_SECRET_INVALID, text, length);
    }
  else if ((aadsts = find_aadsts (&line, &where)) != 0)
    {
      add_oauth_error (self, find_oauth_error_name (&line), aadsts, text + (where - lower),
                       text, length);
    }
  else if ((oauth_error = find_oauth_error_name (&line)) != NULL)
    {
      add_oauth_error (self, oauth_error, 0, NULL, text, length);
    }
  else if (line_find (&line, "smtpclientauthentication") != NULL)
    {
      add_kind (self, MEND_LOG_FINDING_SMTP_AUTH_DISABLED, text, length);
    }
  else if (has_any_mark (&line, basic_disabled_marks, G_N_ELEMENTS (basic_disabled_marks)))
    {
      add_kind (self, MEND_LOG_FINDING_BASIC_AUTH_REJECTED, text, length);
    }
  else if (line_find (&line, "authenticated but not connected") != NULL)
    {
      add_kind (self, MEND_LOG_FINDING_MAILBOX_NOT_CONNECTED, text, length);
    }
  else if (has_any_mark (&line, too_many_marks, G_N_ELEMENTS (too_many_marks)))
    {
      add_kind (self, MEND_LOG_FINDING_TOO_MANY_CONNECTIONS, text, length);
    }
  else if (line_find (&line, "5.7.57") != NULL)
    {
      add_kind (self, MEND_LOG_FINDING_SMTP_NOT_AUTHENTICATED, text, length);
    }
  else if (line_find (&line, "sendasdenied") != NULL || line_find (&line, "5.2.252") != NULL)
    {
      add_kind (self, MEND_LOG_FINDING_SEND_AS_DENIED, text, length);
    }
  else if (has_any_mark (&line, auth_failure_marks, G_N_ELEMENTS (auth_failure_marks)))
    {
      Mechanism used = mechanism;

      /* The server's answer to an IMAP LOGIN command. */
      if (used == MECHANISM_NONE && line_find (&line, "no login failed") != NULL)
        used = MECHANISM_PASSWORD;
      if (used == MECHANISM_NONE)
        used = connection_mechanism (self, has_key, key);

      add_kind (self,
                used == MECHANISM_OAUTH ? MEND_LOG_FINDING_TOKEN_REJECTED :
                used == MECHANISM_PASSWORD ? MEND_LOG_FINDING_BASIC_AUTH_REJECTED :
                MEND_LOG_FINDING_AUTH_FAILED,
                text, length);
      /* Later lines about the same failure (“Login failed.”) blame the same method. */
      mechanism = used;
    }
  else if (has_any_mark (&line, tls_marks, G_N_ELEMENTS (tls_marks)))
    {
      add_kind (self, MEND_LOG_FINDING_TLS_FAILURE, text, length);
    }
  else if (has_any_mark (&line, network_marks, G_N_ELEMENTS (network_marks)))
    {
      add_kind (self, MEND_LOG_FINDING_NETWORK_UNREACHABLE, text, length);
    }

  if (mechanism != MECHANISM_NONE)
    remember_mechanism (self, has_key, key, mechanism);
}

static void
end_line (MendLogAnalyzer *self)
{
  char *text = self->line->str;
  gsize length = self->line->len;

  self->n_lines++;

  /* A cut line ends before its last word, which may be half a secret. */
  if (self->line_cut)
    {
      char *space = g_strrstr_len (text, length, " ");

      length = space ? (gsize) (space - text) : 0;
    }

  while (length > 0 && g_ascii_isspace (text[length - 1]))
    length--;
  text[length] = '\0';

  if (length > 0)
    {
      char *lower;

      g_string_set_size (self->lower, length);
      lower = self->lower->str;

      /* In one pass: NULs (which would end the strings early) become spaces, upper case
       * becomes lower case, and the pairs of bytes are noted. */
      for (gsize i = 0; i < length; i++)
        {
          char c = text[i];

          if (c == '\0')
            c = text[i] = ' ';
          lower[i] = (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;

          if (i > 0)
            {
              guint index = pair_index (lower + i - 1);

              self->pairs[index / 64] |= G_GUINT64_CONSTANT (1) << (index % 64);
            }
        }

      self->n_text_lines++;
      analyze_line (self, text, length);

      for (gsize i = 1; i < length; i++)
        self->pairs[pair_index (lower + i - 1) / 64] = 0;
    }

  g_string_truncate (self->line, 0);
  self->line_cut = FALSE;
}

static void
mend_log_analyzer_finalize (GObject *object)
{
  MendLogAnalyzer *self = (MendLogAnalyzer *) object;

  g_clear_pointer (&self->hits_by_id, g_hash_table_unref);
  g_clear_pointer (&self->hits, g_ptr_array_unref);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->mechanisms, g_hash_table_unref);
  g_string_free (self->line, TRUE);
  g_string_free (self->lower, TRUE);

  G_OBJECT_CLASS (mend_log_analyzer_parent_class)->finalize (object);
}

static void
mend_log_analyzer_class_init (MendLogAnalyzerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mend_log_analyzer_finalize;
}

static void
mend_log_analyzer_init (MendLogAnalyzer *self)
{
  self->line = g_string_sized_new (256);
  self->lower = g_string_sized_new (256);
  self->mechanisms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->hits = g_ptr_array_new_with_free_func ((GDestroyNotify) hit_free);
  self->hits_by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

MendLogAnalyzer *
mend_log_analyzer_new (void)
{
  return g_object_new (MEND_TYPE_LOG_ANALYZER, NULL);
}

/**
 * mend_log_analyzer_feed:
 * @self: a #MendLogAnalyzer
 * @data: the next bytes of the log, in any encoding
 * @length: how many
 *
 * Analyses the lines @data completes. Bytes past
 * %MEND_LOG_ANALYZER_MAX_BYTES are ignored.
 */
void
mend_log_analyzer_feed (MendLogAnalyzer *self,
                        const char      *data,
                        gsize            length)
{
  const char *end;
  const char *p;

  g_return_if_fail (MEND_IS_LOG_ANALYZER (self));
  g_return_if_fail (data != NULL || length == 0);
  g_return_if_fail (!self->finished);

  if (self->truncated)
    return;

  if (length >= MEND_LOG_ANALYZER_MAX_BYTES - self->n_bytes)
    {
      length = MEND_LOG_ANALYZER_MAX_BYTES - self->n_bytes;
      self->truncated = TRUE;
    }

  for (gsize i = 0; self->n_bytes + i < SAMPLE_SIZE && i < length; i++)
    {
      guchar c = data[i];

      if (c == 0 || (c < 0x20 && strchr ("\t\n\r\f\v\033", c) == NULL) || c == 0x7f)
        self->n_binary++;
    }
  self->n_bytes += length;

  end = data + length;
  for (p = data; p < end;)
    {
      const char *newline = memchr (p, '\n', end - p);
      const char *segment_end = newline ? newline : end;
      gsize room = MEND_LOG_ANALYZER_MAX_LINE - self->line->len;
      gsize segment = segment_end - p;

      if (segment > room)
        {
          segment = room;
          self->line_cut = TRUE;
        }
      g_string_append_len (self->line, p, segment);

      if (newline == NULL)
        break;

      end_line (self);
      p = newline + 1;
    }
}

static int
compare_hits (gconstpointer a,
              gconstpointer b)
{
  const Hit *hit_a = *(const Hit * const *) a;
  const Hit *hit_b = *(const Hit * const *) b;
  MendSeverity severity_a = mend_finding_get_severity (hit_a->finding);
  MendSeverity severity_b = mend_finding_get_severity (hit_b->finding);

  if (severity_a != severity_b)
    return severity_a > severity_b ? -1 : 1;

  return hit_a->lines[0] < hit_b->lines[0] ? -1 : hit_a->lines[0] > hit_b->lines[0];
}

static void
set_details (MendLogAnalyzer *self,
             Hit             *hit)
{
  const char *name = mend_log_format_get_name (self->format);
  const char *before = mend_finding_get_details (hit->finding);
  g_autoptr(GString) details = g_string_new (NULL);

  /* Untranslated, like the identity platform's details: they are for support staff. */
  if (before != NULL && before[0] != '\0')
    g_string_append_printf (details, "%s\n", before);
  g_string_append_printf (details, "log: %s\n", name ? name : "format not recognised");
  g_string_append (details, hit->count == 1 ? "line:" : "lines:");
  for (guint i = 0; i < hit->n_lines_kept; i++)
    g_string_append_printf (details, "%s %" G_GUINT64_FORMAT, i > 0 ? "," : "", hit->lines[i]);
  if (hit->count > hit->n_lines_kept)
    g_string_append_printf (details, " (%" G_GUINT64_FORMAT " times in all)", hit->count);
  g_string_append_printf (details, "\nline %" G_GUINT64_FORMAT ": %s", hit->lines[0],
                          hit->excerpt);

  mend_finding_set_details (hit->finding, details->str);
}

/**
 * mend_log_analyzer_finish:
 * @self: a #MendLogAnalyzer
 *
 * Analyses the last line (one without a line break) and sets the findings:
 * what the log shows, errors first, or `log-no-known-problem`, `log-empty`,
 * `log-not-text`, and `log-truncated` when the log was too large to read
 * whole. Nothing can be fed afterwards.
 */
void
mend_log_analyzer_finish (MendLogAnalyzer *self)
{
  guint best = 0;

  g_return_if_fail (MEND_IS_LOG_ANALYZER (self));
  g_return_if_fail (!self->finished);

  if (self->line->len > 0 || self->line_cut)
    end_line (self);
  self->finished = TRUE;

  self->format = MEND_LOG_FORMAT_UNKNOWN;
  for (guint i = 1; i < N_FORMATS; i++)
    {
      if (self->votes[i] > best)
        {
          best = self->votes[i];
          self->format = i;
        }
    }

  g_ptr_array_sort (self->hits, compare_hits);
  self->findings = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->hits->len; i++)
    {
      Hit *hit = g_ptr_array_index (self->hits, i);

      set_details (self, hit);
      g_ptr_array_add (self->findings, g_object_ref (hit->finding));
    }

  if (self->n_text_lines == 0 && self->n_binary == 0)
    g_ptr_array_add (self->findings, mend_log_finding_new (MEND_LOG_FINDING_EMPTY));
  /* More than one control byte in twenty: not a text log. */
  else if (self->n_binary * 20 > MIN (self->n_bytes, SAMPLE_SIZE))
    g_ptr_array_add (self->findings, mend_log_finding_new (MEND_LOG_FINDING_NOT_TEXT));
  else if (self->hits->len == 0)
    g_ptr_array_add (self->findings,
                     mend_log_finding_no_known_problem (mend_log_format_get_name (self->format),
                                                        self->n_lines));

  if (self->truncated)
    g_ptr_array_add (self->findings, mend_log_finding_truncated (self->n_bytes));

  g_debug ("Read %" G_GUINT64_FORMAT " lines (%" G_GUINT64_FORMAT " bytes) of a %s log: "
           "%u findings", self->n_lines, self->n_bytes, mend_log_format_to_string (self->format),
           self->findings->len);
}

/**
 * mend_log_analyzer_analyze_stream:
 * @self: a #MendLogAnalyzer
 * @stream: the log
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Feeds @stream to @self, then finishes. Stops reading at
 * %MEND_LOG_ANALYZER_MAX_BYTES.
 *
 * Returns: %TRUE when the log was read; %FALSE with @error set when reading
 *   failed or was cancelled (and @self is not finished)
 */
gboolean
mend_log_analyzer_analyze_stream (MendLogAnalyzer  *self,
                                  GInputStream     *stream,
                                  GCancellable     *cancellable,
                                  GError          **error)
{
  g_autofree char *buffer = NULL;

  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), FALSE);
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (!self->finished, FALSE);

  buffer = g_malloc (READ_CHUNK);
  while (!self->truncated)
    {
      gssize n_read = g_input_stream_read (stream, buffer, READ_CHUNK, cancellable, error);

      if (n_read < 0)
        return FALSE;
      if (n_read == 0)
        break;

      mend_log_analyzer_feed (self, buffer, n_read);
    }

  mend_log_analyzer_finish (self);

  return TRUE;
}

static void
analyze_stream_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  GError *error = NULL;

  if (mend_log_analyzer_analyze_stream (source_object, task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * mend_log_analyzer_analyze_stream_async:
 * @self: a #MendLogAnalyzer
 * @stream: the log
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: for @callback
 *
 * mend_log_analyzer_analyze_stream() in a worker thread. Leave @self and
 * @stream alone until @callback runs.
 */
void
mend_log_analyzer_analyze_stream_async (MendLogAnalyzer     *self,
                                        GInputStream        *stream,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MEND_IS_LOG_ANALYZER (self));
  g_return_if_fail (G_IS_INPUT_STREAM (stream));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mend_log_analyzer_analyze_stream_async);
  g_task_set_task_data (task, g_object_ref (stream), g_object_unref);
  g_task_run_in_thread (task, analyze_stream_thread);
}

gboolean
mend_log_analyzer_analyze_stream_finish (MendLogAnalyzer  *self,
                                         GAsyncResult     *result,
                                         GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        mend_log_analyzer_analyze_stream_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * mend_log_analyzer_get_findings:
 * @self: a finished #MendLogAnalyzer
 *
 * Returns: (transfer none) (element-type MendFinding): the findings, errors
 *   first, never empty
 */
GPtrArray *
mend_log_analyzer_get_findings (MendLogAnalyzer *self)
{
  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), NULL);
  g_return_val_if_fail (self->finished, NULL);

  return self->findings;
}

static const Hit *
find_hit (MendLogAnalyzer *self,
          MendFinding     *finding)
{
  for (guint i = 0; i < self->hits->len; i++)
    {
      const Hit *hit = g_ptr_array_index (self->hits, i);

      if (hit->finding == finding)
        return hit;
    }

  return NULL;
}

/**
 * mend_log_analyzer_get_finding_line:
 * @self: a finished #MendLogAnalyzer
 * @finding: one of its findings
 *
 * Returns: the number of the first line (from 1) that shows @finding, or 0
 *   for a finding about the whole log
 */
guint64
mend_log_analyzer_get_finding_line (MendLogAnalyzer *self,
                                    MendFinding     *finding)
{
  const Hit *hit;

  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), 0);
  g_return_val_if_fail (MEND_IS_FINDING (finding), 0);

  hit = find_hit (self, finding);

  return hit ? hit->lines[0] : 0;
}

/**
 * mend_log_analyzer_get_finding_count:
 * @self: a finished #MendLogAnalyzer
 * @finding: one of its findings
 *
 * Returns: how many lines show @finding, or 0 for a finding about the whole log
 */
guint64
mend_log_analyzer_get_finding_count (MendLogAnalyzer *self,
                                     MendFinding     *finding)
{
  const Hit *hit;

  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), 0);
  g_return_val_if_fail (MEND_IS_FINDING (finding), 0);

  hit = find_hit (self, finding);

  return hit ? hit->count : 0;
}

/**
 * mend_log_analyzer_get_format:
 * @self: a finished #MendLogAnalyzer
 *
 * Returns: the client whose log it is, as far as its lines tell
 */
MendLogFormat
mend_log_analyzer_get_format (MendLogAnalyzer *self)
{
  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), MEND_LOG_FORMAT_UNKNOWN);

  return self->format;
}

guint64
mend_log_analyzer_get_n_lines (MendLogAnalyzer *self)
{
  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), 0);

  return self->n_lines;
}

/**
 * mend_log_analyzer_found_problem:
 * @self: a finished #MendLogAnalyzer
 *
 * Returns: whether a finding of severity warning or error was found
 */
gboolean
mend_log_analyzer_found_problem (MendLogAnalyzer *self)
{
  g_return_val_if_fail (MEND_IS_LOG_ANALYZER (self), FALSE);
  g_return_val_if_fail (self->finished, FALSE);

  for (guint i = 0; i < self->findings->len; i++)
    {
      MendFinding *finding = g_ptr_array_index (self->findings, i);

      if (mend_finding_get_severity (finding) >= MEND_SEVERITY_WARNING)
        return TRUE;
    }

  return FALSE;
}

/**
 * mend_log_format_to_string:
 *
 * Returns: the format's id in JSON, such as “thunderbird”
 */
const char *
mend_log_format_to_string (MendLogFormat format)
{
  switch (format)
    {
    case MEND_LOG_FORMAT_MAILBIRD:
      return "mailbird";
    case MEND_LOG_FORMAT_THUNDERBIRD:
      return "thunderbird";
    case MEND_LOG_FORMAT_EVOLUTION:
      return "evolution";
    case MEND_LOG_FORMAT_MSMTP:
      return "msmtp";
    case MEND_LOG_FORMAT_MBSYNC:
      return "mbsync";
    case MEND_LOG_FORMAT_NEOMUTT:
      return "neomutt";
    case MEND_LOG_FORMAT_KMAIL:
      return "kmail";
    case MEND_LOG_FORMAT_UNKNOWN:
    default:
      return "unknown";
    }
}

/**
 * mend_log_format_get_name:
 *
 * Returns: (nullable): the client and the way its log is made, such as
 *   “Thunderbird (MOZ_LOG)” (not translated), or %NULL when unknown
 */
const char *
mend_log_format_get_name (MendLogFormat format)
{
  switch (format)
    {
    case MEND_LOG_FORMAT_MAILBIRD:
      return "Mailbird";
    case MEND_LOG_FORMAT_THUNDERBIRD:
      return "Thunderbird (MOZ_LOG)";
    case MEND_LOG_FORMAT_EVOLUTION:
      return "Evolution (CAMEL_DEBUG)";
    case MEND_LOG_FORMAT_MSMTP:
      return "msmtp (--debug)";
    case MEND_LOG_FORMAT_MBSYNC:
      return "mbsync (-V, -D)";
    case MEND_LOG_FORMAT_NEOMUTT:
      return "NeoMutt (-d)";
    case MEND_LOG_FORMAT_KMAIL:
      return "KMail (Akonadi)";
    case MEND_LOG_FORMAT_UNKNOWN:
    default:
      return NULL;
    }
}
