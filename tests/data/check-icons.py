#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check the application icons.

The full-colour icon must be an SVG on a 128×128 canvas. The symbolic icon must be a
16×16 SVG drawn in the single colour #2e3436, without gradients, masks, clips, filters,
images or text: GTK recolours symbolic icons by overriding fills, which breaks those.

Usage: check-icons.py APP_ICON SYMBOLIC_ICON

Prints one line per problem and exits 1 if there is any.
"""

import re
import sys
import xml.etree.ElementTree as ET

SVG = '{http://www.w3.org/2000/svg}'
SYMBOLIC_COLOR = '#2e3436'
FORBIDDEN_IN_SYMBOLIC = ('linearGradient', 'radialGradient', 'mask', 'clipPath', 'filter',
                         'image', 'text', 'use')


def load(path, errors):
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        errors.append('%s: unreadable: %s' % (path, e))
        return None
    if root.tag != SVG + 'svg':
        errors.append('%s: the root element is not an SVG <svg>' % path)
        return None
    return root


def check_canvas(path, root, size, errors):
    view_box = (root.get('viewBox') or '').replace(',', ' ').split()
    if view_box != ['0', '0', str(size), str(size)]:
        errors.append('%s: viewBox is %r, expected "0 0 %d %d"'
                      % (path, root.get('viewBox'), size, size))
    for attr in ('width', 'height'):
        value = root.get(attr)
        if value is not None and value not in (str(size), '%dpx' % size):
            errors.append('%s: %s is %s, expected %d' % (path, attr, value, size))


def colours_of(element):
    values = []
    for attr in ('fill', 'stroke', 'stop-color', 'color'):
        if element.get(attr) is not None:
            values.append(element.get(attr))
    for decl in (element.get('style') or '').split(';'):
        name, _, value = decl.partition(':')
        if name.strip() in ('fill', 'stroke', 'stop-color', 'color'):
            values.append(value.strip())
    return values


def check_symbolic(path, root, errors):
    check_canvas(path, root, 16, errors)
    drawn = 0
    for element in root.iter():
        local = element.tag.replace(SVG, '')
        if local in FORBIDDEN_IN_SYMBOLIC:
            errors.append('%s: <%s> does not survive symbolic recolouring' % (path, local))
        if local in ('path', 'rect', 'circle', 'ellipse', 'polygon', 'polyline', 'line'):
            drawn += 1
        for colour in colours_of(element):
            if colour.lower() not in (SYMBOLIC_COLOR, 'none'):
                errors.append('%s: colour %s on <%s>; a symbolic icon uses only %s'
                              % (path, colour, local, SYMBOLIC_COLOR))
        opacity = element.get('opacity') or element.get('fill-opacity')
        if opacity is not None and float(opacity) < 1:
            errors.append('%s: opacity %s on <%s> is lost in recolouring' % (path, opacity, local))
    if not drawn:
        errors.append('%s: draws nothing' % path)


def check_app_icon(path, root, errors):
    check_canvas(path, root, 128, errors)
    ids = {e.get('id') for e in root.iter() if e.get('id')}
    for element in root.iter():
        for value in element.attrib.values():
            for ref in re.findall(r'url\(#([^)]+)\)', value):
                if ref not in ids:
                    errors.append('%s: reference to missing #%s' % (path, ref))


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    errors = []
    app_icon = load(argv[0], errors)
    if app_icon is not None:
        check_app_icon(argv[0], app_icon, errors)
    symbolic = load(argv[1], errors)
    if symbolic is not None:
        check_symbolic(argv[1], symbolic, errors)
    for line in errors:
        print(line)
    if errors:
        print('%d problem(s)' % len(errors))
        return 1
    print('OK')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
