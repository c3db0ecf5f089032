"""The roadmap part of the report's view: the migration plan as steps, waves, options per application and exits.

Reads the ``Plan`` the pipeline made (``AuditResult.plan``) and words it in the report's language; it plans
nothing and recomputes no figure. A step's shares are the re-assessed portfolio of that wave as the plan holds
it; only the share at SEAL 3-4 is divided out of the wave's own SEAL counts. The reason for a move is built
from the option's fields (rank, SEAL before and after, maturity, adopters, effort), never from the engine's
English ``explanation``. Everything is sorted on stable keys. No I/O, no markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from sovereign.model import (
    ApplicationAssessment,
    ApplicationOptions,
    AuditResult,
    ExitOutline,
    MigrationOption,
    Plan,
    Portfolio,
    Source,
    Wave,
)
from sovereign.report.translation import Messages

if TYPE_CHECKING:  # the records live in view.py, which imports this module
    from sovereign.report.view import AppLink, Country, Seal, SealRow, SourceLink

__all__ = [
    "TOP_EXIT_NAMES",
    "AdopterLink",
    "ExitView",
    "MoveRow",
    "OptionRow",
    "OptionsView",
    "RoadmapView",
    "RuleLink",
    "StepRow",
    "WaveView",
    "build_roadmap_view",
    "index_plan",
]

#: How many applications an exit names before the rest goes into a <details>.
TOP_EXIT_NAMES = 10


class ViewParts(Protocol):
    """The small parts of the report's view builder that the roadmap reuses, so a SEAL or a link reads alike."""

    @property
    def by_id(self) -> Mapping[str, ApplicationAssessment]: ...
    def seal(self, level: int | None) -> Seal: ...
    def country(self, code: str | None) -> Country: ...
    def app_link(self, app_id: str) -> AppLink: ...
    def source_link(self, source: Source) -> SourceLink: ...
    def seal_rows_of(self, distribution: Mapping[str, int], total: int) -> tuple[SealRow, ...]: ...
    def top(self, app_ids: Iterable[str]) -> tuple[list[str], int]: ...
    def more(self, count: int) -> str: ...
    def more_link(self, count: int) -> AppLink: ...


# ---------------------------------------------------------------------------------------------------------
# View records


@dataclass(frozen=True, slots=True)
class StepRow:
    """One point of the roadmap: now, the quick wins or a wave, with the portfolio's figures after it."""

    key: str  # "now", "wave-0" (quick wins), "wave-1" ..
    label: str  # "Nu", "Snelle winst", "Golf 1"
    moves: int
    us_lawful_access: float  # share of applications, 0..1
    us_continuity: float
    high_seal: float  # share of applications at SEAL 3 or 4
    us_lawful_access_text: str
    us_continuity_text: str
    high_seal_text: str
    seals: tuple[SealRow, ...]  # applications per SEAL level, in SEAL_KEYS order


@dataclass(frozen=True, slots=True)
class MoveRow:
    """One application moving to one alternative in a wave."""

    application: AppLink  # links to the evidence entry
    options_anchor: str | None  # the application's block of options (None when the report leaves it out)
    source: str  # the product it leaves
    target: str  # the product it moves to
    seal_before: Seal
    seal_after: Seal
    effort: str
    why: str


@dataclass(frozen=True, slots=True)
class WaveView:
    number: int  # 0 = quick wins
    anchor: str  # "roadmap-wave-0" ..
    title: str
    description: str
    after: str  # the figures after this step, in one sentence
    moves: tuple[MoveRow, ...]  # by application name
    moves_note: str = ""  # "50 van 3.120 verplaatsingen getoond ..." above FULL_TABLE_LIMIT


@dataclass(frozen=True, slots=True)
class AdopterLink:
    """A public body that uses an alternative, with the source that says so."""

    name: str
    source: SourceLink


@dataclass(frozen=True, slots=True)
class OptionRow:
    """One ranked alternative for one application, as it would be in the application's place."""

    rank: int
    name: str
    controller: str | None  # "Eigen organisatie (Nederland)"
    seal: Seal
    lawful_access: tuple[Country, ...]
    residency: tuple[Country, ...]
    continuity: tuple[Country, ...]
    maturity: str
    adopters_count: int  # adopters with a source
    adopters: tuple[AdopterLink, ...]
    standards: str
    hosting: str
    effort: str
    chosen: str | None  # "gekozen: Golf 1" for the move the plan makes


@dataclass(frozen=True, slots=True)
class RuleLink:
    id: str
    anchor: str | None  # the rule's block in the policy section


@dataclass(frozen=True, slots=True)
class OptionsView:
    """An application below the policy's bar with every alternative the catalog knows, best first."""

    application: AppLink
    anchor: str  # "roadmap-option-1" .., by application name
    product: str
    seal: Seal
    rules: tuple[RuleLink, ...]
    dependants: int
    summary: str  # what the collapsed block says: how many alternatives, and the plan's move
    caption: str
    options: tuple[OptionRow, ...]


@dataclass(frozen=True, slots=True)
class ExitView:
    """How to leave a business-critical application at SEAL 0 or 1: planned, disruptive, and the contract."""

    application: AppLink
    anchor: str  # "roadmap-exit-1" .., by application name
    seal: Seal
    summary: str
    planned: tuple[str, ...]  # sentences: target, export routes
    dependants_text: str
    dependants: tuple[AppLink, ...]  # the TOP_EXIT_NAMES most critical
    dependants_rest: tuple[AppLink, ...]
    dependants_rest_summary: str
    disruptive: str
    stops: tuple[AppLink, ...]  # the TOP_EXIT_NAMES most critical
    stops_rest: tuple[AppLink, ...]
    stops_rest_summary: str
    secure_now: tuple[str, ...]  # one sentence per clause, in the plan's order


@dataclass(frozen=True, slots=True)
class RoadmapView:
    intro: tuple[str, ...]  # paragraphs: what the plan does, then how it orders and projects
    lead: str
    steps: tuple[StepRow, ...]  # now, then every wave in order
    chart_summary: str
    waves: tuple[WaveView, ...]  # quick wins first
    options: tuple[OptionsView, ...]  # by application name
    exits: tuple[ExitView, ...]  # by application name
    #: Above FULL_TABLE_LIMIT (view.py) the lists hold the most important applications; these say how many of
    #: how many, or are "" when every row is shown.
    options_note: str = ""
    exits_note: str = ""


# ---------------------------------------------------------------------------------------------------------
# Building


@dataclass(frozen=True, slots=True)
class PlanIndex:
    """What the pages look up in a plan's options: by application id, and how many have an alternative."""

    by_app: dict[str, ApplicationOptions]  # app id -> its options; the last one of an id, as a dict has it
    with_options: int  # options with at least one alternative


#: The last plan indexed and its index: index.html, raad.html and report.md each ask for the same one, and at
#: national scale a plan holds options for about 95,000 applications.
_LAST_INDEX: list[tuple[Plan, PlanIndex]] = []


def index_plan(plan: Plan) -> PlanIndex:
    """The plan's options by application id; worked out once for the same plan, in one pass."""
    if _LAST_INDEX and _LAST_INDEX[0][0] is plan:
        return _LAST_INDEX[0][1]
    by_app: dict[str, ApplicationOptions] = {}
    with_options = 0
    for options in plan.options:
        by_app[options.before.application.app_id] = options
        if options.options:
            with_options += 1
    index = PlanIndex(by_app, with_options)
    _LAST_INDEX[:] = [(plan, index)]
    return index


def build_roadmap_view(
    result: AuditResult, messages: Messages, parts: ViewParts, rule_anchors: Mapping[str, str]
) -> RoadmapView | None:
    """The roadmap in ``messages.lang``, or None when the audit made no plan."""
    if result.plan is None:
        return None
    return _RoadmapBuilder(result, result.plan, messages, parts, rule_anchors).build()


class _RoadmapBuilder:
    def __init__(
        self,
        result: AuditResult,
        plan: Plan,
        messages: Messages,
        parts: ViewParts,
        rule_anchors: Mapping[str, str],
    ) -> None:
        self.result = result
        self.plan = plan
        self.messages = messages
        self.t = messages.t
        self.parts = parts
        self.rule_anchors = rule_anchors
        self.index = index_plan(plan)
        self.by_app = self.index.by_app
        self.waves = sorted(plan.waves, key=lambda w: w.number)
        self.chosen = {app_id: (wave, alt) for wave in self.waves for app_id, alt in wave.moves}
        # Above FULL_TABLE_LIMIT: the options of the most important applications only (parts.top).
        shown, self.options_left_out = parts.top(self.by_app)
        ordered = sorted(
            (self.by_app[app_id] for app_id in shown),
            key=lambda o: self.name_key(o.before.application.app_id),
        )
        self.option_anchors = {
            o.before.application.app_id: f"roadmap-option-{index}" for index, o in enumerate(ordered, 1)
        }
        self.ordered_options = ordered

    def build(self) -> RoadmapView:
        t, number = self.t, self.messages.number
        now = self.step("now", t("roadmap.steps.now"), 0, self.plan.baseline)
        steps = (
            now,
            *(
                self.step(f"wave-{w.number}", self.step_label(w.number), len(w.moves), w.projected)
                for w in self.waves
            ),
        )
        options = self.plan.options
        lead = t(
            "roadmap.lead",
            below=number(len(options)),
            total=number(len(self.result.assessments)),
            with_options=number(self.index.with_options),
            moves=number(len(self.chosen)),
        )
        if not options:
            lead = t("roadmap.nothing_below")
        exits = {e.app_id: e for e in self.plan.exits}
        shown_exits, exits_left_out = self.parts.top(exits)
        return RoadmapView(
            intro=(t("roadmap.intro"), t("roadmap.intro_order", effort=self.effort(self.plan.max_effort))),
            lead=lead,
            steps=steps,
            chart_summary=self.chart_summary(steps),
            waves=tuple(self.wave(w, steps[index]) for index, w in enumerate(self.waves, 1)),
            options=tuple(self.options(o) for o in self.ordered_options),
            exits=tuple(
                self.exit(exits[app_id], index)
                for index, app_id in enumerate(sorted(shown_exits, key=self.name_key), 1)
            ),
            options_note=t(
                "capped.options", shown=number(len(self.ordered_options)), total=number(len(self.by_app))
            )
            if self.options_left_out
            else "",
            exits_note=t("capped.exits", shown=number(len(shown_exits)), total=number(len(exits)))
            if exits_left_out
            else "",
        )

    # Small parts

    def name_key(self, app_id: str) -> tuple[str, str, str]:
        name = self.parts.app_link(app_id).name
        return (name.casefold(), name, app_id)

    def criticality(self, app_id: str) -> float:
        """An application's criticality; 0 for an id the assessments do not know (not expected)."""
        assessment = self.parts.by_id.get(app_id)
        return assessment.criticality if assessment is not None else 0.0

    def by_criticality(self, app_ids: Iterable[str]) -> tuple[AppLink, ...]:
        """Most critical first, then by name: the applications a reader should see before the rest.

        Above FULL_TABLE_LIMIT the most important ones (parts.top) and a closing "and N more".
        """
        shown, rest = self.parts.top(app_ids)
        ordered = sorted(shown, key=lambda a: (-self.criticality(a), *self.name_key(a)))
        links = tuple(self.parts.app_link(a) for a in ordered)
        return (*links, self.parts.more_link(rest)) if rest else links

    def count(self, app_ids: tuple[str, ...]) -> int:
        """How many distinct applications ``app_ids`` names: what ``parts.top`` shows plus what it leaves out.

        ``parts.top`` has deduplicated the same tuple for ``by_criticality`` already (and keeps its answer per
        tuple), where a set of its own would copy every exit's tens of thousands of ids again.
        """
        shown, rest = self.parts.top(app_ids)
        return len(shown) + rest

    def text_or(self, key: str, fallback: str) -> str:
        return self.t(key) if self.messages.has(key) else fallback

    def effort(self, value: str) -> str:
        return self.text_or(f"roadmap.effort.{value}", value)

    def maturity(self, value: str) -> str:
        return self.text_or(f"roadmap.maturity.{value}", value)

    def step_label(self, number: int) -> str:
        return (
            self.t("roadmap.steps.quick_wins") if number == 0 else self.t("roadmap.steps.wave", number=number)
        )

    def product_name(self, product_id: str | None) -> str | None:
        if product_id is None:
            return None
        product = self.result.catalog.products.get(product_id)
        return product.name if product else product_id

    def current_product(self, options: ApplicationOptions) -> str:
        """The product the application runs on now: the catalog's name, else what the inventory says."""
        app = options.before.application
        return self.product_name(options.before.match.product) or app.product or self.t("common.none")

    def target_name(self, options: ApplicationOptions, option: MigrationOption) -> str:
        name = self.product_name(option.alternative.product) or option.alternative.product
        # Rehosting keeps the product and leaves the platform; the name alone would read as "no change".
        if option.alternative.product == options.before.match.product:
            return self.t("roadmap.rehost", product=name)
        return name

    def percent(self, share: float) -> str:
        return self.messages.percent(share)

    # Steps and the chart

    def step(self, key: str, label: str, moves: int, portfolio: Portfolio) -> StepRow:
        distribution = portfolio.seal_distribution
        total = portfolio.applications
        high = (distribution.get("3", 0) + distribution.get("4", 0)) / total if total else 0.0
        return StepRow(
            key=key,
            label=label,
            moves=moves,
            us_lawful_access=portfolio.us_lawful_access_share,
            us_continuity=portfolio.us_continuity_share,
            high_seal=high,
            us_lawful_access_text=self.percent(portfolio.us_lawful_access_share),
            us_continuity_text=self.percent(portfolio.us_continuity_share),
            high_seal_text=self.percent(high),
            seals=self.parts.seal_rows_of(distribution, total),
        )

    def chart_summary(self, steps: tuple[StepRow, ...]) -> str:
        if len(steps) < 2:
            return self.t("roadmap.chart.summary_none")
        now, last = steps[0], steps[-1]
        return self.t(
            "roadmap.chart.summary",
            last=last.label,
            lawful_access_now=now.us_lawful_access_text,
            lawful_access_last=last.us_lawful_access_text,
            continuity_now=now.us_continuity_text,
            continuity_last=last.us_continuity_text,
            high_now=now.high_seal_text,
            high_last=last.high_seal_text,
        )

    # Waves

    def wave(self, wave: Wave, step: StepRow) -> WaveView:
        t = self.t
        targets = dict(wave.moves)
        shown, left_out = self.parts.top(targets)
        moves = sorted(
            ((app_id, targets[app_id]) for app_id in shown), key=lambda move: self.name_key(move[0])
        )
        return WaveView(
            number=wave.number,
            anchor=f"roadmap-wave-{wave.number}",
            title=self.step_label(wave.number),
            description=t("roadmap.waves.quick_wins" if wave.number == 0 else "roadmap.waves.wave"),
            after=t(
                "roadmap.waves.after",
                lawful_access=step.us_lawful_access_text,
                continuity=step.us_continuity_text,
                high=step.high_seal_text,
            ),
            moves=tuple(self.move(app_id, alternative_id) for app_id, alternative_id in moves),
            moves_note=t(
                "capped.moves",
                shown=self.messages.number(len(moves)),
                total=self.messages.number(len(targets)),
            )
            if left_out
            else "",
        )

    def move(self, app_id: str, alternative_id: str) -> MoveRow:
        options = self.by_app[app_id]
        rank, option = next(
            (rank, o) for rank, o in enumerate(options.options, 1) if o.alternative.id == alternative_id
        )
        return MoveRow(
            application=self.parts.app_link(app_id),
            options_anchor=self.option_anchors.get(app_id),
            source=self.current_product(options),
            target=self.target_name(options, option),
            seal_before=self.parts.seal(options.before.seal),
            seal_after=self.parts.seal(option.after.seal),
            effort=self.effort(option.alternative.effort),
            why=self.why(options, option, rank),
        )

    def why(self, options: ApplicationOptions, option: MigrationOption, rank: int) -> str:
        """Why this alternative, from the option's fields: its rank, the levels, maturity, adopters, effort."""
        t = self.t
        parts = [
            t(
                "roadmap.why.rank",
                rank=self.messages.number(rank),
                count=self.messages.number(len(options.options)),
                before=self.parts.seal(options.before.seal).name,
                after=self.parts.seal(option.after.seal).name,
                maturity=self.maturity(option.alternative.maturity),
                adopters=self.messages.number(option.adopters_with_source),
                effort=self.effort(option.alternative.effort),
            )
        ]
        current = options.before.match.product
        if current is not None and option.alternative.product == current:
            parts.append(t("roadmap.why.rehost"))
        elif current is not None and current in option.alternative.replaces_products:
            parts.append(t("roadmap.why.named", product=self.product_name(current)))
        # The plan takes the best option within the effort limit that raises the level (plan.choose_move), so
        # whatever ranks higher either does not raise it or asks for more effort.
        if rank > 1:
            parts.append(t("roadmap.why.skipped", limit=self.effort(self.plan.max_effort)))
        return " ".join(parts)

    # Options per application

    def options(self, options: ApplicationOptions) -> OptionsView:
        t, number = self.t, self.messages.number
        app_id = options.before.application.app_id
        link = self.parts.app_link(app_id)
        chosen = self.chosen.get(app_id)
        if not options.options:
            summary = t("roadmap.options.summary_none")
        elif chosen is None:
            summary = t("roadmap.options.summary_count", count=number(len(options.options)))
        else:
            wave, alternative_id = chosen
            option = next(o for o in options.options if o.alternative.id == alternative_id)
            summary = t(
                "roadmap.options.summary_chosen",
                count=number(len(options.options)),
                step=self.step_label(wave.number),
                product=self.target_name(options, option),
            )
        return OptionsView(
            application=link,
            anchor=self.option_anchors[app_id],
            product=self.current_product(options),
            seal=self.parts.seal(options.before.seal),
            rules=tuple(
                RuleLink(rule, self.rule_anchors.get(rule)) for rule in self.in_policy_order(options.findings)
            ),
            dependants=len(options.dependants),
            summary=summary,
            caption=t("roadmap.options.caption", name=link.name),
            options=tuple(self.option_row(options, o, rank) for rank, o in enumerate(options.options, 1)),
        )

    def option_row(self, options: ApplicationOptions, option: MigrationOption, rank: int) -> OptionRow:
        alternative = option.alternative
        after = option.after
        controller = after.controller
        adopters = sorted(
            (a for a in alternative.adopters if a.source is not None),
            key=lambda a: (a.name.casefold(), a.name),
        )
        chosen = self.chosen.get(options.before.application.app_id)
        return OptionRow(
            rank=rank,
            name=self.target_name(options, option),
            controller=self.t(
                "roadmap.options.controller",
                name=controller.name,
                country=self.parts.country(controller.country).name,
            )
            if controller
            else None,
            seal=self.parts.seal(after.seal),
            lawful_access=self.countries(after.lawful_access.countries),
            residency=self.countries(after.residency.countries),
            continuity=self.countries(after.continuity.countries),
            maturity=self.maturity(alternative.maturity),
            adopters_count=option.adopters_with_source,
            adopters=tuple(
                AdopterLink(a.name, self.parts.source_link(a.source)) for a in adopters if a.source
            ),
            standards=", ".join(alternative.open_standards) or self.t("common.none"),
            hosting=", ".join(self.text_or(f"roadmap.hosting.{h}", h) for h in alternative.hosting_options)
            or self.t("common.none"),
            effort=self.effort(alternative.effort),
            chosen=self.t("roadmap.options.chosen", step=self.step_label(chosen[0].number))
            if chosen and chosen[1] == alternative.id
            else None,
        )

    def in_policy_order(self, rules: Iterable[str]) -> list[str]:
        """Rule ids as the policy lists them (``rule_anchors`` keeps that order); any other rule after, by id."""
        order = {rule: index for index, rule in enumerate(self.rule_anchors)}
        return sorted(set(rules), key=lambda rule: (order.get(rule, len(order)), rule))

    def countries(self, codes: Sequence[str]) -> tuple[Country, ...]:
        return tuple(self.parts.country(c) for c in sorted(codes))

    # Exits

    def exit(self, outline: ExitOutline, index: int) -> ExitView:
        t, number = self.t, self.messages.number
        options = self.by_app.get(outline.app_id)
        before = options.before if options else None
        dependants = self.by_criticality(outline.dependants)
        stops = self.by_criticality(outline.stops_if_cut)
        # Counted from the plan: above FULL_TABLE_LIMIT the lists end in an "and N more" entry.
        dependants_count = self.count(outline.dependants)
        stops_count = self.count(outline.stops_if_cut)
        controller = before.controller.name if before and before.controller else t("roadmap.exits.the_vendor")
        seal = self.parts.seal(before.seal if before else None)
        return ExitView(
            application=self.parts.app_link(outline.app_id),
            anchor=f"roadmap-exit-{index}",
            seal=seal,
            summary=t(
                "roadmap.exits.summary", seal=seal.name, controller=controller, stops=number(stops_count)
            ),
            planned=self.planned_exit(outline, options),
            dependants_text=t("roadmap.exits.dependants", count=number(dependants_count))
            if dependants
            else t("roadmap.exits.dependants_none"),
            dependants=dependants[:TOP_EXIT_NAMES],
            dependants_rest=dependants[TOP_EXIT_NAMES:],
            dependants_rest_summary=t(
                "roadmap.exits.dependants_rest", count=number(max(0, dependants_count - TOP_EXIT_NAMES))
            ),
            disruptive=t(
                "roadmap.exits.disruptive_text",
                controller=controller,
                count=number(stops_count),
            )
            if stops
            else t("roadmap.exits.disruptive_none"),
            stops=stops[:TOP_EXIT_NAMES],
            stops_rest=stops[TOP_EXIT_NAMES:],
            stops_rest_summary=t(
                "roadmap.exits.stops_rest", count=number(max(0, stops_count - TOP_EXIT_NAMES))
            ),
            # A clause the translation does not know is shown by its key rather than dropped.
            secure_now=tuple(
                t(f"roadmap.secure_now.{key}", count=number(dependants_count))
                if self.messages.has(f"roadmap.secure_now.{key}")
                else key
                for key in outline.secure_now
            ),
        )

    def planned_exit(self, outline: ExitOutline, options: ApplicationOptions | None) -> tuple[str, ...]:
        """Where to go and how the data gets there: the target with its SEAL after the move, the export routes."""
        t = self.t
        option = next(
            (o for o in (options.options if options else ()) if o.alternative.id == outline.target), None
        )
        if option is not None and options is not None:
            target = t(
                "roadmap.exits.target",
                target=self.target_name(options, option),
                seal=self.parts.seal(option.after.seal).name,
            )
        elif outline.target is not None:
            # Not among the application's options (not expected): name it as the catalog does.
            alternative = self.result.catalog.alternatives.get(outline.target)
            name = self.product_name(alternative.product) if alternative else outline.target
            target = t("roadmap.exits.target", target=name, seal=self.parts.seal(None).name)
        else:
            target = t("roadmap.exits.target_none")
        if outline.open_standards:
            export = t("roadmap.exits.export", standards=", ".join(outline.open_standards))
        else:
            export = t("roadmap.exits.export_none")
        return (target, export)
