"""What the two exports (``findings.xlsx`` and ``report.md``) share: their texts and a few small wordings.

The exports' texts live in ``i18n/exports_<lang>.yaml``, apart from the page's translation files, and are added to
the report's ``Messages`` under the top-level key ``exports``; every other text the exports show comes from the
report's view (``view.build_report_view``), so a figure is worded once. The migration plan is read straight from
``AuditResult.plan``: the view has no part for it yet. This module does no I/O beyond reading its own package
data, holds no markup and escapes nothing (each export escapes for its own format).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sovereign.model import AuditResult, Plan, Portfolio
from sovereign.report.translation import Messages
from sovereign.report.view import Axis, PathPart

__all__ = [
    "alternative_name",
    "country_codes",
    "high_seal_share",
    "load_export_messages",
    "path_text",
    "plan_steps",
    "seal_text",
    "step_name",
    "word",
    "yes_no",
]


def load_export_messages(messages: Messages) -> Messages:
    """``messages`` with the exports' texts added under ``exports`` (``t("exports.xlsx.applications.name")``)."""
    if "exports" in messages.texts:
        return messages
    return Messages(messages.lang, {**messages.texts, "exports": _load_export_texts(messages.lang)})


@cache
def _load_export_texts(lang: str) -> dict[str, Any]:
    text = (resources.files("sovereign.report") / "i18n" / f"exports_{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or not isinstance(data.get("exports"), dict):
        raise TypeError(f"i18n/exports_{lang}.yaml must hold a mapping under 'exports'")
    exports: dict[str, Any] = data["exports"]
    return exports


def path_text(parts: Iterable[PathPart], messages: Messages) -> str:
    """A path of the view as one line: "Zaaksysteem —is→ Acme Zaaksysteem —operated by→ Acme Zaak B.V."."""
    text = ""
    for part in parts:
        text += messages.t("exports.path_edge", edge=part.text) if part.kind == "edge" else part.text
    return text


def country_codes(axis: Axis, messages: Messages) -> str:
    """The countries of one axis as ISO codes, "NL, US"; unknown in words."""
    return messages.t("exports.separator").join(
        messages.t("exports.unknown") if country.is_unknown else country.code for country in axis.countries
    )


def yes_no(value: bool | None, messages: Messages) -> str | None:
    """ "yes" or "no" in the language; None (an empty cell) when the inventory left it open."""
    if value is None:
        return None
    return messages.t("exports.yes" if value else "exports.no")


def word(messages: Messages, group: str, value: str) -> str:
    """A catalog value (effort, maturity, hosting option, clause) in the language, else as the catalog wrote it."""
    key = f"exports.{group}.{value}"
    return messages.t(key) if messages.has(key) else value


def seal_text(level: int | None, messages: Messages) -> str:
    """A SEAL level as a short text for sentences: "2", or "unknown" in the language."""
    return messages.t("exports.unknown") if level is None else str(level)


def step_name(number: int | None, messages: Messages) -> str:
    """A step of the plan: None is now, 0 the quick wins, then the waves."""
    if number is None:
        return messages.t("exports.steps.now")
    if number == 0:
        return messages.t("exports.steps.quick_wins")
    return messages.t("exports.steps.wave", number=number)


def plan_steps(plan: Plan) -> tuple[tuple[int | None, Portfolio, tuple[tuple[str, str], ...]], ...]:
    """(wave number or None for now, projected portfolio, moves) for now and every wave, in plan order."""
    return ((None, plan.baseline, ()), *((w.number, w.projected, w.moves) for w in plan.waves))


def high_seal_share(portfolio: Portfolio) -> float:
    """Share of applications at SEAL 3 or 4, from the portfolio's own SEAL counts."""
    high = portfolio.seal_distribution.get("3", 0) + portfolio.seal_distribution.get("4", 0)
    return high / portfolio.applications if portfolio.applications else 0.0


def alternative_name(result: AuditResult, alternative_id: str | None) -> str | None:
    """The catalog product name of an alternative; its id when the catalog does not know it."""
    if alternative_id is None:
        return None
    alternative = result.catalog.alternatives.get(alternative_id)
    product = result.catalog.products.get(alternative.product) if alternative else None
    return product.name if product else alternative_id
