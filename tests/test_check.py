"""`sovereign check`: one candidate against the example landscape and the default policy."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sovereign.catalog import catalog_root
from sovereign.cli import cli

EXAMPLE = catalog_root() / "examples" / "gemeente-voorbeeld.csv"
LANDSCAPE = ["--inventory", str(EXAMPLE), "--date", "2026-11-23"]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_us_saas_for_critical_personal_data_fails():
    result = run(
        "check",
        "Salesforce Service Cloud",
        *LANDSCAPE,
        "--business-critical",
        "--personal-data",
        "--depends-on",
        "Identity (Entra ID)",
        "--json",
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert {
        "verdict",
        "violations",
        "seal",
        "lawful_access",
        "continuity",
        "residency",
        "portfolio_delta",
        "alternatives",
    } <= set(data)
    assert (data["verdict"], data["seal"]) == ("fail", 0)
    assert "US" in data["lawful_access"]["countries"]
    rules = {v["rule"] for v in data["violations"]}
    assert {"min-seal-critical-personal-data", "exit-plan-critical-below-seal-3"} <= rules
    # The identity provider it depends on is part of its continuity.
    assert any("application:APP-001" in path for path in data["continuity"]["paths"])
    delta = {d["figure"]: d for d in data["portfolio_delta"]}
    assert delta["us_lawful_access_share"]["after"] > delta["us_lawful_access_share"]["before"]
    critical = delta["controller_share_business_critical"]
    assert critical["subject"] == "Salesforce, Inc." and critical["after"] > critical["before"]
    seals = [a["seal_after"] for a in data["alternatives"]]
    assert data["alternatives"] and seals[0] is not None and seals[0] >= 3
    assert seals == sorted(seals, key=lambda s: -1 if s is None else s, reverse=True)


def test_dutch_owned_dutch_hosted_passes():
    result = run(
        "check",
        "TOPdesk",
        *LANDSCAPE,
        "--business-critical",
        "--personal-data",
        "--data-location",
        "Nederland",
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["verdict"], data["seal"], data["violations"]) == ("pass", 4, [])
    assert data["lawful_access"]["countries"] == ["NL"]


CANDIDATE_YAML = """\
entities:
  - id: wolkje-bv
    name: Wolkje B.V.
    country: NL
    owners: [{entity: thoma-bravo, share: 80, as_of: 2026-01-01}]
    confidence: inferred
products:
  - id: wolkje-forms
    name: Wolkje Formulieren
    vendor: wolkje-bv
    operator: wolkje-bv
    delivery: saas
    category: e-forms
    runs_on: [aws-eu-central-1]
    confidence: inferred
"""


def test_candidate_described_in_yaml(tmp_path):
    path = tmp_path / "wolkje.yaml"
    path.write_text(CANDIDATE_YAML, encoding="utf-8")
    result = run("check", path, *LANDSCAPE, "--personal-data", "--json")
    data = json.loads(result.output)
    assert data["candidate"]["product"] == "wolkje-forms" and data["candidate"]["origin"] == "candidate"
    # Dutch company, but controlled by a US private-equity firm, on AWS in Frankfurt.
    assert data["candidate"]["controller"]["country"] == "US"
    assert data["seal"] == 1 and set(data["lawful_access"]["countries"]) == {"LU", "NL", "US"}
    assert data["residency"]["countries"] == ["DE"]


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_one_page_for_the_procurement_file(tmp_path, suffix):
    out = tmp_path / f"toets{suffix}"
    result = run(
        "check",
        "Salesforce Service Cloud",
        *LANDSCAPE,
        "--business-critical",
        "--out",
        out,
        "--name",
        '<script>alert("x")</script>',
    )
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert "Vragen aan de leverancier" in page and "Alternatieven uit de catalogus" in page
    assert '<script>alert("x")</script>' not in page
    if suffix == ".html":
        assert "&lt;script&gt;" in page and "http" not in page.split("<body>")[0].replace(
            "http-equiv", ""
        )  # nothing loaded from the network


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["Nonexistent Product Xyz"],
            "Error: 'Nonexistent Product Xyz' is not an id, name or alias in the catalog",
        ),
        (
            ["Microsoft Corporation"],
            "Error: 'Microsoft Corporation' is a entity in the catalog, not a product",
        ),
        (["TOPdesk", "--biv", "9/9/9"], "Error: --biv '9/9/9' is not a BIV rating"),
        (
            ["TOPdesk", "--depends-on", "Nergens"],
            "Error: --depends-on 'Nergens': no such application in the inventory",
        ),
        (["nergens.yaml"], "Error: nergens.yaml: candidate file does not exist"),
    ],
)
def test_bad_input_exits_2(args, message):
    result = run("check", *args, "--inventory", EXAMPLE)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.output


def test_out_must_be_html_or_markdown(tmp_path):
    result = run("check", "TOPdesk", "--out", tmp_path / "toets.pdf")
    assert result.exit_code == 2 and "the page is written as .html or .md" in result.stderr


def test_help():
    result = run("check", "--help")
    assert result.exit_code == 0 and "Example:" in result.output
