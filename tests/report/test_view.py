"""The view model: sorting, the unknown bucket, labels and sentences worded once for every report."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sovereign.model import AuditResult, AxisResult
from sovereign.report.translation import load_messages
from sovereign.report.view import build_report_view

from .conftest import HOSTILE_NAME


def test_applications_sorted_by_name(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    assert [a.name for a in view.applications] == [
        HOSTILE_NAME,
        "Burgerzaken",
        "Klantcontactsysteem",
        "Zaaksysteem",
    ]
    assert [a.name for a in view.unmatched] == [HOSTILE_NAME]


def test_unknown_controller_is_translated_and_never_the_largest(make_result: Any) -> None:
    result = make_result()
    # Make the unknown bucket the biggest: it is still not "the largest party".
    concentration = tuple(
        replace(s, applications=3, share=0.75) if s.controller.id == "unknown" else s
        for s in result.portfolio.concentration
    )
    result = replace(result, portfolio=replace(result.portfolio, concentration=concentration))
    view = build_report_view(result, load_messages("nl"))
    assert view.controllers[0].name == "onbekend"
    largest = next(f for f in view.figures if f.key == "largest")
    assert largest.detail == "Salesforce, Inc."
    assert view.concentration_summary.startswith("De grootste partij is Salesforce, Inc. met 1 van de 4")


def test_summary_figures(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    figures = {f.key: f for f in view.figures}
    assert list(figures) == [
        "applications",
        "us_lawful_access",
        "us_continuity",
        "us_residency",
        "seal",
        "unknown",
        "matched",
        "largest",
        "hhi",
    ]
    assert (figures["applications"].value, figures["hhi"].value) == ("4", "1.875")
    assert figures["us_lawful_access"].value == "50,0 %"
    assert figures["us_lawful_access"].detail == "68,8 % gewogen naar kritikaliteit"
    assert "25,0 %" in figures["us_lawful_access"].explanation  # non-EU in total
    assert figures["applications"].explanation == (
        "Beoordeelde applicaties uit 6 gelezen rijen: 1 dubbele rijen samengevoegd, 1 rijen afgewezen."
    )
    assert [(r.seal.key, r.count) for r in figures["seal"].seals] == [
        ("0", 1),
        ("1", 0),
        ("2", 1),
        ("3", 0),
        ("4", 1),
        ("unknown", 1),
    ]


def test_paths_read_as_sentences(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    zaak = next(a for a in view.applications if a.id == "a2")
    (_, us_path) = zaak.axis("lawful_access").paths
    assert " ".join(p.text for p in us_path) == (
        "Zaaksysteem is Acme Zaaksysteem draait op Azure West Europe beheerd door Microsoft Ireland Operations Ltd "
        "eigendom van Microsoft Corporation gevestigd in Verenigde Staten"
    )
    assert [c.code for c in zaak.axis("continuity").countries] == ["NL", "US"]


def test_unknown_labels_and_edges_fall_back_readably(make_result: Any) -> None:
    result = make_result(labels={})
    first = result.assessments[0]
    odd = replace(
        first,
        lawful_access=AxisResult(countries=("US",), paths=(("entity:x-corp", "licensed_by", "country:US"),)),
    )
    result = replace(result, assessments=(odd, *result.assessments[1:]))
    view = build_report_view(result, load_messages("en"))
    app = next(a for a in view.applications if a.id == first.application.app_id)
    assert [p.text for p in app.axis("lawful_access").paths[0]] == ["x-corp", "licensed by", "United States"]


def test_hosting_text(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("en"))
    hosting = {a.id: a.hosting for a in view.applications}
    assert hosting["a1"] == "SaaS"  # written and understood alike: said once
    assert hosting["a2"] == "Azure West-Europa (SaaS)"
    assert hosting["a3"] == "on-premise (self-hosted)"
    assert hosting["a4"] is None


def test_references_cite_sources_and_local_knowledge(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("en"))
    references = {a.id: a.references for a in view.applications}
    (salesforce,) = references["a1"]
    assert salesforce.record == "Salesforce, Inc."
    assert salesforce.confidence == "confidence: verified"
    assert [(s.linkable, s.text) for s in salesforce.sources] == [
        (True, "Salesforce annual report, checked 1 March 2026")
    ]
    (acme,) = references["a2"]
    assert acme.local_reason == "Eigen kennis: contract 2025-17"
    assert [s.linkable for s in acme.sources] == [False]
