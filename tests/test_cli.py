"""End-to-end CLI tests: happy paths, every user-error case (exit 2, one message, no traceback), --help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sovereign.catalog import catalog_root
from sovereign.cli import cli

EXAMPLE = catalog_root() / "examples" / "gemeente-voorbeeld.csv"
REPORT_FILES = ["audit.json", "findings.xlsx", "index.html", "plotly.min.js", "raad.html", "report.md"]


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def user_error(result) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr


# ---------------------------------------------------------------------------------------------------------
# audit


def test_audit_example_writes_report(tmp_path):
    out = tmp_path / "rapport"
    result = run("audit", EXAMPLE, "--out", out, "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == REPORT_FILES
    assert f"Report: {out / 'index.html'}" in result.output
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    accounting = data["accounting"]
    assert accounting["read"] == accounting["applications"] + accounting["merged"] + accounting["rejected"]
    assert data["date"] == "2026-11-23"


def test_audit_example_matches_at_least_95_percent(tmp_path):
    run("audit", EXAMPLE, "--out", tmp_path, "--date", "2026-11-23")
    data = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    apps = data["applications"]
    matched = [a for a in apps if a["match"]["product"]]
    assert len(apps) >= 120
    assert len(matched) / len(apps) >= 0.95, sorted(a["name"] for a in apps if not a["match"]["product"])


def test_audit_is_byte_identical_for_same_inputs_and_date(tmp_path):
    for name in ("a", "b"):
        assert run("audit", EXAMPLE, "--out", tmp_path / name, "--date", "2026-11-23").exit_code == 0
    for file in ("audit.json", "index.html"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_audit_english(tmp_path):
    result = run("audit", EXAMPLE, "--out", tmp_path, "--lang", "en", "--date", "2026-11-23")
    assert result.exit_code == 0
    assert '<html lang="en"' in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_audit_cp1252_semicolon_dutch_headers_keeps_accents(tmp_path):
    inventory = tmp_path / "inventaris.csv"
    inventory.write_bytes(
        "Applicatie;Leverancier;Hosting;Afdeling\n"
        "Key2Financiën;Centric;SaaS;Financiën\n"
        "Exchange Online;Microsoft;SaaS;Informatievoorziening & ICT\n".encode("cp1252")
    )
    result = run("audit", inventory, "--out", tmp_path / "out", "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    rows = {a["name"]: a for a in data["applications"]}
    assert rows["Key2Financiën"]["department"] == "Financiën"
    assert rows["Key2Financiën"]["match"]["product"] == "centric-key2financien"
    assert rows["Exchange Online"]["lawful_access"]["countries"] == ["IE", "US"]


# ---------------------------------------------------------------------------------------------------------
# user errors


def _truncated_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Applicatie", "Leverancier"])
    wb.active.append(["Zaaksysteem", "Mintlab"])
    full = path.with_suffix(".full.xlsx")
    wb.save(full)
    path.write_bytes(full.read_bytes()[:400])
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty.csv: the file is empty"),
        (
            "no_name.csv",
            b"Leverancier;Hosting\nCentric;SaaS\n",
            "no_name.csv:1: no column with the application name",
        ),
        ("garbage.csv", bytes(range(256)) * 4, "garbage.csv: not a text file"),
        ("quote.csv", b'Applicatie,Leverancier\n"Zaaksysteem,Mintlab\nMail,Microsoft\n', "quote.csv:2: "),
        ("inventory.pdf", b"%PDF-1.4", "inventory.pdf: "),
    ],
)
def test_audit_bad_files(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    stderr = user_error(run("audit", path, "--out", out))
    assert stderr.startswith(f"Error: {tmp_path}/{message}"), stderr
    assert not out.exists()


def test_audit_truncated_xlsx(tmp_path):
    path = _truncated_xlsx(tmp_path / "kapot.xlsx")
    stderr = user_error(run("audit", path, "--out", tmp_path / "out"))
    assert stderr.startswith(f"Error: {path}: "), stderr
    assert not (tmp_path / "out").exists()


def test_audit_missing_path(tmp_path):
    stderr = user_error(run("audit", tmp_path / "nergens.csv", "--out", tmp_path / "out"))
    assert stderr.startswith(f"Error: {tmp_path}/nergens.csv: "), stderr


def test_audit_directory(tmp_path):
    stderr = user_error(run("audit", tmp_path, "--out", tmp_path / "out"))
    assert stderr.startswith(f"Error: {tmp_path}: "), stderr


def test_audit_bad_date(tmp_path):
    result = run("audit", EXAMPLE, "--date", "23-11-2026", "--out", tmp_path)
    assert result.exit_code == 2
    assert "'23-11-2026' is not a date like 2026-11-23" in result.stderr


def test_audit_bad_overlay_catalog(tmp_path):
    overlay = tmp_path / "eigen"
    (overlay / "products").mkdir(parents=True)
    (overlay / "products" / "p.yaml").write_text(
        "products:\n  - {id: x, name: X, vendor: nobody, delivery: saas, confidence: inferred, reason: test}\n"
    )
    stderr = user_error(run("audit", EXAMPLE, "--catalog", overlay, "--out", tmp_path / "out"))
    assert (
        stderr == f"Error: {overlay}/products/p.yaml:2: product 'x': vendor 'nobody' is not a known entity\n"
    )
    assert not (tmp_path / "out").exists()


def test_debug_shows_traceback(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    result = CliRunner().invoke(cli, ["--debug", "audit", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and result.exception is not None


@pytest.mark.parametrize(
    ("args", "code", "stdout", "stderr"),
    [
        (["--version"], 0, "sovereign, version", ""),
        (["audit", "nergens.csv"], 2, "", "Error: nergens.csv: "),
        (["audit", "--bogus"], 2, "", "No such option"),
    ],
)
def test_console_script_keeps_exit_codes_and_output(tmp_path, args, code, stdout, stderr):
    """``sovereign`` (``cli.main``) ends with a hard exit that skips freeing the audit's objects: the exit
    code and everything printed must still come through."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "sovereign", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == code, done.stderr
    assert stdout in done.stdout and stderr in done.stderr
    assert "Traceback" not in done.stderr


def test_console_script_writes_the_report_and_its_summary(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "rapport"
    done = subprocess.run(
        [sys.executable, "-m", "sovereign", "audit", str(EXAMPLE), "--out", str(out), "--date", "2026-11-23"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith(f"Report: {out / 'index.html'}")
    assert "Read " in done.stdout
    assert sorted(p.name for p in out.iterdir()) == REPORT_FILES


# ---------------------------------------------------------------------------------------------------------
# catalog validate, help


def test_catalog_validate():
    result = run("catalog", "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Catalog is valid: ")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["audit"],
        ["catalog"],
        ["catalog", "validate"],
        ["catalog", "show"],
        ["catalog", "search"],
        ["catalog", "stale"],
        ["catalog", "stats"],
    ],
)
def test_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        assert command.help, name
    assert "Example:" in cli.commands["audit"].help
    for name, command in cli.commands["catalog"].commands.items():  # type: ignore[attr-defined]
        assert "Example:" in command.help, name


def _example_as_xlsx(path: Path) -> Path:
    """The example inventory saved as a workbook with a title row above the header, as people keep it."""
    import csv

    from openpyxl import Workbook

    wb = Workbook()
    sheet = wb.active
    sheet.title = "Applicaties"
    sheet.append(["Applicatieoverzicht Gemeente Voorbeeld, peildatum 1 oktober 2026"])
    with EXAMPLE.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter=";"):
            sheet.append(row)
    wb.save(path)
    return path


def test_audit_xlsx_gives_the_same_assessment_as_csv(tmp_path):
    workbook = _example_as_xlsx(tmp_path / "inventaris.xlsx")
    assert run("audit", workbook, "--out", tmp_path / "x", "--date", "2026-11-23").exit_code == 0
    assert run("audit", EXAMPLE, "--out", tmp_path / "c", "--date", "2026-11-23").exit_code == 0
    x = json.loads((tmp_path / "x" / "audit.json").read_text(encoding="utf-8"))
    c = json.loads((tmp_path / "c" / "audit.json").read_text(encoding="utf-8"))
    assert x["accounting"] == c["accounting"]
    assert x["applications"][0]["source"] == f"{workbook}:Applicaties:3"

    def flat(data):
        return [
            (a["id"], a["match"]["product"], a["seal"], a["lawful_access"]["countries"])
            for a in data["applications"]
        ]

    assert flat(x) == flat(c)


def test_audit_two_inventories_accounts_for_every_row(tmp_path):
    saas = tmp_path / "saas.csv"
    saas.write_text("Application,Vendor,Hosting\nSlack,Salesforce,SaaS\nZoom,Zoom,SaaS\n\n", encoding="utf-8")
    result = run("audit", EXAMPLE, saas, "--out", tmp_path / "out", "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "audit.json").read_text(encoding="utf-8"))
    assert [i["rows"] for i in data["inputs"]] == [138, 2]
    assert data["accounting"] == {"read": 140, "applications": 138, "merged": 1, "rejected": 1}
    slack = next(a for a in data["applications"] if a["name"] == "Slack")
    assert slack["source"] == f"{saas}:2" and "US" in slack["lawful_access"]["countries"]


# ---------------------------------------------------------------------------------------------------------
# catalog show, search, stale, stats


def test_catalog_show_json_contract():
    result = run("catalog", "show", "Azure West Europe", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"kind", "id", "name", "country", "controller", "chain", "runs_on", "sources"} <= set(data)
    assert (data["kind"], data["id"], data["country"]) == ("hosting", "azure-westeurope", "NL")
    assert data["controller"] == {"id": "microsoft-corp", "name": "Microsoft Corporation", "country": "US"}
    assert [link["id"] for link in data["chain"]] == ["microsoft-ireland", "microsoft-corp"]
    assert data["chain"][0]["share"] == 100


def test_catalog_show_product_by_alias_has_vendor_operator_and_platform():
    data = json.loads(run("catalog", "show", "Office 365", "--json").output)
    assert data["id"] == "microsoft-365"
    assert data["controller"]["country"] == "US"
    assert data["operator"]["id"] == "microsoft-ireland"
    assert [r["id"] for r in data["runs_on"]] == ["microsoft-azure"]
    text = run("catalog", "show", "Office 365").output
    assert "owned 100 % by Microsoft Corporation (US)" in text


def test_catalog_show_unknown_name_suggests():
    stderr = user_error(run("catalog", "show", "Mikrosoft"))
    assert stderr.startswith(
        "Error: 'Mikrosoft' is not an id, name or alias in the catalog\nHint: did you mean "
    )
    assert "microsoft-corp" in stderr


def test_catalog_show_local_overlay(tmp_path):
    overlay = tmp_path / "eigen"
    (overlay / "products").mkdir(parents=True)
    (overlay / "products" / "p.yaml").write_text(
        "products:\n  - id: centric-key2burgerzaken\n    name: Key2Burgerzaken\n    vendor: centric-it-solutions\n"
        "    delivery: on-premise\n    confidence: verified\n    reason: Installed in our own data centre\n"
        "    sources: [{url: 'https://intranet.example/contract-2024-17', title: Contract 2024-17,"
        " checked: 2026-10-01}]\n",
        encoding="utf-8",
    )
    result = run("catalog", "show", "Key2Burgerzaken", "--catalog", overlay, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["origin"], data["delivery"], data["reason"]) == (
        "local",
        "on-premise",
        "Installed in our own data centre",
    )


def test_catalog_search():
    result = run("catalog", "search", "visma", "--json")
    ids = [r["id"] for r in json.loads(result.output)]
    assert "visma-youforce" in ids and "visma-as" in ids


def test_catalog_stats_json():
    data = json.loads(run("catalog", "stats", "--json").output)
    assert {"entities", "products", "hosting_regions", "alternatives", "with_sources_share"} <= set(data)
    assert data["entities"] >= 120 and 0 < data["with_sources_share"] <= 1


def test_catalog_stale_counts_back_from_date():
    none = json.loads(run("catalog", "stale", "--months", "1", "--date", "2026-11-23", "--json").output)
    later = json.loads(run("catalog", "stale", "--months", "1", "--date", "2027-06-01", "--json").output)
    assert all(r["checked"] is None for r in none)  # everything with a source was checked recently
    assert len(later) > len(none) and any(r["checked"] for r in later)


def test_audit_reports_what_local_knowledge_changed(tmp_path):
    overlay = tmp_path / "eigen"
    (overlay / "products").mkdir(parents=True)
    (overlay / "products" / "burgerzaken.yaml").write_text(
        "products:\n  - id: centric-key2burgerzaken\n    name: Key2Burgerzaken\n    vendor: centric-it-solutions\n"
        "    operator: centric-it-solutions\n    delivery: saas\n    data_locations: [NL]\n"
        "    confidence: verified\n    reason: Contract 2024-17 puts our data in the Netherlands\n"
        "    sources: [{url: 'https://intranet.example/contract-2024-17', title: Contract 2024-17,"
        " checked: 2026-10-01}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = run("audit", EXAMPLE, "--catalog", overlay, "--out", out, "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads((out / "audit.json").read_text(encoding="utf-8"))
    [fact] = data["local_knowledge"]
    assert (fact["id"], fact["overrides"], fact["reason"]) == (
        "centric-key2burgerzaken",
        True,
        "Contract 2024-17 puts our data in the Netherlands",
    )
    users = [a for a in data["applications"] if a["match"]["product"] == "centric-key2burgerzaken"]
    assert users and sorted(fact["applications"]) == sorted(a["id"] for a in users)
    assert {a["match"]["method"] for a in users} == {"local"}
    page = (out / "index.html").read_text(encoding="utf-8")
    assert "Contract 2024-17 puts our data in the Netherlands" in page and "vervangt de catalogus" in page


# ---------------------------------------------------------------------------------------------------------
# scenario


def test_scenario_json_contract():
    result = run("scenario", EXAMPLE, "--cut", "country:US", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["cut"] == ["country:US"]
    assert {"name", "criticality", "via"} <= set(data["stopped"][0])
    assert data["unaffected"] + len(data["stopped"]) + len(data["uncertain"]) == data["applications"]
    mail = next(s for s in data["stopped"] if s["name"] == "Mail")
    assert mail["via"][-1] == "country:US"


def test_scenario_text_and_several_cuts():
    one = run("scenario", EXAMPLE, "--cut", "product:Amazon Web Services")
    both = run(
        "scenario", EXAMPLE, "--cut", "product:Amazon Web Services", "--cut", "entity:Microsoft Corporation"
    )
    assert one.exit_code == both.exit_code == 0, one.output + both.output
    assert one.output.startswith("Cut: Amazon Web Services (product:aws)\n")
    count = int(one.output.splitlines()[1].split()[0])
    assert int(both.output.splitlines()[1].split()[0]) > count


@pytest.mark.parametrize(
    ("cut", "message"),
    [
        (
            "land:US",
            "Error: --cut 'land:US': expected KIND:NAME with KIND one of country, entity, product, region, "
            "application\n",
        ),
        (
            "country:Atlantis",
            "Error: --cut 'country:Atlantis': 'Atlantis' is not a country code or name in the catalog\n",
        ),
        (
            "entity:Microsoft 365",
            "Error: --cut 'entity:Microsoft 365': 'Microsoft 365' is a product in the "
            "catalog, not a entity\n",
        ),
    ],
)
def test_scenario_bad_cut(cut, message):
    assert user_error(run("scenario", EXAMPLE, "--cut", cut)) == message


def test_every_command_appears_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    names = [f"sovereign {n}" for n in cli.commands if n != "catalog"]
    names += [f"sovereign catalog {n}" for n in cli.commands["catalog"].commands]  # type: ignore[attr-defined]
    assert [n for n in names if n not in readme] == []


# ---------------------------------------------------------------------------------------------------------
# plan


def test_plan_json_contract():
    result = run("plan", EXAMPLE, "--json", "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    option = next(o for o in data["options"] if o["alternatives"])
    assert {"application", "alternatives"} <= set(option)
    assert {"id", "name", "controller", "seal_after", "effort"} <= set(option["alternatives"][0])
    assert "country" in option["alternatives"][0]["controller"]
    assert data["waves"] and {"applications", "projected"} <= set(data["waves"][0])
    assert "us_lawful_access_share" in data["waves"][0]["projected"]
    assert isinstance(data["quick_wins"], list)
    # The identity provider that most applications stand on moves in the first ordered wave.
    first = next(w for w in data["waves"] if w["number"] == 1)
    assert "APP-001" in first["applications"]
    shares = [w["projected"]["us_lawful_access_share"] for w in data["waves"]]
    assert shares[-1] < data["baseline"]["us_lawful_access_share"]


def test_plan_text_and_effort_limit():
    low = run("plan", EXAMPLE, "--max-effort", "low", "--date", "2026-11-23")
    high = run("plan", EXAMPLE, "--date", "2026-11-23")
    assert low.exit_code == high.exit_code == 0
    assert "(effort up to low)" in low.output and "Wave 1:" in high.output
    assert low.output.count(" -> ") < high.output.count(" -> ")


def test_plan_bad_effort():
    result = run("plan", EXAMPLE, "--max-effort", "enorm")
    assert result.exit_code == 2 and "Invalid value for '--max-effort'" in result.stderr


def test_format_forces_a_reader(tmp_path):
    inventory = tmp_path / "apps.txt"
    inventory.write_text("Application,Vendor,Hosting\nSlack,Salesforce,SaaS\n", encoding="utf-8")
    result = run("audit", inventory, "--format", "csv", "--out", tmp_path / "out", "--date", "2026-11-23")
    assert result.exit_code == 0, result.output
    bad = run("audit", inventory, "--format", "dbase", "--out", tmp_path / "out2")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: unknown format 'dbase'; sovereign reads ")
    assert not (tmp_path / "out2").exists()


def test_pdf_without_chromium_says_so_and_writes_nothing(tmp_path, monkeypatch):
    import sovereign.report.pdf

    monkeypatch.setattr(sovereign.report.pdf, "find_chromium", lambda: None)
    result = run("audit", EXAMPLE, "--pdf", "--out", tmp_path / "out")
    assert user_error(result) == (
        "Error: --pdf: Chromium was not found, so no PDF can be written\n"
        "Hint: install Chromium (Debian/Ubuntu: apt-get install chromium) or leave out --pdf.\n"
    )
    assert not (tmp_path / "out").exists()
