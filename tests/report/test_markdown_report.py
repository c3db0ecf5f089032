"""report.md: the sections in the language, tables that keep their shape, and no live markup from any input."""

from __future__ import annotations

import doctest
import re
from typing import Any

import pytest

import sovereign.report.markdown_report
from sovereign.model import AuditResult
from sovereign.report.markdown_report import escape_markdown, render_report_markdown
from sovereign.report.translation import LANGUAGES, load_messages

from .conftest import HOSTILE_ATTRIBUTE, HOSTILE_NAME
from .export_builders import FORMULA_NAMES, MARKDOWN_HOSTILE, build_export_result

#: Characters that must never appear unescaped in text that came from an input.
SPECIAL = "\\`*_{}[]<>()#+-.!|&~:@$="


def _render(result: AuditResult, lang: str = "en") -> str:
    return render_report_markdown(result, load_messages(lang))


def _unescaped(text: str, char: str) -> int:
    """How often ``char`` occurs without a backslash in front (an escaped backslash does not escape)."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*" + re.escape(char), text))


def _section(text: str, title: str) -> str:
    """The lines under a level-2 heading, up to the next one."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


@pytest.fixture
def export_result() -> AuditResult:
    return build_export_result()


# ---------------------------------------------------------------------------------------------------------
# Content


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        (
            "nl",
            [
                "Samenvatting",
                "Beleidsregels",
                "Scenario's",
                "Enkelvoudige faalpunten",
                "Migratie en routekaart",
                "Alle applicaties",
                "Datakwaliteit",
                "Over dit rapport",
            ],
        ),
        (
            "en",
            [
                "Summary",
                "Policy",
                "Scenarios",
                "Single points of failure",
                "Migration roadmap",
                "All applications",
                "Data quality",
                "About this report",
            ],
        ),
    ],
)
def test_sections_in_the_language(result: AuditResult, lang: str, headings: list[str]) -> None:
    text = _render(result, lang)
    assert [line[3:] for line in text.split("\n") if line.startswith("## ")] == headings
    assert text.startswith("# ")
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_summary_figures_come_from_the_view(result: AuditResult) -> None:
    summary = _section(_render(result, "nl"), "Samenvatting")
    assert "- **Applicaties\\: 4**. Beoordeelde applicaties uit 6 gelezen rijen" in summary
    assert "**Amerikaanse toegang tot gegevens\\: 50,0 % \\(68,8 % gewogen naar kritikaliteit\\)**" in summary
    assert "**Concentratie \\(HHI\\)\\: 1\\.875**" in summary


def test_policy_violations_one_row_per_finding(result: AuditResult) -> None:
    policy = _section(_render(result), "Policy")
    violations = policy[policy.index("### Violations") :]
    rows = [line for line in violations.split("\n") if line.startswith("| ")][1:]
    assert len(rows) == len(result.findings)
    assert rows[0].startswith(
        "| residency\\-personal\\-data | error | Klantcontactsysteem | Data in United States"
    )
    assert "| the landscape as a whole |" in rows[-1]


def test_scenarios_list_every_stopped_application(result: AuditResult) -> None:
    scenarios = _section(_render(result), "Scenarios")
    assert "### US services stop" in scenarios
    assert "### Salesforce, Inc\\. withdraws" in scenarios
    rows = [line for line in scenarios.split("\n") if line.startswith("| ") and "Because of" not in line]
    assert len(rows) == sum(len(s.stopped) for s in result.scenarios)
    assert rows[0].startswith("| Klantcontactsysteem | Publiekszaken | 3\\.0 | Klantcontactsysteem —is→")


def test_single_points_and_applications_tables(result: AuditResult) -> None:
    text = _render(result)
    single = [
        line for line in _section(text, "Single points of failure").split("\n") if line.startswith("| ")
    ]
    assert len(single) == 1 + len(result.single_points)
    assert single[1].startswith("| Salesforce, Inc\\. | organisation |")
    applications = [line for line in _section(text, "All applications").split("\n") if line.startswith("| ")]
    assert len(applications) == 1 + len(result.assessments)
    assert "| Zaaksysteem | Burgerzaken \\& Publiekszaken — Súdwest | Acme Zaaksysteem |" in applications[-1]
    assert applications[-1].endswith("| NL, US | NL | NL, US | SEAL 2 | 2\\.5 | 47\\.5 |")


def test_roadmap(export_result: AuditResult) -> None:
    roadmap = _section(_render(export_result), "Migration roadmap")
    assert "2 of the 4 applications break a rule of the policy; 1 of them have an alternative" in roadmap
    assert "### Now" in roadmap and "### Quick wins" in roadmap
    assert (
        "US lawful access 25\\.0%, can be cut off from the US 25\\.0%, SEAL 3 or 4\\: 50\\.0%\\." in roadmap
    )
    assert '- \\=HYPERLINK\\("http\\://x","y"\\)\\: to Open Klant \\(SEAL 0 → 4, effort low\\)' in roadmap
    assert "### Exit outlines" in roadmap
    assert (
        "Secure now\\: a notice period long enough to move; export in an open, documented format\\."
        in roadmap
    )


def test_roadmap_without_a_plan(make_result: Any) -> None:
    assert "No migration plan was made\\." in _section(_render(make_result(plan=None)), "Migration roadmap")


def test_data_quality(export_result: AuditResult) -> None:
    quality = _section(_render(export_result), "Data quality")
    assert "| @SUM\\(A1\\) | inventory\\.csv\\:5 |" not in quality
    assert "| \\@SUM\\(A1\\) | inventory\\.csv\\:5 | R\\&D \\<b\\>Tools\\</b\\> |" in quality
    assert "| inventory\\.csv\\:7 | \\-column 'name' is empty |" in quality
    assert "- \\=warning" in quality
    assert "| Acme Zaak B\\.V\\. \\(organisation\\) | added |" in quality


def test_about(result: AuditResult) -> None:
    about = _section(_render(result), "About this report")
    assert "- Made with sovereign 0\\.1\\.0, method version 2026\\.1\\." in about
    assert "- Catalog\\: sha256\\:" + "c" * 64 in about
    assert "- inventory\\.csv\\: 6 rows, " + "a" * 64 in about


# ---------------------------------------------------------------------------------------------------------
# Safety


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_input_becomes_live_markup(export_result: AuditResult, lang: str) -> None:
    text = _render(export_result, lang)
    # No HTML at all: every angle bracket in the file is escaped (the file has no markup of its own in <>).
    assert _unescaped(text, "<") == 0 and _unescaped(text, ">") == 0
    for hostile in (HOSTILE_NAME, MARKDOWN_HOSTILE, FORMULA_NAMES["a1"]):
        assert hostile not in text
    for hostile in (HOSTILE_NAME, MARKDOWN_HOSTILE, *FORMULA_NAMES.values()):
        assert escape_markdown(hostile) in text
    # No links or images: no unescaped brackets or parentheses anywhere.
    for char in "[]()`!":
        assert _unescaped(text, char) == 0, char


def test_the_shared_result_is_escaped_too(result: AuditResult) -> None:
    text = _render(result)
    assert _unescaped(text, "<") == 0 and _unescaped(text, ">") == 0
    for hostile in (HOSTILE_NAME, HOSTILE_ATTRIBUTE, "R&D <b>Tools</b>"):
        assert hostile not in text
        assert escape_markdown(hostile) in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tables_keep_their_shape(export_result: AuditResult, lang: str) -> None:
    # An inventory value with "|" must not add a cell: every row of a table has as many borders as its header.
    lines = _render(export_result, lang).split("\n")
    for index, line in enumerate(lines):
        if line.startswith("|---"):
            header = lines[index - 1]
            row = index + 1
            while row < len(lines) and lines[row].startswith("| "):
                assert _unescaped(lines[row], "|") == _unescaped(header, "|"), lines[row]
                row += 1


def test_headings_from_input_stay_one_heading(make_result: Any) -> None:
    # A scenario's title names a node from the catalog: it must not close the heading or start a new block.
    labels = {**make_result().labels, "entity:salesforce-inc": "Evil ## Corp\n# New heading"}
    text = _render(make_result(labels=labels))
    assert "\n# New heading" not in text
    assert "### Evil \\#\\# Corp \\# New heading withdraws" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("[a](b)", "\\[a\\]\\(b\\)"),
        ("![a](b)", "\\!\\[a\\]\\(b\\)"),
        ("*a* _b_ `c` ~d~", "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~"),
        ("# h", "\\# h"),
        ("1. item", "1\\. item"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("a | b", "a \\| b"),
        ("\\", "\\\\"),
        ("{x}", "\\{x\\}"),
        ("&amp;", "\\&amp;"),
        ("https://x.nl", "https\\://x\\.nl"),
        ("a@b.nl", "a\\@b\\.nl"),
        ("$x$", "\\$x\\$"),
        ("line\nbreak\r\n  here", "line break here"),
        ("Súdwest — é", "Súdwest — é"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


def test_escape_markdown_escapes_every_special_character() -> None:
    escaped = escape_markdown(SPECIAL)
    assert escaped == "".join("\\" + char for char in SPECIAL)


# ---------------------------------------------------------------------------------------------------------
# Determinism and doctests


@pytest.mark.parametrize("lang", LANGUAGES)
def test_two_renders_are_identical(make_result: Any, lang: str) -> None:
    assert _render(make_result(), lang) == _render(make_result(), lang)


def test_doctests() -> None:
    failures, tried = doctest.testmod(sovereign.report.markdown_report)
    assert tried > 0
    assert failures == 0
