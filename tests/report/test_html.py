"""index.html: escaping of inventory text, languages and number formats, offline-only, accessible structure."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import pytest
from markupsafe import escape

from sovereign.model import AuditResult
from sovereign.report import render_report
from sovereign.report.html import SECTIONS

from .conftest import HOSTILE_ATTRIBUTE, HOSTILE_NAME, RULE_SOURCE_URL, SOURCE_URL


class _Page(HTMLParser):
    """Every start tag with its attributes, in order; and the text of <title> and <h1>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, str] = {}
        self._current: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in {"title", "h1"}:
            self._current = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._current:
            self._current = None

    def handle_data(self, data: str) -> None:
        if self._current:
            self.text[self._current] = self.text.get(self._current, "") + data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _html(result: AuditResult, lang: str = "nl") -> str:
    return render_report(result, lang=lang)["index.html"].decode("utf-8")


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


# Escaping


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_hostile_inventory_text_is_escaped(result: AuditResult, lang: str) -> None:
    html = _html(result, lang)
    assert HOSTILE_NAME not in html
    assert HOSTILE_ATTRIBUTE not in html
    assert "<img" not in html
    assert "<b>Tools</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    # The name also reaches the charts' JSON, where no "<" may appear at all.
    for payload in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
        assert "<" not in payload and ">" not in payload


def test_only_our_own_scripts(result: AuditResult) -> None:
    page = _page(_html(result))
    scripts = page.all("script")
    assert [s.get("src") for s in scripts if s.get("src")] == ["plotly.min.js"]
    # One payload (data, not code) per chart and one inline script at the end.
    charts = len([tag for tag in page.all("div") if "chart" in (tag.get("class") or "").split()])
    assert [s.get("type") for s in scripts if not s.get("src")] == ["application/json"] * charts + [None]
    assert not any(key.startswith("on") for _, attrs in page.tags for key in attrs)


def test_non_http_source_url_is_never_a_link(result: AuditResult) -> None:
    html = _html(result)
    assert 'href="javascript:' not in html
    assert "<code>javascript:alert(1)</code>" in html


# Offline


def test_no_network_resources(result: AuditResult) -> None:
    html = _html(result)
    page = _page(html)
    for tag, attrs in page.tags:
        for attribute in ("src", "href", "srcset", "poster", "data", "action", "formaction"):
            value = attrs.get(attribute) or ""
            remote = re.match(r"\s*(https?:)?//", value, re.I)
            if remote:
                # Links to sources are fine: following one is the reader's choice, not a request of the page.
                assert (tag, attribute) == ("a", "href"), (tag, attribute, value)
    assert not page.all("link")
    assert not page.all("img") and not page.all("iframe") and not page.all("object")
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.I)


def test_source_links_are_kept(result: AuditResult) -> None:
    page = _page(_html(result))
    assert SOURCE_URL in [a.get("href") for a in page.all("a")]


def test_content_security_policy_forbids_remote_loads(result: AuditResult) -> None:
    page = _page(_html(result))
    (policy,) = [m["content"] for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    assert policy is not None and "default-src 'none'" in policy
    assert "http" not in policy


# Languages and formats


def test_dutch(result: AuditResult) -> None:
    html = _html(result, "nl")
    page = _page(html)
    assert page.all("html")[0]["lang"] == "nl"
    assert "Samenvatting" in html
    assert "23 november 2026" in html
    assert "1.875" in html  # HHI
    assert "50,0 %" in html  # US lawful access, 2 of 4
    assert "68,8 %" in html  # weighted
    assert "draait op" in html and "eigendom van" in html and "gevestigd in" in html
    assert "Verenigde Staten" in html
    assert "bij benadering, 93 %" in html


def test_english(result: AuditResult) -> None:
    html = _html(result, "en")
    page = _page(html)
    assert page.all("html")[0]["lang"] == "en"
    assert "Summary" in html and "Samenvatting" not in html
    assert "23 November 2026" in html
    assert "1,875" in html
    assert "50.0%" in html and "68.8%" in html
    assert "runs on" in html and "owned by" in html and "seated in" in html
    assert "United States" in html


@pytest.mark.parametrize(("lang", "expected"), [("nl", "41,5 %"), ("en", "41.5%")])
def test_percent_format(result: AuditResult, lang: str, expected: str) -> None:
    changed = replace(result, portfolio=replace(result.portfolio, us_lawful_access_share=0.415))
    assert expected in _html(changed, lang)


def test_title_names_the_organisation(result: AuditResult) -> None:
    page = _page(_html(result))
    assert page.text["title"] == page.text["h1"].strip()
    assert "Gemeente Voorbeeld" in page.text["title"]


# Structure and accessibility


def test_landmarks_and_headings(result: AuditResult) -> None:
    html = _html(result)
    page = _page(html)
    for landmark in ("header", "nav", "main", "footer"):
        assert page.all(landmark), landmark
    assert len(page.all("h1")) == 1
    skip = page.all("a")[0]
    assert skip["href"] == "#main" and skip.get("class") == "skip-link"
    assert page.all("main")[0]["id"] == "main"
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert set(SECTIONS) <= ids
    # Every in-page link points at something.
    for a in page.all("a"):
        href = a.get("href") or ""
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_tables_have_captions_and_scoped_headers(result: AuditResult) -> None:
    html = _html(result)
    tables = re.findall(r"<table.*?</table>", html, re.S)
    assert len(tables) >= 7
    for table in tables:
        assert "<caption>" in table
        headers = re.findall(r"<th\b[^>]*>", table)
        assert headers and all('scope="' in th for th in headers), headers


def test_every_chart_has_a_summary_and_a_table(result: AuditResult) -> None:
    html = _html(result)
    for chart in ("jurisdiction", "concentration", "seal"):
        section = re.search(rf'<section id="{chart}".*?</section>', html, re.S)
        assert section, chart
        text = section.group(0)
        assert f'id="chart-{chart}"' in text
        assert "<figcaption>" in text
        assert '<details class="data-table">' in text and "<table>" in text


def test_charts_are_deterministic_json(result: AuditResult) -> None:
    html = _html(result)
    payloads = dict(
        re.findall(r'<script type="application/json" data-chart="([^"]+)">(.*?)</script>', html, re.S)
    )
    assert sorted(payloads) == [
        "chart-concentration",
        "chart-dependencies",
        "chart-jurisdiction",
        "chart-residency",
        "chart-roadmap",
        "chart-seal",
        "chart-single-points",
    ]
    for payload in payloads.values():
        spec = json.loads(payload)
        assert spec["config"]["displaylogo"] is False
        assert '"uid"' not in payload
        # plotly's "none" template: nothing of its default styling is embedded.
        assert len(json.dumps(spec["figure"]["layout"]["template"])) < 100


def test_evidence_per_application(result: AuditResult) -> None:
    html = _html(result, "en")
    details = re.findall(r'<details id="app-\d+">.*?</details>', html, re.S)
    assert len(details) == 4
    zaak = next(d for d in details if "Zaaksysteem · SEAL 2" in d)
    assert "Microsoft Ireland Operations Ltd" in zaak and "Microsoft Corporation" in zaak
    assert "seal-2-non-eu-infrastructure" in zaak
    salesforce = next(d for d in details if "Klantcontactsysteem" in d)
    assert f'<a href="{SOURCE_URL}">' in salesforce


def test_data_quality(result: AuditResult) -> None:
    html = _html(result, "en")
    quality = re.search(r'<section id="quality".*?</section>', html, re.S)
    assert quality
    text = quality.group(0)
    assert "Salesforce Service Cloud (41%); Acme Zaaksysteem (38%)" in text
    assert "inventory.csv:7" in text and "column &#39;name&#39; is empty" in text
    assert "inventory.csv:6" in text
    assert "unknown column" in text


def test_footer(result: AuditResult) -> None:
    html = _html(result, "en")
    footer = re.search(r"<footer.*?</footer>", html, re.S)
    assert footer
    text = footer.group(0)
    assert "sovereign 0.1.0" in text and "2026.1" in text
    assert "sha256:" + "c" * 64 in text
    assert "a" * 64 in text
    assert "23 November 2026" in text


def test_empty_landscape_renders(make_result: Any) -> None:
    result = make_result()
    empty = replace(
        result,
        assessments=(),
        portfolio=replace(result.portfolio, applications=0, concentration=(), seal_distribution={}, hhi=0.0),
    )
    html = _html(empty)
    assert "Er zijn geen applicaties om te tonen." in html
    assert 'id="chart-jurisdiction"' not in html


# Policy, scenarios, single points of failure


def _section(html: str, key: str) -> str:
    section = re.search(rf'<section id="{key}".*?</section>', html, re.S)
    assert section, key
    return section.group(0)


def _rows(table: str) -> list[list[str]]:
    """The text of every body row's cells, tags stripped and entities kept."""
    body = re.search(r"<tbody>(.*?)</tbody>", table, re.S)
    assert body
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


def test_new_sections_are_in_the_nav_after_the_summary(result: AuditResult) -> None:
    page = _page(_html(result))
    nav = [a["href"] for a in page.all("a") if (a.get("href") or "").startswith("#")][1 : len(SECTIONS) + 1]
    assert nav[:4] == ["#summary", "#policy", "#scenarios", "#single_points"]
    assert nav == [f"#{key}" for key in SECTIONS]


def test_summary_figure_links_to_the_policy(result: AuditResult) -> None:
    figure = re.search(r'<li class="figure figure-policy">.*?</li>', _html(result), re.S)
    assert figure
    assert '<p class="value num">1</p>' in figure.group(0)
    assert '<a href="#policy">Naar de beleidsregels</a>' in figure.group(0)


def test_findings_table_names_the_application_and_the_rule(result: AuditResult) -> None:
    policy = _section(_html(result, "en"), "policy")
    rule = re.search(r'<details id="rule-2" class="rule">.*?</details>', policy, re.S)
    assert rule
    text = rule.group(0)
    assert "<summary><code>min-seal-critical</code>" in text
    assert "<caption>Violations of rule min-seal-critical</caption>" in text
    assert "Business-critical applications reach SEAL 3." in text
    (table,) = re.findall(r"<table.*?</table>", text, re.S)
    rows = _rows(table)
    assert [(row[0], row[1]) for row in rows] == [
        ("Klantcontactsysteem", "SEAL 0; at least SEAL 3 is required."),
        ("Zaaksysteem", "SEAL 2; at least SEAL 3 is required."),
    ]
    # The evidence reads like the evidence section, and the name links to it.
    assert "owned by" in rows[1][2] and "Microsoft Corporation" in rows[1][2]
    assert re.search(r'<th scope="row"><a href="#app-\d+">Zaaksysteem</a></th>', table)


def test_portfolio_finding_lists_its_applications(result: AuditResult) -> None:
    policy = _section(_html(result, "nl"), "policy")
    rule = re.search(r'<details id="rule-5" class="rule">.*?</details>', policy, re.S)
    assert rule
    (row,) = _rows(rule.group(0))
    assert row[0] == "Het landschap als geheel"
    assert "Salesforce, Inc. (Verenigde Staten) heeft 37,5 % van het gewicht naar kritikaliteit" in row[1]
    assert "Betrokken applicaties (1): Klantcontactsysteem" in row[1]


def test_rule_overview_says_which_rules_pass(result: AuditResult) -> None:
    policy = _section(_html(result, "nl"), "policy")
    overview = re.search(r"<table>.*?</table>", policy, re.S)
    assert overview
    assert [(row[0], row[1], row[-1]) for row in _rows(overview.group(0))] == [
        ("residency-personal-data", "fout", "1"),
        ("min-seal-critical", "waarschuwing", "2"),
        ("exit-plan-below-seal-2", "waarschuwing", "1"),
        ("forbidden-jurisdiction", "fout", "geen"),
        ("controller-share", "waarschuwing", "1"),
    ]
    assert "Geen applicatie overtreedt deze regel." in policy
    assert "<code>policies/test.yaml</code>" in policy


def test_rule_sources_are_links_and_policy_text_is_marked_english(result: AuditResult) -> None:
    policy = _section(_html(result, "nl"), "policy")
    assert f'<a href="{RULE_SOURCE_URL}">GDPR chapter V, gecontroleerd 23 november 2026</a>' in policy
    assert 'href="javascript:' not in policy and "<code>javascript:alert(2)</code>" in policy
    # WCAG 3.1.2: the policy schema asks for English explanations inside a Dutch page.
    assert '<dd lang="en">Personal data stays in the EU or EEA.</dd>' in policy


@pytest.mark.parametrize("key", ["policy", "scenarios", "single_points", "roadmap"])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_hostile_names_stay_escaped_in_the_new_sections(result: AuditResult, key: str, lang: str) -> None:
    section = _section(_html(result, lang), key)
    assert HOSTILE_NAME not in section and "<img" not in section
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section


def test_scenarios_in_dutch(result: AuditResult) -> None:
    scenarios = _section(_html(result, "nl"), "scenarios")
    assert '<h3 id="scenario-1">De Amerikaanse diensten stoppen</h3>' in scenarios
    assert '<h3 id="scenario-2">Salesforce, Inc. trekt zich terug</h3>' in scenarios
    tables = re.findall(r"<table.*?</table>", scenarios, re.S)
    assert [row[:3] for row in _rows(tables[0])] == [
        ["De Amerikaanse diensten stoppen", "2", "68,8 %"],
        ["Salesforce, Inc. trekt zich terug", "1", "37,5 %"],
    ]
    assert (
        "<caption>Per afdeling: wat stopt in het scenario &#39;De Amerikaanse diensten stoppen&#39;</caption>"
        in (scenarios)
    )
    assert ["Burgerzaken &amp; Publiekszaken — Súdwest", "1", "1", "31,2 %"] in _rows(tables[1])
    # The most critical application first, with the path that stops it.
    first = _rows(tables[2])[0]
    assert first[:3] == ["Klantcontactsysteem", "Publiekszaken", "3,0"]
    assert "gevestigd in" in first[3] and "Verenigde Staten" in first[3]


def test_scenarios_in_english(result: AuditResult) -> None:
    html = _html(result, "en")
    assert '<h3 id="scenario-1">US services stop</h3>' in html
    assert '<h3 id="scenario-2">Salesforce, Inc. withdraws</h3>' in html
    assert "The chain of these applications is partly unknown; they may stop too:" in html


def test_the_rest_of_a_scenario_is_folded_away(make_result: Any) -> None:
    result = make_result()
    us = result.scenarios[0]
    many = tuple(
        replace(us.stopped[0], app_id=f"x{i}", name=f"App {i:02d}", criticality=i) for i in range(12)
    )
    html = _html(replace(result, scenarios=(replace(us, stopped=many),)), "en")
    rest = re.search(
        r"<details>\s*<summary>Show the other 2 applications that stop</summary>.*?</details>", html, re.S
    )
    assert rest and "App 01" in rest.group(0) and "App 00" in rest.group(0) and "App 02" not in rest.group(0)


def test_single_points_chart_has_a_summary_and_a_data_table(result: AuditResult) -> None:
    html = _html(result, "nl")
    section = _section(html, "single_points")
    assert 'id="chart-single-points"' in section
    assert "<figcaption>Het zwaarste faalpunt is Salesforce, Inc. (organisatie)" in section
    (table,) = re.findall(r"<table.*?</table>", section, re.S)
    assert "<caption>Enkelvoudige faalpunten, het zwaarste eerst</caption>" in table
    rows = _rows(table)
    assert [row[:2] + row[3:5] for row in rows] == [
        ["Salesforce, Inc.", "organisatie", "1", "37,5 %"],
        ["Microsoft Corporation", "organisatie", "1", "31,2 %"],
        ["&lt;script&gt;alert(1)&lt;/script&gt;", "applicatie", "1", "6,2 %"],
    ]
    assert rows[1][2] == "Azure West Europe (hostingregio), Microsoft Ireland Operations Ltd (organisatie)"
    # The table holds what the chart draws, bar for bar.
    payload = re.search(r'data-chart="chart-single-points">(.*?)</script>', html, re.S)
    assert payload
    bars = json.loads(payload.group(1))["figure"]["data"][0]
    assert bars["x"] == [0.375, 0.3125, 0.0625]
    assert bars["y"][:2] == ["Salesforce, Inc.", "Microsoft Corporation"]


def test_no_single_points_means_no_chart(make_result: Any) -> None:
    html = _html(make_result(single_points=()), "en")
    assert 'id="chart-single-points"' not in html
    assert "No single points of failure were found." in _section(html, "single_points")


def test_without_a_policy_the_sections_say_so(make_result: Any) -> None:
    html = _html(make_result(policy=None, findings=(), scenarios=()), "nl")
    assert "Er is geen beleid toegepast." in _section(html, "policy")
    assert "Er zijn geen scenario&#39;s doorgerekend." in _section(html, "scenarios")
    assert "Er is geen gewichtenset toegepast" in _section(html, "method")


def test_applications_table_has_a_sortable_weighted_score(result: AuditResult) -> None:
    applications = _section(_html(result, "nl"), "applications")
    assert 'data-sort-label="Sorteer op Gewogen score">Gewogen score</th>' in applications
    assert '<td class="numeric num" data-sort="47.5">47,5</td>' in applications
    assert '<td class="numeric num" data-sort="-1">—</td>' in applications


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "nl",
            ["Kritikaliteit", "+1,5", "Gewogen score binnen een SEAL-niveau", "Strategische soevereiniteit"],
        ),
        ("en", ["Criticality", "+1.5", "Weighted score within a SEAL level", "Strategic sovereignty"]),
    ],
)
def test_method_explains_criticality_and_the_weight_set(
    result: AuditResult, lang: str, texts: list[str]
) -> None:
    method = _section(_html(result, lang), "method")
    for text in texts:
        assert text in method, text
    assert '<span lang="en">EU Cloud Sovereignty Framework v1.2.1 (October 2025)</span>' in method
    assert "SEAL 1" in method and "SEAL 3" in method  # the score ranks only within a level


def test_output_does_not_depend_on_the_order_of_findings_scenarios_and_single_points(
    make_result: Any,
) -> None:
    result = make_result()
    shuffled = make_result(
        findings=tuple(reversed(result.findings)),
        single_points=tuple(reversed(result.single_points)),
        scenarios=tuple(replace(s, stopped=tuple(reversed(s.stopped))) for s in result.scenarios),
    )
    for lang in ("nl", "en"):
        assert _html(shuffled, lang) == _html(result, lang)


# Several organisations, and inventories above the full-table limit


def _with_organisations(result: AuditResult, organisations: dict[str, str]) -> AuditResult:
    """``result`` with each application's organisation set from ``organisations`` (app id -> name)."""
    assessments = tuple(
        replace(a, application=replace(a.application, organisation=organisations[a.application.app_id]))
        for a in result.assessments
    )
    return replace(result, assessments=assessments)


def test_figures_per_organisation(result: AuditResult) -> None:
    from sovereign.report.translation import load_messages
    from sovereign.report.view import build_report_view

    ids = sorted(a.application.app_id for a in result.assessments)
    # Two applications each; the first organisation gets the US SaaS application (a1, lawful access US).
    by_org = {
        ids[0]: "Gemeente Noord",
        ids[1]: "Gemeente Noord",
        ids[2]: "Gemeente Zuid",
        ids[3]: "Gemeente Zuid",
    }
    multi = _with_organisations(result, by_org)
    view = build_report_view(multi, load_messages("nl"))
    assert view.organisations is not None
    assert view.title.endswith("2 organisaties")
    rows = {row.name: row for row in view.organisations.rows}
    assert sorted(rows) == ["Gemeente Noord", "Gemeente Zuid"]
    for name, row in rows.items():
        members = [a for a in multi.assessments if a.application.organisation == name]
        assert row.applications == len(members) == 2
        us = [a for a in members if "US" in a.lawful_access.countries]
        assert row.us_lawful_access_share == len(us) / 2
        weights = sum(a.criticality for a in members)
        assert row.us_lawful_access_weighted == pytest.approx(sum(a.criticality for a in us) / weights)
        assert row.us_continuity_share == sum("US" in a.continuity.countries for a in members) / 2
        assert row.low_seal_share == sum(a.seal is not None and a.seal <= 1 for a in members) / 2
        findings = [f for f in multi.findings if f.app_id in {a.application.app_id for a in members}]
        assert row.errors == sum(f.severity == "error" for f in findings)
        assert row.warnings == sum(f.severity != "error" for f in findings)
    # Most exposed to US lawful access first.
    shares = [row.us_lawful_access_share for row in view.organisations.rows]
    assert shares == sorted(shares, reverse=True)
    html = _html(multi)
    section = html[html.index('<section id="organisations"') : html.index('<section id="policy"')]
    assert "Gemeente Noord" in section and "Gemeente Zuid" in section
    assert 'data-chart="chart-organisations"' in section
    assert '<a href="#organisations">' in html
    assert "Gemeente Noord" in render_report(multi, lang="en")["report.md"].decode("utf-8")
    # Every municipality has its "Identity": the applications table says whose each row is.
    table = html[html.index('<section id="applications"') : html.index('<section id="evidence"')]
    assert "Organisatie en afdeling" in table
    for app_id, organisation in by_org.items():
        name = next(a.application.name for a in multi.assessments if a.application.app_id == app_id)
        row = next(r for r in table.split("<tr>") if f">{escape(name)}</a>" in r)
        assert organisation in row


def test_one_organisation_has_no_organisation_section(result: AuditResult) -> None:
    single = _with_organisations(result, {a.application.app_id: "Gemeente Noord" for a in result.assessments})
    html = _html(single)
    assert 'id="organisations"' not in html
    assert "Gemeente Noord" in html  # in the title


def test_above_the_limit_lists_are_capped_with_a_pointer(
    result: AuditResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sovereign.report import dependencies, markdown_report, view
    from sovereign.report import html as html_module

    # Four applications against a limit of two: every per-application list shows its single most critical.
    for module in (html_module, dependencies, markdown_report, view):
        monkeypatch.setattr(module, "FULL_TABLE_LIMIT", 2)
    monkeypatch.setattr(view, "TOP_ROWS", 1)
    page = _html(result, "en")
    table = page[page.index('<table class="sortable applications">') :]
    table = table[: table.index("</table>")]
    assert table.count('<th scope="row">') == 1
    most_critical = max(result.assessments, key=lambda a: a.criticality).application.name
    assert f">{most_critical}</a>" in table
    assert "1 of 4 applications shown" in page
    assert "findings.xlsx" in page and "audit.json" in page
    assert len(re.findall(r'<details id="app-\d+">', page)) == 1
    # No dependency graph above the limit; a sentence instead.
    assert 'data-chart="chart-dependencies"' not in page
    assert "draws no dependency graph" in page
    markdown = render_report(result, lang="en")["report.md"].decode("utf-8")
    assert "1 of 4 applications shown" in markdown and "findings\\.xlsx" in markdown
