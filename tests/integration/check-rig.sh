#!/bin/bash
# The rig itself (tests/harness/session-run), checked from a test's point of view: the folders
# are private, the X server answers, and the session bus has no DISPLAY, so that a keyring
# prompt can never appear on Xvfb and hang a test (feasibility.md, pitfalls 2-4). TAP on stdout.
set -uo pipefail

if [ -z "${MAILMEND_TEST_RIG:-}" ]; then
  echo "1..0 # SKIP not in the test rig: run under tests/harness/session-run"
  exit 0
fi

rig=${MAILMEND_TEST_RIG_DIR:?MAILMEND_TEST_RIG is set but MAILMEND_TEST_RIG_DIR is not}
n=0
failed=0
check () {                 # check DESCRIPTION COMMAND...
  local description=$1 out
  shift
  n=$((n + 1))
  if out=$("$@" 2>&1); then
    echo "ok $n - $description"
  else
    echo "not ok $n - $description"
    failed=1
    [ -n "$out" ] && sed 's/^/# /' <<<"$out"
  fi
}

private_folders () {
  local var value ok=0
  for var in HOME XDG_RUNTIME_DIR XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME XDG_STATE_HOME TMPDIR; do
    value=${!var:-}
    if [[ $value != "$rig"/* ]] || [ ! -d "$value" ]; then
      echo "$var=$value is not a folder inside $rig"
      ok=1
    fi
  done
  return $ok
}

runtime_dir_private () {
  local mode owner
  mode=$(stat -c %a "$XDG_RUNTIME_DIR") && owner=$(stat -c %u "$XDG_RUNTIME_DIR") || return 1
  [ "$mode" = 700 ] && [ "$owner" = "$(id -u)" ] || {
    echo "XDG_RUNTIME_DIR has mode $mode, owner $owner"
    return 1
  }
}

display_answers () {
  local geometry
  geometry=$(xdotool getdisplaygeometry) || return 1
  [ "$geometry" = "1280 1024" ] || { echo "screen is $geometry, not 1280 1024"; return 1; }
}

bus_has_no_display () {
  local reply pid
  reply=$(gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
            --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.DBus) ||
    return 1
  pid=$(sed -n 's/^(uint32 \([0-9]*\),)$/\1/p' <<<"$reply")
  [ -r "/proc/$pid/environ" ] || { echo "no dbus-daemon process for: $reply"; return 1; }
  if tr '\0' '\n' <"/proc/$pid/environ" | grep -E '^(DISPLAY|WAYLAND_DISPLAY)='; then
    echo "the bus (dbus-daemon $pid) would start services on a display"
    return 1
  fi
}

keyring_owned () {
  gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
    --method org.freedesktop.DBus.NameHasOwner org.freedesktop.secrets | grep -q true
}

echo "1..5"
check "HOME, XDG_* and TMPDIR are folders inside the rig's folder" private_folders
check "XDG_RUNTIME_DIR is private (0700, ours)" runtime_dir_private
if [ -n "${DISPLAY:-}" ]; then
  check "the X server on $DISPLAY answers, 1280x1024" display_answers
else
  n=$((n + 1)); echo "ok $n - the X server answers # SKIP session-run --no-x"
fi
check "the session bus has no DISPLAY: a stray prompt fails instead of hanging" bus_has_no_display
check "gnome-keyring owns org.freedesktop.secrets" keyring_owned
exit $failed
