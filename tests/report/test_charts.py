"""The plotly figures: consistent hierarchy, top 15, escaped labels, deterministic rendering."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

from sovereign.model import AuditResult, ControllerRef, ControllerShare
from sovereign.report._palette import BLOC_COLOURS, SEAL_COLOURS
from sovereign.report.charts import (
    build_concentration_figure,
    build_jurisdiction_figure,
    build_seal_figure,
    build_single_points_figure,
    render_chart,
)
from sovereign.report.translation import load_messages
from sovereign.report.view import TOP_CONTROLLERS, build_report_view

from .conftest import HOSTILE_NAME


def _figure_json(figure: Any) -> dict[str, Any]:
    # Figures are plain dicts in plotly.js's shape; a JSON round trip checks they serialise as they are.
    return json.loads(json.dumps(figure))  # type: ignore[no-any-return]


def test_sunburst_hierarchy_adds_up(result: AuditResult) -> None:
    messages = load_messages("nl")
    trace = _figure_json(build_jurisdiction_figure(build_report_view(result, messages), messages))["data"][0]
    ids, parents, values = trace["ids"], trace["parents"], trace["values"]
    assert len(set(ids)) == len(ids)
    assert set(parents) - {""} <= set(ids)
    for node, value in zip(ids, values, strict=True):
        children = [v for p, v in zip(parents, values, strict=True) if p == node]
        if children:
            assert sum(children) == value, node
    roots = {
        label: value
        for label, parent, value in zip(trace["labels"], parents, values, strict=True)
        if not parent
    }
    assert roots == {"Nederland": 2, "Verenigde Staten": 1, "onbekend": 1}
    assert sum(roots.values()) == 4


def test_sunburst_colours_follow_the_bloc(result: AuditResult) -> None:
    messages = load_messages("en")
    trace = _figure_json(build_jurisdiction_figure(build_report_view(result, messages), messages))["data"][0]
    colour = dict(zip(trace["ids"], trace["marker"]["colors"], strict=True))
    assert colour["j/US"] == BLOC_COLOURS["other"]
    assert colour["j/NL"] == BLOC_COLOURS["eu"]
    assert colour["j/unknown"] == BLOC_COLOURS["unknown"]


def test_plotly_labels_are_entity_escaped(result: AuditResult) -> None:
    messages = load_messages("en")
    trace = _figure_json(build_jurisdiction_figure(build_report_view(result, messages), messages))["data"][0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in trace["labels"]
    assert HOSTILE_NAME not in trace["labels"]


def test_concentration_shows_the_top_15(make_result: Any) -> None:
    result = make_result()
    shares = tuple(
        ControllerShare(
            controller=ControllerRef(
                id=f"c{i:02}", name="Same Name" if i < 2 else f"Party {i}", country="US"
            ),
            applications=20 - i,
            share=(20 - i) / 210,
            criticality_share=(20 - i) / 210,
        )
        for i in range(20)
    )
    result = replace(result, portfolio=replace(result.portfolio, concentration=shares))
    messages = load_messages("en")
    figure = _figure_json(build_concentration_figure(build_report_view(result, messages), messages))
    share, criticality = figure["data"]
    assert len(share["y"]) == TOP_CONTROLLERS
    assert share["y"][:2] == ["Same Name (US)", "Same Name (c01)"]  # never two bars on one label
    assert share["text"][0] == "20 (9.5%)"
    assert criticality["text"][0] == "9.5%"
    assert criticality["name"] == "Share of criticality"


def test_seal_chart(result: AuditResult) -> None:
    messages = load_messages("nl")
    trace = _figure_json(build_seal_figure(build_report_view(result, messages), messages))["data"][0]
    assert trace["x"] == ["SEAL 0", "SEAL 1", "SEAL 2", "SEAL 3", "SEAL 4", "SEAL onbekend"]
    assert trace["y"] == [1, 0, 1, 0, 1, 1]
    assert trace["marker"]["color"] == list(SEAL_COLOURS.values())


def test_render_chart_is_safe_and_deterministic(result: AuditResult) -> None:
    messages = load_messages("en")
    view = build_report_view(result, messages)
    first = render_chart(build_jurisdiction_figure(view, messages), "chart-x", 'label "quoted" <b>')
    second = render_chart(build_jurisdiction_figure(view, messages), "chart-x", 'label "quoted" <b>')
    assert first == second
    assert 'aria-label="label &#34;quoted&#34; &lt;b&gt;"' in first
    (payload,) = re.findall(r'data-chart="chart-x">(.*)</script>', first, re.S)
    assert "<" not in payload and ">" not in payload and "&" not in payload
    # Still valid JSON, and the escapes decode back to plotly's entity-escaped label.
    labels = json.loads(payload)["figure"]["data"][0]["labels"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in labels


def test_single_points_chart(result: AuditResult) -> None:
    messages = load_messages("nl")
    trace = _figure_json(build_single_points_figure(build_report_view(result, messages), messages))["data"][0]
    assert trace["orientation"] == "h"
    assert trace["y"] == [
        "Salesforce, Inc.",
        "Microsoft Corporation",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
    ]
    assert trace["x"] == [0.375, 0.3125, 0.0625]
    assert trace["text"][0] == "37,5 % · 1 applicaties"


def test_single_points_chart_never_puts_two_bars_on_one_label(make_result: Any) -> None:
    result = make_result()
    # An application and the product it is an instance of often share a name.
    labels = {**result.labels, "entity:microsoft-corp": "Salesforce, Inc."}
    messages = load_messages("en")
    view = build_report_view(replace(result, labels=labels), messages)
    trace = _figure_json(build_single_points_figure(view, messages))["data"][0]
    assert trace["y"][:2] == ["Salesforce, Inc.", "Salesforce, Inc. (organisation)"]
