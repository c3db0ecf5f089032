"""The dependency graph of index.html: every node and edge on the applications' paths, laid out in columns.

The graph is read from the justifying paths of each application (continuity and lawful access), which alternate
node ids and edge kinds. The layout is deterministic and needs no physics: one column per kind of node
(applications | products | platforms and regions | operators and vendors | ultimate controllers | countries),
applications in rows grouped by department, every other node placed at the mean row of the nodes that lead
to it (ties broken by label and id). Nodes are sized by how many applications depend on them and coloured by
the bloc of the countries they lead to. A small script in the page focuses on one application, one controller
or one department by restyling the figure; what to highlight is computed here and shipped as JSON. No I/O.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sovereign.model import UNKNOWN, AuditResult
from sovereign.report._palette import BLOC_COLOURS, INK
from sovereign.report.charts import PlotlyFigure, _layout, _plotly_text, build_figure
from sovereign.report.translation import Messages
from sovereign.report.view import FULL_TABLE_LIMIT

__all__ = [
    "COLUMNS",
    "DIV_ID",
    "ControllerDependencyRow",
    "DependencyEdge",
    "DependencyNode",
    "DependencyView",
    "FocusOption",
    "build_dependency_figure",
    "build_dependency_view",
    "focus_data",
]

DIV_ID = "chart-dependencies"
#: Column keys, left to right; also the keys of their titles under ``dependencies.columns.`` in i18n.
COLUMNS: tuple[str, ...] = ("applications", "products", "platforms", "operators", "controllers", "countries")
#: Bloc order for colour: the most exposed bloc a node leads to wins.
_BLOC_RANK: tuple[str, ...] = ("other", "adequacy", UNKNOWN, "eea", "eu")
_AXES = ("continuity", "lawful_access")
#: Vertical space per row, in pixels, so that labels never overlap.
_ROW_PX = 16
_LABEL_MAX = 32


@dataclass(frozen=True, slots=True)
class DependencyNode:
    id: str
    label: str
    kind: str  # application | product | region | entity | organisation | country | ...
    column: int  # index into COLUMNS
    x: float
    y: float
    bloc: str
    applications: int  # how many applications have it on one of their paths (itself included)
    department: str | None  # applications only


@dataclass(frozen=True, slots=True)
class DependencyEdge:
    source: str
    target: str
    kind: str  # the edge kind as in the paths: instance_of, operated_by, depends_on, ...


@dataclass(frozen=True, slots=True)
class FocusOption:
    value: str  # "app:<id>", "controller:<node id>" or "dept:<name>"
    text: str


@dataclass(frozen=True, slots=True)
class ControllerDependencyRow:
    label: str
    country: str
    direct: tuple[str, ...]  # application names, sorted
    indirect: tuple[str, ...]  # only through a depends_on edge, sorted


@dataclass(frozen=True, slots=True)
class DependencyView:
    nodes: tuple[DependencyNode, ...]  # sorted by column, then y
    edges: tuple[DependencyEdge, ...]  # sorted
    applications: tuple[FocusOption, ...]
    controllers: tuple[FocusOption, ...]
    departments: tuple[FocusOption, ...]
    controller_rows: tuple[ControllerDependencyRow, ...]
    #: focus value -> (node indices, edge indices) to highlight
    focus: dict[str, tuple[tuple[int, ...], tuple[int, ...]]]
    summary: str
    rows: int  # the tallest column, for the figure's height


def _prefix(node: str) -> str:
    return node.split(":", 1)[0]


def build_dependency_view(result: AuditResult, messages: Messages) -> DependencyView:
    """The graph's nodes, edges and focus sets; above ``FULL_TABLE_LIMIT`` applications no graph, a sentence.

    A graph of tens of thousands of application nodes draws as a grey block and makes the page heavy; the
    concentration section and the XLSX carry the same dependencies as counts and rows.
    """
    t = messages.t
    if len(result.assessments) > FULL_TABLE_LIMIT:
        return DependencyView(
            nodes=(),
            edges=(),
            applications=(),
            controllers=(),
            departments=(),
            controller_rows=(),
            focus={},
            summary=t(
                "dependencies.too_large",
                count=messages.number(len(result.assessments)),
                limit=messages.number(FULL_TABLE_LIMIT),
            ),
            rows=0,
        )
    labels = result.labels
    by_app = {a.application.app_id: a for a in result.assessments}

    def label(node: str) -> str:
        if _prefix(node) == "application":
            app = by_app.get(node.split(":", 1)[1])
            if app is not None:
                return app.application.name
        if _prefix(node) == "country":
            code = node.split(":", 1)[1]
            jurisdiction = result.catalog.jurisdictions.get(code)
            return messages.country(code, jurisdiction.name if jurisdiction else labels.get(node))
        return labels.get(node, node.split(":", 1)[-1])

    def bloc_of(node: str) -> str:
        code = node.split(":", 1)[1]
        if code == UNKNOWN:
            return UNKNOWN
        jurisdiction = result.catalog.jurisdictions.get(code)
        return jurisdiction.bloc.value if jurisdiction else ("eu" if code == "EU" else "other")

    edges: set[tuple[str, str, str]] = set()
    nodes: set[str] = set()
    # node -> applications whose own paths reach it; and the edges of each application's paths
    users: dict[str, set[str]] = defaultdict(set)
    app_nodes: dict[str, set[str]] = defaultdict(set)
    app_edges: dict[str, set[tuple[str, str, str]]] = defaultdict(set)
    blocs: dict[str, set[str]] = defaultdict(set)
    owned: set[str] = set()  # entities with an owned_by edge out: not ultimate controllers
    owners: set[str] = set()
    runs_on_targets: set[str] = set()
    # controller node -> (apps reaching it directly, apps reaching it only after a depends_on edge)
    reach: dict[str, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for assessment in result.assessments:
        app_id = assessment.application.app_id
        app_node = f"application:{app_id}"
        nodes.add(app_node)
        users[app_node].add(app_id)
        app_nodes[app_id].add(app_node)
        for axis in _AXES:
            for path in getattr(assessment, axis).paths:
                path_nodes = path[0::2]
                end_bloc = bloc_of(path[-1]) if path and _prefix(path[-1]) == "country" else None
                for node in path_nodes:
                    nodes.add(node)
                    users[node].add(app_id)
                    app_nodes[app_id].add(node)
                    if end_bloc is not None:
                        blocs[node].add(end_bloc)
                for i in range(1, len(path) - 1, 2):
                    edge = (path[i - 1], path[i + 1], path[i])
                    edges.add(edge)
                    app_edges[app_id].add(edge)
                    if path[i] == "owned_by":
                        owned.add(path[i - 1])
                        owners.add(path[i + 1])
                    elif path[i] == "runs_on":
                        runs_on_targets.add(path[i + 1])
                through = False
                for i, node in enumerate(path):
                    if i % 2 == 1:
                        through = through or node == "depends_on"
                    elif _prefix(node) == "entity":
                        reach[node][1 if through else 0].add(app_id)
        if assessment.controller is not None:
            owners.add(f"entity:{assessment.controller.id}")

    def column(node: str) -> int:
        kind = _prefix(node)
        if kind == "application":
            return 0
        if kind == "product":
            return 2 if node in runs_on_targets else 1
        if kind in {"region", "hosting", "platform"}:
            return 2
        if kind == "country":
            return 5
        if kind == "entity" and node in owners and node not in owned:
            return 4
        return 3

    def department(node: str) -> str | None:
        app = by_app.get(node.split(":", 1)[1]) if _prefix(node) == "application" else None
        return app.application.department if app else None

    # Layout: applications by department then name; every other column by the mean row of its predecessors.
    columns: dict[int, list[str]] = defaultdict(list)
    for node in nodes:
        columns[column(node)].append(node)
    incoming: dict[str, set[str]] = defaultdict(set)
    for source, target, _ in edges:
        incoming[target].add(source)
    rank: dict[str, float] = {}
    ordered: dict[int, list[str]] = {}
    apps = sorted(columns[0], key=lambda n: (department(n) or "\uffff", label(n).casefold(), n))
    ordered[0] = apps
    for i, node in enumerate(apps):
        rank[node] = float(i)
    for col in range(1, len(COLUMNS)):

        def key(node: str) -> tuple[float, str, str]:
            before = [rank[s] for s in incoming[node] if s in rank]
            return (sum(before) / len(before) if before else math.inf, label(node).casefold(), node)

        ordered[col] = sorted(columns[col], key=key)
        for i, node in enumerate(ordered[col]):
            rank[node] = key(node)[0] if key(node)[0] != math.inf else float(i)
    rows = max((len(v) for v in ordered.values()), default=1)

    result_nodes: list[DependencyNode] = []
    for col in range(len(COLUMNS)):
        count = len(ordered[col])
        for i, node in enumerate(ordered[col]):
            # Spread each column over the full height, top to bottom.
            y = 1.0 - (i + 0.5) / count if count else 0.5
            found = blocs.get(node, set())
            bloc = next((b for b in _BLOC_RANK if b in found), UNKNOWN)
            result_nodes.append(
                DependencyNode(
                    id=node,
                    label=label(node),
                    kind=_prefix(node),
                    column=col,
                    x=float(col),
                    y=round(y, 6),
                    bloc=bloc,
                    applications=len(users[node]),
                    department=department(node),
                )
            )
    index = {n.id: i for i, n in enumerate(result_nodes)}
    edge_list = tuple(
        DependencyEdge(s, tgt, k)
        for s, tgt, k in sorted(edges, key=lambda e: (index[e[0]], index[e[1]], e[2]))
    )
    edge_index = {(e.source, e.target, e.kind): i for i, e in enumerate(edge_list)}

    focus: dict[str, tuple[tuple[int, ...], tuple[int, ...]]] = {}

    def add_focus(value: str, app_ids: set[str], only: str | None = None) -> None:
        node_ids: set[int] = set()
        edge_ids: set[int] = set()
        for app_id in app_ids:
            node_ids.update(index[n] for n in app_nodes[app_id])
            edge_ids.update(edge_index[e] for e in app_edges[app_id])
        if only is not None:
            node_ids.add(index[only])
        focus[value] = (tuple(sorted(node_ids)), tuple(sorted(edge_ids)))

    application_options = []
    for node in ordered[0]:
        app_id = node.split(":", 1)[1]
        application_options.append(FocusOption(f"app:{app_id}", label(node)))
        add_focus(f"app:{app_id}", {app_id})
    controller_options = []
    controller_rows = []
    for node in sorted(ordered[4], key=lambda n: (label(n).casefold(), n)):
        controller_options.append(FocusOption(f"controller:{node}", label(node)))
        add_focus(f"controller:{node}", users[node], only=node)
        direct, via = reach[node]
        country = next((e.target for e in edge_list if e.source == node and e.kind == "seated_in"), None)
        controller_rows.append(
            ControllerDependencyRow(
                label=label(node),
                country=label(country) if country else t("common.unknown"),
                direct=tuple(sorted((by_app[a].application.name for a in direct), key=str.casefold)),
                indirect=tuple(sorted((by_app[a].application.name for a in via - direct), key=str.casefold)),
            )
        )
    controller_rows.sort(key=lambda r: (-(len(r.direct) + len(r.indirect)), r.label.casefold()))
    department_options = []
    departments: dict[str, set[str]] = defaultdict(set)
    for assessment in result.assessments:
        if assessment.application.department:
            departments[assessment.application.department].add(assessment.application.app_id)
    for name in sorted(departments, key=str.casefold):
        department_options.append(FocusOption(f"dept:{name}", name))
        add_focus(f"dept:{name}", departments[name])

    if result_nodes:
        top = controller_rows[0] if controller_rows else None
        summary = t(
            "dependencies.summary",
            nodes=messages.number(len(result_nodes)),
            edges=messages.number(len(edge_list)),
            applications=messages.number(len(ordered[0])),
            controllers=messages.number(len(ordered[4])),
        )
        if top is not None:
            summary += " " + t(
                "dependencies.summary_top",
                name=top.label,
                applications=messages.number(len(top.direct) + len(top.indirect)),
            )
    else:
        summary = t("dependencies.summary_empty")
    return DependencyView(
        nodes=tuple(result_nodes),
        edges=edge_list,
        applications=tuple(application_options),
        controllers=tuple(controller_options),
        departments=tuple(department_options),
        controller_rows=tuple(controller_rows),
        focus=focus,
        summary=summary,
        rows=rows,
    )


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 1] + "\u2026"


def build_dependency_figure(view: DependencyView, messages: Messages) -> PlotlyFigure:
    """Trace 0: all edges (grey); trace 1: highlighted edges (empty until a focus is chosen); then nodes."""
    t = messages.t
    position = {n.id: (n.x, n.y) for n in view.nodes}
    xs: list[float | None] = []
    ys: list[float | None] = []
    for edge in view.edges:
        (x0, y0), (x1, y1) = position[edge.source], position[edge.target]
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    traces: list[dict[str, Any]] = [
        dict(
            type="scatter",
            x=xs,
            y=ys,
            mode="lines",
            line={"color": "#c8c8c8", "width": 0.7},
            hoverinfo="skip",
            showlegend=False,
            name="edges",
        ),
        dict(
            type="scatter",
            x=[],
            y=[],
            mode="lines",
            line={"color": INK, "width": 1.6},
            hoverinfo="skip",
            showlegend=False,
            name="focus",
        ),
    ]
    for bloc in _BLOC_RANK:
        members = [n for n in view.nodes if n.bloc == bloc]
        if not members:
            continue
        traces.append(
            dict(
                type="scatter",
                x=[n.x for n in members],
                y=[n.y for n in members],
                mode="markers+text",
                name=t(f"dependencies.blocs.{bloc}"),
                text=[_plotly_text(_short(n.label)) for n in members],
                textposition=["middle left" if n.column == 0 else "middle right" for n in members],
                textfont={"size": 11},
                customdata=[n.id for n in members],
                hovertext=[
                    _plotly_text(
                        t(
                            "dependencies.hover",
                            name=n.label,
                            kind=t(f"dependencies.columns.{COLUMNS[n.column]}"),
                            applications=messages.number(n.applications),
                        )
                    )
                    for n in members
                ],
                hoverinfo="text",
                marker={
                    "color": BLOC_COLOURS[bloc],
                    "size": [round(6 + 3 * math.sqrt(n.applications), 2) for n in members],
                    "line": {"color": INK, "width": 0.5},
                    "opacity": 1,
                },
            )
        )
    height = max(420, 80 + _ROW_PX * view.rows)
    annotations = [
        {
            "x": i,
            "y": 1,
            "yref": "paper",
            "yanchor": "bottom",
            "showarrow": False,
            "text": "<br>".join(_plotly_text(t(f"dependencies.columns.{key}")).split(" ", 1)),
            "font": {"size": 13},
        }
        for i, key in enumerate(COLUMNS)
    ]
    layout = _layout(
        messages,
        height=height,
        showlegend=True,
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
        xaxis={"visible": False, "range": [-1.6, len(COLUMNS) - 0.2], "fixedrange": True},
        yaxis={"visible": False, "range": [-0.01, 1.01]},
        hovermode="closest",
        annotations=annotations,
        meta=focus_data(view),
    )
    layout["margin"] = {"t": 56, "r": 16, "b": 48, "l": 16}
    return build_figure(traces, layout)


def focus_data(view: DependencyView) -> dict[str, Any]:
    """What the page's script needs to highlight a focus: node ids, edge coordinates and the focus sets.

    It travels in the figure's ``layout.meta``, so the chart keeps one JSON payload like every other chart.
    """
    position = {n.id: (n.x, n.y) for n in view.nodes}
    return {
        "nodes": [n.id for n in view.nodes],
        "edges": [[*position[e.source], *position[e.target]] for e in view.edges],
        "focus": {key: [list(nodes), list(edges)] for key, (nodes, edges) in sorted(view.focus.items())},
    }
