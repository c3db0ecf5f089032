"""The report stage: an ``AuditResult`` in, the files of the report folder out.

``render_report`` renders every file in memory and ``write_report`` writes them, so a failure while rendering
never leaves a half-written folder behind. The report folder holds ``audit.json`` (machine-readable, the same
in every language), ``index.html`` (the full report) and ``plotly.min.js`` (loaded by the page from disk; the
page fetches nothing from the network). New outputs are added to ``_RENDERERS``. This package never prints,
never reads inputs of its own beyond its templates and translations, and writes only in ``write_report``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import cache
from itertools import count
from pathlib import Path

import plotly.offline

from sovereign.model import AuditResult
from sovereign.report.html import render_index_html
from sovereign.report.json_report import build_audit_json, render_audit_json
from sovereign.report.markdown_report import render_report_markdown
from sovereign.report.raad import render_raad_html
from sovereign.report.translation import LANGUAGES, Messages, load_messages
from sovereign.report.xlsx_report import render_findings_xlsx

__all__ = ["LANGUAGES", "build_audit_json", "render_report", "write_report"]


@cache
def _plotly_js() -> bytes:
    # The plotly.js bundled with the Python package, so the page and the figures always agree on the version.
    return str(plotly.offline.get_plotlyjs()).encode("utf-8")


#: File name -> renderer. Every renderer is pure: result and language in, bytes out.
_RENDERERS: dict[str, Callable[[AuditResult, Messages], bytes]] = {
    "audit.json": lambda result, messages: render_audit_json(result),
    "findings.xlsx": render_findings_xlsx,
    "index.html": lambda result, messages: render_index_html(result, messages).encode("utf-8"),
    "plotly.min.js": lambda result, messages: _plotly_js(),
    "raad.html": lambda result, messages: render_raad_html(result, messages).encode("utf-8"),
    "report.md": lambda result, messages: render_report_markdown(result, messages).encode("utf-8"),
}


def render_report(result: AuditResult, *, lang: str = "nl") -> dict[str, bytes]:
    """All files of the report folder, name -> content, rendered in memory (nothing written).

    ``lang`` is one of ``LANGUAGES``; an unknown language raises ``UserError`` before anything is rendered.
    """
    messages = load_messages(lang)
    return {name: render(result, messages) for name, render in sorted(_RENDERERS.items())}


def write_report(files: dict[str, bytes], out: Path) -> None:
    """Write atomically: each file to a temp file in ``out`` then ``os.replace``; create ``out`` if needed.

    File names must be plain names (no folders, no ``..``). A temp file is removed if its write fails.
    """
    for name in files:
        if not name or name in {".", ".."} or "/" in name or "\\" in name or os.sep in name:
            raise ValueError(f"report file name must be a plain file name, not {name!r}")
    out.mkdir(parents=True, exist_ok=True)
    for name, content in sorted(files.items()):
        _write_atomically(out / name, content)


def _write_atomically(target: Path, content: bytes) -> None:
    # Not tempfile.mkstemp: it creates files with mode 0600, and a report folder is meant to be shared.
    # os.open with 0o666 lets the user's umask decide, as for any other file they create.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for attempt in count():
        temp = target.with_name(f".{target.name}.{os.getpid()}.{attempt}.tmp")
        try:
            descriptor = os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
        break
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
