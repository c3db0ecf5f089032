"""PDF printing through headless Chromium: finding it, the command line, clear errors, no half-written PDFs.

Most tests stand a small shell script in for Chromium, so they run everywhere and fast; one prints for real
where Debian's Chromium is installed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from sovereign.errors import UserError
from sovereign.report import pdf as pdf_module
from sovereign.report.pdf import find_chromium, print_pdf, print_report_pdfs


def _fake_chromium(folder: Path, body: str) -> Path:
    """An executable that stands in for Chromium; ``$PDF`` is the --print-to-pdf target, "$@" the arguments."""
    script = folder / "chromium"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --print-to-pdf=*) PDF="${a#--print-to-pdf=}";; esac; done\n'
        f'printf "%s\\n" "$@" > "{folder}/args"\n' + body + "\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return script


@pytest.fixture
def page(tmp_path: Path) -> Path:
    html = tmp_path / "raad.html"
    html.write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    return html


@pytest.fixture
def use(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Make ``find_chromium`` return a fake Chromium with the given script body."""

    def install(body: str) -> Path:
        folder = tmp_path / "bin"
        folder.mkdir(exist_ok=True)
        script = _fake_chromium(folder, body)
        monkeypatch.setattr(pdf_module, "find_chromium", lambda: str(script))
        return folder

    return install


# Finding Chromium


def test_find_chromium_prefers_debians(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    debian = _fake_chromium(tmp_path, "exit 0")
    monkeypatch.setattr(pdf_module, "_DEBIAN_CHROMIUM", debian)
    assert find_chromium() == str(debian)


@pytest.mark.parametrize("name", ["chromium", "chromium-browser"])
def test_find_chromium_on_the_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, name: str) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = _fake_chromium(folder, "exit 0").rename(folder / name)
    monkeypatch.setattr(pdf_module, "_DEBIAN_CHROMIUM", tmp_path / "missing")
    monkeypatch.setenv("PATH", str(folder))
    assert find_chromium() == str(script)


def test_find_chromium_none(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf_module, "_DEBIAN_CHROMIUM", tmp_path / "missing")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_chromium() is None


# Printing


def test_print_pdf_runs_headless_chromium_and_renames(use, page: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = use('printf "%%PDF-1.4 fake" > "$PDF"')
    target = tmp_path / "out" / "raad.pdf"
    print_pdf(page, target)
    assert target.read_bytes() == b"%PDF-1.4 fake"
    args = (folder / "args").read_text(encoding="utf-8").splitlines()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-pdf-header-footer",
    ):
        assert flag in args
    assert args[-1] == page.resolve().as_uri()
    # Printed to a temp file beside the target, then renamed; the temp file is gone.
    printed_to = next(a for a in args if a.startswith("--print-to-pdf=")).split("=", 1)[1]
    assert Path(printed_to).parent == target.parent and Path(printed_to) != target
    assert sorted(os.listdir(target.parent)) == ["raad.pdf"]


def test_missing_chromium_is_a_user_error(
    monkeypatch: pytest.MonkeyPatch, page: Path, tmp_path: Path
) -> None:
    monkeypatch.setattr(pdf_module, "find_chromium", lambda: None)
    with pytest.raises(UserError) as error:
        print_pdf(page, tmp_path / "raad.pdf")
    assert str(error.value) == (
        "cannot write raad.pdf: Chromium was not found\n"
        "Hint: install Chromium (Debian/Ubuntu: apt-get install chromium) or leave out --pdf."
    )
    with pytest.raises(UserError, match=r"^cannot write PDFs: Chromium was not found"):
        print_report_pdfs(tmp_path)
    assert not (tmp_path / "raad.pdf").exists()


def test_failing_chromium_is_a_user_error_and_leaves_nothing(use, page: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use('printf "%%PDF-half" > "$PDF"; echo "[1:2] Something broke" >&2; exit 3')
    target = tmp_path / "raad.pdf"
    target.write_bytes(b"%PDF-old")
    with pytest.raises(UserError) as error:
        print_pdf(page, target)
    assert str(error.value).startswith("cannot write raad.pdf: Chromium (")
    assert str(error.value).endswith(") failed: [1:2] Something broke")
    # The old PDF is untouched and no temp file is left.
    assert target.read_bytes() == b"%PDF-old"
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".html") == ["bin", "raad.pdf"]


def test_no_pdf_written_is_a_user_error(use, page: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use("exit 0")
    with pytest.raises(UserError, match=r"^cannot write raad.pdf: Chromium \(.*\) failed: exit code 0$"):
        print_pdf(page, tmp_path / "raad.pdf")


def test_timeout_is_a_user_error(use, page: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use("sleep 5")
    with pytest.raises(
        UserError, match=r"^cannot write raad\.pdf: Chromium did not finish within 0\.5 seconds$"
    ):
        print_pdf(page, tmp_path / "raad.pdf", timeout=0.5)
    assert not (tmp_path / "raad.pdf").exists()


def test_missing_page_is_a_user_error(use, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use("exit 0")
    with pytest.raises(UserError, match=r"^cannot write index\.pdf: .*index\.html does not exist$"):
        print_pdf(tmp_path / "index.html", tmp_path / "index.pdf")


def test_print_report_pdfs_prints_both_pages(use, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    use('printf "%%PDF-1.4" > "$PDF"')
    for name in ("index.html", "raad.html"):
        (tmp_path / name).write_text("<title>x</title>", encoding="utf-8")
    written = print_report_pdfs(tmp_path)
    assert written == (tmp_path / "index.pdf", tmp_path / "raad.pdf")
    assert all(p.read_bytes() == b"%PDF-1.4" for p in written)


@pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (apt-get install chromium)")
def test_print_pdf_with_real_chromium(tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    html.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p>Hello</p></html>', encoding="utf-8")
    print_pdf(html, tmp_path / "page.pdf")
    assert (tmp_path / "page.pdf").read_bytes().startswith(b"%PDF-")


# The PDFs' dates

_SKIA_INFO = b"<</Producer (Skia/PDF m156)\n/CreationDate (D:20261123140922+01'00')\n/ModDate (D:20261123140922+01'00')>>"


def test_stamp_pdf_writes_the_audit_date_in_the_same_length() -> None:
    content = b"%PDF-1.4\n" + _SKIA_INFO + b"\nxref\n"
    stamped = pdf_module.stamp_pdf(content, "2026-01-31")
    assert b"/CreationDate (D:20260131000000+00'00')" in stamped
    assert b"/ModDate (D:20260131000000+00'00')" in stamped
    assert len(stamped) == len(content)  # the xref offsets after it stay right
    assert b"20261123" not in stamped


def test_stamp_pdf_leaves_a_pdf_without_dates_alone() -> None:
    content = b"%PDF-1.4\n<</Producer (x)/CreationDate (D:2026)>>"  # not Skia's full form: left as it is
    assert pdf_module.stamp_pdf(content, "2026-01-31") == content
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        pdf_module.stamp_pdf(content, "31-01-2026")


def test_print_report_pdfs_dates_both_pages(use, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    info = _SKIA_INFO.decode().replace("'", "'\\''")  # quoted for the shell
    use(f"printf '%s' '%PDF-1.4 {info}' > \"$PDF\"")
    for name in ("index.html", "raad.html"):
        (tmp_path / name).write_text("<title>x</title>", encoding="utf-8")
    written = print_report_pdfs(tmp_path, date="2026-03-01")
    for path in written:
        assert b"/CreationDate (D:20260301000000+00'00')" in path.read_bytes()
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.skipif(find_chromium() is None, reason="needs Chromium (apt-get install chromium)")
def test_real_chromium_prints_the_same_bytes_twice_for_one_date(tmp_path: Path) -> None:
    html = tmp_path / "page.html"
    html.write_text('<!DOCTYPE html><html lang="en"><title>x</title><p>Hello</p></html>', encoding="utf-8")
    print_pdf(html, tmp_path / "one.pdf", date="2026-11-23")
    print_pdf(html, tmp_path / "two.pdf", date="2026-11-23")
    one = (tmp_path / "one.pdf").read_bytes()
    assert b"/CreationDate (D:20261123000000+00'00')" in one
    assert one == (tmp_path / "two.pdf").read_bytes()
