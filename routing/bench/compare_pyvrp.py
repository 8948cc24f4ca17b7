#!/usr/bin/env python3
"""Runs `yitu plan --solomon` and PyVRP side by side on Solomon-format instances.

Usage: compare_pyvrp.py YITU OUT_DIR [--seconds 10] [INSTANCE.txt ...]

Besides the instances given, it writes generated instances in Solomon's format (100 and 200
customers, random and clustered positions, tight and wide windows; fixed seeds) to OUT_DIR.
Both solvers get the same time limit; PyVRP works on distances scaled by 1000 and rounded
(its data are integers), reported back in the instance's units. Both minimise distance
within the fleet (Solomon's best-known solutions put fewer vehicles first).
"""
import json
import math
import random
import subprocess
import sys
from pathlib import Path

SCALE = 1000


def generate(name, n, seed, clustered, horizon, path):
    rng = random.Random(seed)
    depot = (50, 50)
    centres = [(rng.uniform(10, 90), rng.uniform(10, 90)) for _ in range(8)]
    rows = [(0, depot[0], depot[1], 0, 0, horizon, 0)]
    for k in range(1, n + 1):
        if clustered and k % 2 == 0:
            cx, cy = rng.choice(centres)
            x, y = min(max(rng.gauss(cx, 5), 0), 100), min(max(rng.gauss(cy, 5), 0), 100)
        else:
            x, y = rng.uniform(0, 100), rng.uniform(0, 100)
        x, y = round(x), round(y)
        d0 = math.hypot(x - depot[0], y - depot[1])
        service = 10
        centre = rng.uniform(d0, horizon - d0 - service)
        half = rng.choice([5, 15, 30, 60]) if horizon < 500 else rng.choice([30, 60, 120, 240])
        ready, due = max(0, round(centre - half)), min(horizon - round(d0) - service, round(centre + half))
        rows.append((k, x, y, rng.randint(1, 40), ready, max(ready, due), service))
    lines = [name, "", "VEHICLE", "NUMBER     CAPACITY", f"  {n // 4}         200", "",
             "CUSTOMER", "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME", ""]
    lines += ["%5d %8d %8d %8d %8d %8d %8d" % r for r in rows]
    path.write_text("\n".join(lines) + "\n")


def parse(path):
    rows, fleet, section = [], None, ""
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line:
            continue
        if line.upper().startswith("VEHICLE"):
            section = "v"
            continue
        if line.upper().startswith("CUSTOMER"):
            section = "c"
            continue
        if line[0].isalpha():
            continue
        values = [float(v) for v in line.split()]
        if section == "v" and fleet is None:
            fleet = (int(values[0]), int(values[1]))
        elif section == "c":
            rows.append(values)
    return fleet, rows


def pyvrp_solve(path, seconds):
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    (vehicles, capacity), rows = parse(path)
    m = Model()
    d = rows[0]
    locs = [m.add_location(x=r[1], y=r[2]) for r in rows]
    depot = m.add_depot(locs[0], tw_early=int(d[4] * SCALE), tw_late=int(d[5] * SCALE))
    m.add_vehicle_type(num_available=vehicles, capacity=capacity,
                       tw_early=int(d[4] * SCALE), tw_late=int(d[5] * SCALE))
    for loc, r in zip(locs[1:], rows[1:]):
        m.add_client(loc, delivery=int(r[3]), service_duration=int(r[6] * SCALE),
                     tw_early=int(r[4] * SCALE), tw_late=int(r[5] * SCALE))
    points = [(r[1], r[2]) for r in rows]
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            dist = round(math.hypot(points[i][0] - points[j][0], points[i][1] - points[j][1]) * SCALE)
            m.add_edge(a, b, distance=dist, duration=dist)
    result = m.solve(stop=MaxRuntime(seconds), display=False)
    best = result.best
    return best.num_routes(), best.distance() / SCALE, best.is_feasible()


def yitu_solve(yitu, path, seconds):
    out = subprocess.run([yitu, "plan", "--solomon", str(path), "--time-limit", str(seconds), "--json"],
                         check=True, capture_output=True, text=True).stdout
    r = json.loads(out)
    return r["vehicles"], r["distance"], not r["unassigned"]


def main():
    args = sys.argv[1:]
    seconds = 10
    if "--seconds" in args:
        k = args.index("--seconds")
        seconds = float(args[k + 1])
        del args[k:k + 2]
    yitu, out, given = args[0], Path(args[1]), [Path(a) for a in args[2:]]
    out.mkdir(parents=True, exist_ok=True)
    generated = []
    for name, n, seed, clustered, horizon in [
        ("G100-R-tight", 100, 1, False, 230), ("G100-RC-wide", 100, 2, True, 1000),
        ("G200-R-tight", 200, 3, False, 230), ("G200-RC-wide", 200, 4, True, 1000),
        ("G100-R-wide", 100, 5, False, 1000), ("G200-RC-tight", 200, 6, True, 230),
        ("X100-R-tight", 100, 11, False, 230), ("X100-RC-wide", 100, 12, True, 1000),
        ("X200-R-tight", 200, 13, False, 230), ("X200-RC-wide", 200, 14, True, 1000),
        ("X200-R-wide", 200, 15, False, 1000), ("X100-RC-tight", 100, 16, True, 230),
    ]:
        path = out / f"{name}.txt"
        generate(name, n, seed, clustered, horizon, path)
        generated.append(path)
    print(f"{'instance':16} {'yitu veh':>8} {'yitu dist':>10} {'pyvrp veh':>9} {'pyvrp dist':>10} {'gap %':>7}")
    for path in given + generated:
        yv, yd, yok = yitu_solve(yitu, path, seconds)
        pv, pd, pok = pyvrp_solve(path, seconds)
        gap = 100 * (yd - pd) / pd
        flags = ("" if yok else " yitu-infeasible") + ("" if pok else " pyvrp-infeasible")
        print(f"{path.stem:16} {yv:8d} {yd:10.2f} {pv:9d} {pd:10.2f} {gap:7.2f}{flags}", flush=True)


if __name__ == "__main__":
    main()
