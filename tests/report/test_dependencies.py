"""The dependency graph section of index.html: nodes and edges from the paths, focus options, escaping, languages."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from sovereign.model import AuditResult, AxisResult
from sovereign.report import render_report
from sovereign.report.dependencies import (
    COLUMNS,
    DIV_ID,
    build_dependency_figure,
    build_dependency_view,
)
from sovereign.report.translation import load_messages

from .conftest import HOSTILE_ATTRIBUTE, HOSTILE_NAME


def _page(result: AuditResult, lang: str) -> str:
    return render_report(result, lang=lang)["index.html"].decode("utf-8")


def _paths(result: AuditResult) -> list[tuple[str, ...]]:
    return [p for a in result.assessments for axis in (a.continuity, a.lawful_access) for p in axis.paths]


def _with_dependency(result: AuditResult) -> AuditResult:
    """a3 also depends on a1, so reaches Salesforce through another application."""
    a1 = next(a for a in result.assessments if a.application.app_id == "a1")
    a3 = next(a for a in result.assessments if a.application.app_id == "a3")
    through = tuple(("application:a3", "depends_on", *p) for p in a1.continuity.paths)
    new_a3 = replace(
        a3,
        continuity=AxisResult(countries=a3.continuity.countries, paths=(*a3.continuity.paths, *through)),
    )
    return replace(
        result,
        assessments=tuple(new_a3 if a is a3 else a for a in result.assessments),
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_one_node_per_distinct_node_id_and_edges_follow_the_paths(result: AuditResult, lang: str) -> None:
    result = _with_dependency(result)
    view = build_dependency_view(result, load_messages(lang))
    paths = _paths(result)
    expected_nodes = {n for p in paths for n in p[0::2]} | {
        f"application:{a.application.app_id}" for a in result.assessments
    }
    assert [n.id for n in view.nodes].count("application:a1") == 1
    assert {n.id for n in view.nodes} == expected_nodes
    assert len(view.nodes) == len(expected_nodes)
    expected_edges = {(p[i - 1], p[i + 1], p[i]) for p in paths for i in range(1, len(p) - 1, 2)}
    assert {(e.source, e.target, e.kind) for e in view.edges} == expected_edges
    assert ("application:a3", "application:a1", "depends_on") in expected_edges
    # Applications in the first column, countries in the last.
    for node in view.nodes:
        if node.kind == "application":
            assert COLUMNS[node.column] == "applications"
        if node.kind == "country":
            assert COLUMNS[node.column] == "countries"

    figure = build_dependency_figure(view, load_messages(lang))
    node_ids = [i for trace in figure["data"][2:] for i in trace["customdata"]]
    assert sorted(node_ids) == sorted(n.id for n in view.nodes)
    # Edge trace: one segment (x0, x1, None) per edge.
    assert len(figure["data"][0]["x"]) == 3 * len(view.edges)


def test_controller_table_splits_direct_and_through_dependencies(result: AuditResult) -> None:
    result = _with_dependency(result)
    view = build_dependency_view(result, load_messages("en"))
    names = {a.application.app_id: a.application.name for a in result.assessments}
    salesforce = next(r for r in view.controller_rows if r.label == result.labels["entity:salesforce-inc"])
    assert names["a1"] in salesforce.direct
    assert names["a3"] in salesforce.indirect
    assert names["a3"] not in salesforce.direct
    # Focusing on the controller lights up both applications.
    nodes, _ = view.focus["controller:entity:salesforce-inc"]
    lit = {view.nodes[i].id for i in nodes}
    assert {"application:a1", "application:a3", "entity:salesforce-inc"} <= lit


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_section_select_lists_every_application(result: AuditResult, lang: str) -> None:
    page = _page(result, lang)
    assert '<section id="dependencies"' in page
    assert '<a href="#dependencies">' in page
    assert page.index('id="single_points"') < page.index('id="dependencies"')
    assert f'id="{DIV_ID}"' in page
    select = re.search(r'<select id="dependencies-focus-select".*?</select>', page, re.S)
    assert select is not None
    assert '<label for="dependencies-focus-select">' in page
    values = re.findall(r'<option value="app:([^"]*)"', select.group(0))
    assert sorted(values) == sorted(a.application.app_id for a in result.assessments)
    title = load_messages(lang).t("dependencies.title")
    assert f'<h2 id="dependencies-title">{title}</h2>' in page
    # The focus data travels in the figure's layout.meta and covers every application.
    data = re.search(rf'<script type="application/json" data-chart="{DIV_ID}">(.*?)</script>', page, re.S)
    assert data is not None
    focus = json.loads(data.group(1))["figure"]["layout"]["meta"]
    assert all(f"app:{a.application.app_id}" in focus["focus"] for a in result.assessments)
    assert len(focus["nodes"]) == len(set(focus["nodes"]))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_hostile_labels_are_escaped(result: AuditResult, lang: str) -> None:
    page = _page(result, lang)
    section = page[
        page.index('<section id="dependencies"') : page.index("</section>", page.index('id="dependencies"'))
    ]
    assert HOSTILE_NAME not in section
    assert HOSTILE_ATTRIBUTE not in section
    assert "<script>alert" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section  # the option text
    # Inside the figure JSON, plotly text is entity-escaped and no "<" survives.
    figure = build_dependency_figure(build_dependency_view(result, load_messages(lang)), load_messages(lang))
    texts = [t for trace in figure["data"][2:] for t in trace["text"]]
    assert all("<" not in t for t in texts)


def test_languages_differ(result: AuditResult) -> None:
    nl, en = _page(result, "nl"), _page(result, "en")
    assert "Afhankelijkheden" in nl
    assert ">Dependencies</h2>" in en
    assert load_messages("nl").t("dependencies.summary_empty") != load_messages("en").t(
        "dependencies.summary_empty"
    )


def test_deterministic(result: AuditResult) -> None:
    assert _page(result, "nl") == _page(result, "nl")
    shuffled = replace(result, assessments=tuple(reversed(result.assessments)))
    first = build_dependency_view(result, load_messages("en"))
    second = build_dependency_view(shuffled, load_messages("en"))
    assert first.nodes == second.nodes
    assert first.edges == second.edges
    assert first.focus == second.focus


def test_empty_result_shows_text(result: AuditResult) -> None:
    page = _page(replace(result, assessments=()), "en")
    assert load_messages("en").t("dependencies.summary_empty") in page
