"""Joins the sample's rivers at their confluences.

WDBII lines stop 20-400 m short of the river they flow into. For each river whose downstream
end lies within 500 m of another river, this adds one point: the foot of that end on the other
river, so the lines meet where the water does and `yitu trace` builds one network with the
default 10 m snap. Run from the repository root; it rewrites sample-data/data/rivers.geojson.
"""

import json
import math

PATH = "sample-data/data/rivers.geojson"
REACH_M = 500.0
M_PER_DEG = 6371008.8 * math.pi / 180.0


def foot(p, a, b):
    """Distance (m) from p to segment a-b and the foot, in a plane tangent at p."""
    k = math.cos(math.radians(p[1]))
    ax, ay = (a[0] - p[0]) * k, a[1] - p[1]
    bx, by = (b[0] - p[0]) * k, b[1] - p[1]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    fx, fy = ax + t * dx, ay + t * dy
    return math.hypot(fx, fy) * M_PER_DEG, [round(p[0] + fx / k, 7), round(p[1] + fy, 7)]


def main():
    with open(PATH, encoding="utf-8") as f:
        data = json.load(f)
    features = data["features"]
    for f in features:
        coords = f["geometry"]["coordinates"]
        end = coords[-1]
        best = None
        for g in features:
            if g is f:
                continue
            other = g["geometry"]["coordinates"]
            for a, b in zip(other, other[1:]):
                d, at = foot(end, a, b)
                if best is None or d < best[0]:
                    best = (d, at, g["properties"]["name"])
        if best and 0.0 < best[0] <= REACH_M:
            coords.append(best[1])
            print(f"{f['properties']['name']}: joined to {best[2]} ({best[0]:.0f} m)")
    with open(PATH, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
