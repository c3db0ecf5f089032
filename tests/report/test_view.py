"""The view model: sorting, the unknown bucket, labels and sentences worded once for every report."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sovereign.model import AuditResult, AxisResult
from sovereign.report.translation import load_messages
from sovereign.report.view import build_report_parts, build_report_view, importance

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
        "policy",
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


# Policy


def test_policy_summary_counts_applications_like_the_cli(result: AuditResult) -> None:
    policy = build_report_view(result, load_messages("nl")).policy
    assert policy is not None
    # 1 error (a1), 4 warnings (a1, a2, a4 and the portfolio); 3 applications with a finding of their own.
    assert (policy.errors, policy.warnings, policy.applications, policy.error_applications) == (1, 4, 3, 1)
    assert policy.summary == (
        "Het beleid 'Test policy' telt 5 regels. Het vond 1 overtredingen op foutniveau en 4 waarschuwingen bij "
        "3 van de 4 applicaties; 1 applicaties hebben minstens één fout. Bevindingen over het landschap als "
        "geheel, zoals de concentratie bij één partij: 1."
    )


def test_rules_in_policy_order_with_requirement_and_scope(result: AuditResult) -> None:
    policy = build_report_view(result, load_messages("nl")).policy
    assert policy is not None
    assert [
        (r.id, r.severity_text, r.requirement, r.applies_to, r.applications_text) for r in policy.rules
    ] == [
        ("residency-personal-data", "fout", "gegevens alleen in de EU, de EER", "met persoonsgegevens", "1"),
        ("min-seal-critical", "waarschuwing", "minstens SEAL 3", "bedrijfskritisch", "2"),
        ("exit-plan-below-seal-2", "waarschuwing", "een exitplan onder SEAL 2", "alle applicaties", "1"),
        (
            "forbidden-jurisdiction",
            "fout",
            "China, Rusland niet in de keten voor wettelijke toegang",
            "alle applicaties",
            "geen",
        ),
        (
            "controller-share",
            "waarschuwing",
            "geen partij boven 25 % van het gewicht naar kritikaliteit",
            "alle applicaties",
            "1",
        ),
    ]


# Every finding in a rule table: (rule, application or None for the portfolio, the worded finding).
_FINDINGS = {
    "nl": [
        ("residency-personal-data", "Klantcontactsysteem", "Gegevens in Verenigde Staten; toegestaan is alleen "
                                                            "de EU, de EER."),
        ("min-seal-critical", "Klantcontactsysteem", "SEAL 0; vereist is minstens SEAL 3."),
        ("min-seal-critical", "Zaaksysteem", "SEAL 2; vereist is minstens SEAL 3."),
        ("exit-plan-below-seal-2", HOSTILE_NAME, "SEAL onbekend, lager dan SEAL 2, en de inventaris noemt geen exitplan."),
        ("controller-share", None, "Salesforce, Inc. (Verenigde Staten) heeft 37,5 % van het gewicht naar "
                                   "kritikaliteit; de grens is 25 %."),
    ],
    "en": [
        ("residency-personal-data", "Klantcontactsysteem", "Data in United States; only the EU, the EEA is allowed."),
        ("min-seal-critical", "Klantcontactsysteem", "SEAL 0; at least SEAL 3 is required."),
        ("min-seal-critical", "Zaaksysteem", "SEAL 2; at least SEAL 3 is required."),
        ("exit-plan-below-seal-2", HOSTILE_NAME, "SEAL unknown, below SEAL 2, and the inventory records no exit plan."),
        ("controller-share", None, "Salesforce, Inc. (United States) holds 37.5% of the criticality weight; "
                                   "the limit is 25%."),
    ],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_findings_are_worded_in_the_report_language(result: AuditResult, lang: str) -> None:
    policy = build_report_view(result, load_messages(lang)).policy
    assert policy is not None
    assert [
        (rule.id, f.application.name if f.application else None, f.message)
        for rule in policy.rules
        for f in rule.findings
    ] == _FINDINGS[lang]


def test_finding_links_to_the_applications_evidence(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    assert view.policy is not None
    anchors = {a.name: a.anchor for a in view.applications}
    (portfolio,) = view.policy.rules[-1].findings
    assert portfolio.application is None
    assert [(a.name, a.anchor) for a in portfolio.applications] == [
        ("Klantcontactsysteem", anchors["Klantcontactsysteem"])
    ]
    assert portfolio.concerned == "Betrokken applicaties (1):"
    zaak = view.policy.rules[1].findings[1]
    assert zaak.application is not None and zaak.application.anchor == anchors["Zaaksysteem"]
    # Both evidence paths, read as text with translated edges.
    assert [" ".join(p.text for p in path) for path in zaak.evidence][1].endswith(
        "beheerd door Microsoft Ireland Operations Ltd eigendom van Microsoft Corporation gevestigd in Verenigde Staten"
    )


def test_a_finding_without_usable_detail_keeps_the_engines_message(make_result: Any) -> None:
    result = make_result()
    odd = replace(result.findings[1], detail=())  # min-seal without "seal" and "required"
    result = replace(result, findings=(odd,))
    policy = build_report_view(result, load_messages("nl")).policy
    assert policy is not None
    assert policy.rules[1].findings[0].message == odd.message


def test_without_a_policy(make_result: Any) -> None:
    view = build_report_view(make_result(policy=None, findings=()), load_messages("en"))
    assert view.policy is None and view.weight_set is None
    figure = next(f for f in view.figures if f.key == "policy")
    assert (figure.value, figure.explanation, figure.link) == ("—", "No policy was applied.", None)
    # Without a policy the pipeline scores criticality with the default model, so the method shows that.
    assert view.criticality_base == "1"


def test_policy_figure_counts_applications_with_an_error(result: AuditResult) -> None:
    figure = next(f for f in build_report_view(result, load_messages("nl")).figures if f.key == "policy")
    assert (figure.label, figure.value, figure.link) == ("Beleidsregels", "1", "policy")
    assert figure.detail == "Alle bevindingen: fouten 1, waarschuwingen 4"


# Scenarios and single points of failure


def test_scenarios_have_plain_titles(result: AuditResult) -> None:
    nl = build_report_view(result, load_messages("nl")).scenarios
    en = build_report_view(result, load_messages("en")).scenarios
    assert [s.title for s in nl] == ["De Amerikaanse diensten stoppen", "Salesforce, Inc. trekt zich terug"]
    assert [s.title for s in en] == ["US services stop", "Salesforce, Inc. withdraws"]


def test_scenario_figures_departments_and_uncertain(result: AuditResult) -> None:
    us = build_report_view(result, load_messages("nl")).scenarios[0]
    assert us.summary == (
        "2 van de 4 applicaties stoppen, samen 68,8 % van het gewicht naar kritikaliteit. 0 daarvan stoppen "
        "alleen doordat een applicatie waarvan ze afhankelijk zijn stopt. Van 1 applicaties is het onzeker; "
        "1 blijven werken."
    )
    # Most criticality first; each department out of its size in the inventory; share of 8.0 in total
    # (2.5 / 8 = 31.25 %, which the formatter rounds half to even).
    assert [(d.name, d.stopped, d.total, d.criticality_text) for d in us.departments] == [
        ("Publiekszaken", 1, 1, "37,5 %"),
        ("Burgerzaken & Publiekszaken — Súdwest", 1, 1, "31,2 %"),
    ]
    assert [r.application.name for r in us.top] == ["Klantcontactsysteem", "Zaaksysteem"]
    assert us.rest == ()
    assert [a.name for a in us.uncertain] == [HOSTILE_NAME]


def test_only_the_ten_most_critical_stopped_applications_come_first(make_result: Any) -> None:
    result = make_result()
    us = result.scenarios[0]
    # Twelve applications, criticality 1.0 .. 12.0, one of them stopping only through a dependency.
    many = tuple(
        replace(us.stopped[0], app_id=f"x{i}", name=f"App {i:02d}", criticality=float(i), direct=i != 5)
        for i in range(1, 13)
    )
    result = replace(result, scenarios=(replace(us, stopped=many),))
    view = build_report_view(result, load_messages("en")).scenarios[0]
    assert [r.application.name for r in view.top] == [f"App {i:02d}" for i in range(12, 2, -1)]
    assert [r.application.name for r in view.rest] == ["App 02", "App 01"]
    assert view.rest_summary == "Show the other 2 applications that stop"
    assert "1 of them stop only because" in view.summary
    # Applications not in the assessment get no evidence link.
    assert view.top[0].application.anchor is None


def test_a_capped_scenario_shows_its_most_critical_stopped_applications(
    make_result: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sovereign.report import view as view_module

    # Thirty stopped applications of five criticalities, six of them at the highest, and four rows.
    monkeypatch.setattr(view_module, "TOP_ROWS", 4)
    result = make_result()
    us = result.scenarios[0]
    many = tuple(
        replace(us.stopped[0], app_id=f"x{i:02d}", name=f"App {29 - i:02d}", criticality=float(i % 5))
        for i in range(30)
    )
    result = replace(result, scenarios=(replace(us, stopped=many),))
    view = build_report_parts(result, load_messages("en"), limit=2)[0].scenarios[0]
    # Criticality 4: App 00, 05, 10, 15, 20 and 25; the first four by name are shown.
    assert [r.application.name for r in (*view.top, *view.rest)] == ["App 00", "App 05", "App 10", "App 15"]
    assert view.stopped == 30


def test_a_list_handed_over_as_one_tuple_is_ranked_once_and_stays_whole(
    make_result: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sovereign.report import view as view_module

    monkeypatch.setattr(view_module, "TOP_ROWS", 1)
    result = make_result()
    _, builder = build_report_parts(result, load_messages("en"), limit=2)
    stops = tuple(a.application.app_id for a in result.assessments)
    first, rest = builder.top(stops)
    first.append("changed by a caller")
    assert builder.top(stops) == (first[:1], rest) == (builder.top(list(stops))[0], 3)


def test_single_points_heaviest_first_with_equivalents(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    assert [(p.label, p.kind, p.applications, p.share_text) for p in view.single_points] == [
        ("Salesforce, Inc.", "organisatie", 1, "37,5 %"),
        ("Microsoft Corporation", "organisatie", 1, "31,2 %"),
        (HOSTILE_NAME, "applicatie", 1, "6,2 %"),
    ]
    assert view.single_points[1].equivalent == (
        "Azure West Europe (hostingregio)",
        "Microsoft Ireland Operations Ltd (organisatie)",
    )
    assert view.single_points_summary == (
        "Het zwaarste faalpunt is Salesforce, Inc. (organisatie): valt het weg, dan stoppen 1 applicaties, "
        "samen 37,5 % van het gewicht naar kritikaliteit."
    )


# Method and the weighted score


def test_criticality_model_and_weight_set(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    assert view.criticality_base == "1"
    assert [(f.name, f.weight) for f in view.criticality_factors] == [
        ("Bedrijfskritisch", "+1,5"),
        ("Persoonsgegevens", "+0,5"),
        ("BIV hoog", "+0,5"),
        ("BIV midden", "+0,25"),
        ("Meer dan 500 gebruikers", "+0,5"),
        ("Meer dan 100 gebruikers", "+0,25"),
    ]
    assert view.weight_set is not None
    assert [(o.id, o.name, o.weight) for o in view.weight_set.objectives][:2] == [
        ("SOV-1", "Strategische soevereiniteit", "15 %"),
        ("SOV-2", "Juridische soevereiniteit", "10 %"),
    ]
    assert all(o.meaning for o in view.weight_set.objectives)
    assert view.weight_set.confidence == "betrouwbaarheid: gerapporteerd"


def test_weighted_score_ranks_within_the_seal_level(result: AuditResult) -> None:
    view = build_report_view(result, load_messages("nl"))
    rows = {a.id: a for a in view.applications}
    assert [rows[i].weighted_score_text for i in ("a1", "a2", "a3", "a4")] == ["7,5", "47,5", "92,5", "—"]
    # Sorting by SEAL: the level first, the score only within it.
    assert [rows[i].seal_sort for i in ("a4", "a1", "a2", "a3")] == [
        "-1.00000",
        "0.00750",
        "2.04750",
        "4.09250",
    ]


@pytest.mark.parametrize("size", [5, 40])
def test_a_capped_list_shows_its_most_important_applications(
    make_result: Any, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    from sovereign.report import view

    # Sixty applications, three rows per list: a short list ranks its ids, a long one walks the ranking.
    monkeypatch.setattr(view, "TOP_ROWS", 3)
    result = make_result()
    first = result.assessments[0]
    many = tuple(
        replace(
            first,
            application=replace(first.application, app_id=f"x{i:02d}", name=f"App {i % 9}"),
            criticality=float(i % 5),
            seal=None if i % 4 == 0 else i % 3,
        )
        for i in range(60)
    )
    result = replace(result, assessments=many)
    by_id = {a.application.app_id: a for a in many}
    _, builder = build_report_parts(result, load_messages("en"), limit=10)
    ids = [f"x{i:02d}" for i in range(0, 60, 60 // size)]
    # A repeated id counts once; an id the assessments do not know comes after every known one.
    shown, rest = builder.top([*ids, ids[0], "not-an-application"])
    assert shown == sorted(ids, key=lambda i: importance(by_id[i]))[:3]
    assert rest == len(ids) + 1 - 3
    assert builder.top(["unknown-b", "unknown-a", "unknown-d", "unknown-c"]) == (
        ["unknown-a", "unknown-b", "unknown-c"],
        1,
    )


def test_what_the_capped_pages_gather_with_the_ids_is_what_the_parts_work_out(result: AuditResult) -> None:
    # Above the page limit the builder gathers the ranking's groups and the organisations in its first pass;
    # they must be what the parts work out on their own (as the workbook's builder does).
    from sovereign.report.view import _Builder

    names = ("Gemeente A", "Gemeente B", None)
    # One criticality for all: the SEAL level and the name decide the ranking.
    assessments = tuple(
        replace(a, criticality=1.0, application=replace(a.application, organisation=names[index % 3]))
        for index, a in enumerate(result.assessments)
    )
    assert len({a.seal for a in assessments}) > 2 and None in {a.seal for a in assessments}
    result = replace(result, assessments=assessments)
    messages = load_messages("nl")
    gathered = _Builder(result, messages, {}, capped=True, rank=True)
    alone = _Builder(result, messages, {}, capped=True)
    assert gathered._groups is not None and gathered._by_organisation is not None
    assert alone._groups is None and alone._by_organisation is None
    assert (
        gathered.ranked()
        == alone.ranked()
        == sorted((a.application.app_id for a in assessments), key=lambda i: importance(alone.by_id[i]))
    )
    organisations = gathered.organisations()
    assert organisations is not None and organisations.without == len(assessments) // 3
    assert organisations == alone.organisations()
    assert gathered.by_id == alone.by_id and gathered.names == alone.names
