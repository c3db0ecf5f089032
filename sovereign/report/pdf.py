"""PDFs of the report pages, printed by headless Chromium from the pages already written to disk.

Chromium is the one renderer that prints these pages as a reader's browser shows them, charts included; we do
not ship it and never download it. ``find_chromium`` looks for Debian's ``/usr/bin/chromium``, then
``chromium`` and ``chromium-browser`` on the PATH. ``print_pdf`` runs it with networking, first-run and
component updates off, in a throw-away profile, with a timeout; it prints to a temp file next to the target
and renames it, so a failed print never leaves a half-written PDF. A missing or failing Chromium is a
``UserError`` that says what to do. Chromium stamps each PDF with the moment it printed it; ``print_pdf``
writes the audit's date there instead (``stamp_pdf``), so, like the pages, the PDFs are byte-identical for
identical inputs and ``--date``. This module starts a process and writes only the PDF it is asked for.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from sovereign.errors import UserError

__all__ = ["PDF_PAGES", "PDF_TIMEOUT", "find_chromium", "print_pdf", "print_report_pdfs", "stamp_pdf"]

#: The pages of a report folder that get a PDF next to them (``index.pdf``, ``raad.pdf``).
PDF_PAGES: tuple[str, ...] = ("index.html", "raad.html")
#: Seconds one page may take to print. index.html of a large inventory is a few MB with plotly.
PDF_TIMEOUT = 180.0

_DEBIAN_CHROMIUM = Path("/usr/bin/chromium")
_ON_PATH = ("chromium", "chromium-browser")
_INSTALL_HINT = "Hint: install Chromium (Debian/Ubuntu: apt-get install chromium) or leave out --pdf."
# Skia's document dates: ``/CreationDate (D:20261123140922+01'00')``, in the uncompressed Info dictionary.
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+-]\d{2}'\d{2}'\)")
_AUDIT_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def find_chromium() -> str | None:
    """The Chromium to print with: Debian's ``/usr/bin/chromium``, else ``chromium`` or ``chromium-browser``
    on the PATH; None when there is none."""
    if _DEBIAN_CHROMIUM.is_file() and os.access(_DEBIAN_CHROMIUM, os.X_OK):
        return str(_DEBIAN_CHROMIUM)
    for name in _ON_PATH:
        found = shutil.which(name)
        if found:
            return found
    return None


def _command(chromium: str, html: Path, pdf: Path, profile: str) -> list[str]:
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-extensions",
        "--disable-sync",
        # A profile of its own: never the user's, and no clash with a Chromium the user has open.
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        html.resolve().as_uri(),
    ]


def stamp_pdf(content: bytes, date: str) -> bytes:
    """``content`` with its creation and modification dates set to midnight UTC of ``date`` (YYYY-MM-DD).

    The replacement has the same length as what it replaces, so the cross-reference table's byte offsets
    stay right. A PDF without such dates is returned as it is.
    """
    if not _AUDIT_DATE.fullmatch(date):
        raise ValueError(f"not a YYYY-MM-DD date: {date!r}")
    moment = date.replace("-", "").encode("ascii") + b"000000+00'00'"
    return _PDF_DATE.sub(lambda found: b"/" + found[1] + b" (D:" + moment + b")", content)


def print_pdf(html: Path, pdf: Path, *, date: str | None = None, timeout: float = PDF_TIMEOUT) -> None:
    """Print the page ``html`` (a file on disk) to ``pdf`` with headless Chromium.

    With ``date`` (YYYY-MM-DD), the PDF's creation and modification dates are that day (``stamp_pdf``).
    Raises ``UserError`` when Chromium is missing, fails, times out or writes no PDF.
    """
    chromium = find_chromium()
    if chromium is None:
        raise UserError(f"cannot write {pdf.name}: Chromium was not found\n{_INSTALL_HINT}")
    if not html.is_file():
        raise UserError(f"cannot write {pdf.name}: {html} does not exist")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    temp = pdf.with_name(f".{pdf.name}.{os.getpid()}.tmp")
    temp.unlink(missing_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="sovereign-chromium-") as profile:
            returncode, stderr = _run(_command(chromium, html, temp, profile), timeout, pdf.name, chromium)
        if returncode != 0 or not _is_pdf(temp):
            detail = _last_line(stderr) or f"exit code {returncode}"
            raise UserError(f"cannot write {pdf.name}: Chromium ({chromium}) failed: {detail}")
        if date is not None:
            temp.write_bytes(stamp_pdf(temp.read_bytes(), date))
        os.replace(temp, pdf)
    finally:
        temp.unlink(missing_ok=True)


def print_report_pdfs(
    out: Path, pages: Sequence[str] = PDF_PAGES, *, date: str | None = None
) -> tuple[Path, ...]:
    """Print each page of the report folder ``out`` to a PDF beside it, dated ``date``; returns the PDFs written.

    Checks for Chromium once, before printing anything, so a missing browser leaves no PDF at all.
    """
    if find_chromium() is None:
        raise UserError(f"cannot write PDFs: Chromium was not found\n{_INSTALL_HINT}")
    written = []
    for page in pages:
        target = out / Path(page).with_suffix(".pdf").name
        print_pdf(out / page, target, date=date)
        written.append(target)
    return tuple(written)


def _run(command: list[str], timeout: float, name: str, chromium: str) -> tuple[int, str]:
    """Run Chromium in a session of its own, so that a timeout ends it with all its helper processes."""
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as e:
        raise UserError(f"cannot write {name}: Chromium ({chromium}) could not be started: {e}") from e
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as e:
        _kill(process)
        raise UserError(f"cannot write {name}: Chromium did not finish within {timeout:g} seconds") from e
    return process.returncode, stderr


def _kill(process: subprocess.Popen[str]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(process.pid, signal.SIGKILL)  # the whole session: Chromium's helpers too
        else:  # pragma: no cover - Windows has no process groups of this kind
            process.kill()
    except ProcessLookupError:
        pass
    process.communicate()


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""
