#!/bin/bash
# The inside of `build-aux/mailmend-dev demo`; runs in the test rig (tests/harness/session-run
# --no-x), so HOME and the XDG folders are temporary and the D-Bus session is private.
#
#   build-aux/demo-session.sh PREFIX FAKE_IDP HOME_FIXTURE
#
# Fills the temporary home with HOME_FIXTURE (XDG_CONFIG_HOME becomes ~/.config), starts FAKE_IDP
# on a free loopback port, points Mailmend at it through a keyfile GSettings backend and runs
# PREFIX/bin/mailmend (the wizard) on the display saved in MAILMEND_DEMO_DISPLAY,
# MAILMEND_DEMO_WAYLAND_DISPLAY and MAILMEND_DEMO_XAUTHORITY. When the wizard exits, the fake provider is stopped.
set -euo pipefail

prefix=$1 idp=$2 fixture=$3
readonly CLIENT_ID=00000000-0000-4000-8000-000000000001
readonly IDP_WAIT_S=10

die () { echo "mailmend-dev demo: $*" >&2; exit 1; }

[ -n "${MAILMEND_TEST_RIG_DIR:-}" ] || die "run me through tests/harness/session-run"

# The sample home, with XDG_CONFIG_HOME at its usual place (so the wizard shows ~/.config/…).
cp -a "$fixture/." "$HOME/"
export XDG_CONFIG_HOME="$HOME/.config"
mkdir -p "$XDG_CONFIG_HOME"

# The fake Microsoft identity platform; its first line on stdout is "listening on URL".
idp_out="$MAILMEND_TEST_RIG_DIR/fake-idp.out"
idp_log="$MAILMEND_TEST_RIG_DIR/fake-idp.log"
"$idp" --port 0 --interval 1 >"$idp_out" 2>"$idp_log" &
idp_pid=$!
stop_idp () {
  if kill -0 "$idp_pid" 2>/dev/null; then
    kill "$idp_pid" 2>/dev/null || true
    wait "$idp_pid" 2>/dev/null || true
  fi
}
trap stop_idp EXIT

url=
deadline=$((SECONDS + IDP_WAIT_S))
until [ -n "$url" ]; do
  kill -0 "$idp_pid" 2>/dev/null || { cat "$idp_log" >&2; die "the fake provider exited"; }
  [ $SECONDS -lt $deadline ] || die "the fake provider did not start within ${IDP_WAIT_S} s"
  sleep 0.05
  url=$(sed -n '1s/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$idp_out")
done

# Mailmend's settings, in a keyfile instead of dconf: the authority and client id of the fake.
export GSETTINGS_BACKEND=keyfile
mkdir -p "$XDG_CONFIG_HOME/glib-2.0/settings"
cat >"$XDG_CONFIG_HOME/glib-2.0/settings/keyfile" <<KEYFILE
[io/github/mailmend/Mailmend]
microsoft-authority='$url'
microsoft-client-id='$CLIENT_ID'
KEYFILE
got=$(gsettings get io.github.mailmend.Mailmend microsoft-authority)
[ "$got" = "'$url'" ] || die "GSettings did not pick up the keyfile (microsoft-authority is $got)"

# Back to the real display (session-run took it away so that the bus has none).
[ -n "${MAILMEND_DEMO_DISPLAY:-}" ] && export DISPLAY=$MAILMEND_DEMO_DISPLAY
[ -n "${MAILMEND_DEMO_WAYLAND_DISPLAY:-}" ] && export WAYLAND_DISPLAY=$MAILMEND_DEMO_WAYLAND_DISPLAY
[ -n "${MAILMEND_DEMO_XAUTHORITY:-}" ] && export XAUTHORITY=$MAILMEND_DEMO_XAUTHORITY
unset MAILMEND_DEMO_DISPLAY MAILMEND_DEMO_WAYLAND_DISPLAY MAILMEND_DEMO_XAUTHORITY

cat >&2 <<MSG

  Mailmend demo
  -------------
  A sample home (Thunderbird, Evolution, msmtp and Geary accounts) and a fake Microsoft
  at $url: nothing reaches Microsoft, no real account is touched.
  - Any password works on the fake sign-in page (except "wrong-password", which is refused).
  - A device code can be approved at $url/devicelogin
  Closing the wizard stops everything and removes the temporary home.

MSG

rc=0
"$prefix/bin/mailmend" || rc=$?
exit "$rc"
