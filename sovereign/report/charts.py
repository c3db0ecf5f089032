"""The report's plotly charts: jurisdiction sunburst, controller concentration, SEAL levels, single points, roadmap.

Figures are built from the view model and rendered as an empty ``<div>`` plus the figure as JSON in a
``<script type="application/json">``; one small script in the page draws them with the ``plotly.min.js`` that
sits next to it. Rendering is byte-identical for identical input: fixed element ids, no trace uids, keys sorted,
no template pulled in from plotly's defaults. Inventory text reaches plotly's own text renderer, which reads
a few HTML-like tags and entities, so it is entity-escaped first; the JSON is also escaped so that no ``<``
can close the script element. Figures are plain dicts in plotly.js's own JSON shape (``{"data": [...],
"layout": {...}}``), built directly: plotly's Python figure classes validate every property, which costs
from 0.3 s up to seconds on large figures and adds nothing to data we write ourselves. No I/O, no network.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup, escape

from sovereign.report._palette import (
    BLOC_COLOURS,
    INK,
    ROADMAP_COLOURS,
    SEAL_COLOURS,
    TRACE_COLOURS,
    text_colour,
)
from sovereign.report.translation import Messages
from sovereign.report.view import ORGANISATION_BARS, ReportView

__all__ = [
    "CHART_CONFIG",
    "FONT_FAMILY",
    "PlotlyFigure",
    "build_concentration_figure",
    "build_figure",
    "build_jurisdiction_figure",
    "build_organisations_figure",
    "build_roadmap_figure",
    "build_seal_figure",
    "build_single_points_figure",
    "render_chart",
]

FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

#: plotly.js options: no mode bar (its buttons and logo link add nothing to a printed report), resizes with
#: the window. Nothing here may make plotly fetch anything.
CHART_CONFIG: dict[str, Any] = {"displayModeBar": False, "displaylogo": False, "responsive": True}

#: A figure as plotly.js reads it: ``{"data": [trace, ...], "layout": {...}}``; each trace has a ``type``.
PlotlyFigure = dict[str, Any]

#: plotly's "none" template as plotly.py writes it: no default styling in the page, and plotly.js falls back
#: to its built-in defaults.
_NONE_TEMPLATE: dict[str, Any] = {"data": {"scatter": [{"type": "scatter"}]}}

#: More applications than this and the sunburst opens at two rings; a click on a controller shows the third.
_SUNBURST_FULL_DEPTH = 40

# plotly's `separators`: decimal mark, then thousands separator.
_SEPARATORS = {"nl": ",.", "en": ".,"}


def _plotly_text(text: str) -> str:
    """Escape text for plotly's label renderer, which reads <b>, <a href>, <br> and entities.

    >>> _plotly_text("<b>R&D</b>")
    '&lt;b&gt;R&amp;D&lt;/b&gt;'
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _layout(messages: Messages, **extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        # "none" keeps plotly's default template (several kB of styling we do not use) out of every figure.
        "template": _NONE_TEMPLATE,
        "font": {"family": FONT_FAMILY, "size": 14, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": _SEPARATORS[messages.lang],
        "margin": {"t": 16, "r": 16, "b": 16, "l": 16},
    }
    layout.update(extra)
    return layout


def build_jurisdiction_figure(view: ReportView, messages: Messages) -> PlotlyFigure:
    """Sunburst: country of the ultimate controller -> controller -> applications; coloured by bloc."""
    ids: list[str] = []
    labels: list[str] = []
    parents: list[str] = []
    values: list[int] = []
    colours: list[str] = []
    hover: list[str] = []

    def add(node: str, label: str, parent: str, value: int, colour: str, hovertext: str) -> None:
        ids.append(node)
        labels.append(_plotly_text(label))
        parents.append(parent)
        values.append(value)
        colours.append(colour)
        hover.append(_plotly_text(hovertext))

    country_totals: dict[str, int] = {}
    for row in view.jurisdiction_rows:
        country_totals[row.country.code] = country_totals.get(row.country.code, 0) + row.count
    seen: set[str] = set()
    for row in view.jurisdiction_rows:
        country_node = f"j/{row.country.code}"
        colour = BLOC_COLOURS.get(row.country.bloc, BLOC_COLOURS["other"])
        if country_node not in seen:
            seen.add(country_node)
            total = country_totals[row.country.code]
            name = row.country.name
            add(
                country_node,
                name,
                "",
                total,
                colour,
                messages.t("charts.jurisdiction.hover", name=name, count=total),
            )
        controller_node = f"{country_node}/{row.controller_id}"
        add(
            controller_node,
            row.controller,
            country_node,
            row.count,
            colour,
            messages.t("charts.jurisdiction.hover", name=row.controller, count=row.count),
        )
        # Above the pages' limit a controller's list is cut short; the chart then stops at the controllers.
        if not view.capped:
            for index, name in enumerate(row.applications):
                add(f"{controller_node}/{index}", name, controller_node, 1, colour, name)

    depth = -1 if view.total_applications <= _SUNBURST_FULL_DEPTH else 2
    trace = dict(
        type="sunburst",
        ids=ids,
        labels=labels,
        parents=parents,
        values=values,
        branchvalues="total",
        hovertext=hover,
        hoverinfo="text",
        textinfo="label",
        insidetextorientation="radial",
        maxdepth=depth,
        sort=False,
        marker={"colors": colours, "line": {"color": "#ffffff", "width": 1}},
        # plotly fades leaves to 70 % by default and picks its own text colour; we want the palette's colours
        # exactly, with black or white text at AA contrast on each.
        leaf={"opacity": 1},
        insidetextfont={"color": [text_colour(c) for c in colours]},
    )
    return build_figure([trace], _layout(messages, height=560))


def _controller_labels(view: ReportView) -> list[str]:
    """Axis labels "Name (CC)", made unique: two controllers may share a name, never an id."""
    labels: list[str] = []
    for row in view.top_controllers:
        label = _plotly_text(row.name if row.country.is_unknown else f"{row.name} ({row.country.code})")
        if label in labels:
            label = _plotly_text(f"{row.name} ({row.id})")
        labels.append(label)
    return labels


def build_concentration_figure(view: ReportView, messages: Messages) -> PlotlyFigure:
    """Horizontal bars: share of applications and of criticality for the largest controllers."""
    rows = view.top_controllers
    labels = _controller_labels(view)
    # The x axis runs a little past the longest bar, to leave room for the labels outside the bars.
    largest = max([r.share for r in rows] + [r.criticality_share for r in rows] + [0.01])
    series = (
        # The application bar says the count too: "33 (24,3 %)".
        (
            "trace_share",
            [r.share for r in rows],
            [f"{r.applications} ({r.share_text})" for r in rows],
            TRACE_COLOURS[0],
        ),
        (
            "trace_criticality",
            [r.criticality_share for r in rows],
            [r.criticality_text for r in rows],
            TRACE_COLOURS[1],
        ),
    )
    traces = [
        dict(
            type="bar",
            name=messages.t(f"charts.concentration.{key}"),
            y=labels,
            x=values,
            text=texts,
            textposition="outside",
            cliponaxis=False,
            orientation="h",
            marker={"color": colour},
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
        for key, values, texts, colour in series
    ]
    layout = _layout(
        messages,
        height=120 + 56 * len(rows),
        barmode="group",
        bargap=0.25,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={"tickformat": ".0%", "range": [0, min(1.0, largest * 1.3)], "gridcolor": "#dddddd"},
        yaxis={"autorange": "reversed", "automargin": True},
    )
    layout["margin"] = {"t": 40, "r": 16, "b": 32, "l": 16}
    return build_figure(traces, layout)


def build_seal_figure(view: ReportView, messages: Messages) -> PlotlyFigure:
    """Vertical bars: applications per SEAL level, 0 to 4, then unknown."""
    rows = view.seal_rows
    # Counts are whole numbers: one tick per step, about eight steps at most.
    step = max(1, -(-max([r.count for r in rows] + [1]) // 8))
    trace = dict(
        type="bar",
        x=[_plotly_text(r.seal.name) for r in rows],
        y=[r.count for r in rows],
        text=[str(r.count) for r in rows],
        textposition="outside",
        cliponaxis=False,
        marker={"color": [SEAL_COLOURS[r.seal.key] for r in rows], "line": {"color": INK, "width": 1}},
        hovertext=[_plotly_text(f"{r.seal.name}: {r.seal.meaning}") for r in rows],
        hoverinfo="text+y",
    )
    layout = _layout(
        messages,
        height=360,
        xaxis={"type": "category"},
        yaxis={
            "title": {"text": _plotly_text(messages.t("charts.seal.axis"))},
            "gridcolor": "#dddddd",
            "rangemode": "tozero",
            "dtick": step,
        },
    )
    layout["margin"] = {"t": 32, "r": 16, "b": 40, "l": 64}
    return build_figure([trace], layout)


#: Bands of the per-organisation distribution: 0-10 %, 10-20 % .. 90-100 %.
_BANDS = 10


def build_organisations_figure(view: ReportView, messages: Messages) -> PlotlyFigure:
    """US lawful access per organisation: one bar each up to ``ORGANISATION_BARS``, else the distribution.

    Hundreds of bars are unreadable; the distribution (how many organisations fall in each band of ten
    percentage points) reads the same at 5 and at 342 organisations, and the table lists each of them.
    """
    rows = view.organisations.rows if view.organisations else ()
    t = messages.t
    layout_margin = {"t": 16, "r": 16, "b": 56, "l": 16}
    if len(rows) <= ORGANISATION_BARS:
        trace: dict[str, Any] = {
            "type": "bar",
            "orientation": "h",
            "y": [_plotly_text(r.name) for r in rows],
            "x": [r.us_lawful_access_share for r in rows],
            "text": [r.us_lawful_access_text for r in rows],
            "textposition": "outside",
            "cliponaxis": False,
            "marker": {"color": TRACE_COLOURS[0]},
            "hovertemplate": "%{y}: %{text}<extra></extra>",
        }
        largest = max([r.us_lawful_access_share for r in rows] + [0.01])
        layout = _layout(
            messages,
            height=100 + 32 * len(rows),
            bargap=0.3,
            xaxis={
                "title": {"text": _plotly_text(t("organisations.chart_axis"))},
                "tickformat": ".0%",
                "range": [0, min(1.0, largest * 1.3)],
                "gridcolor": "#dddddd",
            },
            yaxis={"autorange": "reversed", "automargin": True},
        )
        layout["margin"] = layout_margin
        return build_figure([trace], layout)
    counts = [0] * _BANDS
    for r in rows:
        counts[min(_BANDS - 1, int(r.us_lawful_access_share * _BANDS))] += 1

    def pct(band: int) -> str:
        return messages.percent(band / _BANDS, decimals=0)

    labels = [
        _plotly_text(t("organisations.chart_bucket", low=pct(b), high=pct(b + 1))) for b in range(_BANDS)
    ]
    trace = {
        "type": "bar",
        "x": labels,
        "y": counts,
        "text": [str(c) for c in counts],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {"color": TRACE_COLOURS[0]},
        "hovertext": [
            _plotly_text(t("organisations.chart_bucket_hover", count=c, low=pct(b), high=pct(b + 1)))
            for b, c in enumerate(counts)
        ],
        "hoverinfo": "text",
    }
    layout = _layout(
        messages,
        height=380,
        xaxis={
            "type": "category",
            "title": {"text": _plotly_text(t("organisations.chart_axis"))},
            "automargin": True,
        },
        yaxis={
            "title": {"text": _plotly_text(t("organisations.chart_count_axis"))},
            "gridcolor": "#dddddd",
            "rangemode": "tozero",
        },
    )
    layout["margin"] = {"t": 32, "r": 16, "b": 64, "l": 64}
    return build_figure([trace], layout)


def _single_point_labels(view: ReportView) -> list[str]:
    """Axis labels, made unique: an application and a product may share a name, two nodes never an id."""
    labels: list[str] = []
    for row in view.single_points:
        label = _plotly_text(row.label)
        if label in labels:
            label = _plotly_text(f"{row.label} ({row.kind})")
        if label in labels:
            label = _plotly_text(f"{row.label} ({row.node})")
        labels.append(label)
    return labels


def build_single_points_figure(view: ReportView, messages: Messages) -> PlotlyFigure:
    """Horizontal bars: the share of criticality that stops when each single point of failure goes."""
    rows = view.single_points
    largest = max([r.criticality_share for r in rows] + [0.01])
    trace = dict(
        type="bar",
        y=_single_point_labels(view),
        x=[r.criticality_share for r in rows],
        text=[
            _plotly_text(
                messages.t("charts.single_points.bar_text", share=r.share_text, count=r.applications)
            )
            for r in rows
        ],
        textposition="outside",
        cliponaxis=False,
        orientation="h",
        marker={"color": TRACE_COLOURS[1]},
        hovertext=[_plotly_text(f"{r.label} ({r.kind})") for r in rows],
        hoverinfo="text+x",
    )
    layout = _layout(
        messages,
        height=100 + 40 * len(rows),
        bargap=0.3,
        xaxis={
            "title": {"text": _plotly_text(messages.t("charts.single_points.axis"))},
            "tickformat": ".0%",
            # Room for the labels outside the bars.
            "range": [0, min(1.0, largest * 1.35)],
            "gridcolor": "#dddddd",
        },
        yaxis={"autorange": "reversed", "automargin": True},
    )
    layout["margin"] = {"t": 16, "r": 16, "b": 72, "l": 16}
    return build_figure([trace], layout)


def build_roadmap_figure(view: ReportView, messages: Messages) -> PlotlyFigure:
    """Lines per step of the plan (now, quick wins, waves): US lawful access, US continuity, SEAL 3-4.

    The y values are percentages (0..100), not shares: d3's "%" format cannot write the Dutch "48 %", so the
    axis adds the language's own suffix instead.
    """
    steps = view.roadmap.steps if view.roadmap else ()
    labels = [_plotly_text(step.label) for step in steps]
    # Colour never tells the lines apart alone: each has its own dash and marker, and the legend names it.
    series = (
        (
            "trace_lawful_access",
            [s.us_lawful_access for s in steps],
            [s.us_lawful_access_text for s in steps],
        ),
        ("trace_continuity", [s.us_continuity for s in steps], [s.us_continuity_text for s in steps]),
        ("trace_high_seal", [s.high_seal for s in steps], [s.high_seal_text for s in steps]),
    )
    styles = (("solid", "circle"), ("dash", "square"), ("dot", "diamond"))
    traces = [
        dict(
            type="scatter",
            name=_plotly_text(messages.t(f"roadmap.chart.{key}")),
            x=labels,
            y=[round(value * 100, 4) for value in values],
            mode="lines+markers",
            line={"color": colour, "width": 3, "dash": dash},
            marker={"color": colour, "size": 10, "symbol": symbol},
            hovertext=[_plotly_text(f"{label}: {text}") for label, text in zip(labels, texts, strict=True)],
            hoverinfo="text+name",
        )
        for (key, values, texts), colour, (dash, symbol) in zip(series, ROADMAP_COLOURS, styles, strict=True)
    ]
    layout = _layout(
        messages,
        height=420,
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        xaxis={"type": "category", "automargin": True},
        yaxis={
            "title": {"text": _plotly_text(messages.t("roadmap.chart.axis"))},
            "range": [0, 102],
            "dtick": 20,
            "ticksuffix": messages.percent(0, decimals=0).removeprefix("0"),
            "gridcolor": "#dddddd",
        },
    )
    layout["margin"] = {"t": 48, "r": 16, "b": 48, "l": 72}
    return build_figure(traces, layout)


def build_figure(traces: list[dict[str, Any]], layout: dict[str, Any]) -> PlotlyFigure:
    """A figure from its traces and layout, in the shape plotly.js's ``Plotly.react`` takes."""
    return {"data": traces, "layout": layout}


def render_chart(figure: PlotlyFigure, div_id: str, label: str) -> Markup:
    """The chart's placeholder ``<div>`` and its JSON, safe to place in a page as is.

    ``label`` is the chart's accessible name; the page also shows a text summary and a data table.
    """
    payload = json.dumps(
        {"config": CHART_CONFIG, "figure": figure}, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    # Inside <script> only "</" (and "<!--") can end the element early; escaping every <, > and & is simplest.
    # U+2028/9 are line breaks to older JavaScript parsers.
    payload = (
        payload.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
    return Markup(
        f'<div id="{escape(div_id)}" class="chart" role="img" aria-label="{escape(label)}"></div>\n'
        f'<script type="application/json" data-chart="{escape(div_id)}">{payload}</script>'
    )
