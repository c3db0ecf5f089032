"""The migration roadmap in index.html: the steps and their chart, the waves, the options, the exits."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest

from sovereign.model import AuditResult, ExitOutline
from sovereign.report import render_report
from sovereign.report._roadmap import index_plan
from sovereign.report.translation import format_percent, load_messages
from sovereign.report.view import build_report_view

from .conftest import ADOPTER_URL, HOSTILE_NAME, HOSTILE_PRODUCT

ALL_CLAUSES = (
    "notice-period",
    "exit-assistance",
    "data-return-and-deletion",
    "open-export-format",
    "regular-export",
    "subprocessor-changes",
    "integration-documentation",
)


def _html(result: AuditResult, lang: str = "nl") -> str:
    return render_report(result, lang=lang)["index.html"].decode("utf-8")


def _roadmap(result: AuditResult, lang: str = "nl") -> str:
    section = re.search(r'<section id="roadmap".*?</section>', _html(result, lang), re.S)
    assert section
    return section.group(0)


def _text(html: str) -> str:
    """Tags stripped (a line break read as a space), whitespace collapsed; entities kept, so escaping shows."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.replace("<br>", " "))).strip()


def _rows(table: str) -> list[list[str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
    assert body
    return [
        [_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body.group(1), re.S)
    ]


def _block(html: str, pattern: str) -> str:
    found = re.search(pattern, html, re.S)
    assert found, pattern
    return found.group(0)


# Place in the page


def test_the_section_follows_the_single_points_and_is_in_the_nav(result: AuditResult) -> None:
    html = _html(result)
    assert html.index('<section id="single_points"') < html.index('<section id="roadmap"')
    assert html.index('<section id="roadmap"') < html.index('<section id="jurisdiction"')
    assert '<li><a href="#roadmap">Migratie en routekaart</a></li>' in html
    assert '<li><a href="#roadmap">Migration roadmap</a></li>' in _html(result, "en")


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "nl",
            [
                '<h2 id="roadmap-title">Migratie en routekaart</h2>',
                "volgen de golven de afhankelijkheden tussen applicaties",
                "uit een nieuwe beoordeling van het hele landschap",
                "Inspanning en volwassenheid komen uit de catalogus",
                "tot en met inspanning &#39;middel&#39;.",
                "Applicaties die een regel van het beleid overtreden: 3 van de 4. Daarvan met een alternatief in "
                "de catalogus: 2. Verhuizingen in het plan: 2.",
            ],
        ),
        (
            "en",
            [
                '<h2 id="roadmap-title">Migration roadmap</h2>',
                "the waves follow the dependencies between applications",
                "from re-assessing the whole landscape",
                "Effort and maturity come from the catalog",
                "up to effort &#39;medium&#39;.",
                "Applications that break a rule of the policy: 3 of 4. Of those, with an alternative in the "
                "catalog: 2. Moves in the plan: 2.",
            ],
        ),
    ],
)
def test_the_introduction_says_how_the_plan_is_made(result: AuditResult, lang: str, texts: list[str]) -> None:
    roadmap = _roadmap(result, lang)
    for text in texts:
        assert text in roadmap, text


def test_without_a_plan_the_section_says_so(make_result: Any) -> None:
    html = _html(make_result(plan=None))
    assert "Er is geen migratieplan gemaakt." in _roadmap(make_result(plan=None))
    assert 'id="chart-roadmap"' not in html


def test_without_findings_there_is_nothing_to_move(make_result: Any) -> None:
    result = make_result()
    assert result.plan is not None
    empty = replace(result.plan, options=(), quick_wins=(), waves=(), exits=())
    roadmap = _roadmap(replace(result, plan=empty), "en")
    assert "No application breaks a rule of the policy; there is nothing to move." in roadmap
    assert 'id="chart-roadmap"' not in roadmap and "<table" not in roadmap


# Waves


def test_quick_wins_come_first_then_the_waves_in_order(result: AuditResult) -> None:
    roadmap = _roadmap(result)
    # The fixture lists wave 1 before the quick wins; the page puts them in the order they happen.
    assert re.findall(r'<h4 id="(roadmap-wave-\d+)">([^<]+)</h4>', roadmap) == [
        ("roadmap-wave-0", "Snelle winst"),
        ("roadmap-wave-1", "Golf 1"),
    ]
    en = _roadmap(result, "en")
    assert re.findall(r'<h4 id="roadmap-wave-\d+">([^<]+)</h4>', en) == ["Quick wins", "Wave 1"]


def test_each_move_shows_the_application_the_products_and_the_seal_before_and_after(
    result: AuditResult,
) -> None:
    roadmap = _roadmap(result)
    tables = re.findall(r'<table class="moves">.*?</table>', roadmap, re.S)
    rows = [row for table in tables for row in _rows(table)]
    assert [row[:5] for row in rows] == [
        [
            "Klantcontactsysteem",
            "Salesforce Service Cloud",
            "Klant&lt;b&gt;EU&lt;/b&gt; &amp; Co",
            "SEAL 0 &#8594; naar SEAL 3",
            "klein",
        ],
        ["Zaaksysteem", "Acme Zaaksysteem", "Open Zaak", "SEAL 2 &#8594; naar SEAL 4", "middel"],
    ]
    # The badges carry the levels as classes too, so colour and text agree.
    first = re.search(r'<td class="seal-change">(.*?)</td>', tables[0], re.S)
    assert first and re.findall(r'class="seal seal-(\w+)"', first.group(1)) == ["0", "3"]
    # The application links to its evidence, the alternative to the application's options.
    assert re.search(r'<th scope="row"><a href="#app-\d+">Klantcontactsysteem</a></th>', tables[0])
    assert '<a href="#roadmap-option-2">Klant&lt;b&gt;EU&lt;/b&gt; &amp; Co</a>' in tables[0]
    assert 'id="roadmap-option-2"' in roadmap


@pytest.mark.parametrize(
    ("lang", "quick_win", "wave_1"),
    [
        (
            "nl",
            "Nummer 2 van 2: SEAL 0 wordt SEAL 3; volwassenheid groeiend; overheidsgebruikers met bron: 0; "
            "inspanning klein. Wat hoger staat, verhoogt het SEAL-niveau niet of vraagt meer inspanning dan "
            "&#39;middel&#39;.",
            "Nummer 1 van 1: SEAL 2 wordt SEAL 4; volwassenheid beproefd; overheidsgebruikers met bron: 1; "
            "inspanning middel. De catalogus noemt het als vervanger van Acme Zaaksysteem.",
        ),
        (
            "en",
            "Ranked 2 of 2: SEAL 0 becomes SEAL 3; maturity growing; public-sector adopters with a source: 0; "
            "effort low. What ranks higher does not raise the SEAL level or takes more effort than "
            "&#39;medium&#39;.",
            "Ranked 1 of 1: SEAL 2 becomes SEAL 4; maturity established; public-sector adopters with a source: "
            "1; effort medium. The catalog names it as a replacement for Acme Zaaksysteem.",
        ),
    ],
)
def test_why_is_worded_from_the_fields_in_the_report_language(
    result: AuditResult, lang: str, quick_win: str, wave_1: str
) -> None:
    roadmap = _roadmap(result, lang)
    rows = [
        row
        for table in re.findall(r'<table class="moves">.*?</table>', roadmap, re.S)
        for row in _rows(table)
    ]
    assert [row[5] for row in rows] == [quick_win, wave_1]
    # The engine's English sentence never reaches the page.
    assert "English text the report must not show" not in roadmap


def test_rehosting_is_named_as_such(make_result: Any) -> None:
    result = make_result()
    assert result.plan is not None
    klant = result.plan.options[0]
    # Rehosting keeps the product: the option's product is the application's own.
    rehost = replace(klant.options[1].alternative, id="rehost-sf", product="salesforce-service-cloud")
    options = replace(klant, options=(klant.options[0], replace(klant.options[1], alternative=rehost)))
    waves = tuple(replace(w, moves=(("a1", "rehost-sf"),)) if w.number == 0 else w for w in result.plan.waves)
    plan = replace(result.plan, options=(options, *result.plan.options[1:]), waves=waves)
    rows = _rows(_block(_roadmap(replace(result, plan=plan), "en"), r'<table class="moves">.*?</table>'))
    assert rows[0][2] == "Salesforce Service Cloud, self-hosted or at a European hoster"
    assert "The same product, without the non-European platform." in rows[0][5]


# The chart and its data table


def test_the_chart_data_table_holds_the_figures_of_every_step(result: AuditResult) -> None:
    assert result.plan is not None
    roadmap = _roadmap(result)
    table = _block(roadmap, r'<table class="steps">.*?</table>')
    waves = sorted(result.plan.waves, key=lambda w: w.number)
    portfolios = [result.plan.baseline, *(w.projected for w in waves)]

    def expected(label: str, moves: int, portfolio: Any) -> list[str]:
        distribution = portfolio.seal_distribution
        high = (distribution["3"] + distribution["4"]) / portfolio.applications
        return [
            label,
            str(moves),
            format_percent(portfolio.us_lawful_access_share, lang="nl"),
            format_percent(portfolio.us_continuity_share, lang="nl"),
            format_percent(high, lang="nl"),
            *(str(distribution[key]) for key in ("0", "1", "2", "3", "4", "unknown")),
        ]

    labels = ["Nu", "Snelle winst", "Golf 1"]
    moves = [0, *(len(w.moves) for w in waves)]
    assert _rows(table) == [expected(*row) for row in zip(labels, moves, portfolios, strict=True)]
    assert _rows(table)[1] == [
        "Snelle winst",
        "1",
        "25,0 %",
        "25,0 %",
        "50,0 %",
        "0",
        "0",
        "1",
        "1",
        "1",
        "1",
    ]
    assert "<caption>Verwachte cijfers en applicaties per SEAL-niveau na elke stap</caption>" in table


def test_the_chart_draws_the_same_figures(result: AuditResult) -> None:
    html = _html(result)
    payload = re.search(r'data-chart="chart-roadmap">(.*?)</script>', html, re.S)
    assert payload
    lines = {trace["name"]: trace for trace in json.loads(payload.group(1))["figure"]["data"]}
    assert list(lines) == ["Amerikaanse toegang tot gegevens", "Afschakelbaar vanuit de VS", "SEAL 3 of 4"]
    for trace in lines.values():
        assert trace["x"] == ["Nu", "Snelle winst", "Golf 1"]
    # Percentages, so that the axis can say "50 %" the Dutch way.
    assert lines["Amerikaanse toegang tot gegevens"]["y"] == [50, 25, 0]
    assert lines["SEAL 3 of 4"]["y"] == [25, 50, 75]
    # The lines differ in more than colour.
    assert len({trace["line"]["dash"] for trace in lines.values()}) == 3
    assert len({trace["marker"]["symbol"] for trace in lines.values()}) == 3


@pytest.mark.parametrize(
    ("lang", "summary"),
    [
        (
            "nl",
            "<figcaption>Nu kan een Amerikaanse partij bij 50,0 % van de applicaties gegevens opvragen; na Golf 1 "
            "is dat 0,0 %. Het aandeel dat vanuit de VS kan worden afgeschakeld gaat van 50,0 % naar 0,0 %, het "
            "aandeel op SEAL 3 of 4 van 25,0 % naar 75,0 %.</figcaption>",
        ),
        (
            "en",
            "<figcaption>Now a US party can obtain the data of 50.0% of the applications; after Wave 1 that is "
            "0.0%. The share that can be switched off from the US goes from 50.0% to 0.0%, the share at SEAL 3 "
            "or 4 from 25.0% to 75.0%.</figcaption>",
        ),
    ],
)
def test_the_chart_has_a_text_summary_and_a_data_table(result: AuditResult, lang: str, summary: str) -> None:
    roadmap = _roadmap(result, lang)
    figure = _block(roadmap, r'<figure class="chart-block">.*?</figure>')
    assert 'id="chart-roadmap"' in figure and 'role="img"' in figure
    assert summary in figure
    assert '<details class="data-table">' in roadmap


# Options per application


def test_options_list_every_application_below_the_bar_by_name(result: AuditResult) -> None:
    roadmap = _roadmap(result)
    summaries = re.findall(
        r'<details id="roadmap-option-\d+" class="options">\s*<summary>(.*?)</summary>', roadmap, re.S
    )
    assert [_text(s) for s in summaries] == [
        "&lt;script&gt;alert(1)&lt;/script&gt; · SEAL onbekend · geen alternatief in de catalogus",
        "Klantcontactsysteem · SEAL 0 · alternatieven: 2; in het plan: Snelle winst, naar "
        "Klant&lt;b&gt;EU&lt;/b&gt; &amp; Co",
        "Zaaksysteem · SEAL 2 · alternatieven: 1; in het plan: Golf 1, naar Open Zaak",
    ]
    hostile = _block(roadmap, r'<details id="roadmap-option-1".*?</details>')
    assert "Geen alternatief in de catalogus." in hostile and "<table" not in hostile
    assert "no alternative in the catalog" in _roadmap(result, "en")


def test_an_applications_options_table(result: AuditResult) -> None:
    block = _block(_roadmap(result), r'<details id="roadmap-option-2".*?</details>')
    # The rules it breaks, in policy order, linked to their violations.
    rules = re.search(r"<dt>Overtreedt</dt><dd>(.*?)</dd>", block, re.S)
    assert rules and _text(rules.group(1)) == "residency-personal-data, min-seal-critical"
    assert '<a href="#rule-1"><code>residency-personal-data</code></a>' in block
    table = _block(block, r'<table class="options">.*?</table>')
    assert "<caption>Alternatieven voor Klantcontactsysteem, het beste eerst</caption>" in table
    rows = _rows(table)
    assert [row[:5] for row in rows] == [
        ["1", "Open Klant Gemeente Voorbeeld (Nederland)", "SEAL 4", "groot", "beproefd"],
        [
            "2",
            "Klant&lt;b&gt;EU&lt;/b&gt; &amp; Co Acme Zaak B.V. (Nederland) gekozen: Snelle winst",
            "SEAL 3",
            "klein",
            "groeiend",
        ],
    ]
    assert rows[0][5:] == [
        "NL",
        "NL",
        "NL",
        "2: Gemeente Script (javascript:alert(3)), Gemeente Utrecht",
        "OpenAPI, ZGW",
        "eigen beheer, Nederlandse cloud",
    ]
    assert rows[1][8:] == ["0", "—", "SaaS van de leverancier"]
    # Adopters link to their source only when it is a web address; the one without a source is not listed.
    assert (
        f'<a href="{ADOPTER_URL}" title="Open Klant, gecontroleerd 1 maart 2026">Gemeente Utrecht</a>'
        in table
    )
    assert 'href="javascript:' not in table and "Gemeente Zonder Bron" not in table
    assert '<tr class="chosen">' in table


# Exits


@pytest.mark.parametrize(
    ("lang", "planned", "disruptive"),
    [
        (
            "nl",
            [
                "Overstappen naar Open Klant: SEAL 4 na de overstap.",
                "De catalogus kent geen open standaard om de gegevens mee te exporteren.",
                "Geen andere applicatie hangt ervan af.",
            ],
            "Trekt Salesforce, Inc. zich terug, dan stoppen meteen deze applicaties (1), de meest kritieke eerst: "
            "Klantcontactsysteem",
        ),
        (
            "en",
            [
                "Move to Open Klant: SEAL 4 after the move.",
                "The catalog knows no open standard to export the data with.",
                "No other application depends on it.",
            ],
            "If Salesforce, Inc. withdraws, these applications stop at once (1), the most critical first: "
            "Klantcontactsysteem",
        ),
    ],
)
def test_exit_outline_planned_and_disruptive(
    result: AuditResult, lang: str, planned: list[str], disruptive: str
) -> None:
    block = _block(_roadmap(result, lang), r'<details id="roadmap-exit-1" class="exit">.*?</details>')
    paragraphs = [_text(p) for p in re.findall(r"<p>(.*?)</p>", block, re.S)]
    assert paragraphs == [*planned, disruptive]


_CLAUSES = {
    "nl": [
        "Een opzegtermijn die lang genoeg is om over te stappen, ook als de leverancier zelf opzegt.",
        "Hulp van de leverancier bij de overstap naar een ander product, tegen vooraf afgesproken voorwaarden.",
        "Aan het einde van het contract krijgt de gemeente al haar gegevens terug, en daarna verwijdert de "
        "leverancier ze aantoonbaar.",
        "Alle gegevens zijn op elk moment te exporteren in een open, gedocumenteerd formaat; de catalogus kent "
        "voor dit product geen open standaard.",
        "Een vaste, regelmatige export van alle gegevens naar een plek die de gemeente zelf beheert.",
        "De leverancier meldt elke nieuwe of andere subverwerker vooraf, en de gemeente mag bezwaar maken.",
        "De leverancier documenteert alle koppelingen, zodat de applicaties die ervan afhangen (1) opnieuw "
        "kunnen worden aangesloten.",
    ],
    "en": [
        "A notice period long enough to move to another product, also when the vendor ends the contract.",
        "Help from the vendor with the move to another product, on terms agreed in advance.",
        "At the end of the contract the municipality gets all its data back, and the vendor then deletes it "
        "verifiably.",
        "All data can be exported at any time in an open, documented format; the catalog knows no open "
        "standard for this product.",
        "A fixed, regular export of all data to a place the municipality controls itself.",
        "The vendor announces every new or changed subprocessor in advance, and the municipality may object.",
        "The vendor documents every integration, so that the applications depending on it (1) can be "
        "reconnected.",
    ],
}


def _with_exit(result: AuditResult, **changes: Any) -> AuditResult:
    assert result.plan is not None
    exits = (replace(result.plan.exits[0], **changes),)
    return replace(result, plan=replace(result.plan, exits=exits))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_contract_clause_is_one_plain_sentence(make_result: Any, lang: str) -> None:
    result = _with_exit(make_result(), secure_now=(*ALL_CLAUSES, "escrow"), dependants=("a2",))
    block = _block(_roadmap(result, lang), r'<ul class="secure-now">.*?</ul>')
    # A clause the translation does not know yet is shown by its key, never dropped.
    assert [_text(li) for li in re.findall(r"<li>(.*?)</li>", block, re.S)] == [*_CLAUSES[lang], "escrow"]


def test_exit_names_the_dependants_and_folds_away_the_rest(make_result: Any) -> None:
    result = make_result()
    many = tuple(f"x{i:02d}" for i in range(12))
    labels = {**result.labels, **{f"application:{i}": f"Koppeling {i}" for i in many}}
    result = _with_exit(replace(result, labels=labels), dependants=("a2",), stops_if_cut=("a1", *many))
    block = _block(_roadmap(result, "nl"), r'<details id="roadmap-exit-1" class="exit">.*</details>')
    assert re.search(
        r'<p>Mee verhuizen of opnieuw aansluiten \(1\): <a href="#app-\d+">Zaaksysteem</a></p>', block
    )
    disruptive = _text(_block(block, r"<p>Trekt .*?</p>"))
    # The most critical first (a1, criticality 3), then by name; ten in the sentence.
    assert disruptive.endswith(
        "deze applicaties (13), de meest kritieke eerst: Klantcontactsysteem, Koppeling x00, Koppeling x01, "
        "Koppeling x02, Koppeling x03, Koppeling x04, Koppeling x05, Koppeling x06, Koppeling x07, Koppeling x08"
    )
    rest = _block(
        block, r"<details>\s*<summary>Toon de overige applicaties die stoppen \(3\)</summary>.*?</details>"
    )
    assert _text(rest).endswith("Koppeling x09, Koppeling x10, Koppeling x11")
    assert (
        "SEAL 0 · applicaties die stoppen als Salesforce, Inc. zich terugtrekt: 13</span></summary>" in block
    )


def test_no_exits_says_so(make_result: Any) -> None:
    result = make_result()
    assert result.plan is not None
    roadmap = _roadmap(replace(result, plan=replace(result.plan, exits=())), "en")
    assert "No business-critical application is at SEAL 0 or 1." in roadmap


# Escaping and determinism


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_hostile_names_stay_escaped(result: AuditResult, lang: str) -> None:
    roadmap = _roadmap(result, lang)
    assert HOSTILE_NAME not in roadmap and HOSTILE_PRODUCT not in roadmap
    assert "<b>" not in roadmap and "<img" not in roadmap
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in roadmap
    assert "Klant&lt;b&gt;EU&lt;/b&gt; &amp; Co" in roadmap


def test_output_does_not_depend_on_the_order_of_the_plan(make_result: Any) -> None:
    result = make_result()
    plan = result.plan
    assert plan is not None
    shuffled = replace(
        plan,
        options=tuple(reversed(plan.options)),
        waves=tuple(reversed(plan.waves)),
        exits=tuple(reversed(plan.exits)),
    )
    for lang in ("nl", "en"):
        assert _html(replace(result, plan=shuffled), lang) == _html(result, lang)


def test_view_steps_and_waves(result: AuditResult) -> None:
    roadmap = build_report_view(result, load_messages("en")).roadmap
    assert roadmap is not None
    assert [(s.key, s.label, s.moves, s.high_seal) for s in roadmap.steps] == [
        ("now", "Now", 0, 0.25),  # a3 at SEAL 4, 1 of 4
        ("wave-0", "Quick wins", 1, 0.5),  # + a1 at SEAL 3
        ("wave-1", "Wave 1", 1, 0.75),  # + a2 at SEAL 4
    ]
    assert [(w.number, [m.application.name for m in w.moves]) for w in roadmap.waves] == [
        (0, ["Klantcontactsysteem"]),
        (1, ["Zaaksysteem"]),
    ]


def test_an_exit_without_options_still_reads(make_result: Any) -> None:
    result = make_result()
    assert result.plan is not None
    lonely = ExitOutline(
        app_id="a4", open_standards=("CSV",), target=None, dependants=(), stops_if_cut=(), secure_now=()
    )
    plan = replace(result.plan, exits=(lonely,))
    block = _block(_roadmap(replace(result, plan=plan), "en"), r'<details id="roadmap-exit-1".*?</details>')
    assert "The catalog knows no alternative; a market survey is the first step." in block
    assert "Export the data through the open standards CSV." in block
    assert "No application stops at once if the vendor withdraws." in block


def test_the_plan_index_is_the_options_by_application(result: AuditResult) -> None:
    # index.html, raad.html and report.md share one index of the plan's options; it is kept for one plan.
    plan = result.plan
    assert plan is not None and len(plan.options) > 1
    index = index_plan(plan)
    assert index.by_app == {o.before.application.app_id: o for o in plan.options}
    assert index.with_options == sum(1 for o in plan.options if o.options)
    assert index_plan(plan) is index
    fewer = replace(plan, options=plan.options[:1])
    assert index_plan(fewer).by_app == {plan.options[0].before.application.app_id: plan.options[0]}
    assert index_plan(plan).by_app == index.by_app
