#!/bin/bash
# The `mailmend` CLI runs every time msmtp sends a message or mbsync syncs: it must stay small.
# It links GLib, libsoup, json-glib and libsecret, never GTK, libadwaita or WebKit (nor
# gdk-pixbuf, which comes with GTK), and it must run with no display and no session bus.
#
#   check-cli-linkage.sh MAILMEND_BINARY VERSION        (TAP on stdout)
set -uo pipefail

cli=${1:?usage: check-cli-linkage.sh MAILMEND_BINARY VERSION}
version=${2:?usage: check-cli-linkage.sh MAILMEND_BINARY VERSION}
readelf=${READELF:-readelf}

# Library name prefixes the CLI must not load.
forbidden='^(libgtk-|libgdk-|libgdk_pixbuf-|libadwaita-|libwebkit|libjavascriptcoregtk-|libX11\.|libwayland-client\.)'

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () {
  n=$((n + 1)); failed=1
  echo "not ok $n - $1"
  shift
  local line
  for line in "$@"; do echo "# $line"; done
}

echo "1..3"

# 1. DT_NEEDED: what the binary itself asks for.
if ! dyn=$("$readelf" -d -W "$cli" 2>&1); then
  not_ok "readelf -d $cli" "$dyn"
else
  needed=$(sed -n 's/.*(NEEDED).*Shared library: \[\(.*\)\]/\1/p' <<<"$dyn")
  bad=$(grep -E "$forbidden" <<<"$needed")
  if ! grep -q '^libglib-2\.0\.so' <<<"$needed"; then
    # A CLI without GLib means the parse above is broken, not that the CLI is fine.
    not_ok "DT_NEEDED lists libglib-2.0 (readelf output understood)" "NEEDED: $(echo $needed)"
  elif [ -n "$bad" ]; then
    not_ok "DT_NEEDED has no GTK, libadwaita, WebKit or gdk-pixbuf" "forbidden: $(echo $bad)" \
      "NEEDED: $(echo $needed)"
  else
    ok "DT_NEEDED has no GTK, libadwaita, WebKit or gdk-pixbuf ($(echo $needed))"
  fi
fi

# 2. The whole closure the loader would map (a library of ours could pull GTK in indirectly).
if ! closure=$(ldd "$cli" 2>&1); then
  not_ok "ldd $cli" "$closure"
else
  bad=$(awk '{print $1}' <<<"$closure" | grep -E "$forbidden")
  if [ -n "$bad" ]; then
    not_ok "no GTK, libadwaita, WebKit or gdk-pixbuf among all loaded libraries" \
      "forbidden: $(echo $bad)"
  else
    ok "no GTK, libadwaita, WebKit or gdk-pixbuf among all loaded libraries"
  fi
fi

# 3. `mailmend --version` with no display and no session bus.
out=$(mktemp); err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
env -u DISPLAY -u WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS=disabled: \
  timeout 10 "$cli" --version >"$out" 2>"$err" </dev/null
rc=$?
first=$(head -n 1 "$out")
if [ $rc -ne 0 ]; then
  not_ok "mailmend --version with no display and no bus" "exit status $rc" \
    "stdout: $(cat "$out")" "stderr: $(cat "$err")"
elif [[ $first != "mailmend $version" && $first != "mailmend $version "* ]]; then
  not_ok "mailmend --version prints 'mailmend $version'" "stdout: $(cat "$out")"
elif [ -s "$err" ]; then
  not_ok "mailmend --version writes nothing on stderr" "stderr: $(cat "$err")"
else
  ok "mailmend --version with no display and no bus: $first"
fi

exit $failed
