"""Colours of the report: a colour-blind-safe palette (Okabe and Ito) and the contrast arithmetic of WCAG 2.1.

Colour never carries meaning alone: every coloured mark also has a text label. Text on a coloured background
takes black or white, whichever contrasts more; tests check that this always reaches AA (4.5:1). Pure
constants and functions, no I/O.
"""

from __future__ import annotations

__all__ = [
    "BLOC_COLOURS",
    "INK",
    "ROADMAP_COLOURS",
    "SEAL_COLOURS",
    "TRACE_COLOURS",
    "contrast_ratio",
    "text_colour",
]

#: Body text colour (on white: 17.4:1).
INK = "#1a1a1a"

# Okabe & Ito (2008), "Color Universal Design": distinguishable under the common colour-vision deficiencies.
_VERMILLION = "#D55E00"
_ORANGE = "#E69F00"
_YELLOW = "#F0E442"
_SKY_BLUE = "#56B4E9"
_BLUE = "#0072B2"
_REDDISH_PURPLE = "#CC79A7"
_GREY = "#BBBBBB"

#: SEAL level ("0".."4", "unknown") -> colour; an ordinal ramp from vermillion (0) to blue (4).
SEAL_COLOURS: dict[str, str] = {
    "0": _VERMILLION,
    "1": _ORANGE,
    "2": _YELLOW,
    "3": _SKY_BLUE,
    "4": _BLUE,
    "unknown": _GREY,
}

#: Bloc of a jurisdiction -> colour, for the sunburst. The US is "other", like every third country without
#: an adequacy decision; "unknown" is a country we could not establish.
BLOC_COLOURS: dict[str, str] = {
    "other": _VERMILLION,
    "adequacy": _ORANGE,
    "eea": _SKY_BLUE,
    "eu": _BLUE,
    "unknown": _GREY,
}

#: The two series of the concentration chart: share of applications, share of criticality.
TRACE_COLOURS: tuple[str, str] = (_BLUE, _REDDISH_PURPLE)

#: The roadmap's lines: US lawful access (vermillion, like SEAL 0), US continuity, and SEAL 3-4 (blue, like
#: SEAL 4). Each reaches 3:1 on white (WCAG 1.4.11), and the lines differ in dash and marker as well.
ROADMAP_COLOURS: tuple[str, str, str] = (_VERMILLION, _REDDISH_PURPLE, _BLUE)


def _luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (WCAG 2.1, definition of relative luminance)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours, 1..21.

    >>> round(contrast_ratio("#000000", "#ffffff"), 1)
    21.0
    """
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``.

    >>> text_colour("#0072B2")
    '#ffffff'
    >>> text_colour("#F0E442")
    '#000000'
    """
    black, white = "#000000", "#ffffff"
    return black if contrast_ratio(black, background) >= contrast_ratio(white, background) else white
