"""Translation files and the locale formatting helpers."""

from __future__ import annotations

import doctest
import string
from typing import Any

import pytest

import sovereign.report._palette
import sovereign.report.charts
import sovereign.report.translation
from sovereign.errors import UserError
from sovereign.report.translation import (
    LANGUAGES,
    format_date,
    format_number,
    format_percent,
    load_messages,
)


def _flatten(node: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(node, dict):
        flat: dict[str, Any] = {}
        for key, value in node.items():
            flat.update(_flatten(value, f"{prefix}{key}."))
        return flat
    return {prefix.rstrip("."): node}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_languages_have_the_same_keys_and_placeholders() -> None:
    nl = _flatten(load_messages("nl").texts)
    en = _flatten(load_messages("en").texts)
    assert set(nl) == set(en)
    for key, text in nl.items():
        if isinstance(text, str):
            assert _placeholders(text) == _placeholders(en[key]), key


def test_every_text_is_plain_text() -> None:
    for lang in LANGUAGES:
        for key, text in _flatten(load_messages(lang).texts).items():
            values = text if isinstance(text, list) else [text]
            for value in values:
                assert isinstance(value, str), (lang, key)
                assert "<" not in value and ">" not in value, (lang, key)


def test_yaml_does_not_turn_country_codes_into_booleans() -> None:
    # YAML 1.1 reads an unquoted NO (Norway) as False.
    assert load_messages("nl").country("NO") == "Noorwegen"
    assert load_messages("en").country("NO") == "Norway"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234, "nl", 0, "1.234"),
        (1234, "en", 0, "1,234"),
        (1234567.891, "nl", 2, "1.234.567,89"),
        (1234567.891, "en", 2, "1,234,567.89"),
        (2.5, "nl", 1, "2,5"),
        (0, "en", 0, "0"),
        (-1500, "nl", 0, "-1.500"),
    ],
)
def test_format_number(value: float, lang: str, decimals: int, expected: str) -> None:
    assert format_number(value, lang=lang, decimals=decimals) == expected


@pytest.mark.parametrize(
    ("share", "lang", "decimals", "expected"),
    [
        (0.415, "nl", 1, "41,5 %"),
        (0.415, "en", 1, "41.5%"),
        (0.6875, "nl", 1, "68,8 %"),
        (1.0, "nl", 0, "100 %"),
        (0.0, "en", 1, "0.0%"),
    ],
)
def test_format_percent(share: float, lang: str, decimals: int, expected: str) -> None:
    assert format_percent(share, lang=lang, decimals=decimals) == expected


@pytest.mark.parametrize(("lang", "expected"), [("nl", "23 november 2026"), ("en", "23 November 2026")])
def test_format_date(lang: str, expected: str) -> None:
    assert load_messages(lang).date("2026-11-23") == expected
    assert format_date("2026-01-05", months=tuple(load_messages(lang).texts["months"])).startswith("5 ")


def test_unparsable_date_is_shown_as_written() -> None:
    assert load_messages("nl").date("november") == "november"


def test_unknown_language_is_a_user_error() -> None:
    with pytest.raises(UserError) as error:
        load_messages("de")
    assert str(error.value) == "unsupported report language 'de'; use one of: nl, en"


def test_missing_text_raises() -> None:
    with pytest.raises(KeyError, match=r"summary\.nope"):
        load_messages("nl").t("summary.nope")


def test_country_names() -> None:
    messages = load_messages("nl")
    assert messages.country("US") == "Verenigde Staten"
    assert messages.country("unknown") == "onbekend"
    assert messages.country(None) == "onbekend"
    assert messages.country("XK", "Kosovo") == "Kosovo"
    assert messages.country("XK") == "XK"


@pytest.mark.parametrize(
    "module", [sovereign.report.translation, sovereign.report._palette, sovereign.report.charts]
)
def test_doctests(module: Any) -> None:
    failures, tried = doctest.testmod(module)
    assert tried > 0
    assert failures == 0
