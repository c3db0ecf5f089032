"""raad.html: figures from the result, plain language (B1), escaping, both languages, determinism, two A4 pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
import yaml

from sovereign.model import (
    Alternative,
    ApplicationOptions,
    AuditResult,
    MigrationOption,
    Plan,
    Wave,
)
from sovereign.report import raad, render_report
from sovereign.report.pdf import find_chromium, print_pdf
from sovereign.report.raad import build_council_view, render_raad_html
from sovereign.report.translation import load_messages

from .conftest import HOSTILE_ATTRIBUTE, HOSTILE_NAME

EXAMPLE = Path(__file__).parents[2] / "catalogs" / "examples" / "gemeente-voorbeeld.csv"
I18N = Path(__file__).parents[2] / "sovereign" / "report" / "i18n"

#: Words a council member should not meet unexplained (DESIGN.md section 1: plain Dutch, B1).
JARGON = (
    "HHI",
    "SEAL",
    "SEAL-niveau",
    "jurisdictie",
    "kritikaliteit",
    "soevereiniteit",
    "concentratie",
    "scenario",
    "faalpunt",
    "CLOUD Act",
    "FISA",
    "hyperscaler",
    "SaaS",
    "portfolio",
    "exitstrategie",
    "controller",
)
#: B1: sentences of about 15 words or fewer on average (the usual measure; no sentence too long either).
MAX_AVERAGE_WORDS = 15
MAX_SENTENCE_WORDS = 25


# ---------------------------------------------------------------------------------------------------------
# Helpers


class _Page(HTMLParser):
    """The page as a tree-less list: start tags with attributes, and the prose text of p, li, h1-h3."""

    PROSE: ClassVar[frozenset[str]] = frozenset({"p", "li", "h1", "h2", "h3", "figcaption"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.prose: list[str] = []
        self.text: list[str] = []
        self._current: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in self.PROSE:
            self._flush()
        if tag not in {"meta", "br", "rect", "link"}:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.PROSE:
            self._flush()
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if "style" in self.stack or "title" in self.stack:
            return
        self.text.append(data)
        if any(t in self.PROSE for t in self.stack):
            self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.prose.append(text)
        self._current = []

    def find(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def _sentences(texts: list[str]) -> list[str]:
    """Sentences of the prose: split after . ? ! or : followed by a space."""
    return [s for text in texts for s in re.split(r"(?<=[.?!:])\s+", text) if s.strip()]


def _words(sentence: str) -> list[str]:
    return re.findall(r"[\w'’()-]+", sentence)


def _page(result: AuditResult, lang: str = "nl") -> str:
    return render_raad_html(result, load_messages(lang))


def _view(result: AuditResult, lang: str = "nl") -> Any:
    return build_council_view(result, load_messages(lang))


def _plan(result: AuditResult) -> Plan:
    """A plan for the test result: a quick win for Klantcontactsysteem (a1), then Zaaksysteem (a2) in wave 1.

    Projected: after the quick win only a2 is within reach of US law (1 of 4); after wave 1 none (0 of 4),
    and continuity follows the same steps.
    """
    by_id = {a.application.app_id: a for a in result.assessments}
    portfolio = result.portfolio
    after_quick = replace(portfolio, us_lawful_access_share=0.25, us_continuity_share=0.25)
    after_wave = replace(portfolio, us_lawful_access_share=0.0, us_continuity_share=0.0)

    def option(app_id: str, alternative: str, effort: str) -> ApplicationOptions:
        move = MigrationOption(
            alternative=Alternative(id=alternative, product=alternative, effort=effort),
            after=by_id[app_id],
            adopters_with_source=0,
            explanation="",
        )
        return ApplicationOptions(before=by_id[app_id], findings=("x",), options=(move,), dependants=())

    return Plan(
        baseline=portfolio,
        options=(
            option("a1", "open-klant", "low"),
            option("a2", "open-zaak", "high"),
            # Below the bar, but no move: "no good alternative yet".
            ApplicationOptions(before=by_id["a4"], findings=("x",), options=(), dependants=()),
        ),
        quick_wins=("a1",),
        waves=(
            Wave(number=0, moves=(("a1", "open-klant"),), projected=after_quick),
            Wave(number=1, moves=(("a2", "open-zaak"),), projected=after_wave),
        ),
        exits=(),
        max_effort="high",
    )


@pytest.fixture(scope="module")
def example() -> AuditResult:
    """A real audit of the shipped example municipality, with its plan (as ``sovereign audit`` makes it)."""
    from sovereign.pipeline import run_plan

    return run_plan([EXAMPLE], date="2026-11-23")


# ---------------------------------------------------------------------------------------------------------
# Figures come from the result


def test_key_figures_match_the_result(result: AuditResult) -> None:
    # US lawful access 0.5 * 4 = 2 (a1, a2); continuity the same; the largest controller's scenario (Salesforce)
    # stops a1 only; the policy's findings concern a1, a2, a4, and only a1's is an error.
    figures = {f.key: (f.count, f.label) for f in _view(result).figures}
    assert figures == {
        "us_access": (2, "De Amerikaanse overheid kan erbij"),
        "us_cutoff": (2, "Ligt stil als Amerikaanse diensten stoppen"),
        "one_company": (1, "Hangt af van één bedrijf: Salesforce"),
        "rules": (3, "Voldoet niet aan onze eigen regels"),
    }
    explanations = [f.explanation for f in _view(result).figures]
    assert "Salesforce levert er zelf één." in explanations[2]
    assert "Bij één applicatie gaat het om een harde eis." in explanations[3]


def test_figures_are_on_the_page(result: AuditResult) -> None:
    values = re.findall(r'<span class="count">([^<]*)</span> <span class="of">([^<]*)</span>', _page(result))
    assert values == [
        ("2", "van de 4 applicaties"),
        ("2", "van de 4 applicaties"),
        ("1", "van de 4 applicaties"),
        ("3", "van de 4 applicaties"),
    ]


def test_without_a_policy_or_scenarios_the_page_still_stands(make_result: Any) -> None:
    view = _view(make_result(policy=None, findings=(), scenarios=(), single_points=(), plan=None))
    # Without the scenario the company figure says what the largest known company supplies (one application).
    assert [(f.key, f.count) for f in view.figures] == [
        ("us_access", 2),
        ("us_cutoff", 2),
        ("one_company", 1),
    ]
    assert view.figures[2].label == "Hangt af van één bedrijf: Salesforce"
    assert view.plan_intro == (
        "Er is nog geen plan gemaakt. Het volledige rapport laat zien welke applicaties niet aan ons beleid voldoen.",
    )


def test_risks_in_plain_words(result: AuditResult) -> None:
    # Business-critical: a1 and a2. US services stop: both; Salesforce withdraws: a1. a1 has personal data and
    # US lawful access. The largest single point that is a part of the landscape (not a company) stops one
    # application only, so it is not named.
    view = _view(result)
    assert (
        view.risks_intro
        == "Met de belangrijkste applicaties bedoelen we de 2 applicaties die we zelf onmisbaar noemen."
    )
    assert view.risks == (
        "Als Amerikaanse bedrijven stoppen met hun diensten, liggen 2 van onze 2 belangrijkste applicaties stil. "
        "Bijvoorbeeld Klantcontactsysteem en Zaaksysteem.",
        "Als Salesforce stopt, ligt één van onze 2 belangrijkste applicaties stil.",
        "Bij één applicatie met gegevens over inwoners of medewerkers kan de Amerikaanse overheid de gegevens opvragen.",
    )


def test_plan_steps_and_the_figure_after_the_last_wave(result: AuditResult) -> None:
    view = _view(replace(result, plan=_plan(result)))
    assert [(s.title, s.count, s.examples, s.after_count) for s in view.steps] == [
        ("Snelle stappen", 1, "Klantcontactsysteem", 1),
        ("Fase 1", 1, "Zaaksysteem", 0),
    ]
    assert view.plan_intro == (
        "3 applicaties voldoen niet aan ons beleid. Voor 2 daarvan stellen we een overstap voor. "
        "We kiezen dan een programma of dienst die minder afhangt van de Verenigde Staten.",
        "We beginnen met snelle stappen: weinig werk en veel effect. Daarna volgt nog één fase. "
        "Wat andere applicaties nodig hebben, gaat eerst.",
    )
    assert view.plan_result == (
        "Na de laatste fase kan de Amerikaanse overheid nog bij 0 van de 4 applicaties. Nu zijn dat er 2.",
        "Als Amerikaanse diensten stoppen, liggen er dan nog 0 stil. Nu zijn dat er 2.",
    )
    assert view.meaning[:2] == (
        "Het plan telt 2 overstappen. Daarvan kosten 1 weinig werk, 0 gemiddeld werk en 1 veel werk.",
        "Dit is een programma van meerdere jaren. Elke fase vraagt tijd, geld en mensen. "
        "Medewerkers moeten ook wennen aan nieuwe programma's.",
    )
    assert "Voor één applicatie is er nog geen goed alternatief. Die houden we in de gaten." in view.meaning
    # Unknown share 0.25 of 4: one application to check.
    assert view.meaning[-1].startswith("Van één applicatie weten we niet alles")


def test_plan_order_is_by_wave_number_not_by_position(result: AuditResult) -> None:
    plan = _plan(result)
    shuffled = replace(plan, waves=tuple(reversed(plan.waves)))
    assert _view(replace(result, plan=shuffled)) == _view(replace(result, plan=plan))


def test_the_picture_shows_now_and_after_the_plan(result: AuditResult) -> None:
    chart = _view(replace(result, plan=_plan(result))).chart
    assert [(row.measure, row.now, row.after) for row in chart.rows] == [
        ("De Amerikaanse overheid kan erbij", "2 van 4", "0 van 4"),
        ("Ligt stil als Amerikaanse diensten stoppen", "2 van 4", "0 van 4"),
    ]
    # Bars are proportional to the count: half of the track now, nothing after.
    widths = [bar.width for group in chart.groups for bar in group.bars]
    assert widths == [f"{chart.track_width / 2:.1f}", "0.0", f"{chart.track_width / 2:.1f}", "0.0"]
    assert chart.summary.startswith(
        "Nu kan de Amerikaanse overheid bij 2 van de 4 applicaties. Na het plan zijn dat er 0."
    )


def test_the_picture_has_a_text_alternative_and_a_data_table(result: AuditResult) -> None:
    parsed = _parse(_page(result))
    svgs = parsed.find("svg")
    assert len(svgs) == 1 and svgs[0]["role"] == "img"
    labelled = (svgs[0]["aria-labelledby"] or "").split()
    ids = {attrs.get("id") for _, attrs in parsed.tags}
    assert labelled == ["chart-title", "chart-desc"] and set(labelled) <= ids
    assert len(parsed.find("figcaption")) == 1
    # Without a plan only "now" is shown.
    assert [a.get("scope") for a in parsed.find("th")].count("row") >= 2


def test_example_figures_match_the_audit(example: AuditResult) -> None:
    view = _view(example)
    p = example.portfolio
    scenarios = {s.id: s for s in example.scenarios}
    counts = {f.key: f.count for f in view.figures}
    assert counts["us_access"] == round(p.us_lawful_access_share * p.applications)
    assert counts["us_cutoff"] == round(p.us_continuity_share * p.applications)
    assert counts["us_cutoff"] == len(scenarios["us-services-stop"].stopped)
    assert counts["one_company"] == len(scenarios["largest-controller-withdraws"].stopped)
    assert counts["rules"] == len({f.app_id for f in example.findings if f.app_id})
    assert example.plan is not None
    assert [s.count for s in view.steps] == [len(w.moves) for w in example.plan.waves]
    last = example.plan.waves[-1].projected
    assert view.steps[-1].after_count == round(last.us_lawful_access_share * last.applications)


# ---------------------------------------------------------------------------------------------------------
# Plain language


def test_dutch_text_is_b1(example: AuditResult) -> None:
    parsed = _parse(_page(example))
    sentences = _sentences(parsed.prose)
    lengths = [len(_words(s)) for s in sentences]
    assert sum(lengths) / len(lengths) < MAX_AVERAGE_WORDS, sorted(zip(lengths, sentences, strict=True))[-5:]
    assert max(lengths) <= MAX_SENTENCE_WORDS, max(zip(lengths, sentences, strict=True))
    text = " ".join(parsed.text)
    found = [word for word in JARGON if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)]
    assert found == []


def test_english_text_is_plain_too(example: AuditResult) -> None:
    parsed = _parse(_page(example, "en"))
    lengths = [len(_words(s)) for s in _sentences(parsed.prose)]
    assert sum(lengths) / len(lengths) < MAX_AVERAGE_WORDS
    text = " ".join(parsed.text)
    assert not re.search(r"\b(HHI|SEAL|jurisdiction|criticality|scenario|hyperscaler)\b", text, re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------------
# Escaping, languages, determinism, structure


def test_text_from_the_inventory_and_catalog_is_escaped(make_result: Any) -> None:
    base = make_result()
    assessments = tuple(
        replace(a, application=replace(a.application, name=HOSTILE_NAME, organisation=HOSTILE_ATTRIBUTE))
        if a.application.app_id == "a1"
        else replace(a, application=replace(a.application, organisation=HOSTILE_ATTRIBUTE))
        for a in base.assessments
    )
    labels = {**base.labels, "entity:salesforce-inc": HOSTILE_NAME, "application:a1": HOSTILE_NAME}
    hostile = replace(base, assessments=assessments, labels=labels)
    hostile = replace(hostile, plan=_plan(hostile))
    page = _page(hostile)
    parsed = _parse(page)
    assert parsed.find("script") == []
    assert parsed.find("img") == []
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # In the title, the risks and the plan's examples, shown as text.
    text = " ".join(parsed.text)
    assert HOSTILE_ATTRIBUTE in text  # the organisation, in the heading
    assert text.count(HOSTILE_NAME) >= 3


@pytest.mark.parametrize(("lang", "heading"), [("nl", "De belangrijkste cijfers"), ("en", "The key figures")])
def test_languages(result: AuditResult, lang: str, heading: str) -> None:
    page = render_report(result, lang=lang)["raad.html"].decode("utf-8")
    assert f'<html lang="{lang}">' in page
    assert heading in _parse(page).prose


def test_translation_files_have_the_same_keys() -> None:
    def keys(node: Any, prefix: str = "") -> set[str]:
        if isinstance(node, dict):
            return {k for key, value in node.items() for k in keys(value, f"{prefix}{key}.")}
        return {prefix.rstrip(".")}

    nl = yaml.safe_load((I18N / "raad_nl.yaml").read_text(encoding="utf-8"))
    en = yaml.safe_load((I18N / "raad_en.yaml").read_text(encoding="utf-8"))
    assert keys(nl) == keys(en)


def test_english_numbers_are_formatted_in_english(make_result: Any) -> None:
    view = _view(make_result(), "en")
    assert view.figures[0].of_total == "of the 4 applications"
    assert view.subtitle.endswith("Situation on 23 November 2026.")


def test_deterministic_and_independent_of_input_order(make_result: Any) -> None:
    first = make_result()
    first = replace(first, plan=_plan(first))
    shuffled = replace(first, assessments=tuple(reversed(first.assessments)))
    assert _page(first) == _page(first)
    assert _page(first) == _page(shuffled)


def test_accessible_structure(result: AuditResult) -> None:
    page = _page(replace(result, plan=_plan(result)))
    parsed = _parse(page)
    assert parsed.find("html")[0]["lang"] == "nl"
    assert page.count("<title>") == 1  # the page's; the picture's <title id=...> names the SVG
    assert len(parsed.find("h1")) == 1
    for landmark in ("header", "main", "footer"):
        assert len(parsed.find(landmark)) == 1, landmark
    tables = parsed.find("table")
    assert len(tables) == 2 and len(parsed.find("caption")) == 2
    assert all(a.get("scope") in ("col", "row") for a in parsed.find("th"))
    # A link to the full report next to it, and nothing loaded from anywhere.
    assert [a["href"] for a in parsed.find("a")] == ["#main", "index.html"]
    assert not re.search(r"(src|href)=\"(https?:)?//", page)


# ---------------------------------------------------------------------------------------------------------
# Printing


def _pdf_pages(pdf: Path) -> tuple[int, list[str]]:
    """Page count and media boxes: ``pdfinfo`` when installed, else the page objects in the file."""
    data = pdf.read_bytes()
    boxes = [m.decode() for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)]
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1)), boxes  # type: ignore[union-attr]
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data)), boxes


@pytest.mark.skipif(find_chromium() is None, reason="printing needs Chromium (apt-get install chromium)")
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_prints_on_at_most_two_a4_pages(example: AuditResult, tmp_path: Path, lang: str) -> None:
    html = tmp_path / "raad.html"
    html.write_text(_page(example, lang), encoding="utf-8")
    pdf = tmp_path / "raad.pdf"
    print_pdf(html, pdf)
    pages, boxes = _pdf_pages(pdf)
    assert 1 <= pages <= 2
    # A4 is 595 x 842 points.
    for box in boxes:
        width, height = (float(v) for v in box.split()[2:4])
        assert (round(width), round(height)) == (595, 842)


# ---------------------------------------------------------------------------------------------------------
# Shortcuts agree with the general way


def test_an_application_listed_twice_among_the_options_is_counted_twice(result: AuditResult) -> None:
    # The quick count (options less the moved ones among them) holds for one option per application; with a4
    # listed twice the page counts the options one by one, as before: 2 without an alternative, not 1.
    plan = _plan(result)
    doubled = replace(plan, options=(*plan.options, plan.options[-1]))
    assert (
        "Voor één applicatie is er nog geen goed alternatief. Die houden we in de gaten."
        in _view(replace(result, plan=plan)).meaning
    )
    assert (
        "Voor 2 applicaties is er nog geen goed alternatief. Die houden we in de gaten."
        in _view(replace(result, plan=doubled)).meaning
    )


def test_examples_are_the_most_important_of_the_list(example: AuditResult) -> None:
    # Only the applications at least as critical as the EXAMPLES-th most critical are ranked by name: the
    # examples are still the first of the whole list sorted most critical first, then by name, in any order.
    builder = raad._Builder(example, load_messages("nl"), raad.load_council_messages("nl"))
    ids = [a.application.app_id for a in example.assessments]
    ranked = sorted(example.assessments, key=raad._importance)
    for chosen in (ids, ids[::-1], ids[::3], [a.application.app_id for a in ranked[20:]]):
        in_list = [a for a in ranked if a.application.app_id in set(chosen)]
        expected = ", ".join(a.application.name for a in in_list[: raad.EXAMPLES])
        assert builder.names(chosen).startswith(expected + " en ")
