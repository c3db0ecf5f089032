"""render_report and write_report: the files, byte-identical renders, atomic writes, nothing half-written."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import plotly.offline
import pytest

from sovereign.errors import UserError
from sovereign.model import AuditResult
from sovereign.report import Streamed, render_report, write_report

FILES = {"audit.json", "findings.xlsx", "index.html", "plotly.min.js", "raad.html", "report.md"}


def _bytes(files: Mapping[str, bytes | Streamed]) -> dict[str, bytes]:
    return {name: c.to_bytes() if isinstance(c, Streamed) else c for name, c in files.items()}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_render_report_files(result: AuditResult, lang: str) -> None:
    files = render_report(result, lang=lang)
    assert set(files) == FILES
    # The large files write themselves when the folder is written; the rest are rendered in memory.
    assert {name for name, content in files.items() if isinstance(content, Streamed)} == {
        "audit.json",
        "findings.xlsx",
    }
    assert all(isinstance(content, bytes | Streamed) for content in files.values())
    assert files["plotly.min.js"] == plotly.offline.get_plotlyjs().encode("utf-8")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_render_report_is_byte_identical(make_result: Any, lang: str) -> None:
    first = _bytes(render_report(make_result(), lang=lang))
    second = _bytes(render_report(make_result(), lang=lang))
    assert first == second


def test_audit_json_does_not_depend_on_language(result: AuditResult) -> None:
    nl, en = render_report(result, lang="nl")["audit.json"], render_report(result, lang="en")["audit.json"]
    assert _bytes({"x": nl}) == _bytes({"x": en})


def test_render_report_defaults_to_dutch(result: AuditResult) -> None:
    assert b'<html lang="nl">' in render_report(result)["index.html"]


def test_write_report_creates_the_folder_and_leaves_no_temp_files(
    result: AuditResult, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "voorbeeld"
    files = render_report(result)
    write_report(files, out)
    assert sorted(os.listdir(out)) == sorted(FILES)
    for name, content in _bytes(files).items():
        assert (out / name).read_bytes() == content


def test_write_report_replaces_existing_files(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("old")
    (tmp_path / "notes.txt").write_text("the user's own file")
    write_report({"index.html": b"new"}, tmp_path)
    assert (tmp_path / "index.html").read_bytes() == b"new"
    assert (tmp_path / "notes.txt").read_text() == "the user's own file"
    assert sorted(os.listdir(tmp_path)) == ["index.html", "notes.txt"]


def test_write_report_files_are_not_private(tmp_path: Path) -> None:
    # A report folder is shared; the files take the umask like any other file (mkstemp would make them 0600).
    umask = os.umask(0o022)
    try:
        write_report({"index.html": b"x"}, tmp_path)
    finally:
        os.umask(umask)
    assert (tmp_path / "index.html").stat().st_mode & 0o777 == 0o644


def test_failed_rendering_does_not_touch_out(result: AuditResult, tmp_path: Path) -> None:
    out = tmp_path / "report"
    with pytest.raises(UserError):
        # The pipeline's order: render everything in memory first, then write.
        write_report(render_report(result, lang="de"), out)
    assert not out.exists()


def test_failed_write_removes_its_temp_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: Any, target: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="disk full"):
        write_report({"index.html": b"x"}, tmp_path)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["../escape.html", "sub/index.html", "", ".."])
def test_write_report_refuses_names_outside_the_folder(tmp_path: Path, name: str) -> None:
    out = tmp_path / "report"
    with pytest.raises(ValueError, match="plain file name"):
        write_report({"index.html": b"x", name: b"y"}, out)
    assert not out.exists()


def test_a_file_that_fails_while_written_leaves_the_folder_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_bytes(b"last year")

    def fail(handle: Any) -> None:
        handle.write(b"half a file")
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError, match="rendering failed"):
        # "audit.json" is written before "index.html" (sorted); the failure comes after it was complete.
        write_report({"audit.json": b"{}", "index.html": b"new", "z.json": Streamed(fail)}, tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["index.html"]  # no temp files, nothing replaced or added
    assert (tmp_path / "index.html").read_bytes() == b"last year"


def test_a_failed_write_removes_a_folder_it_created(tmp_path: Path) -> None:
    out = tmp_path / "new"

    def fail(handle: Any) -> None:
        raise RuntimeError("rendering failed")

    with pytest.raises(RuntimeError):
        write_report({"audit.json": Streamed(fail)}, out)
    assert not out.exists()


def test_streamed_files_are_written_whole(result: AuditResult, tmp_path: Path) -> None:
    files = render_report(result, lang="en")
    write_report(files, tmp_path)
    streamed = files["findings.xlsx"]
    assert isinstance(streamed, Streamed)
    assert (tmp_path / "findings.xlsx").read_bytes() == streamed.to_bytes()
