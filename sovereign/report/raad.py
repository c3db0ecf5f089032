"""``raad.html``: the council's page. The audit in plain words (Dutch at level B1, or English) on one or two A4 pages.

For the council and the college: four key figures with a short explanation each, one picture (a static inline
SVG: no script, nothing to load, prints exactly as it shows), the main risks in words, what the migration plan
proposes, what it asks of the municipality, and a link to ``index.html`` for the details. Every number is
read from the ``AuditResult`` (portfolio, scenarios, single points, findings, plan) and counted, never
estimated; a count of applications is a share times the number of applications, which is exact because the
portfolio rounds shares to four decimals. Texts come from ``i18n/raad_<lang>.yaml``; names from the inventory
and the catalog are passed as plain values and escaped by jinja2's autoescape. Deterministic: sorted on
stable keys, fixed decimals in the SVG, no clock. No I/O beyond the package's own templates and texts.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from sovereign.model import UNKNOWN, ApplicationAssessment, AuditResult, Plan, Portfolio, ScenarioOutcome
from sovereign.report._palette import INK
from sovereign.report._roadmap import index_plan
from sovereign.report.html import _environment
from sovereign.report.translation import Messages

__all__ = [
    "Bar",
    "CouncilChart",
    "CouncilView",
    "KeyFigure",
    "PlanStep",
    "build_council_view",
    "load_council_messages",
    "render_raad_html",
    "short_company_name",
]

#: How many application names a risk or a plan step gives as examples.
EXAMPLES = 3
#: Scenarios whose wording the page knows; any other id is worded as "custom".
_SCENARIO_KINDS = ("us-services-stop", "largest-controller-withdraws", "largest-platform-down")
#: Single points the risks may name: parts of the landscape. Companies are covered by the scenarios.
_PART_KINDS = ("application", "product", "region")
#: Legal forms left off a company's name on this page ("Microsoft Corporation" -> "Microsoft").
_LEGAL_FORMS = re.compile(
    r"(?:,?\s+(?:Corporation|Corp\.?|Incorporated|Inc\.?|LLC|L\.L\.C\.|Ltd\.?|Limited|plc|PLC|B\.V\.|BV|N\.V\.|NV"
    r"|GmbH|AG|SE|S\.A\.|SA|SAS|S\.p\.A\.|Co\.|L\.P\.|LP))+$"
)

# The picture: bar colours (Okabe and Ito; both reach 3:1 against white, WCAG 1.4.11) and the geometry of the
# SVG in viewBox units. Every bar carries its label and its value in text, so colour never carries meaning alone.
_NOW_COLOUR = "#D55E00"
_AFTER_COLOUR = "#0072B2"
_TRACK_STROKE = "#767676"
_WIDTH = 640
_LABEL_WIDTH = 118
_VALUE_WIDTH = 112
_BAR_HEIGHT = 20
_ROW_HEIGHT = 28
_GROUP_TITLE = 26
_GROUP_GAP = 14


# ---------------------------------------------------------------------------------------------------------
# View records


@dataclass(frozen=True, slots=True)
class KeyFigure:
    key: str  # us_access | us_cutoff | one_company | rules
    label: str
    count: int
    value: str  # the count, formatted
    of_total: str  # "van de 136 applicaties"
    explanation: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of the picture, with its geometry in SVG units (strings with fixed decimals: byte-stable)."""

    label: str  # "Nu"
    value: str  # "65 van 136"
    colour: str
    y: str
    width: str
    text_y: str


@dataclass(frozen=True, slots=True)
class ChartGroup:
    title: str
    title_y: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class ChartRow:
    """A row of the picture's data table."""

    measure: str
    now: str
    after: str | None


@dataclass(frozen=True, slots=True)
class CouncilChart:
    title: str
    summary: str  # the text alternative, shown under the picture
    groups: tuple[ChartGroup, ...]
    rows: tuple[ChartRow, ...]
    has_after: bool
    width: int
    height: int
    label_width: int
    bar_x: int
    track_width: int
    value_x: int
    bar_height: int
    track_stroke: str
    ink: str


@dataclass(frozen=True, slots=True)
class PlanStep:
    title: str  # "Snelle stappen", "Fase 1"
    count: int
    count_text: str
    examples: str  # "Mail, Teams, Intranet en 15 andere"
    after_count: int  # applications within reach of US law after this step
    after_text: str


@dataclass(frozen=True, slots=True)
class CouncilView:
    lang: str
    title: str
    subtitle: str
    intro: str
    figures: tuple[KeyFigure, ...]
    chart: CouncilChart
    risks_intro: str | None
    risks: tuple[str, ...]
    plan_intro: tuple[str, ...]
    steps: tuple[PlanStep, ...]
    plan_result: tuple[str, ...]
    meaning: tuple[str, ...]
    footer: str


# ---------------------------------------------------------------------------------------------------------
# Texts


def load_council_messages(lang: str) -> Messages:
    """The council page's texts in ``lang`` (``i18n/raad_<lang>.yaml``)."""
    return Messages(lang, _load_texts(lang))


@cache
def _load_texts(lang: str) -> dict[str, Any]:
    text = (resources.files("sovereign.report") / "i18n" / f"raad_{lang}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise TypeError(f"i18n/raad_{lang}.yaml must hold a mapping")
    return data


def short_company_name(name: str) -> str:
    """A company's name without its legal form, as people say it.

    >>> short_company_name("Microsoft Corporation")
    'Microsoft'
    >>> short_company_name("Salesforce, Inc.")
    'Salesforce'
    >>> short_company_name("Acme Zaak B.V.")
    'Acme Zaak'
    >>> short_company_name("Hg (Hg Pooled Management Limited)")
    'Hg (Hg Pooled Management Limited)'
    """
    short = _LEGAL_FORMS.sub("", name).strip()
    return short or name


# ---------------------------------------------------------------------------------------------------------
# Building


def build_council_view(result: AuditResult, messages: Messages) -> CouncilView:
    """The council page's content in ``messages.lang``: figures, picture, risks, plan and what it means."""
    return _Builder(result, messages, load_council_messages(messages.lang)).view()


def _count(share: float, total: int) -> int:
    """Applications behind a share of ``total``: exact, because the portfolio rounds shares to 4 decimals."""
    return round(share * total)


class _Builder:
    def __init__(self, result: AuditResult, messages: Messages, texts: Messages) -> None:
        self.result = result
        self.messages = messages  # the report's texts: dates and country names
        self.t = texts.t
        self.texts = texts
        self.number = messages.number
        self.total = result.portfolio.applications
        # One pass over the assessments gathers what the page asks of every application (at national scale a
        # pass is mostly waiting for memory, so each one saved counts).
        self.by_id: dict[str, ApplicationAssessment] = {}
        critical: list[ApplicationAssessment] = []
        organisations: set[str] = set()
        self.personal_us = 0  # personal-data applications a US authority can reach
        for a in result.assessments:
            app = a.application
            self.by_id[app.app_id] = a
            # "Our most important applications": the ones the inventory itself marks business-critical.
            if app.business_critical is True:
                critical.append(a)
            organisations.add(app.organisation or "")
            if app.personal_data is True and "US" in a.lawful_access.countries:
                self.personal_us += 1
        self.organisations = sorted(organisations - {""})
        # In the assessments' order: the page counts them and names a few (``names`` picks those).
        self.critical_ids = [a.application.app_id for a in critical]
        self.critical_count = len(critical)
        self._moves: tuple[Plan, list[tuple[str, str]]] | None = None

    def tn(self, key: str, quantity: int, /, **params: object) -> str:
        """The text at ``key``, or at ``key_one`` when ``quantity`` is 1 and that text exists (singular)."""
        chosen = f"{key}_one" if quantity == 1 and self.texts.has(f"{key}_one") else key
        return self.t(chosen, **params)

    def label(self, node: str) -> str:
        kind, _, rest = node.partition(":")
        if kind == "country":
            return self.messages.country(rest, self.result.labels.get(node))
        name = self.result.labels.get(node) or rest or node
        return short_company_name(name) if kind == "entity" else name

    def names(self, app_ids: Sequence[str]) -> str:
        """Up to ``EXAMPLES`` application names, most important first: "Mail, Teams, Intranet en 15 andere"."""
        apps = [self.by_id[i] for i in app_ids if i in self.by_id]
        candidates = apps
        if len(apps) > EXAMPLES:
            # Only the first few are shown, and ``_importance`` puts the most critical first: none less
            # critical than the EXAMPLES-th most critical can be among them, so only those at least as critical
            # get a sort key (a list of tens of thousands has a few dozen of them).
            threshold = heapq.nlargest(EXAMPLES, [a.criticality for a in apps])[-1]
            candidates = [a for a in apps if a.criticality >= threshold]
        shown = [a.application.name for a in heapq.nsmallest(EXAMPLES, candidates, key=_importance)]
        rest = len(apps) - len(shown)
        if rest:
            return self.t("common.list_more", names=", ".join(shown), rest=self.number(rest))
        if len(shown) > 1:
            return self.t("common.list_last", names=", ".join(shown[:-1]), last=shown[-1])
        return shown[0] if shown else ""

    # The page

    def view(self) -> CouncilView:
        t = self.t
        organisations = self.organisations
        title = (
            t("meta.title_for", organisation=organisations[0]) if len(organisations) == 1 else t("meta.title")
        )
        date = self.messages.date(self.result.date)
        return CouncilView(
            lang=self.messages.lang,
            title=title,
            subtitle=t("meta.subtitle", date=date),
            intro=t("intro", total=self.number(self.total)),
            figures=self.figures(),
            chart=self.chart(),
            risks_intro=self.tn(
                "risks.critical", self.critical_count, critical=self.number(self.critical_count)
            )
            if self.critical_count
            else None,
            risks=self.risks(),
            plan_intro=self.plan_intro(),
            steps=self.steps(),
            plan_result=self.plan_result(),
            meaning=self.meaning(),
            footer=t("footer", version=self.result.tool_version, date=date),
        )

    # Key figures

    def figure(self, key: str, count: int, explanation: str, **params: object) -> KeyFigure:
        return KeyFigure(
            key=key,
            label=self.t(f"figures.{key}.label", **params),
            count=count,
            value=self.number(count),
            of_total=self.t("figures.of_total", total=self.number(self.total)),
            explanation=explanation,
        )

    def figures(self) -> tuple[KeyFigure, ...]:
        t, p = self.t, self.result.portfolio
        figures = [
            self.figure(
                "us_access", _count(p.us_lawful_access_share, self.total), t("figures.us_access.explain")
            ),
            self.figure(
                "us_cutoff", _count(p.us_continuity_share, self.total), t("figures.us_cutoff.explain")
            ),
        ]
        company = self.company_figure()
        if company is not None:
            figures.append(company)
        if self.result.policy is not None:
            concerned: set[str] = set()  # applications with a finding of their own
            hard: set[str] = set()  # ... of severity error
            for f in self.result.findings:
                if f.app_id:
                    concerned.add(f.app_id)
                    if f.severity == "error":
                        hard.add(f.app_id)
            figures.append(
                self.figure(
                    "rules",
                    len(concerned),
                    self.tn("figures.rules.explain", len(hard), hard=self.number(len(hard))),
                )
            )
        return tuple(figures)

    def company_figure(self) -> KeyFigure | None:
        """What stops when the largest company withdraws; without that scenario, what it supplies."""
        own = {c.controller.id: c.applications for c in self.result.portfolio.concentration}
        scenario = self.scenario("largest-controller-withdraws")
        if scenario is not None and scenario.cut:
            name = self.label(scenario.cut[0])
            supplied = own.get(scenario.cut[0].removeprefix("entity:"), 0)
            explanation = (
                self.tn("figures.one_company.explain", supplied, name=name, own=self.number(supplied))
                if supplied
                else self.t("figures.one_company.explain_indirect", name=name)
            )
            return self.figure("one_company", len(scenario.stopped), explanation, name=name)
        companies = [
            c for c in self.result.portfolio.concentration if c.controller.id not in (UNKNOWN, "self")
        ]
        if not companies:
            return None
        largest = min(companies, key=lambda c: (-c.applications, -c.criticality_share, c.controller.id))
        name = short_company_name(largest.controller.name)
        explanation = self.t("figures.one_company.explain_supplies", name=name)
        return self.figure("one_company", largest.applications, explanation, name=name)

    # The picture

    def chart(self) -> CouncilChart:
        t, number = self.t, self.number
        now = self.result.portfolio
        plan = self.result.plan
        after = _last_projection(plan)
        measures = (
            ("us_access", "us_lawful_access_share"),
            ("us_cutoff", "us_continuity_share"),
        )
        track = _WIDTH - _LABEL_WIDTH - _VALUE_WIDTH
        groups, rows = [], []
        y = 0
        for key, field in measures:
            title_y = y + 18
            y += _GROUP_TITLE
            values = [(t("chart.now"), _count(getattr(now, field), self.total), _NOW_COLOUR)]
            if after is not None:
                values.append(
                    (t("chart.after"), _count(getattr(after, field), after.applications), _AFTER_COLOUR)
                )
            bars = []
            for label, count, colour in values:
                width = track * count / self.total if self.total else 0.0
                bars.append(
                    Bar(
                        label=label,
                        value=t("chart.value", count=number(count), total=number(self.total)),
                        colour=colour,
                        y=f"{y + (_ROW_HEIGHT - _BAR_HEIGHT) / 2:.1f}",
                        width=f"{width:.1f}",
                        text_y=f"{y + _ROW_HEIGHT / 2 + 5:.1f}",
                    )
                )
                y += _ROW_HEIGHT
            y += _GROUP_GAP
            groups.append(ChartGroup(t(f"chart.measures.{key}"), f"{title_y:.1f}", tuple(bars)))
            rows.append(
                ChartRow(
                    measure=t(f"chart.measures.{key}"),
                    now=bars[0].value,
                    after=bars[1].value if len(bars) > 1 else None,
                )
            )
        counts = {
            f"{key}_{moment}": number(_count(getattr(portfolio, field), self.total))
            for key, field in measures
            for moment, portfolio in (("now", now), ("after", after))
            if portfolio is not None
        }
        summary = t("chart.summary" if after else "chart.summary_now", total=number(self.total), **counts)
        return CouncilChart(
            title=t("chart.title" if after else "chart.title_now"),
            summary=summary,
            groups=tuple(groups),
            rows=tuple(rows),
            has_after=after is not None,
            width=_WIDTH,
            height=y - _GROUP_GAP + 4,
            label_width=_LABEL_WIDTH,
            bar_x=_LABEL_WIDTH,
            track_width=track,
            value_x=_LABEL_WIDTH + track + 10,
            bar_height=_BAR_HEIGHT,
            track_stroke=_TRACK_STROKE,
            ink=INK,
        )

    # Risks

    def scenario(self, scenario_id: str) -> ScenarioOutcome | None:
        return next((s for s in self.result.scenarios if s.id == scenario_id), None)

    def scenario_risk(self, scenario: ScenarioOutcome, *, with_examples: bool) -> str:
        kind = scenario.id if scenario.id in _SCENARIO_KINDS else "custom"
        name = self.t("common.list_and").join(self.label(node) for node in scenario.cut)
        stopped = {s.app_id for s in scenario.stopped}
        number = self.number
        if self.critical_count:
            hit = list(filter(stopped.__contains__, self.critical_ids))
            if not hit:
                return self.t(f"risks.{kind}.none", name=name)
            text = self.tn(
                f"risks.{kind}.critical",
                len(hit),
                name=name,
                count=number(len(hit)),
                total=number(self.critical_count),
            )
        else:
            hit = sorted(stopped)
            if not hit:
                return self.t(f"risks.{kind}.none", name=name)
            text = self.tn(
                f"risks.{kind}.all", len(hit), name=name, count=number(len(hit)), total=number(self.total)
            )
        if with_examples:
            text += " " + self.t("risks.examples", names=self.names(hit))
        return text

    def risks(self) -> tuple[str, ...]:
        risks = [
            self.scenario_risk(s, with_examples=index == 0) for index, s in enumerate(self.result.scenarios)
        ]
        personal = self.personal_us
        if personal:
            risks.append(self.tn("risks.personal_data", personal, count=self.number(personal)))
        # The largest single point that is a part of the landscape (an application, a product, a region) and
        # not already a scenario's subject: "everything hangs on the identity provider".
        covered = {node for s in self.result.scenarios for node in s.cut}
        points = sorted(
            self.result.single_points, key=lambda p: (-len(p.applications), -p.criticality_share, p.node)
        )
        point = next(
            (
                p
                for p in points
                if p.kind in _PART_KINDS
                and not ({p.node, *p.equivalent} & covered)
                and len(p.applications) > 1
            ),
            None,
        )
        if point is not None:
            risks.append(
                self.t(
                    "risks.single_point",
                    name=self.label(point.node),
                    count=self.number(len(point.applications)),
                )
            )
        return tuple(risks)

    # The plan

    def moves(self, plan: Plan) -> list[tuple[str, str]]:
        """Every (app id, alternative id) move of the plan, wave by wave; gathered once per plan (a page asks
        four times, and at national scale a plan moves tens of thousands of applications)."""
        if self._moves is None or self._moves[0] is not plan:
            self._moves = (plan, [move for wave in plan.waves for move in wave.moves])
        return self._moves[1]

    def plan_intro(self) -> tuple[str, ...]:
        plan, t, number = self.result.plan, self.t, self.number
        if plan is None:
            return (t("plan.none"),)
        moves = self.moves(plan)
        below = len(plan.options)
        if not moves:
            return (self.tn("plan.no_moves", below, below=number(below)),)
        texts = [self.tn("plan.intro", below, below=number(below), moves=number(len(moves)))]
        waves = [w for w in plan.waves if w.number > 0]
        quick = any(w.number == 0 for w in plan.waves)
        if quick and not waves:
            texts.append(t("plan.order_quick_only"))
        elif quick:
            texts.append(self.tn("plan.order_quick", len(waves), waves=number(len(waves))))
        else:
            texts.append(self.tn("plan.order", len(waves), waves=number(len(waves))))
        return tuple(texts)

    def steps(self) -> tuple[PlanStep, ...]:
        plan = self.result.plan
        if plan is None:
            return ()
        steps = []
        for wave in sorted(plan.waves, key=lambda w: w.number):
            projected = wave.projected
            after = _count(projected.us_lawful_access_share, projected.applications)
            steps.append(
                PlanStep(
                    title=self.t("plan.quick_wins")
                    if wave.number == 0
                    else self.t("plan.wave", number=wave.number),
                    count=len(wave.moves),
                    count_text=self.number(len(wave.moves)),
                    examples=self.names([app_id for app_id, _ in wave.moves]),
                    after_count=after,
                    after_text=self.t("chart.value", count=self.number(after), total=self.number(self.total)),
                )
            )
        return tuple(steps)

    def plan_result(self) -> tuple[str, ...]:
        now, after, number = self.result.portfolio, _last_projection(self.result.plan), self.number
        if after is None:
            return ()
        access = (
            _count(now.us_lawful_access_share, self.total),
            _count(after.us_lawful_access_share, self.total),
        )
        cutoff = (_count(now.us_continuity_share, self.total), _count(after.us_continuity_share, self.total))
        return (
            self.t(
                "plan.result_access",
                after=number(access[1]),
                now=number(access[0]),
                total=number(self.total),
            ),
            self.t("plan.result_cutoff", after=number(cutoff[1]), now=number(cutoff[0])),
        )

    # What it means

    def meaning(self) -> tuple[str, ...]:
        t, number, plan = self.t, self.number, self.result.plan
        texts = []
        if plan is not None and self.moves(plan):
            moves = self.moves(plan)
            efforts = self.efforts(plan)
            texts.append(
                t(
                    "meaning.effort",
                    moves=number(len(moves)),
                    low=number(efforts.get("low", 0)),
                    medium=number(efforts.get("medium", 0)),
                    high=number(efforts.get("high", 0)),
                )
            )
            texts.append(t("meaning.years"))
        texts.append(t("meaning.costs"))
        if plan is not None:
            moved = {app_id for app_id, _ in self.moves(plan)}
            by_app = index_plan(plan).by_app
            if len(by_app) == len(plan.options):
                # One option per application: those not moved are the options less the moved ones among them.
                stuck = len(plan.options) - len(by_app.keys() & moved)
            else:
                stuck = sum(1 for o in plan.options if o.before.application.app_id not in moved)
            if stuck:
                texts.append(self.tn("meaning.no_alternative", stuck, count=number(stuck)))
            if plan.exits:
                texts.append(self.tn("meaning.exits", len(plan.exits), count=number(len(plan.exits))))
        unknown = _count(self.result.portfolio.unknown_share, self.total)
        if unknown:
            texts.append(self.tn("meaning.unknown", unknown, count=number(unknown)))
        return tuple(texts)

    def efforts(self, plan: Plan) -> dict[str, int]:
        """Moves per effort (low, medium, high), from the option each move takes."""
        options = index_plan(plan).by_app
        counts: dict[str, int] = {}
        for app_id, alternative_id in self.moves(plan):
            chosen = options.get(app_id)
            option = next(
                (m for m in (chosen.options if chosen else ()) if m.alternative.id == alternative_id), None
            )
            effort = option.alternative.effort if option else UNKNOWN
            counts[effort] = counts.get(effort, 0) + 1
        return counts


def _last_projection(plan: Plan | None) -> Portfolio | None:
    """The landscape after the plan's last wave (the highest number; the plan's order is not relied on)."""
    if plan is None or not plan.waves:
        return None
    return max(plan.waves, key=lambda wave: wave.number).projected


def _importance(assessment: ApplicationAssessment) -> tuple[float, str, str, str]:
    """Sort key: most critical first, then by name; the id breaks ties."""
    app = assessment.application
    return (-assessment.criticality, app.name.casefold(), app.name, app.app_id)


# ---------------------------------------------------------------------------------------------------------
# Rendering


def render_raad_html(result: AuditResult, messages: Messages) -> str:
    """The council page in ``messages.lang``."""
    view = build_council_view(result, messages)
    texts = load_council_messages(messages.lang)
    return _environment().get_template("raad.html.j2").render(view=view, t=texts.t)
