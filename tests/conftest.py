"""Shared fixtures: the tiny test catalog and an application builder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sovereign.catalog import load_catalog
from sovereign.model import Catalog

FIXTURES = Path(__file__).parent / "fixtures"
SHARED_TESTDATA = Path(__file__).resolve().parents[2] / "shared" / "testdata"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The tests keep the parsed catalog in their own cache folder, never in the user's ~/.cache."""
    os.environ["SOVEREIGN_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def mini_catalog() -> Catalog:
    return load_catalog(root=FIXTURES / "catalog" / "mini")
