"""The report stage: an ``AuditResult`` in, the files of the report folder out.

``render_report`` renders the small files in memory and hands the large ones (``audit.json``, ``findings.xlsx``)
over as ``Streamed`` files that write themselves into an open file; ``write_report`` writes every file to a temp
file inside the report folder and renames them into place only when all of them were written, so a failure
while rendering or writing never leaves a half-written folder (or a temp file) behind. The report folder holds
``audit.json`` (machine-readable, the same in every language), ``findings.xlsx`` (every table), ``index.html``
(the full report), ``raad.html`` (the council page), ``report.md`` and ``plotly.min.js`` (loaded by the page
from disk; the page fetches nothing from the network). New outputs are added to ``_RENDERERS``. This package
never prints, never reads inputs of its own beyond its templates, its translations and plotly's script, and
writes only in ``write_report``.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import count
from pathlib import Path
from typing import BinaryIO

from sovereign.model import AuditResult
from sovereign.report._exports import load_export_messages
from sovereign.report.html import render_index_html
from sovereign.report.json_report import build_audit_json, write_audit_json
from sovereign.report.markdown_report import render_report_markdown
from sovereign.report.raad import render_raad_html
from sovereign.report.translation import LANGUAGES, Messages, load_messages
from sovereign.report.xlsx_report import write_findings_xlsx

__all__ = ["LANGUAGES", "Streamed", "build_audit_json", "render_report", "write_report"]


@dataclass(frozen=True, slots=True)
class Streamed:
    """A file that writes itself into an open binary file when the report folder is written."""

    write: Callable[[BinaryIO], None]

    def to_bytes(self) -> bytes:
        """The whole content in memory (for tests and small reports)."""
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue()


Content = bytes | Streamed


@cache
def _plotly_js() -> bytes:
    # The plotly.js bundled with the Python package, so the page and the figures always agree on the version.
    # Read as a package file: importing plotly.offline would load much of plotly for one file.
    return (resources.files("plotly") / "package_data" / "plotly.min.js").read_bytes()


#: File name -> renderer. Every renderer is pure: result and language in, content out.
_RENDERERS: dict[str, Callable[[AuditResult, Messages], Content]] = {
    "audit.json": lambda result, messages: Streamed(lambda handle: write_audit_json(result, handle)),
    "findings.xlsx": lambda result, messages: Streamed(
        lambda handle: write_findings_xlsx(result, messages, handle)
    ),
    "index.html": lambda result, messages: render_index_html(result, messages).encode("utf-8"),
    "plotly.min.js": lambda result, messages: _plotly_js(),
    "raad.html": lambda result, messages: render_raad_html(result, messages).encode("utf-8"),
    "report.md": lambda result, messages: render_report_markdown(result, messages).encode("utf-8"),
}


def render_report(result: AuditResult, *, lang: str = "nl") -> dict[str, Content]:
    """All files of the report folder, name -> bytes or a ``Streamed`` file; nothing is written.

    ``lang`` is one of ``LANGUAGES``; an unknown language raises ``UserError`` before anything is rendered.
    """
    # One set of texts (the pages' and the exports') for every file, so that index.html and report.md share
    # the report view built for the first of them (see ``view.build_report_parts``).
    messages = load_export_messages(load_messages(lang))
    return {name: render(result, messages) for name, render in sorted(_RENDERERS.items())}


def write_report(files: Mapping[str, Content], out: Path) -> None:
    """Write every file to a temp file in ``out``, then rename them all into place; create ``out`` if needed.

    File names must be plain names (no folders, no ``..``). If any file fails to render or write, every temp
    file is removed, no file in ``out`` is replaced, and a folder created for the report is removed again.
    """
    for name in files:
        if not name or name in {".", ".."} or "/" in name or "\\" in name or os.sep in name:
            raise ValueError(f"report file name must be a plain file name, not {name!r}")
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    temps: list[tuple[Path, Path]] = []
    try:
        for name, content in sorted(files.items()):
            target = out / name
            temps.append((_write_temp(target, content), target))
        for temp, target in temps:
            os.replace(temp, target)
    except BaseException:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
        if created and not any(out.iterdir()):
            out.rmdir()
        raise


def _write_temp(target: Path, content: Content) -> Path:
    """``content`` in a new temp file next to ``target``; the temp file is removed if writing fails."""
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
        with os.fdopen(descriptor, "wb", buffering=1 << 20) as handle:
            if isinstance(content, Streamed):
                content.write(handle)
            else:
                handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return temp
