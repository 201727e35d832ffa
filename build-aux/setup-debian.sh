#!/bin/bash
# Installs every Debian 12 package Mailmend needs to build, run and test, and generates the
# locales the tests use. Non-interactive and idempotent: when everything is already there it
# only asks dpkg and returns (well under a second); apt-get runs only for what is missing.
#
#   build-aux/setup-debian.sh           (as root, or as a user with sudo)
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  # build
  meson ninja-build pkg-config gcc gettext binutils
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libwebkitgtk-6.0-dev
  libsoup-3.0-dev libsecret-1-dev libjson-glib-dev
  # run
  glib-networking ca-certificates fonts-cantarell
  # fuzzing the parsers (tests/fuzz): clang with libFuzzer
  clang libclang-rt-14-dev
  # data checks (appstreamcli, desktop-file-validate) and icons (rsvg-convert)
  appstream desktop-file-utils librsvg2-bin
  # the test rig: D-Bus session, keyring, X server, screenshots, locales, mail servers
  dbus dbus-x11 gnome-keyring libsecret-tools xvfb xauth xdotool imagemagick
  python3 locales openssl neomutt gnupg
  dovecot-imapd dovecot-pop3d dovecot-submissiond
  # real token-command clients for the repair tests, against the private dovecot; mbsync
  # does XOAUTH2 through a Cyrus SASL plugin
  msmtp isync libsasl2-modules-kdexoauth2
  # the repair diff checked against GNU diff and applied with GNU patch (tests/unit)
  diffutils patch
)
# Debian's Thunderbird for the 'clients' suite (tests/clients): 80 MB to download, 310 MB
# installed, 12-30 s. On CI by default; elsewhere only when asked, so that `mailmend-dev run`
# does not install a mail app: MAILMEND_INSTALL_THUNDERBIRD=1 (or 0 to leave it out on CI).
if [ "${MAILMEND_INSTALL_THUNDERBIRD:-${CI:+1}}" = 1 ]; then
  packages+=(thunderbird)
fi
locales=(en_US.UTF-8 fr_FR.UTF-8)

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup-debian.sh: not root and no sudo: run this script as root" >&2
    exit 1
  fi
  as_root=(sudo)
fi

# --- packages ---------------------------------------------------------------------------
missing=()
installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${packages[@]}" 2>/dev/null || true)
for p in "${packages[@]}"; do
  grep -qxE "${p//./\\.} ii ?" <<<"$installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-debian.sh: installing ${missing[*]}"
  # On CI nothing should start the packaged system services (dovecot would listen on 143/993
  # for the rest of the job); the tests run their own private instances. A policy-rc.d that
  # exits 101 tells invoke-rc.d so. A developer's own policy (if any) is left alone.
  policy=/usr/sbin/policy-rc.d
  made_policy=
  if [ -n "${CI:-}" ] && [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod 755 "$policy"
    made_policy=1
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}"
  if [ -n "$made_policy" ]; then
    "${as_root[@]}" rm -f "$policy"
    trap - EXIT
  fi
fi

# --- locales ----------------------------------------------------------------------------
# `locale -a` spells them fr_FR.utf8.
have_locales=$(locale -a 2>/dev/null || true)
want=()
for l in "${locales[@]}"; do
  short="${l%%.*}.utf8"
  grep -qxF "$short" <<<"$have_locales" || want+=("$l")
done

if [ ${#want[@]} -gt 0 ]; then
  echo "setup-debian.sh: generating locales ${want[*]}"
  for l in "${want[@]}"; do
    line="$l UTF-8"
    if grep -qE "^# *${line//./\\.}\$" /etc/locale.gen 2>/dev/null; then
      "${as_root[@]}" sed -i -E "s/^# *(${line//./\\.})\$/\\1/" /etc/locale.gen
    elif ! grep -qxF "$line" /etc/locale.gen 2>/dev/null; then
      echo "$line" | "${as_root[@]}" tee -a /etc/locale.gen >/dev/null
    fi
  done
  "${as_root[@]}" locale-gen
fi
