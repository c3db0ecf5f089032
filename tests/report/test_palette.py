"""Colours: text on every coloured background reaches WCAG AA (4.5:1); page colours too."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from sovereign.report._palette import BLOC_COLOURS, INK, SEAL_COLOURS, contrast_ratio, text_colour

AA = 4.5


@pytest.mark.parametrize("background", sorted({*SEAL_COLOURS.values(), *BLOC_COLOURS.values()}))
def test_text_on_palette_colours_meets_aa(background: str) -> None:
    assert contrast_ratio(text_colour(background), background) >= AA


def test_stylesheet_text_colours_meet_aa() -> None:
    css = (resources.files("sovereign.report") / "templates" / "report.css").read_text(encoding="utf-8")
    variables = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    for name in ("ink", "muted", "accent"):
        for background in ("#ffffff", "#fafafa", variables["soft"]):
            assert contrast_ratio(variables[name], background) >= AA, (name, background)
    assert contrast_ratio(INK, "#ffffff") >= 7
