"""Wires the stages: ingest -> match -> graph -> assess -> report. The one entry point per CLI command.

Each function takes typed arguments and returns a plain outcome; the CLI prints it. Nothing here imports
click or exits. Reports are rendered completely in memory before anything is written, so a failure leaves no
half-written output.
"""

from ._audit import AuditOutcome, _build_landscape, assess_inventory, run_audit, summarise
from ._catalog_commands import (
    catalog_statistics,
    format_catalog_record,
    search_catalog_records,
    show_catalog_record,
    stale_catalog_facts,
    validate_catalog,
)
from ._check import run_check
from ._plan import run_plan
from ._scenario import CUT_KINDS, ScenarioRun, format_scenario, run_scenario

__all__ = [
    "CUT_KINDS",
    "AuditOutcome",
    "ScenarioRun",
    "_build_landscape",
    "assess_inventory",
    "catalog_statistics",
    "format_catalog_record",
    "format_scenario",
    "run_audit",
    "run_check",
    "run_plan",
    "run_scenario",
    "search_catalog_records",
    "show_catalog_record",
    "stale_catalog_facts",
    "summarise",
    "validate_catalog",
]
