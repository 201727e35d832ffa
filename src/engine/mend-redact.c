/* mend-redact.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Masks what must never be shown, logged or kept in a report: tokens,
 * passwords, SASL strings, authorization codes and headers. It works on
 * any text, a line at a time, without knowing where the text comes from
 * (a mail client's log, a finding's details, a configuration path), so it
 * errs on the side of masking: a masked host name costs little, a leaked
 * token costs an account.
 *
 * A line is cut into words (runs of the characters tokens, base64, hosts,
 * addresses and paths are made of); a word is masked when its context says
 * it is a secret (after “Bearer”, after a SASL mechanism, after an IMAP
 * LOGIN or a POP3 PASS, as the value of “password=” or “"refresh_token":”,
 * alone on a line a client sent, after an Authorization header) or when it
 * looks like one (long, mixing upper case, lower case and digits, and not a
 * host name, an address, a path or a GUID).
 */

#define G_LOG_DOMAIN "mend-redact"

#include "config.h"

#include <string.h>

#include "mend-redact.h"

/* Words shorter than this are only masked by their context. */
#define MIN_SECRET_LENGTH 20

typedef struct
{
  gsize    start;
  gsize    length;
  gboolean redact;
} Word;

static const char * const mechanisms[] = {
  "PLAIN", "LOGIN", "XOAUTH2", "XOAUTH", "OAUTHBEARER", "CRAM-MD5", "DIGEST-MD5", "NTLM",
  "GSSAPI", "EXTERNAL", "ANONYMOUS", "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256",
  "SCRAM-SHA-256-PLUS", "MSN",
};

/* Keys whose value is a secret, in `key=value`, `key: value` or JSON. */
static const char * const secret_keys[] = {
  "password", "passwd", "pwd", "secret", "client_secret", "access_token", "refresh_token",
  "id_token", "code_verifier", "assertion", "token", "api_key", "apikey", "sasl",
};

/* Keys too common in prose to trust after a colon: only `key=value`. */
static const char * const secret_url_keys[] = { "code", "pass" };

/* What some clients print before a line they sent. */
static const char * const client_markers[] = {
  "--> ", ">>> ", "C: ", "sending: ", "I/O: '", "SendData: ", "Send: ",
};

static gboolean
is_word_char (char c)
{
  /* Microsoft's refresh tokens hold '!', '*' and '$' too. */
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("@._~+/%!*$-", c) != NULL);
}

/* '=' belongs to a word only as base64 padding, at its end. */
static gboolean
is_padding_at (const char *p,
               const char *end)
{
  while (p < end && *p == '=')
    p++;

  return p == end || !is_word_char (*p);
}

static gboolean
word_equal (const char *text,
            const Word *word,
            const char *literal)
{
  return word->length == strlen (literal) &&
         g_ascii_strncasecmp (text + word->start, literal, word->length) == 0;
}

static gboolean
word_in (const char         *text,
         const Word         *word,
         const char * const *list,
         gsize               n_list)
{
  for (gsize i = 0; i < n_list; i++)
    {
      if (word_equal (text, word, list[i]))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_mechanism (const char *text,
              GArray     *words,
              guint       i)
{
  return word_in (text, &g_array_index (words, Word, i), mechanisms, G_N_ELEMENTS (mechanisms));
}

static gboolean
is_guid (const char *word,
         gsize       length)
{
  if (length != 36)
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (word[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (word[i]))
        {
          return FALSE;
        }
    }

  return TRUE;
}

/* Labels of letters, digits and hyphens, at least two, the last one
 * alphabetic: “outlook.office365.com”, “SN2PR00CA0018.namprd00.prod.outlook.com”,
 * and dotted names such as “Microsoft.Exchange.Data”. A label mixing upper
 * case, lower case and digits is a piece of a JWT, not of a host name. */
static gboolean
is_host_name (const char *word,
              gsize       length)
{
  gboolean upper = FALSE, lower = FALSE, digit = FALSE;
  gsize label_start = 0;
  guint n_labels = 0;

  if (length == 0 || length > 253)
    return FALSE;

  for (gsize i = 0; i <= length; i++)
    {
      if (i == length || word[i] == '.')
        {
          gsize label_length = i - label_start;

          if (label_length == 0 || label_length > 63 || (upper && lower && digit))
            return FALSE;
          n_labels++;
          upper = lower = digit = FALSE;

          if (i == length)
            {
              if (label_length < 2)
                return FALSE;
              for (gsize j = label_start; j < i; j++)
                {
                  if (!g_ascii_isalpha (word[j]))
                    return FALSE;
                }
            }
          label_start = i + 1;
        }
      else if (!g_ascii_isalnum (word[i]) && word[i] != '-')
        {
          return FALSE;
        }
      else
        {
          upper |= g_ascii_isupper (word[i]);
          lower |= g_ascii_islower (word[i]);
          digit |= g_ascii_isdigit (word[i]);
        }
    }

  return n_labels >= 2;
}

static gboolean
is_address (const char *word,
            gsize       length)
{
  const char *at = memchr (word, '@', length);

  if (at == NULL || at == word)
    return FALSE;

  return is_host_name (at + 1, length - (at + 1 - word));
}

static gboolean
is_path (const char *word,
         gsize       length)
{
  if (!(word[0] == '/' || (length > 1 && word[0] == '~' && word[1] == '/')))
    return FALSE;

  /* Base64 may start with '/' too, and holds '+' and '=' now and then. */
  return memchr (word, '+', length) == NULL && memchr (word, '=', length) == NULL;
}

/* The rest of a URL after its scheme, such as `status.cloud.microsoft/api/posts/…` or
 * `127.0.0.1:8080/path` (or `8080/path`, when the text was cut into words at the colon): a
 * host name (base64 has no dot) or a port, then a path. */
static gboolean
is_url_rest (const char *word,
             gsize       length)
{
  const char *slash = memchr (word, '/', length);
  const char *end;

  if (slash == NULL || slash == word)
    return FALSE;

  end = slash;
  while (end > word && g_ascii_isdigit (end[-1]))
    end--;
  if (end < slash && end > word && end[-1] == ':')
    end--;
  else
    end = slash;

  if (!is_path (slash, length - (slash - word)))
    return FALSE;

  if (is_host_name (word, end - word))
    return TRUE;

  /* A port alone: only digits before the slash. */
  if (end == slash)
    {
      const char *c = word;

      while (c < slash && g_ascii_isdigit (*c))
        c++;
      if (c == slash && slash - word <= 5)
        return TRUE;
    }

  {
    g_autofree char *host = g_strndup (word, end - word);

    return g_hostname_is_ip_address (host);
  }
}

/**
 * mend_redact_is_secret:
 * @word: a word, such as a token or a host name
 * @length: its length in bytes
 *
 * Whether @word looks like a token, a key or a base64 string by itself: at
 * least 20 characters (padding aside) mixing upper case, lower case and
 * digits, or at least 40 mixing two of them, and not a GUID, a host name,
 * an address or a path.
 *
 * Returns: %TRUE when @word should be masked wherever it appears
 */
gboolean
mend_redact_is_secret (const char *word,
                       gsize       length)
{
  gboolean upper = FALSE, lower = FALSE, digit = FALSE;
  gsize letters = 0;
  gsize bare = length;

  g_return_val_if_fail (word != NULL || length == 0, FALSE);

  while (bare > 0 && word[bare - 1] == '=')
    bare--;

  if (bare < MIN_SECRET_LENGTH)
    return FALSE;

  if (is_guid (word, length) || is_path (word, length) || is_url_rest (word, length) ||
      is_address (word, length) || is_host_name (word, length))
    return FALSE;

  for (gsize i = 0; i < bare; i++)
    {
      upper |= g_ascii_isupper (word[i]);
      lower |= g_ascii_islower (word[i]);
      digit |= g_ascii_isdigit (word[i]);
      letters += g_ascii_isalpha (word[i]) ? 1 : 0;
    }

  if (upper && lower && digit)
    return letters >= 6;

  return bare >= 2 * MIN_SECRET_LENGTH && (upper + lower + digit) >= 2;
}

/* Valid UTF-8, one line: control characters (a CR, SASL's ^A, NUL) become spaces. */
static char *
sanitize (const char *line,
          gsize       length)
{
  g_autofree char *copy = g_malloc (length + 1);
  char *clean;

  for (gsize i = 0; i < length; i++)
    copy[i] = line[i] == '\0' ? ' ' : line[i];
  copy[length] = '\0';
  clean = g_utf8_make_valid (copy, length);

  for (char *p = clean; *p != '\0'; p++)
    {
      if (((guchar) *p < 0x20 && *p != '\t') || *p == 0x7f)
        *p = ' ';
    }

  return g_strchomp (clean);
}

static GArray *
split_words (const char *text,
             gsize       length)
{
  GArray *words = g_array_new (FALSE, FALSE, sizeof (Word));
  const char *end = text + length;
  const char *p = text;

  while (p < end)
    {
      Word word = { 0, };

      if (!is_word_char (*p))
        {
          p++;
          continue;
        }

      word.start = p - text;
      while (p < end && (is_word_char (*p) || (*p == '=' && is_padding_at (p, end))))
        p++;
      word.length = (p - text) - word.start;
      g_array_append_val (words, word);
    }

  return words;
}

/* The text between two words. */
static void
get_gap (const char *text,
         GArray     *words,
         guint       before,
         const char **gap,
         gsize       *gap_length)
{
  const Word *a = &g_array_index (words, Word, before);
  const Word *b = &g_array_index (words, Word, before + 1);

  *gap = text + a->start + a->length;
  *gap_length = b->start - (a->start + a->length);
}

static gboolean
gap_is_only (const char *text,
             GArray     *words,
             guint       before,
             const char *allowed)
{
  const char *gap;
  gsize gap_length;

  get_gap (text, words, before, &gap, &gap_length);
  for (gsize i = 0; i < gap_length; i++)
    {
      if (strchr (allowed, gap[i]) == NULL)
        return FALSE;
    }

  return gap_length > 0;
}

/* `key=value`, `key: value`, `"key":"value"`, `key = value`. */
static gboolean
gap_is_assignment (const char *text,
                   GArray     *words,
                   guint       before,
                   gboolean    equals_only)
{
  const char *gap;
  gsize gap_length;
  guint n_signs = 0;

  get_gap (text, words, before, &gap, &gap_length);
  if (gap_length > 8)
    return FALSE;

  if (equals_only)
    return gap_length == 1 && gap[0] == '=';

  for (gsize i = 0; i < gap_length; i++)
    {
      if (gap[i] == '=' || gap[i] == ':')
        n_signs++;
      else if (gap[i] != ' ' && gap[i] != '"' && gap[i] != '\'')
        return FALSE;
    }

  return n_signs == 1;
}

/* An IMAP tag: “a0001”, “A00000002”, “3”. */
static gboolean
is_tag (const char *text,
        const Word *word)
{
  gboolean has_digit = FALSE;

  if (word->length == 0 || word->length > 16)
    return FALSE;

  for (gsize i = 0; i < word->length; i++)
    {
      char c = text[word->start + i];

      if (!g_ascii_isalnum (c))
        return FALSE;
      has_digit |= g_ascii_isdigit (c);
    }

  return has_digit;
}

/* “a0002 LOGIN user pass”, not “NO LOGIN failed.” nor “Login failed.” */
static gboolean
is_login_command (const char *text,
                  GArray     *words,
                  guint       i)
{
  static const char * const outcomes[] = {
    "failed", "completed", "successful", "succeeded", "ok", "disabled", "not", "is",
  };

  if (i == 0 || i + 1 >= words->len)
    return FALSE;

  if (!is_tag (text, &g_array_index (words, Word, i - 1)) || !gap_is_only (text, words, i - 1, " "))
    return FALSE;

  return !word_in (text, &g_array_index (words, Word, i + 1), outcomes, G_N_ELEMENTS (outcomes));
}

/* A SASL continuation a client sent: one base64 word after “--> ”, “C: ”… */
static gboolean
is_client_continuation (const char *text,
                        const Word *last)
{
  const char *after = NULL;
  const char *rest;
  gboolean informative = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (client_markers); i++)
    {
      const char *p = text;
      const char *found;

      while ((found = strstr (p, client_markers[i])) != NULL)
        {
          const char *end = found + strlen (client_markers[i]);

          if (after == NULL || end > after)
            after = end;
          p = found + 1;
        }
    }

  /* NeoMutt: “4> ” for what it wrote to socket 4. */
  for (const char *p = text; (p = strstr (p, "> ")) != NULL; p++)
    {
      if (p > text && g_ascii_isdigit (p[-1]) && (after == NULL || p + 2 > after))
        after = p + 2;
    }

  if (after == NULL)
    return FALSE;

  rest = after;
  while (*rest == ' ' || *rest == '\'')
    rest++;
  if (text + last->start != rest)
    return FALSE;

  for (gsize i = 0; i < last->length; i++)
    {
      char c = rest[i];

      if (!g_ascii_isalnum (c) && c != '+' && c != '/' && c != '=')
        return FALSE;
      /* Commands (“QUIT”, “A0001”) are upper case and digits only. */
      informative |= g_ascii_islower (c) || c == '+' || c == '/' || c == '=';
    }

  for (const char *p = rest + last->length; *p != '\0'; p++)
    {
      if (*p != ' ' && *p != '\'')
        return FALSE;
    }

  return informative && last->length >= 4;
}

static void
mark_words (const char *text,
            GArray     *words,
            gssize     *cut_after)
{
  guint n = words->len;

  *cut_after = -1;

  for (guint i = 0; i < n; i++)
    {
      Word *word = &g_array_index (words, Word, i);

      if (word_equal (text, word, "bearer"))
        {
          if (i + 1 < n)
            g_array_index (words, Word, i + 1).redact = TRUE;
        }
      else if (word_equal (text, word, "authenticate") || word_equal (text, word, "auth"))
        {
          /* The initial response after the mechanism; never a capability list. */
          if (i + 2 < n && gap_is_only (text, words, i, " ") &&
              is_mechanism (text, words, i + 1) && !is_mechanism (text, words, i + 2) &&
              gap_is_only (text, words, i + 1, " <{\"'"))
            g_array_index (words, Word, i + 2).redact = TRUE;
        }
      else if (word_equal (text, word, "login") && is_login_command (text, words, i))
        {
          *cut_after = i;
          return;
        }
      else if (word->length == 4 && strncmp (text + word->start, "PASS", 4) == 0 && i + 1 < n &&
               gap_is_only (text, words, i, " "))
        {
          *cut_after = i;
          return;
        }
      else if (i + 1 < n &&
               ((word_in (text, word, secret_keys, G_N_ELEMENTS (secret_keys)) &&
                 gap_is_assignment (text, words, i, FALSE)) ||
                (word_in (text, word, secret_url_keys, G_N_ELEMENTS (secret_url_keys)) &&
                 gap_is_assignment (text, words, i, TRUE))))
        {
          g_array_index (words, Word, i + 1).redact = TRUE;
        }

      if (mend_redact_is_secret (text + word->start, word->length))
        word->redact = TRUE;
    }

  if (n > 0 && is_client_continuation (text, &g_array_index (words, Word, n - 1)))
    g_array_index (words, Word, n - 1).redact = TRUE;
}

static const char *
find_header (const char *text)
{
  g_autofree char *lower = g_ascii_strdown (text, -1);
  const char *found = strstr (lower, "authorization:");

  if (found == NULL)
    return NULL;

  return text + (found - lower) + strlen ("authorization:");
}

/**
 * mend_redact_line:
 * @line: one line of text, in any encoding
 * @length: its length in bytes, or -1 when nul-terminated
 *
 * Returns a copy of @line with every secret replaced by %MEND_REDACTED, as
 * valid UTF-8 on one line (control characters become spaces). Everything
 * after an `Authorization:` header, an IMAP `LOGIN` or a POP3 `PASS` is
 * dropped.
 *
 * Returns: (transfer full): the masked line
 */
char *
mend_redact_line (const char *line,
                  gssize      length)
{
  g_autofree char *clean = NULL;
  g_autoptr(GArray) words = NULL;
  g_autoptr(GString) out = NULL;
  const char *header_end;
  gssize cut_after;
  gsize position = 0;

  g_return_val_if_fail (line != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (line);

  clean = sanitize (line ? line : "", length);

  if ((header_end = find_header (clean)) != NULL)
    return g_strdup_printf ("%.*s %s", (int) (header_end - clean), clean, MEND_REDACTED);

  words = split_words (clean, strlen (clean));
  mark_words (clean, words, &cut_after);

  out = g_string_sized_new (strlen (clean) + 16);
  for (guint i = 0; i < words->len; i++)
    {
      const Word *word = &g_array_index (words, Word, i);

      g_string_append_len (out, clean + position, word->start - position);
      if (word->redact)
        g_string_append (out, MEND_REDACTED);
      else
        g_string_append_len (out, clean + word->start, word->length);
      position = word->start + word->length;

      if ((gssize) i == cut_after)
        {
          g_string_append (out, " " MEND_REDACTED);
          return g_string_free (g_steal_pointer (&out), FALSE);
        }
    }
  g_string_append (out, clean + position);

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * mend_redact_text:
 * @text: (nullable): text of one or more lines
 *
 * mend_redact_line() on every line of @text, keeping the line breaks.
 *
 * Returns: (transfer full) (nullable): the masked text, or %NULL for %NULL
 */
char *
mend_redact_text (const char *text)
{
  g_autoptr(GString) out = NULL;
  const char *line;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  line = text;
  for (;;)
    {
      const char *newline = strchr (line, '\n');
      gsize length = newline ? (gsize) (newline - line) : strlen (line);
      g_autofree char *masked = mend_redact_line (line, length);

      g_string_append (out, masked);
      if (newline == NULL)
        break;
      g_string_append_c (out, '\n');
      line = newline + 1;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
