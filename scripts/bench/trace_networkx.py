"""The same upstream trace as `yitu trace --rivers FILE --from LON,LAT`, as a plain networkx
script would do it: the GeoJSON read with json, a directed graph of line ends (rounded to
1e-7 degrees) weighted by haversine length, Dijkstra on the reversed graph from the node
nearest the start, the traced lines written as GeoJSON. Prints the number of traced edges.
Usage: trace_networkx.py RIVERS.geojson LON,LAT OUT.geojson
"""

import json
import math
import sys

import networkx as nx


def haversine(a, b):
    r = 6371008.8
    p1, p2 = math.radians(a[1]), math.radians(b[1])
    dp, dl = p2 - p1, math.radians(b[0] - a[0])
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def main():
    rivers, start, out = sys.argv[1], sys.argv[2], sys.argv[3]
    lon, lat = (float(v) for v in start.split(","))
    with open(rivers, encoding="utf-8") as f:
        data = json.load(f)
    graph = nx.DiGraph()
    key = lambda c: (round(c[0], 7), round(c[1], 7))
    for feature in data["features"]:
        coords = feature["geometry"]["coordinates"]
        length = sum(haversine(a, b) for a, b in zip(coords, coords[1:]))
        graph.add_edge(key(coords[0]), key(coords[-1]), length=length, feature=feature)
    source = min(graph.nodes, key=lambda n: haversine(n, (lon, lat)))
    distances = nx.single_source_dijkstra_path_length(graph.reverse(copy=False), source, weight="length")
    traced = []
    for u, v, d in graph.edges(data=True):
        if v in distances:
            feature = dict(d["feature"])
            feature["properties"] = dict(feature["properties"], to_km=distances[v] / 1000.0)
            traced.append(feature)
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": traced}, f)
    print(len(traced))


if __name__ == "__main__":
    main()
