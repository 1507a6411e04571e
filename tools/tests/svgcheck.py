#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check a 'pktpath journey --svg' picture against the same journey's JSON.

  svgcheck.py SVG JSON [PNG dead|alive]

The SVG must parse as XML, hold one station mark (circle) per station of
the JSON's timelines, name every station as text, and have a lane title
per host. With PNG (a browser's screenshot of the SVG): the image must not
be blank, and must show red (a death) exactly when 'dead' is given.
Prints what it found; exits 1 on the first failure.
"""
import json
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

NS = "{http://www.w3.org/2000/svg}"


def fail(msg):
    print("svgcheck: " + msg)
    sys.exit(1)


def texts(root):
    """Every text element's whole text, tspans included."""
    return ["".join(t.itertext()) for t in root.iter(NS + "text")]


def check_svg(svg, js):
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        fail("not well-formed XML: %s" % e)
    if root.tag != NS + "svg":
        fail("root element is %s, not svg" % root.tag)
    stations = [s for p in js["packets"] for s in p["stations"]]
    marks = len(list(root.iter(NS + "circle")))
    if marks != len(stations):
        fail("%d marks for %d stations" % (marks, len(stations)))
    labels = texts(root)
    for s in stations:
        # Each mark's label starts with its station's name.
        if not any(t.startswith(s["station"] + " ") for t in labels):
            fail("no label for station '%s'" % s["station"])
    lanes = {t for t in (("".join(e.itertext())) for e in root.iter(NS + "text")
                         if e.get("class") == "lane")}
    hosts = {s["where"].split(" ")[0] for s in stations if s["where"]}
    if not hosts <= lanes:
        fail("hosts %s, lanes %s" % (sorted(hosts), sorted(lanes)))
    print("svgcheck: %d stations, %d marks, lanes %s" % (len(stations), marks,
                                                         " ".join(sorted(lanes))))


def png_pixels(path):
    """Decode an 8-bit RGB or RGBA PNG: (width, height, channels, rows)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color = struct.unpack(">IIBB", body[:10])
            if depth != 8 or color not in (2, 6):
                fail("PNG depth %d color type %d" % (depth, color))
            ch = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * ch
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - ch] if i >= ch else 0
            b = prev[i]
            c = prev[i - ch] if i >= ch else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pr) & 255
        rows.append(line)
        prev = line
    return w, h, ch, rows


def check_png(path, want_dead):
    w, h, ch, rows = png_pixels(path)
    inked = red = 0
    for line in rows:
        for i in range(0, len(line), ch):
            r, g, b = line[i], line[i + 1], line[i + 2]
            if r < 200 or g < 200 or b < 200:
                inked += 1
            if r > 180 and g < 60 and b < 60:
                red += 1
    share = inked / float(w * h)
    print("svgcheck: %dx%d screenshot, %.1f%% inked, %d red pixels" % (w, h, 100 * share, red))
    if share < 0.01:
        fail("the screenshot is blank")
    if want_dead and red < 20:
        fail("a death, but nothing red")
    if not want_dead and red:
        fail("no death, but red pixels")


def main():
    if len(sys.argv) not in (3, 5):
        fail("usage: svgcheck.py SVG JSON [PNG dead|alive]")
    js = json.load(open(sys.argv[2]))
    check_svg(sys.argv[1], js)
    if len(sys.argv) == 5:
        check_png(sys.argv[3], sys.argv[4] == "dead")


main()
