"""index.html: escaping of inventory text, languages and number formats, offline-only, accessible structure."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser
from typing import Any

import pytest

from sovereign.model import AuditResult
from sovereign.report import render_report
from sovereign.report.html import SECTIONS

from .conftest import HOSTILE_ATTRIBUTE, HOSTILE_NAME, SOURCE_URL


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
    # Three chart payloads (data, not code) and one inline script at the end.
    assert [s.get("type") for s in scripts if not s.get("src")] == ["application/json"] * 3 + [None]
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
    assert sorted(payloads) == ["chart-concentration", "chart-jurisdiction", "chart-seal"]
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
