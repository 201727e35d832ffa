/* mend-preflight-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mend-preflight-check"

#include "config.h"

#include "mend-preflight-check.h"

/* One server that a preflight checks, and how it went. The wizard shows one row per check and
 * follows its “state”, which changes once, when the check ends. */
struct _MendPreflightCheck
{
  GObject                  parent_instance;

  MendPreflightMode        mode;
  char                    *name;
  char                    *host;
  guint16                  port;
  MendPreflightCheckState  state;
  MendFinding             *finding;
  guint                    elapsed_ms;
};

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MendPreflightCheck, mend_preflight_check, G_TYPE_OBJECT)

static void
mend_preflight_check_dispose (GObject *object)
{
  MendPreflightCheck *self = (MendPreflightCheck *) object;

  g_clear_object (&self->finding);

  G_OBJECT_CLASS (mend_preflight_check_parent_class)->dispose (object);
}

static void
mend_preflight_check_finalize (GObject *object)
{
  MendPreflightCheck *self = (MendPreflightCheck *) object;

  g_free (self->name);
  g_free (self->host);

  G_OBJECT_CLASS (mend_preflight_check_parent_class)->finalize (object);
}

static void
mend_preflight_check_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  MendPreflightCheck *self = MEND_PREFLIGHT_CHECK (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mend_preflight_check_class_init (MendPreflightCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mend_preflight_check_dispose;
  object_class->finalize = mend_preflight_check_finalize;
  object_class->get_property = mend_preflight_check_get_property;

  /* A plain int: a GEnum type would need glib-mkenums for one property. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      MEND_PREFLIGHT_CHECK_RUNNING, MEND_PREFLIGHT_CHECK_FAILED,
                      MEND_PREFLIGHT_CHECK_RUNNING,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mend_preflight_check_init (MendPreflightCheck *self)
{
}

/**
 * mend_preflight_check_new:
 * @mode: how to check the server
 * @name: what the server is for, translated, such as “Incoming mail (IMAP)”
 * @host: the server's name or address
 * @port: its port
 */
MendPreflightCheck *
mend_preflight_check_new (MendPreflightMode  mode,
                          const char        *name,
                          const char        *host,
                          guint16            port)
{
  MendPreflightCheck *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port > 0, NULL);

  self = g_object_new (MEND_TYPE_PREFLIGHT_CHECK, NULL);
  self->mode = mode;
  self->name = g_strdup (name);
  self->host = g_strdup (host);
  self->port = port;

  return self;
}

MendPreflightMode
mend_preflight_check_get_mode (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), MEND_PREFLIGHT_MODE_TLS);

  return self->mode;
}

const char *
mend_preflight_check_get_name (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), NULL);

  return self->name;
}

const char *
mend_preflight_check_get_host (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), NULL);

  return self->host;
}

guint16
mend_preflight_check_get_port (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), 0);

  return self->port;
}

MendPreflightCheckState
mend_preflight_check_get_state (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), MEND_PREFLIGHT_CHECK_RUNNING);

  return self->state;
}

/**
 * mend_preflight_check_get_finding:
 *
 * Returns: (transfer none) (nullable): what went wrong, when the check failed
 */
MendFinding *
mend_preflight_check_get_finding (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), NULL);

  return self->finding;
}

/**
 * mend_preflight_check_get_elapsed_ms:
 *
 * Returns: how long the check took, once it has ended
 */
guint
mend_preflight_check_get_elapsed_ms (MendPreflightCheck *self)
{
  g_return_val_if_fail (MEND_IS_PREFLIGHT_CHECK (self), 0);

  return self->elapsed_ms;
}

/**
 * mend_preflight_check_set_result:
 * @state: %MEND_PREFLIGHT_CHECK_OK or %MEND_PREFLIGHT_CHECK_FAILED
 * @finding: (nullable): what went wrong, for a failed check
 * @elapsed_ms: how long the check took
 *
 * Ends the check; “state” is notified.
 */
void
mend_preflight_check_set_result (MendPreflightCheck      *self,
                                 MendPreflightCheckState  state,
                                 MendFinding             *finding,
                                 guint                    elapsed_ms)
{
  g_return_if_fail (MEND_IS_PREFLIGHT_CHECK (self));
  g_return_if_fail (state != MEND_PREFLIGHT_CHECK_RUNNING);
  g_return_if_fail (!finding || MEND_IS_FINDING (finding));

  g_set_object (&self->finding, finding);
  self->elapsed_ms = elapsed_ms;
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

/**
 * mend_preflight_mode_to_string:
 *
 * Returns: “https”, “tls” or “smtp-starttls”, as JSON output spells them
 */
const char *
mend_preflight_mode_to_string (MendPreflightMode mode)
{
  switch (mode)
    {
    case MEND_PREFLIGHT_MODE_HTTPS:
      return "https";
    case MEND_PREFLIGHT_MODE_TLS:
      return "tls";
    case MEND_PREFLIGHT_MODE_SMTP_STARTTLS:
      return "smtp-starttls";
    default:
      g_return_val_if_reached ("tls");
    }
}
