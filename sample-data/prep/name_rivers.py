#!/usr/bin/env python3
"""One-off data preparation: name and orient the WDBII river lines around Chongqing.

Input:  ../shared/data/geo/chongqing_rivers_wdbii.geojson (GSHHG WDBII, LGPL-3+, unnamed lines)
Output: sample-data/data/rivers.geojson with `name`, `name_en`, `level` and lines ordered
        upstream -> downstream (vertex order = flow direction).

Each named river is a hand-made list of WDBII pieces (identified on a rendered map against city and
confluence locations) and its mouth; the pieces are chained end to end into one line running towards
the mouth. Unnamed pieces keep a generated name and are oriented so that their end nearest a named
river (the confluence) comes last.
Run from the repository root: python3 sample-data/prep/name_rivers.py
"""
import json, math, sys

# Named rivers: WDBII piece numbers (1-based, in file order), and the mouth (lon, lat) the river
# flows towards. Pieces were identified against city and confluence locations on a rendered map.
RIVERS = [
    ("长江", "Yangtze", [64, 45, 49, 54, 36, 38, 40, 22, 41, 23, 24], (111.0, 30.9)),
    ("嘉陵江", "Jialing", [1, 9, 11, 29, 12, 30, 50, 51], (106.58, 29.57)),
    ("涪江", "Fu", [10, 27, 33, 28, 34, 52, 35, 53], (106.27, 29.99)),
    ("渠江", "Qu", [4, 15, 37, 32, 31], (106.29, 30.0)),
    ("乌江", "Wu", [69, 70, 58, 57, 55], (107.39, 29.71)),
    ("芙蓉江", "Furong", [68, 56], (107.76, 29.32)),
    ("沱江", "Tuo", [46, 47, 48, 65], (105.44, 28.90)),
    ("赤水河", "Chishui", [67, 66], (105.84, 28.82)),
    ("州河", "Zhou", [20, 16], (107.14, 31.04)),
    ("后河", "Hou", [7, 21, 19], (107.75, 31.36)),
    ("通江", "Tongjiang", [3, 13, 17, 14, 18], (107.12, 31.56)),
    ("白龙江", "Bailong", [2], (105.73, 32.35)),
    ("清江", "Qing", [39, 43, 44], (111.0, 30.4)),
    ("酉水", "You", [42, 61, 62, 60, 71, 73], (110.39, 28.45)),
    ("澧水", "Li", [59, 63], (111.0, 29.5)),
    ("沅江", "Yuan", [72], (111.0, 29.0)),
]

def lines_of(f):
    g = f["geometry"]
    return [g["coordinates"]] if g["type"] == "LineString" else g["coordinates"]

def chain(pieces, mouth):
    """Join pieces end to end into one upstream->downstream line; leftovers stay separate."""
    pieces = [list(p) for p in pieces]
    ends = [(math.dist(p[0], mouth), i, 0) for i, p in enumerate(pieces)] + \
           [(math.dist(p[-1], mouth), i, 1) for i, p in enumerate(pieces)]
    _, i, which = max(ends)
    line = pieces[i] if which == 0 else pieces[i][::-1]
    rest = [p for j, p in enumerate(pieces) if j != i]
    while rest:
        d, j, rev = min((min(math.dist(line[-1], p[0]), math.dist(line[-1], p[-1])), j,
                         math.dist(line[-1], p[-1]) < math.dist(line[-1], p[0])) for j, p in enumerate(rest))
        if d > 0.06:
            break
        p = rest.pop(j)
        line += (p[::-1] if rev else p)[1:]
    out = [line]
    for p in rest:
        out.append(p if math.dist(p[-1], mouth) < math.dist(p[0], mouth) else p[::-1])
    return out

def main():
    src = json.load(open("../shared/data/geo/chongqing_rivers_wdbii.geojson"))
    parts = [(f["properties"]["level"], line) for f in src["features"] for line in lines_of(f)]
    used = set()
    out = []
    for name, name_en, ids, mouth in RIVERS:
        used.update(ids)
        level = min(parts[i - 1][0] for i in ids)
        for line in chain([parts[i - 1][1] for i in ids], mouth):
            out.append({"name": name, "name_en": name_en, "level": level, "line": line})
    # Unnamed pieces: the end nearer to another river's vertices is the mouth.
    named_pts = [p for r in out for p in r["line"]]
    for i, (level, line) in enumerate(parts):
        if i + 1 in used:
            continue
        near = lambda p: min(math.dist(p, q) for q in named_pts)
        if near(line[0]) < near(line[-1]):
            line = line[::-1]
        out.append({"name": "", "name_en": "", "level": level, "line": line})
    feats = []
    for i, r in enumerate(out):
        feats.append({"type": "Feature",
                      "properties": {"id": f"R{i + 1:03}", "name": r["name"] or f"支流{i + 1:03}",
                                     "name_en": r["name_en"] or f"Tributary {i + 1:03}",
                                     "wdbii_level": r["level"]},
                      "geometry": {"type": "LineString", "coordinates": [[round(x, 6), round(y, 6)] for x, y in r["line"]]}})
    json.dump({"type": "FeatureCollection", "features": feats}, open("sample-data/data/rivers.geojson", "w"),
              ensure_ascii=False, separators=(",", ":"))
    for r in out:
        print(r["name"], len(r["line"]), [round(v, 2) for v in r["line"][0]], [round(v, 2) for v in r["line"][-1]], file=sys.stderr)

main()
