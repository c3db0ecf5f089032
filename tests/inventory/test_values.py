"""Cell value parsing: yes/no, BIV, users, dependency lists and id slugs, in Dutch and English."""

from __future__ import annotations

import pytest

from sovereign.inventory import _values
from sovereign.model import Biv

# fmt: off
YES_NO = [
    ("ja", True), ("Ja", True), ("J", True), ("x", True), ("X", True), ("y", True), ("Yes", True),
    ("TRUE", True), ("waar", True), ("1", True), ("Ja, BSN en adres", True),
    ("nee", False), ("N", False), ("no", False), ("false", False), ("ONWAAR", False), ("0", False),
    ("Nee (alleen bedrijfsgegevens)", False), ("geen", False),
    ("", None), ("  ", None), ("n.v.t.", None), ("onbekend", None), ("?", None),
]
BIV = [
    ("2/3/3", "2/3/3"), ("2-3-3", "2/3/3"), ("233", "2/3/3"), (" 2 / 3 / 3 ", "2/3/3"), ("2,3,3", "2/3/3"),
    ("H/M/L", "3/2/1"), ("hml", "3/2/1"), ("L/M/H", "1/2/3"), ("H/H/M", "3/3/2"),
    ("hoog/midden/laag", "3/2/1"), ("Laag-Gemiddeld-Hoog", "1/2/3"), ("high/medium/low", "3/2/1"),
    ("B2 I3 V3", "2/3/3"), ("B:2/I:3/V:1", "2/3/1"), ("V3 I2 B1", "1/2/3"), ("C3 I2 A1", "1/2/3"),
    ("", "None"), ("n.v.t.", "None"),
]
USERS = [
    ("300", 300), ("1.200", 1200), ("1,200", 1200), ("1 200", 1200), ("1.200.000", 1_200_000),
    ("ca. 300", 300), ("ca 40", 40), ("circa 40", 40), ("~50", 50), ("± 50", 50), ("300+", 300),
    ("> 50", 50), ("550 gebruikers", 550), ("20 users", 20), ("", None), ("n.v.t.", None),
]
DEPENDS_ON = [
    ("Entra ID; Azure", ("Entra ID", "Azure")),
    ("Entra ID,Azure|Exchange", ("Entra ID", "Azure", "Exchange")),
    ("Entra ID\nAzure\r\nSharePoint", ("Entra ID", "Azure", "SharePoint")),
    (" ; ;; ", ()),
    ("", ()),
]
SLUGS = [
    ("Zaaksysteem", "zaaksysteem"),
    ("Burgerzaken – Gemeente Súdwest-Fryslân", "burgerzaken-gemeente-sudwest-fryslan"),
    ("Financiën (Key2)", "financien-key2"),
    ("Søknad Ærø Straße", "soknad-aero-strasse"),
    ("  --Microsoft 365--  ", "microsoft-365"),
    ("中文", "app"),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), YES_NO)
def test_yes_no(text: str, expected: bool | None) -> None:
    assert _values.parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["misschien", "deels", "2", "nooit"])
def test_yes_no_unreadable(text: str) -> None:
    with pytest.raises(ValueError):
        _values.parse_yes_no(text)


@pytest.mark.parametrize(("text", "expected"), BIV)
def test_biv(text: str, expected: str) -> None:
    assert str(_values.parse_biv(text)) == expected


def test_biv_in_cia_order() -> None:
    assert _values.parse_biv("3/2/1", order="cia") == Biv(availability=1, integrity=2, confidentiality=3)


@pytest.mark.parametrize("text", ["9/9/9", "2/3", "2/3/3/1", "hoog", "2333", "abc", "B2 I3 B3", "0/1/2"])
def test_biv_unreadable(text: str) -> None:
    with pytest.raises(ValueError):
        _values.parse_biv(text)


@pytest.mark.parametrize(("text", "expected"), USERS)
def test_users(text: str, expected: int | None) -> None:
    assert _values.parse_users(text) == expected


@pytest.mark.parametrize("text", ["veel", "inwoners", "1.5", "12,50", "100-200", "-5", "٣٠٠"])
def test_users_unreadable(text: str) -> None:
    with pytest.raises(ValueError):
        _values.parse_users(text)


@pytest.mark.parametrize(("text", "expected"), DEPENDS_ON)
def test_depends_on(text: str, expected: tuple[str, ...]) -> None:
    assert _values.split_depends_on(text) == expected


@pytest.mark.parametrize(("text", "expected"), SLUGS)
def test_slugify(text: str, expected: str) -> None:
    assert _values.slugify(text) == expected
