"""The command line: click options in, one ``pipeline`` call, output and exit code out.

This is the only module that imports click or exits. User errors (``UserError``) become one message on
stderr and exit code 2 in ``SovereignGroup.invoke``, nowhere else; anything else is a bug and shows its
traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .errors import UserError

if TYPE_CHECKING:
    from . import pipeline
else:

    class _Pipeline:
        """``sovereign.pipeline``, imported when a command first runs: ``sovereign --help`` and option errors
        never pay for the catalog, the model or the readers."""

        def __getattr__(self, name: str) -> Any:
            import importlib

            return getattr(importlib.import_module("sovereign.pipeline"), name)

    pipeline = _Pipeline()

__all__ = ["cli", "main"]

F = TypeVar("F", bound=Callable[..., Any])


class _UserFacingError(click.ClickException):
    exit_code = 2  # click's default is 1; 2 matches click.UsageError

    def show(self, file: Any = None) -> None:
        click.echo(f"Error: {self.format_message()}", err=True)


@dataclass
class _State:
    debug: bool = False


class SovereignGroup(click.Group):
    """Turns ``UserError`` into a one-message exit 2; ``--debug`` shows the traceback instead."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as e:
            state = ctx.find_object(_State)
            if state is not None and state.debug:
                raise
            raise _UserFacingError(str(e)) from None


def catalog_option(f: F) -> F:
    """``--catalog DIR`` (repeatable): local overlay folders on top of the shipped catalog."""
    return click.option(
        "--catalog",
        "catalogs",
        multiple=True,
        type=click.Path(path_type=Path, file_okay=False, dir_okay=True, exists=True),
        help="A local catalog folder whose records override the shipped catalog (repeatable).",
    )(f)


def policy_option(f: F) -> F:
    """``--policy FILE``: the rules (and criticality weights) to hold the landscape to."""
    return click.option(
        "--policy",
        type=click.Path(path_type=Path, dir_okay=False, exists=False),
        default=None,
        help="A policy YAML (default: the shipped Dutch public-sector policy, catalogs/policies/default.yaml).",
    )(f)


def _parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"'{value}' is not a date like 2026-11-23") from None


#: One or more inventory files, or folders of an Archi CSV export.
inventory_argument = click.argument(
    "inventory", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=True, exists=False)
)


def format_option(f: F) -> F:
    """``--format NAME``: read every inventory as this format instead of detecting it."""
    return click.option(
        "--format",
        "input_format",
        default=None,
        metavar="NAME",
        help="Read the inventories as csv, xlsx, archimate, archi-csv, cyclonedx or softwarecatalogus "
        "(default: by suffix and content).",
    )(f)


def lang_option(help_text: str) -> Callable[[F], F]:
    """``--lang nl|en``: the language of what the command writes (Dutch by default)."""
    return click.option(
        "--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help=help_text
    )


def json_option(what: str) -> Callable[[F], F]:
    """``--json``: print the command's outcome as JSON instead of text."""
    return click.option("--json", "as_json", is_flag=True, help=f"Print the {what} as JSON.")


def date_option(help_text: str) -> Callable[[F], F]:
    """``--date YYYY-MM-DD`` (default today), checked and passed on as an ISO date string."""
    return click.option(
        "--date", "date", callback=_parse_date, default=None, metavar="YYYY-MM-DD", help=help_text
    )


@click.group(cls=SovereignGroup)
@click.version_option(__version__, prog_name="sovereign")
@click.option("--debug", is_flag=True, help="Show the full traceback of errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Audit a municipality's dependence on US Big Tech, from its application inventory.

    \b
    Example:
        sovereign audit inventaris.xlsx --out rapport/
    """
    ctx.obj = _State(debug=debug)


@cli.command()
@inventory_argument
@format_option
@catalog_option
@policy_option
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Report folder. Default: reports/<inventory name>/.",
)
@lang_option("Language of the report.")
@date_option("The report date (default: today). Same inputs and date give byte-identical reports.")
@click.option("--pdf", is_flag=True, help="Also print index.html and raad.html to PDF (needs Chromium).")
def audit(
    inventory: tuple[Path, ...],
    input_format: str | None,
    catalogs: tuple[Path, ...],
    policy: Path | None,
    out: Path | None,
    lang: str,
    date: str,
    pdf: bool,
) -> None:
    """Audit one or more inventories and write a report folder.

    Inventories are CSV or XLSX spreadsheets, ArchiMate exchange files (.xml),
    Archi CSV exports (a folder or .zip), CycloneDX SaaSBOMs or Softwarecatalogus
    register exports (.json); several are merged into one landscape.

    The folder holds index.html (the full report), raad.html (the council's
    page), findings.xlsx (every table), report.md and audit.json (every figure,
    with the evidence path behind it).

    \b
    Example:
        sovereign audit inventaris.csv
        sovereign audit inventaris.xlsx --catalog eigen-catalogus/ --lang en --out rapport/
    """
    if out is None:
        out = Path("reports") / inventory[0].stem
    outcome = pipeline.run_audit(
        list(inventory),
        catalogs=list(catalogs),
        out=out,
        lang=lang,
        date=date,
        policy=policy,
        input_format=input_format,
        pdf=pdf,
    )
    click.echo(outcome.summary)
    click.echo(f"Report: {outcome.index_path}")
    for path in outcome.pdfs:
        click.echo(f"PDF: {path}")


@cli.command()
@inventory_argument
@format_option
@click.option(
    "--cut",
    "cuts",
    multiple=True,
    required=True,
    metavar="KIND:NAME",
    help="What is cut off: country:US, entity:Microsoft, product:Azure, region:'AWS Frankfurt', "
    "application:'Identity (Entra ID)'. Repeatable.",
)
@catalog_option
@json_option("outcome")
def scenario(
    inventory: tuple[Path, ...],
    input_format: str | None,
    cuts: tuple[str, ...],
    catalogs: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Show what stops when a country, company, product or region withdraws or fails.

    An application stops when a party it needs (operator, platform, vendor,
    or anyone controlling them) is cut, or when an application it depends on stops.

    \b
    Example:
        sovereign scenario inventaris.csv --cut country:US
        sovereign scenario inventaris.csv --cut entity:Microsoft --cut product:AWS --json
    """
    run = pipeline.run_scenario(
        list(inventory), list(cuts), catalogs=list(catalogs), input_format=input_format
    )
    if as_json:
        from .report.json_report import scenario_json

        _echo_json(
            {
                **scenario_json(run.outcome),
                "cut_labels": {n: label for _, n, label in run.cuts},
                "applications": run.applications,
            }
        )
    else:
        click.echo(pipeline.format_scenario(run))


@cli.command()
@click.argument("candidate")
@click.option(
    "--inventory",
    "inventories",
    multiple=True,
    type=click.Path(path_type=Path, exists=False),
    help="The current landscape (any inventory format, repeatable), to show what the candidate changes.",
)
@format_option
@catalog_option
@policy_option
@click.option(
    "--business-critical/--not-business-critical",
    default=None,
    help="Whether the candidate will be business-critical.",
)
@click.option(
    "--personal-data/--no-personal-data", default=None, help="Whether it will process personal data."
)
@click.option("--biv", default=None, metavar="B/I/V", help="Its BIV rating, e.g. 3/3/2 or H/H/M.")
@click.option(
    "--depends-on",
    "depends_on",
    multiple=True,
    metavar="NAME",
    help="An application of the inventory it will depend on, e.g. the identity provider (repeatable).",
)
@click.option(
    "--hosting", default=None, help="Where it will run, as an inventory writes it (default: the product's)."
)
@click.option(
    "--data-location",
    default=None,
    metavar="COUNTRIES",
    help="Where the contract puts its data, e.g. 'Nederland' or 'NL, DE' (default: the catalog's).",
)
@click.option("--name", default=None, help="The name the application will have (default: the product's).")
@json_option("outcome")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write a one-page report for the procurement file: .html or .md.",
)
@lang_option("Language of the --out page.")
@date_option("The date on the page (default: today).")
def check(
    candidate: str,
    inventories: tuple[Path, ...],
    input_format: str | None,
    catalogs: tuple[Path, ...],
    policy: Path | None,
    business_critical: bool | None,
    personal_data: bool | None,
    biv: str | None,
    depends_on: tuple[str, ...],
    hosting: str | None,
    data_location: str | None,
    name: str | None,
    as_json: bool,
    out: Path | None,
    lang: str,
    date: str,
) -> None:
    """Judge one candidate purchase against the landscape and the policy.

    CANDIDATE is a product in the catalog (name, alias or id), or a YAML file that
    describes a new product in the catalog's format (a `products:` list with one
    product, plus `entities:` or `hosting:` it needs). Exit code 0 passes, 1
    fails the policy, 2 means bad input.

    \b
    Example:
        sovereign check "Salesforce Service Cloud" --inventory inventaris.csv \\
            --business-critical --personal-data --depends-on "Identity (Entra ID)"
        sovereign check nieuwe-saas.yaml --inventory inventaris.csv --out toets.html
    """
    from .report import write_report
    from .report.check_page import check_json, render_check_html, render_check_markdown, render_check_text

    if out is not None and out.suffix.lower() not in (".html", ".md"):
        raise click.BadParameter("the page is written as .html or .md", param_hint="--out")
    outcome = pipeline.run_check(
        candidate,
        inventories=list(inventories),
        input_format=input_format,
        catalogs=list(catalogs),
        policy=policy,
        business_critical=business_critical,
        personal_data=personal_data,
        biv=biv,
        depends_on=list(depends_on),
        hosting=hosting,
        data_location=data_location,
        name=name,
        date=date,
    )
    if out is not None:
        page = (
            render_check_html(outcome, lang=lang)
            if out.suffix.lower() == ".html"
            else render_check_markdown(outcome, lang=lang)
        )
        write_report({out.name: page}, out.parent)
    if as_json:
        _echo_json(check_json(outcome))
    else:
        click.echo(render_check_text(outcome))
        if out is not None:
            click.echo(f"\nPage: {out}")
    ctx = click.get_current_context()
    ctx.exit(1 if outcome.verdict == "fail" else 0)


@cli.command()
@inventory_argument
@format_option
@catalog_option
@policy_option
@click.option(
    "--max-effort",
    type=click.Choice(["low", "medium", "high"]),
    default="high",
    show_default=True,
    help="Only plan moves of at most this relative effort.",
)
@json_option("plan")
@date_option("The plan's date (default: today).")
def plan(
    inventory: tuple[Path, ...],
    input_format: str | None,
    catalogs: tuple[Path, ...],
    policy: Path | None,
    max_effort: str,
    as_json: bool,
    date: str,
) -> None:
    """Plan the migration: options for every application below the policy's bar, quick wins, and waves.

    Waves follow the dependency graph (what others stand on moves first); each
    wave shows the portfolio figures after it, from re-assessing the changed
    landscape. Business-critical applications at SEAL 0 or 1 get an exit outline.

    \b
    Example:
        sovereign plan inventaris.csv
        sovereign plan inventaris.csv --max-effort medium --json
    """
    from .report.plan_json import plan_json, render_plan_text

    result = pipeline.run_plan(
        list(inventory),
        catalogs=list(catalogs),
        policy=policy,
        max_effort=max_effort,
        date=date,
        input_format=input_format,
    )
    if as_json:
        _echo_json(plan_json(result))
    else:
        click.echo(render_plan_text(result))


@cli.group()
def catalog() -> None:
    """Inspect and check the catalog of vendors, products, hosting and jurisdictions."""


@catalog.command("validate")
@catalog_option
def catalog_validate(catalogs: tuple[Path, ...]) -> None:
    """Check the shipped catalog (and local overlays): schema, references, cycles, aliases.

    Prints what it found; exits 2 listing every problem with file, line and record.

    \b
    Example:
        sovereign catalog validate --catalog eigen-catalogus/
    """
    click.echo(pipeline.validate_catalog(list(catalogs)))


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))


@catalog.command("show")
@click.argument("name_or_id")
@catalog_option
@json_option("record")
def catalog_show(name_or_id: str, catalogs: tuple[Path, ...], as_json: bool) -> None:
    """Show one record (found by id, name or alias) with its ultimate controller and the chain to it.

    For a product also its vendor, operator, platforms and data locations.

    \b
    Example:
        sovereign catalog show Youforce
        sovereign catalog show microsoft-ireland --json
    """
    data = pipeline.show_catalog_record(name_or_id, list(catalogs))
    if as_json:
        _echo_json(data)
    else:
        click.echo(pipeline.format_catalog_record(data))


@catalog.command("search")
@click.argument("text")
@catalog_option
@json_option("results")
def catalog_search(text: str, catalogs: tuple[Path, ...], as_json: bool) -> None:
    """Find records whose id, name or alias contains or resembles TEXT.

    \b
    Example:
        sovereign catalog search visma
    """
    results = pipeline.search_catalog_records(text, list(catalogs))
    if as_json:
        _echo_json(results)
        return
    if not results:
        click.echo(f"Nothing in the catalog resembles '{text}'.")
    for r in results:
        click.echo(f"{r['kind']:<12} {r['id']:<40} {r['name']}")


@catalog.command("stale")
@catalog_option
@click.option(
    "--months",
    type=click.IntRange(min=0),
    default=12,
    show_default=True,
    help="Facts whose newest source is older than this are stale.",
)
@date_option("Count back from this date (default: today).")
@json_option("list")
def catalog_stale(catalogs: tuple[Path, ...], months: int, date: str, as_json: bool) -> None:
    """List facts not checked in the last N months, and facts without any source.

    \b
    Example:
        sovereign catalog stale --months 6
    """
    stale = pipeline.stale_catalog_facts(list(catalogs), date=date, months=months)
    if as_json:
        _echo_json(stale)
        return
    for r in stale:
        click.echo(f"{r['checked'] or 'never':<10} {r['kind']:<12} {r['id']:<40} {r['confidence']}")
    click.echo(f"{len(stale)} records not checked since {months} months before {date} (or never).")


@catalog.command("stats")
@catalog_option
@json_option("figures")
def catalog_stats(catalogs: tuple[Path, ...], as_json: bool) -> None:
    """Count the catalog's records and how many carry sources.

    \b
    Example:
        sovereign catalog stats --json
    """
    stats = pipeline.catalog_statistics(list(catalogs))
    if as_json:
        _echo_json(stats)
        return
    c = stats["confidence"]
    click.echo(
        f"{stats['entities']} entities, {stats['products']} products, {stats['hosting_regions']} hosting regions, "
        f"{stats['alternatives']} alternatives, {stats['jurisdictions']} jurisdictions, {stats['laws']} laws.\n"
        f"With sources: {stats['with_sources_share']:.0%} of records; confidence: {c['verified']} verified, "
        f"{c['reported']} reported, {c['inferred']} inferred.\n"
        f"Adopters of alternatives: {stats['adopters']} ({stats['adopters_with_sources']} with a source).\n"
        f"Digest: {stats['digest']}"
    )


def main() -> None:
    """The ``sovereign`` console script: ``cli``, then an exit that does not free the audit's objects one by
    one (as mypy's ``hard_exit`` does). A national audit leaves millions of them, partly in reference cycles
    that the interpreter's final collection walks; that took seconds after the report was already written.
    Output is flushed first; nothing else runs at exit (no atexit handlers are registered here)."""
    import contextlib
    import os
    import sys

    try:
        cli()  # standalone mode: always ends in SystemExit
        code: object = 0
    except SystemExit as stop:
        code = stop.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)  # what SystemExit itself would print
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (``| head``): nothing more to deliver
            stream.flush()
    os._exit(code)
