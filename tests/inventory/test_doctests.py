"""The small examples in the inventory modules' docstrings hold."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from sovereign.inventory import _headers, _values, xlsx_reader


@pytest.mark.parametrize("module", [_headers, _values, xlsx_reader], ids=lambda m: m.__name__)
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.failed == 0 and result.attempted > 0
