#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the built metainfo and desktop file against Flathub's rules.

appstreamcli validate checks the AppStream format; this checks what Flathub's linter adds
on top and what older appstreamcli versions do not know (the <developer> tag, screenshots,
branding, release dates), and that the desktop file matches the app id.

Usage: check-metainfo.py --app-id ID [--desktop FILE] METAINFO

Prints one line per problem and exits 1 if there is any.
"""

import argparse
import datetime
import re
import sys
import xml.etree.ElementTree as ET

COLOR = re.compile(r'^#[0-9a-fA-F]{6}$')
DATE = re.compile(r'^\d{4}-\d{2}-\d{2}$')


def version_key(version):
    return [int(p) if p.isdigit() else p for p in re.split(r'[.~+-]', version)]


def text_of(element, path):
    found = element.find(path)
    return (found.text or '').strip() if found is not None else ''


def check_metainfo(path, app_id, errors):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        errors.append('metainfo-unreadable: %s' % e)
        return
    if root.tag != 'component' or root.get('type') != 'desktop-application':
        errors.append('metainfo-type: the root must be <component type="desktop-application">')
    if text_of(root, 'id') != app_id:
        errors.append('metainfo-id: <id> is %r, not the app id %s' % (text_of(root, 'id'), app_id))
    for tag in ('metadata_license', 'project_license', 'name', 'summary'):
        if not text_of(root, tag):
            errors.append('metainfo-missing-%s: no <%s>' % (tag.replace('_', '-'), tag))

    developer = root.find('developer')
    if developer is None or not developer.get('id') or not text_of(developer, 'name'):
        errors.append('metainfo-developer: Flathub needs <developer id="tld.vendor"><name>…'
                      '</name></developer>')

    launchables = [l.text for l in root.findall('launchable') if l.get('type') == 'desktop-id']
    if launchables != [app_id + '.desktop']:
        errors.append('metainfo-launchable: expected one <launchable type="desktop-id">%s.desktop'
                      '</launchable>, found %r' % (app_id, launchables))

    urls = {u.get('type'): (u.text or '').strip() for u in root.findall('url')}
    for kind in ('homepage', 'bugtracker', 'vcs-browser'):
        if not urls.get(kind, '').startswith('https://'):
            errors.append('metainfo-url-%s: no https <url type="%s">' % (kind, kind))
    parts = app_id.split('.')
    if app_id.startswith('io.github.') and len(parts) >= 4:
        repo = 'https://github.com/%s/%s' % (parts[2], parts[3])
        if not any(u.rstrip('/').lower() == repo.lower() for u in urls.values()):
            errors.append('metainfo-url-repo: an io.github id needs its repository %s as the '
                          'homepage or vcs-browser' % repo)

    rating = root.find('content_rating')
    if rating is None or rating.get('type') != 'oars-1.1':
        errors.append('metainfo-content-rating: no <content_rating type="oars-1.1">')

    screenshots = root.findall('screenshots/screenshot')
    if not screenshots:
        errors.append('metainfo-screenshots: Flathub requires screenshots')
    defaults = [s for s in screenshots if s.get('type') == 'default']
    if screenshots and len(defaults) != 1:
        errors.append('metainfo-screenshot-default: exactly one screenshot must be the default, '
                      'found %d' % len(defaults))
    for shot in screenshots:
        image = text_of(shot, 'image')
        if not image.startswith('https://') or image.lower().endswith('.svg'):
            errors.append('metainfo-screenshot-image: %r must be an https PNG or JPEG' % image)
        if not text_of(shot, 'caption'):
            errors.append('metainfo-screenshot-caption: %r has no caption' % image)

    releases = root.findall('releases/release')
    if not releases:
        errors.append('metainfo-releases: no <release>')
    today = datetime.date.today().isoformat()
    versions = []
    for release in releases:
        version, date = release.get('version'), release.get('date') or ''
        if not version:
            errors.append('metainfo-release-version: a <release> has no version')
            continue
        versions.append(version)
        if not DATE.match(date):
            errors.append('metainfo-release-date: release %s has no YYYY-MM-DD date' % version)
        elif date > today:
            errors.append('metainfo-release-in-future: release %s is dated %s' % (version, date))
        if release.find('description') is None:
            errors.append('metainfo-release-description: release %s has no description'
                          % version)
    if versions != sorted(versions, key=version_key, reverse=True):
        errors.append('metainfo-releases-order: releases must be listed newest first')

    colors = {c.get('scheme_preference'): (c.text or '').strip()
              for c in root.findall('branding/color') if c.get('type') == 'primary'}
    for scheme in ('light', 'dark'):
        if not COLOR.match(colors.get(scheme, '')):
            errors.append('metainfo-branding-%s: no #rrggbb primary colour for the %s scheme'
                          % (scheme, scheme))

    binaries = [b.text for b in root.findall('provides/binary')]
    if 'mailmend' not in binaries:
        errors.append('metainfo-provides-binary: <provides> lacks <binary>mailmend</binary>')
    translation = root.find('translation')
    if translation is None or translation.get('type') != 'gettext' or \
            (translation.text or '').strip() != 'mailmend':
        errors.append('metainfo-translation: no <translation type="gettext">mailmend'
                      '</translation>')


def check_desktop(path, app_id, errors):
    entries = {}
    try:
        with open(path, encoding='utf-8') as f:
            group = None
            for line in f:
                line = line.strip()
                if line.startswith('['):
                    group = line
                elif group == '[Desktop Entry]' and '=' in line and not line.startswith('#'):
                    key, _, value = line.partition('=')
                    entries[key.strip()] = value.strip()
    except OSError as e:
        errors.append('desktop-unreadable: %s' % e)
        return
    if entries.get('Icon') != app_id:
        errors.append('desktop-icon: Icon=%s, expected %s' % (entries.get('Icon'), app_id))
    for key in ('NoDisplay', 'Hidden'):
        if entries.get(key, 'false').lower() == 'true':
            errors.append('desktop-hidden: %s=true hides the application' % key)
    categories = {c for c in entries.get('Categories', '').split(';') if c}
    if not categories - {'GTK', 'GNOME', 'Qt', 'KDE'}:
        errors.append('desktop-categories: Categories=%s has no main category'
                      % entries.get('Categories', ''))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('metainfo')
    parser.add_argument('--app-id', required=True)
    parser.add_argument('--desktop')
    args = parser.parse_args(argv)

    errors = []
    check_metainfo(args.metainfo, args.app_id, errors)
    if args.desktop:
        check_desktop(args.desktop, args.app_id, errors)
    for line in errors:
        print(line)
    if errors:
        print('%d problem(s)' % len(errors))
        return 1
    print('OK: %s' % args.metainfo)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
