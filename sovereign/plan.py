"""Pure migration planning: which applications to move, to what, in which order, and how to get out.

An application is below the policy's bar when it breaks any application-level rule. Its options are the catalog
alternatives for its product or category, each assessed in its place by the pipeline; they are ranked as in
``check.rank_alternatives`` (named replacements first, then SEAL after the move, maturity, sourced adopters,
effort). National facilities (DigiD, BRP ...) get no options. The move chosen for an
application is its best option within ``max_effort`` that raises its SEAL level (an unknown level counts as
below 0). A quick win is a move of low effort that raises the level by two or more, for an application at
most two others depend on; quick wins are listed apart as wave 0. The other moves are ordered by the
dependency graph: what others stand on (identity, platform) moves first, and applications on a dependency
cycle move together. Each wave's projected figures come from re-assessing the whole changed landscape, never
from arithmetic on percentages (the pipeline does that). Business-critical applications at SEAL 0 or 1 get
an exit outline. No I/O.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import (
    AlternativeOption,
    ApplicationAssessment,
    ApplicationOptions,
    ExitOutline,
    MigrationOption,
    Product,
)

__all__ = [
    "EFFORT_ORDER",
    "QUICK_WIN_MAX_DEPENDANTS",
    "build_exit_outline",
    "choose_move",
    "explain_option",
    "is_quick_win",
]

EFFORT_ORDER = ("low", "medium", "high")
QUICK_WIN_MAX_DEPENDANTS = 2
QUICK_WIN_MIN_GAIN = 2


def _level(seal: int | None) -> int:
    return -1 if seal is None else seal


def explain_option(
    before: ApplicationAssessment, option: MigrationOption | AlternativeOption, rank: int
) -> str:
    """One sentence on what the option gains and why it ranks where it does.

    >>> from sovereign.model import *
    >>> app = Application(app_id="a", name="Mail", source=Location(path="x"))
    >>> kw = dict(application=app, match=Match(product=None, method="none", score=0), lawful_access=AxisResult(),
    ...           residency=AxisResult(), continuity=AxisResult(), seal_reason="", criticality=1.0, controller=None)
    >>> option = MigrationOption(alternative=Alternative(id="x", product="p", maturity="established", effort="medium"),
    ...                          after=ApplicationAssessment(seal=4, **kw), adopters_with_source=3, explanation="")
    >>> explain_option(ApplicationAssessment(seal=1, **kw), option, 1)
    'Ranked 1: SEAL 1 -> 4, established, 3 public-sector adopters with a source, medium effort.'
    """
    before_level = "unknown" if before.seal is None else str(before.seal)
    after = option.after if isinstance(option, MigrationOption) else option.assessment
    after_level = "unknown" if after.seal is None else str(after.seal)
    return (
        f"Ranked {rank}: SEAL {before_level} -> {after_level}, {option.alternative.maturity}, "
        f"{option.adopters_with_source} public-sector adopters with a source, {option.alternative.effort} effort."
    )


def choose_move(options: ApplicationOptions, max_effort: str) -> MigrationOption | None:
    """The best option within the effort limit that raises the SEAL level, or None."""
    limit = EFFORT_ORDER.index(max_effort)
    for option in options.options:
        effort = (
            EFFORT_ORDER.index(option.alternative.effort) if option.alternative.effort in EFFORT_ORDER else 3
        )
        if effort <= limit and _level(option.after.seal) > _level(options.before.seal):
            return option
    return None


def is_quick_win(options: ApplicationOptions, move: MigrationOption) -> bool:
    """Low effort, a gain of two SEAL levels or more, and few applications standing on it."""
    gain = _level(move.after.seal) - max(_level(options.before.seal), 0)
    return (
        move.alternative.effort == "low"
        and gain >= QUICK_WIN_MIN_GAIN
        and len(options.dependants) <= QUICK_WIN_MAX_DEPENDANTS
    )


def build_exit_outline(
    options: ApplicationOptions, product: Product | None, stops_if_cut: Sequence[str]
) -> ExitOutline:
    """A planned and a disruptive exit for a business-critical application at SEAL 0 or 1."""
    standards = product.open_standards if product else ()
    secure = ["notice-period", "exit-assistance", "data-return-and-deletion"]
    if not standards:
        secure.append("open-export-format")
    if product is not None and product.delivery in ("saas", "paas", "hybrid"):
        secure += ["regular-export", "subprocessor-changes"]
    if len(options.dependants) > 0:
        secure.append("integration-documentation")
    best = options.options[0].alternative.id if options.options else None
    return ExitOutline(
        app_id=options.before.application.app_id,
        open_standards=tuple(standards),
        target=best,
        dependants=options.dependants,
        stops_if_cut=tuple(stops_if_cut),
        secure_now=tuple(secure),
    )
