"""The floor: the least any audit of this file must do, written as plainly as possible.

Reads the inventory with pandas, builds a networkx graph with as many nodes and edges as sovereign's own graph
of the same file (application -> product -> vendor, hosting and organisation, dependencies, then plain
padding nodes up to the size sovereign reported), walks it once per application and writes one plotly page
(plotly.js inline, as a report that opens offline must). The benchmark times ``sovereign audit`` against this.

    python -m bench.floor INVENTORY.csv OUT.html --nodes N --edges M
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inventory", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--nodes", type=int, default=0, help="pad the graph to this many nodes")
    parser.add_argument("--edges", type=int, default=0, help="pad the graph to this many edges")
    args = parser.parse_args(argv)

    import networkx as nx
    import pandas as pd
    import plotly.graph_objects as go

    frame = pd.read_csv(args.inventory, sep=";", dtype=str, keep_default_na=False)
    g = nx.MultiDiGraph()
    by_name: dict[tuple[str, str], str] = {}
    for row in frame.itertuples(index=False):
        app = f"application:{row.ID}"
        by_name[(row.Gemeente, row.Applicatie)] = app
        g.add_node(app, kind="application", label=row.Applicatie)
        product = f"product:{(row.Product or row.Applicatie).casefold()}"
        g.add_edge(app, product, key="instance_of")
        if row.Leverancier:
            g.add_edge(product, f"entity:{row.Leverancier.casefold()}", key="supplied_by")
        if row.Hostingpartij:
            g.add_edge(app, f"entity:{row.Hostingpartij.casefold()}", key="operated_by")
        g.add_edge(app, f"organisation:{row.Gemeente}", key="used_by")
    for app_id, organisation, depends in zip(
        frame["ID"], frame["Gemeente"], frame["Afhankelijk van"], strict=True
    ):
        for name in filter(None, depends.split(";")):
            target = by_name.get((organisation, name))
            if target:
                g.add_edge(f"application:{app_id}", target, key="depends_on")
    # Padding up to sovereign's size, pointing into the graph so that no walk from an application grows.
    hubs = [n for n in g if not n.startswith("application:")]
    pad = 0
    while g.number_of_nodes() < args.nodes:
        g.add_node(f"pad:{pad}")
        pad += 1
    extra = 0
    while g.number_of_edges() < args.edges:
        g.add_edge(f"pad:{extra % max(pad, 1)}", hubs[extra % len(hubs)], key=f"pad{extra}")
        extra += 1

    reached = {}
    for node, kind in g.nodes(data="kind"):
        if kind == "application":
            reached[node] = len(nx.descendants(g, node))

    counts = frame.groupby("Gemeente").size().sort_values(ascending=False)
    figure = go.Figure(go.Bar(x=list(counts.index), y=list(counts.values)))
    figure.update_layout(title=f"{len(frame)} applications, {sum(reached.values())} nodes reached")
    args.out.write_text(figure.to_html(include_plotlyjs=True, full_html=True), encoding="utf-8")
    print(f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges, {len(reached)} walks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
