"""A wheel built from the repo carries the catalog: installed outside the checkout, it still audits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    try:
        import hatchling  # noqa: F401
    except ImportError:
        pytest.skip("hatchling is not installed (it is in the test extras)")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
    )
    return next(dist.glob("sovereign-*.whl"))


def test_wheel_contains_catalog(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "sovereign/catalogs/jurisdictions.yaml" in names
    assert "sovereign/catalogs/examples/gemeente-voorbeeld.csv" in names
    assert any(n.startswith("sovereign/catalogs/products/") for n in names)


def test_installed_wheel_audits_outside_the_repo(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target)}
    example = target / "sovereign" / "catalogs" / "examples" / "gemeente-voorbeeld.csv"
    where = subprocess.run(
        [sys.executable, "-c", "import sovereign; print(sovereign.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sovereign",
            "audit",
            str(example),
            "--out",
            "rapport",
            "--date",
            "2026-11-23",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads((work / "rapport" / "audit.json").read_text(encoding="utf-8"))
    assert data["accounting"]["applications"] >= 120
