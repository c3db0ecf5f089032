"""index.html: data residency per country, inferred and stale facts, and the sources the audit relied on."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from sovereign.model import (
    ApplicationAssessment,
    AuditResult,
    AxisResult,
    Bloc,
    Confidence,
    Jurisdiction,
    Source,
)
from sovereign.report import render_report
from sovereign.report._residency import (
    _cut_off,
    build_facts_view,
    build_residency_figure,
    build_residency_view,
    build_sources,
)
from sovereign.report.html import SECTIONS
from sovereign.report.translation import load_messages
from sovereign.report.view import _Builder

from .conftest import HOSTILE_NAME

HOSTILE_TITLE = '<script>alert("bron")</script> & <b>report</b>'


def _html(result: AuditResult, lang: str = "nl") -> str:
    return render_report(result, lang=lang)["index.html"].decode("utf-8")


def _section(html: str, section: str) -> str:
    found = re.search(rf'<section id="{section}".*?</section>', html, re.S)
    assert found, section
    return found.group(0)


def _builder(result: AuditResult, lang: str = "nl") -> tuple[Any, _Builder]:
    messages = load_messages(lang)
    anchors = {
        a.application.app_id: f"app-{i}"
        for i, a in enumerate(sorted(result.assessments, key=lambda a: a.application.name.casefold()), 1)
    }
    return messages, _Builder(result, messages, anchors)


def _rich(make_result: Callable[..., AuditResult]) -> AuditResult:
    """The test result with data in the EU, Switzerland (adequacy) and Norway, a stale and a hostile source."""
    base = make_result()
    catalog = base.catalog
    hostile = Source(url="https://example.org/hostile", title=HOSTILE_TITLE, checked="2026-01-10")
    old = Source(url="ftp://example.org/old", title="Old register", checked="2025-11-22")
    entities = dict(catalog.entities)
    # Cited by two records: listed once in the sources section.
    entities["microsoft-corp"] = replace(entities["microsoft-corp"], sources=(hostile,))
    entities["microsoft-ireland"] = replace(
        entities["microsoft-ireland"], sources=(hostile, old), confidence=Confidence.REPORTED
    )
    # Exactly twelve months before the audit date: not stale yet.
    boundary = Source(url="https://example.org/sf", title="Salesforce filing", checked="2025-11-23")
    entities["salesforce-inc"] = replace(entities["salesforce-inc"], sources=(boundary,))
    jurisdictions = dict(catalog.jurisdictions)
    jurisdictions["CH"] = Jurisdiction(code="CH", name="Switzerland", bloc=Bloc.ADEQUACY)
    jurisdictions["NO"] = Jurisdiction(code="NO", name="Norway", bloc=Bloc.EEA)
    countries = {"a1": ("EU", "US"), "a2": ("CH", "NL"), "a3": ("NL", "NO")}
    assessments: list[ApplicationAssessment] = []
    for a in base.assessments:
        if a.application.app_id in countries:
            residency = AxisResult(countries=countries[a.application.app_id], paths=a.residency.paths)
            a = replace(a, residency=residency)
        if a.application.app_id == "a2":
            a = replace(a, application=replace(a.application, personal_data=True))
        assessments.append(a)
    return replace(
        base,
        assessments=tuple(assessments),
        catalog=replace(catalog, entities=entities, jurisdictions=jurisdictions),
    )


# Residency


def test_counts_per_country(result: AuditResult) -> None:
    messages, builder = _builder(result)
    view = build_residency_view(result, messages, builder)
    assert [(r.code, r.count, r.bloc) for r in view.rows] == [
        ("NL", 2, "eu"),
        ("US", 1, "other"),
        ("unknown", 1, "unknown"),
    ]
    assert view.rows[-1].name == "onbekend"
    assert (view.outside, view.outside_text, view.unknown, view.unknown_text) == (1, "25,0 %", 1, "25,0 %")
    # a1 (personal data, US) is listed; a4 has no personal-data mark.
    assert [link.name for link in view.personal] == ["Klantcontactsysteem"]


def test_blocs_eu_and_adequacy(make_result: Callable[..., AuditResult]) -> None:
    result = _rich(make_result)
    messages, builder = _builder(result)
    view = build_residency_view(result, messages, builder)
    rows = {r.code: r for r in view.rows}
    assert {code: (r.count, r.bloc) for code, r in rows.items()} == {
        "NL": (2, "eu"),
        "EU": (1, "eu"),
        "US": (1, "other"),
        "CH": (1, "adequacy"),
        "NO": (1, "eea"),
        "unknown": (1, "unknown"),
    }
    assert rows["EU"].name == "Europese Unie"
    assert view.rows[0].code == "NL"
    # a1 (US) and a2 (Switzerland: adequacy is still outside the EU/EEA); Norway is in the EEA.
    assert (view.outside, view.outside_text) == (2, "50,0 %")
    assert [link.name for link in view.personal] == ["Klantcontactsysteem", "Zaaksysteem"]
    assert all(link.anchor for link in view.personal)


def test_chart_table_equals_its_data(make_result: Callable[..., AuditResult]) -> None:
    result = _rich(make_result)
    html = _html(result)
    section = _section(html, "residency")
    payload = re.search(
        r'<script type="application/json" data-chart="chart-residency">(.*?)</script>', section, re.S
    )
    assert payload and 'id="chart-residency"' in section
    figure = json.loads(payload.group(1))["figure"]
    charted = {(y, x) for trace in figure["data"] for y, x in zip(trace["y"], trace["x"], strict=True)}
    table = re.search(r'<table class="residency">.*?</table>', section, re.S)
    assert table
    rows = re.findall(
        r'<tr>\n<th scope="row">(.*?)</th>\n<td>.*?</td>\n<td class="numeric num">(\d+)</td>', table.group(0)
    )
    assert charted == {(name, int(count)) for name, count in rows}
    assert len(rows) == 6
    # Every bloc has its own legend entry, coloured from the palette.
    assert [trace["name"] for trace in figure["data"]] == [
        "EU",
        "EER",
        "adequaatheidsbesluit",
        "ander derde land",
        "onbekend",
    ]
    assert "<figcaption>" in section and '<details class="data-table">' in section


def test_section_follows_jurisdiction_and_is_in_nav(result: AuditResult) -> None:
    assert SECTIONS.index("residency") == SECTIONS.index("jurisdiction") + 1
    assert SECTIONS[-1] == "sources"
    html = _html(result)
    assert '<a href="#residency">Gegevenslocatie</a>' in html
    assert '<a href="#sources">Bronnen</a>' in html
    assert html.index('<section id="jurisdiction"') < html.index('<section id="residency"')
    assert html.index('<section id="method"') < html.index('<section id="sources"') < html.index("<footer")
    english = _html(result, "en")
    assert '<a href="#residency">Data residency</a>' in english
    assert '<a href="#sources">Sources</a>' in english


# Data quality: inferred and stale facts


def test_inferred_facts(result: AuditResult) -> None:
    messages, builder = _builder(result)
    facts = build_facts_view(result, messages, builder)
    assert [(f.node, f.count) for f in facts.inferred] == [
        ("entity:acme-zaak", 1),
        ("product:acme-zaaksysteem", 1),
        ("region:azure-westeurope", 1),
        ("entity:microsoft-corp", 1),
        ("entity:microsoft-ireland", 1),
        ("product:salesforce-service-cloud", 1),
    ]
    # Verified records are not listed; organisation:self is not a catalog record.
    assert "entity:salesforce-inc" not in {f.node for f in facts.inferred}
    assert [link.name for link in facts.inferred[0].applications] == ["Zaaksysteem"]


def test_facts_count_every_application(make_result: Callable[..., AuditResult]) -> None:
    result = make_result()
    # A second application on the Acme product: the records on its paths now affect two applications.
    a2 = next(a for a in result.assessments if a.application.app_id == "a2")
    twin = replace(a2, application=replace(a2.application, app_id="a5", name="Zaaksysteem 2"))
    twin = replace(
        twin,
        lawful_access=AxisResult(
            countries=("NL",),
            paths=(("application:a5", *a2.lawful_access.paths[0][1:]),),
        ),
    )
    result = replace(result, assessments=(*result.assessments, twin))
    messages, builder = _builder(result)
    facts = build_facts_view(result, messages, builder)
    first = facts.inferred[0]
    assert (first.node, first.count) == ("entity:acme-zaak", 2)
    assert [link.name for link in first.applications] == ["Zaaksysteem", "Zaaksysteem 2"]
    assert dict((f.node, f.count) for f in facts.inferred)["product:acme-zaaksysteem"] == 2


def test_stale_facts(make_result: Callable[..., AuditResult]) -> None:
    result = _rich(make_result)
    messages, builder = _builder(result)
    facts = build_facts_view(result, messages, builder)
    stale = {f.node: f for f in facts.stale}
    # No source at all: stale. microsoft-ireland's newest source (January 2026) is recent, though an older
    # one exists; salesforce-inc is checked exactly twelve months before the audit date.
    assert sorted(stale) == [
        "product:acme-zaaksysteem",
        "product:salesforce-service-cloud",
        "region:azure-westeurope",
    ]
    assert stale["region:azure-westeurope"].checked == "geen bron"
    assert facts.stale_before == "23 november 2025"
    assert "entity:microsoft-ireland" not in {f.node for f in facts.inferred}  # reported, not inferred
    older = replace(
        result.catalog.entities["salesforce-inc"],
        sources=(Source(url="https://example.org/sf", title="Salesforce filing", checked="2025-11-22"),),
    )
    entities = {**result.catalog.entities, "salesforce-inc": older}
    result = replace(result, catalog=replace(result.catalog, entities=entities))
    messages, builder = _builder(result)
    stale = {f.node: f for f in build_facts_view(result, messages, builder).stale}
    assert stale["entity:salesforce-inc"].checked == "22 november 2025"
    assert stale["entity:salesforce-inc"].count == 1


def test_cut_off() -> None:
    assert _cut_off("2026-11-23") == "2025-11-23"
    assert _cut_off("2025-02-28") == "2024-02-28"
    assert _cut_off("2024-02-29") == "2023-02-28"
    assert _cut_off("2026-01-31") == "2025-01-31"


@pytest.mark.parametrize(
    ("lang", "inferred", "stale", "action"),
    [
        ("nl", "Afgeleide feiten", "Verouderde feiten", "eigen catalogusmap met de reden"),
        ("en", "Inferred facts", "Stale facts", "local catalog folder with the reason"),
    ],
)
def test_quality_lists_in_page(
    result: AuditResult, lang: str, inferred: str, stale: str, action: str
) -> None:
    section = _section(_html(result, lang), "quality")
    assert f"<h3>{inferred}</h3>" in section and f"<h3>{stale}</h3>" in section
    assert section.count(action) == 2  # one sentence per list saying what to do
    table = re.search(r'<table class="facts facts-inferred">.*?</table>', section, re.S)
    assert table and table.group(0).count('<th scope="row">') == 6
    assert '<a href="#app-4">Zaaksysteem</a>' in table.group(0)


# Sources


def test_sources_listed_once_and_sorted(make_result: Callable[..., AuditResult]) -> None:
    result = _rich(make_result)
    messages, builder = _builder(result)
    rows = build_sources(result, messages, builder)
    titles = [row.source.title for row in rows]
    assert titles == [HOSTILE_TITLE, "contract", "Old register", "Salesforce filing"]
    hostile = rows[0]
    assert hostile.records == ("Microsoft Corporation", "Microsoft Ireland Operations Ltd")
    assert [row.source.linkable for row in rows] == [True, False, False, True]


def test_sources_section_escapes_and_links_only_http(make_result: Callable[..., AuditResult]) -> None:
    html = _html(_rich(make_result))
    section = _section(html, "sources")
    assert HOSTILE_TITLE not in html
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#34;bron&#34;)&lt;/script&gt; &amp; &lt;b&gt;report&lt;/b&gt;" in section
    assert section.count("<li>") == 4
    assert 'href="https://example.org/hostile"' in section
    assert 'href="ftp://' not in section and 'href="javascript:' not in section
    assert "<code>javascript:alert(1)</code>" in section


def test_hostile_application_names_escaped_in_new_sections(result: AuditResult) -> None:
    html = _html(result)
    for section in ("residency", "quality", "sources"):
        assert HOSTILE_NAME not in _section(html, section)
    assert "<b>" not in _section(html, "residency")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_deterministic(make_result: Callable[..., AuditResult], lang: str) -> None:
    first = render_report(_rich(make_result), lang=lang)["index.html"]
    assert first == render_report(_rich(make_result), lang=lang)["index.html"]


def test_english_numbers_and_names(make_result: Callable[..., AuditResult]) -> None:
    result = _rich(make_result)
    messages, builder = _builder(result, "en")
    view = build_residency_view(result, messages, builder)
    rows = {r.code: r for r in view.rows}
    assert rows["EU"].name == "European Union" and rows["unknown"].name == "unknown"
    assert view.outside_text == "50.0%" or view.outside_text == "50.0 %"
    figure = build_residency_figure(view, messages)
    assert figure["layout"]["separators"] == ".,"
    section = _section(_html(result, "en"), "residency")
    assert "Data residency" in section and "Personal data outside the EU/EEA" in section
