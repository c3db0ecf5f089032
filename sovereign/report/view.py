"""The report's view model: an ``AuditResult`` turned into rows and sentences ready to show, in one language.

Every human-facing report (``index.html`` now; the council page, the XLSX and the Markdown later) reads this
one view, so a figure is computed and worded once. Values are already formatted for the language (numbers,
percentages, dates, country names, translated edge kinds) and sorted deterministically; templates only lay
them out. Text from the inventory is passed through as plain strings: escaping is the template's job. This
module does no I/O and holds no markup.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from itertools import islice, repeat
from operator import attrgetter
from typing import Any

from sovereign.model import (
    UNKNOWN,
    ApplicationAssessment,
    AuditResult,
    AxisResult,
    ControllerRef,
    CriticalityModel,
    Entity,
    Finding,
    HostingRegion,
    MatchMethod,
    Product,
    Rule,
    ScenarioOutcome,
    Selector,
    SinglePoint,
    Source,
    StoppedApplication,
    WeightSet,
)
from sovereign.report._palette import SEAL_COLOURS, text_colour
from sovereign.report._roadmap import RoadmapView, build_roadmap_view
from sovereign.report.json_report import location_key, sort_concentration
from sovereign.report.translation import Messages

__all__ = [
    "AXES",
    "FULL_TABLE_LIMIT",
    "ORGANISATION_BARS",
    "SEAL_KEYS",
    "TOP_CONTROLLERS",
    "TOP_ROWS",
    "TOP_STOPPED",
    "AppLink",
    "ApplicationRow",
    "Axis",
    "ControllerRow",
    "Country",
    "DepartmentRow",
    "FactorRow",
    "Figure",
    "FindingRow",
    "JurisdictionRow",
    "ObjectiveRow",
    "OrganisationRow",
    "OrganisationsView",
    "PathPart",
    "PolicyView",
    "Reference",
    "ReportView",
    "RoadmapView",
    "RuleView",
    "ScenarioView",
    "Seal",
    "SealRow",
    "SinglePointRow",
    "SourceLink",
    "StoppedRow",
    "WeightSetView",
    "build_report_parts",
    "build_report_view",
    "importance",
]

#: SEAL keys in display order; the same keys as ``Portfolio.seal_distribution``.
SEAL_KEYS: tuple[str, ...] = ("0", "1", "2", "3", "4", UNKNOWN)
#: The three axes, in the order the report shows them.
AXES: tuple[str, ...] = ("lawful_access", "residency", "continuity")
#: How many controllers the concentration chart shows.
TOP_CONTROLLERS = 15
#: How many stopped applications a scenario shows before the rest goes into a <details>.
TOP_STOPPED = 10
#: Up to this many applications the pages list every application in every table. Above it, each per-application
#: list shows the ``TOP_ROWS`` most important rows (``importance``) with its total, and says that the full
#: tables are in findings.xlsx and audit.json: a 150,000-row HTML table helps no reader and no browser.
FULL_TABLE_LIMIT = 1_000
#: How many rows a per-application list shows above ``FULL_TABLE_LIMIT``.
TOP_ROWS = 50
#: Up to this many organisations the per-organisation chart has one bar each; above it, a distribution.
ORGANISATION_BARS = 30
#: Largest possible HHI (one party holds 100 %).
_HHI_MAX = 10_000
#: Node id prefix -> the catalog table its record lives in, for citing sources in the evidence section.
_RECORD_KINDS = {"product": "products", "entity": "entities", "hosting": "hosting", "region": "hosting"}


# ---------------------------------------------------------------------------------------------------------
# View records


@dataclass(frozen=True, slots=True)
class Country:
    code: str  # ISO alpha-2, or "unknown"
    name: str
    bloc: str  # eu | eea | adequacy | other | unknown

    @property
    def is_unknown(self) -> bool:
        return self.code == UNKNOWN


@dataclass(frozen=True, slots=True)
class Seal:
    key: str  # "0".."4" or "unknown"
    name: str  # "SEAL 2"
    meaning: str
    background: str
    foreground: str

    @property
    def rank(self) -> int:
        """Sort rank: unknown below 0, because unknown is never sovereign."""
        return -1 if self.key == UNKNOWN else int(self.key)


@dataclass(frozen=True, slots=True)
class PathPart:
    kind: str  # "node" or "edge"
    text: str


@dataclass(frozen=True, slots=True)
class Axis:
    key: str  # one of AXES
    title: str
    countries: tuple[Country, ...]
    paths: tuple[tuple[PathPart, ...], ...]


@dataclass(frozen=True, slots=True)
class SourceLink:
    title: str
    address: str  # the URL as the catalog has it
    linkable: (
        bool  # only http(s) URLs become links; anything else (javascript:, a file path) is shown as text
    )
    text: str  # "title, checked 1 March 2026"


@dataclass(frozen=True, slots=True)
class Reference:
    """A catalog record met on an application's paths, with where its facts come from."""

    record: str
    confidence: str
    local_reason: str | None
    sources: tuple[SourceLink, ...]


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    id: str
    anchor: str  # id of the application's evidence block, "app-1" .. in name order
    name: str
    source: str
    department: str | None
    organisation: str | None
    vendor: str | None
    product: str | None  # matched catalog product's name
    match: str  # "alias, 100 %" or "not recognised"
    matched: bool
    controller_id: str | None
    controller: str | None
    controller_country: Country
    axes: tuple[Axis, ...]  # in AXES order
    seal: Seal
    seal_reason: str
    criticality: float
    criticality_text: str
    weighted_score: float | None  # 0..100; ranks within a SEAL level only
    weighted_score_text: str  # "32,5", or "—" without a weight set
    objectives: tuple[tuple[str, str], ...]  # ("SOV-1", "0,5") in objective order
    hosting: str | None
    region: str | None
    suggestions: tuple[str, ...]
    references: tuple[Reference, ...]

    def axis(self, key: str) -> Axis:
        return self.axes[AXES.index(key)]

    @property
    def seal_sort(self) -> str:
        """Sort key of the SEAL column: the level, then the weighted score within it (it ranks nothing else).

        The score is at most 100, so score / 1000 stays below one level: "2.03250" for SEAL 2 with 32.5.
        """
        score = self.weighted_score or 0.0
        return f"{self.seal.rank + score / 1000:.5f}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One summary figure: a label, the value, an optional second value, and one explaining sentence."""

    key: str
    label: str
    value: str
    explanation: str
    detail: str | None = None
    seals: tuple[SealRow, ...] = ()
    link: str | None = None  # id of the section that explains the figure
    link_text: str | None = None


@dataclass(frozen=True, slots=True)
class JurisdictionRow:
    country: Country
    controller: str
    controller_id: str
    applications: tuple[str, ...]  # names, sorted
    count: int


@dataclass(frozen=True, slots=True)
class ControllerRow:
    id: str
    name: str
    country: Country
    applications: int
    share: float
    criticality_share: float
    share_text: str
    criticality_text: str

    @property
    def is_unknown(self) -> bool:
        """The bucket of applications whose controller is not known (the portfolio keeps it as one row)."""
        return self.id == UNKNOWN


@dataclass(frozen=True, slots=True)
class SealRow:
    seal: Seal
    count: int
    share_text: str


@dataclass(frozen=True, slots=True)
class LocalRow:
    """A record from the municipality's own catalog folder, as the report lists it."""

    kind: str
    name: str
    id: str
    reason: str
    file: str
    overrides: bool
    applications: tuple[str, ...]  # application names


@dataclass(frozen=True, slots=True)
class AppLink:
    """An application named in a table, with the id of its evidence block (None if it has none)."""

    name: str
    anchor: str | None


@dataclass(frozen=True, slots=True)
class FindingRow:
    """One violation of a rule: the application, what is wrong in words, and the paths that show it."""

    application: AppLink | None  # None for a portfolio finding
    message: str
    evidence: tuple[tuple[PathPart, ...], ...]
    applications: tuple[AppLink, ...]  # a portfolio finding: every application concerned, by name
    concerned: str | None  # "Betrokken applicaties (33):" when ``applications`` is not empty


@dataclass(frozen=True, slots=True)
class RuleView:
    id: str
    anchor: str  # "rule-1" ..; rule ids come from a policy file and are not trusted as element ids
    kind: str
    severity: str  # "error" | "warning"
    severity_text: str
    requirement: str
    applies_to: str
    explanation: str  # English by the policy schema's contract
    sources: tuple[SourceLink, ...]
    findings: tuple[FindingRow, ...]
    applications: int  # distinct applications concerned
    applications_text: str
    findings_note: str = ""  # above FULL_TABLE_LIMIT: "50 van 9.120 bevindingen getoond ..."


@dataclass(frozen=True, slots=True)
class FactorRow:
    """One factor of the criticality model, with its weight and what it means."""

    key: str
    name: str
    weight: str
    explanation: str


@dataclass(frozen=True, slots=True)
class ObjectiveRow:
    """One objective of the EU Cloud Sovereignty Framework with its weight in the weight set used."""

    id: str  # "SOV-1"
    name: str
    weight: str
    meaning: str


@dataclass(frozen=True, slots=True)
class WeightSetView:
    id: str
    name: str
    objectives: tuple[ObjectiveRow, ...]
    confidence: str
    sources: tuple[SourceLink, ...]


@dataclass(frozen=True, slots=True)
class PolicyView:
    id: str
    name: str
    file: str | None
    description: str
    summary: str
    errors: int  # findings of severity error
    warnings: int
    applications: int  # applications with at least one finding
    error_applications: int  # applications with at least one finding of severity error
    rules: tuple[RuleView, ...]  # in policy order


@dataclass(frozen=True, slots=True)
class DepartmentRow:
    name: str
    stopped: int
    total: int  # applications of the department in the inventory
    criticality_text: str


@dataclass(frozen=True, slots=True)
class StoppedRow:
    application: AppLink
    department: str | None
    criticality_text: str
    direct: bool  # False: stops only because an application it depends on stops
    path: tuple[PathPart, ...]


@dataclass(frozen=True, slots=True)
class ScenarioView:
    id: str
    anchor: str  # "scenario-1" ..
    title: str
    description: str
    summary: str
    stopped: int
    share_text: str  # share of the portfolio's criticality that stops
    uncertain_count: int
    departments: tuple[DepartmentRow, ...]  # most criticality first
    top: tuple[StoppedRow, ...]  # the TOP_STOPPED most critical applications that stop
    rest: tuple[StoppedRow, ...]
    rest_summary: str  # "Toon de overige 109 applicaties die stoppen"
    uncertain: tuple[AppLink, ...]


@dataclass(frozen=True, slots=True)
class SinglePointRow:
    node: str
    label: str
    kind: str
    equivalent: tuple[str, ...]  # labels of nodes whose loss stops exactly the same applications
    applications: int
    criticality_share: float
    share_text: str
    example: tuple[PathPart, ...]


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    """The headline figures of one organisation of a shared inventory."""

    name: str
    applications: int
    matched_share: float
    us_lawful_access_share: float
    us_lawful_access_weighted: float
    us_continuity_share: float
    low_seal_share: float  # SEAL 0 or 1
    seals: tuple[SealRow, ...]  # in SEAL_KEYS order
    errors: int  # policy findings of severity error on its applications
    warnings: int
    largest: str | None  # largest known controller: "Microsoft Corporation (62 %)"
    applications_text: str
    matched_text: str
    us_lawful_access_text: str
    us_lawful_access_weighted_text: str
    us_continuity_text: str
    low_seal_text: str


@dataclass(frozen=True, slots=True)
class OrganisationsView:
    """One row per organisation (two or more), most exposed to US lawful access first."""

    rows: tuple[OrganisationRow, ...]
    count: int  # organisations named in the inventory
    summary: str
    without: int  # applications with no organisation in the inventory (a row of their own when > 0)


@dataclass(frozen=True, slots=True)
class ReportView:
    lang: str
    title: str
    subtitle: str
    date: str
    figures: tuple[Figure, ...]
    jurisdiction_rows: tuple[JurisdictionRow, ...]
    jurisdiction_summary: str
    controllers: tuple[ControllerRow, ...]  # all, largest first
    top_controllers: tuple[ControllerRow, ...]
    concentration_summary: str
    seal_rows: tuple[SealRow, ...]
    seal_summary: str
    applications: tuple[ApplicationRow, ...]  # by name; above FULL_TABLE_LIMIT the TOP_ROWS most important
    unmatched: tuple[ApplicationRow, ...]
    rejected: tuple[tuple[str, str], ...]  # (source, reason)
    merged: tuple[tuple[str, str], ...]  # (source, into)
    warnings: tuple[str, ...]
    total_applications: int
    capped: bool  # more than FULL_TABLE_LIMIT applications: lists show their most important rows only
    cap_note: str  # the rule and where the full tables are; "" when not capped
    applications_shown: str  # "50 van 150.000 applicaties getoond" or ""
    unmatched_total: int
    rejected_total: int
    merged_total: int
    warnings_total: int
    organisations: OrganisationsView | None  # None for one organisation
    local_knowledge: tuple[LocalRow, ...]
    policy: PolicyView | None
    scenarios: tuple[ScenarioView, ...]
    single_points: tuple[SinglePointRow, ...]  # most criticality first
    single_points_summary: str
    roadmap: RoadmapView | None  # None when the audit made no migration plan
    criticality_base: str
    criticality_factors: tuple[FactorRow, ...]
    weight_set: WeightSetView | None
    tool_version: str
    method_version: str
    catalog_digest: str
    inputs: tuple[str, ...]  # one line per input file


# ---------------------------------------------------------------------------------------------------------
# Building


def build_report_view(result: AuditResult, messages: Messages, *, limit: int | None = None) -> ReportView:
    """The whole report's content for ``messages.lang``; see ``build_report_parts``."""
    return build_report_parts(result, messages, limit=limit)[0]


#: The last view built: (result, messages, limit, parts). index.html and report.md ask for the same one.
_LAST_PARTS: list[tuple[AuditResult, Messages, int | None, tuple[ReportView, _Builder]]] = []


def build_report_parts(
    result: AuditResult, messages: Messages, *, limit: int | None = None
) -> tuple[ReportView, _Builder]:
    """The whole report's content; built once for the same result, texts and limit (see ``_build_parts``)."""
    if _LAST_PARTS:
        last_result, last_messages, last_limit, parts = _LAST_PARTS[0]
        if last_result is result and last_messages is messages and last_limit == limit:
            return parts
    parts = _build_parts(result, messages, limit=limit)
    _LAST_PARTS[:] = [(result, messages, limit, parts)]
    return parts


def _build_parts(
    result: AuditResult, messages: Messages, *, limit: int | None = None
) -> tuple[ReportView, _Builder]:
    """The whole report's content for ``messages.lang``, sorted and formatted.

    Linear in the number of applications: every lookup the lists need is a dict built once. With ``limit``
    (the pages pass ``FULL_TABLE_LIMIT``) and more applications than that, every per-application list holds
    the ``TOP_ROWS`` most important rows (see ``importance``); without it (the XLSX) every row.
    """
    t, number = messages.t, messages.number
    total = len(result.assessments)
    capped = limit is not None and total > limit
    anchors: dict[str, str] = {}  # filled below, before the first application link is made
    builder = _Builder(result, messages, anchors, capped=capped, rank=capped)
    if capped:
        ranked = (builder.by_id[app_id] for app_id in builder.ranked())
        ordered = sorted(islice(ranked, TOP_ROWS), key=_name_key)
    else:
        ordered = sorted(result.assessments, key=_name_key)
    anchors.update((a.application.app_id, f"app-{index}") for index, a in enumerate(ordered, 1))
    applications = tuple(builder.application(a, f"app-{index}") for index, a in enumerate(ordered, 1))
    unmatched_all = [a for a in result.assessments if not _is_matched(a)]
    if capped:
        unmatched_ranked = (a for a in map(builder.by_id.__getitem__, builder.ranked()) if not _is_matched(a))
        unmatched_shown = sorted(islice(unmatched_ranked, TOP_ROWS), key=_name_key)
        unmatched = tuple(
            builder.application(a, anchors.get(a.application.app_id, "")) for a in unmatched_shown
        )
    else:
        unmatched = tuple(row for row in applications if not row.matched)
    policy = builder.policy()
    single_points = builder.single_points()
    # Without a policy the pipeline scores criticality with the default model, which is CriticalityModel().
    criticality = result.policy.criticality if result.policy else CriticalityModel()
    controllers = builder.controllers()
    seal_rows = builder.seal_rows()
    organisations = builder.organisations()
    if organisations is not None:
        title = t("meta.title_organisations", count=number(organisations.count))
    else:
        named = {a.application.organisation for a in result.assessments} - {None, ""}
        title = t("meta.title_for", organisation=next(iter(named))) if len(named) == 1 else t("meta.title")
    jurisdiction_rows = builder.jurisdiction_rows()
    rejected = sorted(result.inventory.rejected, key=lambda r: location_key(r.source))
    merged = sorted(result.inventory.merged, key=lambda r: location_key(r.source))
    warnings = result.inventory.warnings
    limit = TOP_ROWS if capped else None
    view = ReportView(
        lang=messages.lang,
        title=title,
        subtitle=t("meta.subtitle", date=messages.date(result.date)),
        date=messages.date(result.date),
        figures=builder.figures(controllers, seal_rows, policy),
        jurisdiction_rows=jurisdiction_rows,
        jurisdiction_summary=builder.jurisdiction_summary(jurisdiction_rows),
        controllers=controllers,
        top_controllers=controllers[:TOP_CONTROLLERS],
        concentration_summary=builder.concentration_summary(controllers),
        seal_rows=seal_rows,
        seal_summary=builder.seal_summary(),
        applications=applications,
        unmatched=unmatched,
        rejected=tuple((str(r.source), r.reason) for r in rejected[:limit]),
        merged=tuple((str(r.source), str(r.into)) for r in merged[:limit]),
        warnings=warnings[:limit],
        total_applications=total,
        capped=capped,
        cap_note=t("capped.note", total=number(total), limit=number(FULL_TABLE_LIMIT), top=number(TOP_ROWS))
        if capped
        else "",
        applications_shown=t("capped.shown", shown=number(len(applications)), total=number(total))
        if capped
        else "",
        unmatched_total=len(unmatched_all),
        rejected_total=len(rejected),
        merged_total=len(merged),
        warnings_total=len(warnings),
        organisations=organisations,
        local_knowledge=tuple(
            LocalRow(
                kind=t(f"quality.local.kinds.{f.kind}"),
                name=f.name,
                id=f.id,
                reason=f.reason,
                file=f.file,
                overrides=f.overrides,
                applications=builder.app_names(f.applications),
            )
            for f in result.local_knowledge
        ),
        policy=policy,
        scenarios=tuple(builder.scenario(s, index) for index, s in enumerate(result.scenarios, 1)),
        single_points=single_points,
        single_points_summary=builder.single_points_summary(single_points),
        roadmap=build_roadmap_view(
            result, messages, builder, {rule.id: rule.anchor for rule in policy.rules} if policy else {}
        ),
        criticality_base=builder.short_number(criticality.base),
        criticality_factors=builder.criticality_factors(criticality),
        weight_set=builder.weight_set(result.policy.seal_weights) if result.policy else None,
        tool_version=result.tool_version,
        method_version=result.method_version,
        catalog_digest=result.catalog_digest,
        inputs=tuple(
            t("footer.input", path=f.path, rows=messages.number(f.rows), sha256=f.sha256)
            for f in result.inputs
        ),
    )
    return view, builder


def _name_key(assessment: ApplicationAssessment) -> tuple[str, str, str]:
    app = assessment.application
    return (app.name.casefold(), app.name, app.app_id)


def importance(assessment: ApplicationAssessment) -> tuple[float, int, str, str, str]:
    """Sort key of the rows shown above ``FULL_TABLE_LIMIT``: most critical first, then the lowest SEAL level
    (unknown below 0, because unknown is never sovereign), then by name."""
    return (*_importance_group(assessment), *_name_key(assessment))


def _importance_group(assessment: ApplicationAssessment) -> tuple[float, int]:
    """The first fields of ``importance``: criticality (most critical first) and SEAL level."""
    return (-assessment.criticality, -1 if assessment.seal is None else assessment.seal)


def _by_importance(assessments: Iterable[ApplicationAssessment]) -> list[str]:
    """App ids in ``importance`` order, as ``sorted(assessments, key=importance)`` has them, in about half the
    time at national scale.

    An inventory holds a few dozen distinct pairs of criticality and SEAL level, the first fields of
    ``importance``: each group of equal pairs is sorted by its name keys, which compares names where one sort
    of them all would compare long tuples that tie on their first two fields. The app id is the last field
    of a name key, so the ids come out of the sorted keys without a second walk through the assessments.
    """
    groups: _ImportanceGroups = defaultdict(list)
    for assessment in assessments:
        groups[_importance_group(assessment)].append(_name_key(assessment))
    return _ranked_ids(groups)


#: ``importance`` groups: (criticality, SEAL level) fields -> the name keys of the applications with them.
_ImportanceGroups = dict[tuple[float, int], list[tuple[str, str, str]]]
#: Organisation ("" for none) -> its assessments, and app id -> organisation (``_Builder.organisations``).
_ByOrganisation = tuple[dict[str, list[ApplicationAssessment]], dict[str, str]]


def _ranked_ids(groups: _ImportanceGroups) -> list[str]:
    """The app ids of ``_by_importance`` from its groups: each group sorted by name key, groups in order."""
    return [key[2] for group in sorted(groups) for key in sorted(groups[group])]


_APP_ID = attrgetter("app_id")


def _own_applications(findings: Iterable[Finding]) -> set[str]:
    """The applications with a finding of their own (a portfolio finding has none), read in C: a national
    audit has two hundred thousand findings."""
    app_ids = set(map(_APP_ID, findings))
    app_ids.discard(None)
    app_ids.discard("")
    return app_ids


def _is_matched(assessment: ApplicationAssessment) -> bool:
    return assessment.match.product is not None and assessment.match.method is not MatchMethod.NONE


class _Memo(dict[str, str]):
    """Text -> what ``function`` makes of it, worked out the first time; a known text is looked up in C."""

    __slots__ = ("function",)

    def __init__(self, function: Callable[[str], str]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, text: str) -> str:
        found = self[text] = self.function(text)
        return found


class _Builder:
    """Holds the result and the language while the view is built; one method per part of the report."""

    def __init__(
        self,
        result: AuditResult,
        messages: Messages,
        anchors: Mapping[str, str],
        *,
        capped: bool = False,
        rank: bool = False,
    ) -> None:
        """``rank``: gather what ``ranked`` sorts and ``organisations`` groups in the same pass as the ids and
        names (the pages rank every application when they are capped; the workbook does neither)."""
        self.result = result
        self.messages = messages
        self.t = messages.t
        self.anchors = anchors  # app id -> id of its evidence block
        # One pass over the assessments: at national scale a pass is mostly waiting for memory.
        self.by_id: dict[str, ApplicationAssessment] = {}
        self.names: dict[str, str] = {}  # app id -> name (of the last assessment with the id, as by_id)
        self._groups: _ImportanceGroups | None = None  # see ``ranked``
        self._by_organisation: _ByOrganisation | None = None  # see ``organisations``
        if rank:
            groups: _ImportanceGroups = defaultdict(list)
            by_org: dict[str, list[ApplicationAssessment]] = defaultdict(list)
            organisation_of: dict[str, str] = {}
            self._groups, self._by_organisation = groups, (by_org, organisation_of)
            for a in result.assessments:
                app = a.application
                self.by_id[app.app_id] = a
                self.names[app.app_id] = app.name
                groups[(-a.criticality, -1 if a.seal is None else a.seal)].append(
                    (app.name.casefold(), app.name, app.app_id)
                )
                organisation = organisation_of[app.app_id] = app.organisation or ""
                by_org[organisation].append(a)
        else:
            for a in result.assessments:
                app = a.application
                self.by_id[app.app_id] = a
                self.names[app.app_id] = app.name
        self.capped = capped  # lists show their TOP_ROWS most important rows
        # Memos: the same countries, levels, nodes and edges come back on every application's paths.
        self._countries: dict[str | None, Country] = {}
        self._seals: dict[int | None, Seal] = {}
        # Node and edge labels, looked up in C once known: the workbook asks for hundreds of thousands.
        self.node_label: Callable[[str], str] = _Memo(self._node_label).__getitem__
        self.edge_label: Callable[[str], str] = _Memo(self._edge_label).__getitem__
        self._path_tails: dict[tuple[str, ...], tuple[PathPart, ...]] = {}
        self._links: dict[str, AppLink] = {}
        self._department_totals: dict[str, int] | None = None
        self._rank: dict[str, int] | None = None
        self._ranked: list[str] | None = None
        self._top: dict[int, tuple[tuple[str, ...], list[str], int]] = {}  # see ``top``
        self._total_criticality = 0.0
        self._controller_names = {
            share.controller.id: share.controller for share in result.portfolio.concentration
        }

    def ranked(self) -> list[str]:
        """App ids in ``importance`` order (most important first); sorted once per report."""
        if self._ranked is None:
            if self._groups is not None:
                self._ranked, self._groups = _ranked_ids(self._groups), None
            else:
                self._ranked = _by_importance(self.result.assessments)
        return self._ranked

    def rank(self) -> dict[str, int]:
        """App id -> place in ``importance`` order (0 = most important)."""
        if self._rank is None:
            ranked = self.ranked()
            self._rank = dict(zip(ranked, range(len(ranked)), strict=True))
        return self._rank

    def top(self, app_ids: Iterable[str]) -> tuple[list[str], int]:
        """Above ``FULL_TABLE_LIMIT``: the ``TOP_ROWS`` most important of ``app_ids`` and how many are left out.

        Below it: every id, none left out. Ids are deduplicated; the order is the caller's to choose.
        """
        if isinstance(app_ids, tuple):
            # The plan hands every exit of one vendor the same tuple of applications that stop (tens of
            # thousands of ids at national scale): ranked once per tuple. The entry holds the tuple, so its
            # id is not reused while the entry lives.
            known = self._top.get(id(app_ids))
            if known is not None and known[0] is app_ids:
                return list(known[1]), known[2]
            shown, rest = self._top_of(app_ids)
            self._top[id(app_ids)] = (app_ids, shown, rest)
            return list(shown), rest
        return self._top_of(app_ids)

    def _top_of(self, app_ids: Iterable[str]) -> tuple[list[str], int]:
        # A set is used as it is (``used_records`` hands each record's applications as a frozenset of up to
        # 150,000 ids): nothing below changes it.
        unique = app_ids if isinstance(app_ids, set | frozenset) else set(app_ids)
        if not self.capped or len(unique) <= TOP_ROWS:
            return list(unique), 0
        rank, ranked = self.rank(), self.ranked()
        if len(unique) * len(unique) >= TOP_ROWS * len(ranked):
            # A large list (the applications that stop when a vendor withdraws can be a third of the country):
            # walking the ranking finds its TOP_ROWS in about TOP_ROWS * len(ranked) / len(unique) steps, in C,
            # where ranking every id would look up each one in a dict of every application.
            shown = list(islice(filter(unique.__contains__, ranked), TOP_ROWS))
        else:
            # A small list: rank each id and sort the ranks (ints, compared in C); an id the assessments do not
            # know gets a rank after every known one.
            ranks = sorted(map(rank.get, unique, repeat(len(ranked))))
            shown = [ranked[r] for r in ranks[:TOP_ROWS] if r < len(ranked)]
        if len(shown) < TOP_ROWS:
            # An id the assessments do not know (not expected) comes after every known one.
            shown += sorted(unique - rank.keys())[: TOP_ROWS - len(shown)]
        return shown, len(unique) - TOP_ROWS

    def more(self, count: int) -> str:
        """ "en 149.950 andere": closes a list that shows the most important rows only."""
        return self.t("capped.more", count=self.messages.number(count))

    def more_link(self, count: int) -> AppLink:
        """The closing "and N more" of a list of application links (it links nowhere)."""
        return AppLink(self.more(count), None)

    def app_names(self, app_ids: Iterable[str]) -> tuple[str, ...]:
        """Application names, sorted; above ``FULL_TABLE_LIMIT`` the most important ones and a closing "and N more"."""
        shown, rest = self.top(app_ids)
        names = tuple(sorted(self.names.get(i, i) for i in shown))
        return (*names, self.more(rest)) if rest else names

    # Small parts

    def country(self, code: str | None) -> Country:
        found = self._countries.get(code)
        if found is None:
            found = self._countries[code] = self._country(code)
        return found

    def _country(self, code: str | None) -> Country:
        if code is None or code == UNKNOWN:
            return Country(UNKNOWN, self.t("common.unknown"), UNKNOWN)
        jurisdiction = self.result.catalog.jurisdictions.get(code)
        # "EU" stands for "somewhere in the EU" (a product's EU data boundary). A country the catalog does not
        # describe is treated as a third country: unknown is never sovereign.
        bloc = jurisdiction.bloc.value if jurisdiction else ("eu" if code == "EU" else "other")
        return Country(code, self.messages.country(code, jurisdiction.name if jurisdiction else None), bloc)

    def seal(self, level: int | None) -> Seal:
        found = self._seals.get(level)
        if found is None:
            found = self._seals[level] = self._seal(level)
        return found

    def _seal(self, level: int | None) -> Seal:
        key = UNKNOWN if level is None else str(level)
        name = self.t("seal.unknown_name") if level is None else self.t("seal.name", level=level)
        background = SEAL_COLOURS[key]
        return Seal(key, name, self.t(f"seal.levels.{key}"), background, text_colour(background))

    def _node_label(self, node: str) -> str:
        kind, _, rest = node.partition(":")
        if kind == "country":
            return self.messages.country(rest, self.result.labels.get(node))
        return self.result.labels.get(node) or rest or node

    def _edge_label(self, edge: str) -> str:
        key = f"edges.{edge}"
        return self.t(key) if self.messages.has(key) else edge.replace("_", " ")

    def path(self, path: tuple[str, ...]) -> tuple[PathPart, ...]:
        # A path alternates node ids (even positions) and edge kinds (odd positions). Many applications share
        # everything after their own node (the same product, operator and owners), so that part is worded once.
        if not path:
            return ()
        tail = path[1:]
        worded = self._path_tails.get(tail)
        if worded is None:
            worded = self._path_tails[tail] = tuple(
                PathPart("edge", self.edge_label(step))
                if i % 2 == 0
                else PathPart("node", self.node_label(step))
                for i, step in enumerate(tail)
            )
        return (PathPart("node", self.node_label(path[0])), *worded)

    def axis(self, key: str, axis: AxisResult) -> Axis:
        return Axis(
            key=key,
            title=self.t(f"evidence.axes.{key}"),
            countries=tuple(self.country(c) for c in sorted(axis.countries)),
            paths=tuple(self.path(p) for p in sorted(axis.paths)),
        )

    def references(self, assessment: ApplicationAssessment) -> tuple[Reference, ...]:
        """The catalog records on this application's paths that carry sources or come from a local overlay."""
        catalog = self.result.catalog
        tables: Mapping[str, Mapping[str, Product | Entity | HostingRegion]] = {
            "products": catalog.products,
            "entities": catalog.entities,
            "hosting": catalog.hosting,
        }
        nodes = sorted(
            {
                node
                for axis in (assessment.lawful_access, assessment.residency, assessment.continuity)
                for path in axis.paths
                for node in path[0::2]
            }
        )
        references = []
        for node in nodes:
            kind, _, record_id = node.partition(":")
            table = _RECORD_KINDS.get(kind)
            record = tables[table].get(record_id) if table else None
            if record is None or (not record.sources and record.origin != "local"):
                continue
            confidence = self.t(f"confidence.{record.confidence.value}")
            local_reason = (record.reason or self.t("evidence.local")) if record.origin == "local" else None
            sources = sorted(record.sources, key=lambda s: (s.title, s.url))
            references.append(
                Reference(
                    record=self.node_label(node),
                    confidence=self.t("evidence.confidence", value=confidence),
                    local_reason=local_reason,
                    sources=tuple(self.source_link(s) for s in sources),
                )
            )
        return tuple(references)

    def source_link(self, source: Source) -> SourceLink:
        linkable = source.url.startswith(("https://", "http://"))
        text = self.t("evidence.source_item", title=source.title, checked=self.messages.date(source.checked))
        return SourceLink(source.title, source.url, linkable, text)

    def hosting(self, written: str | None, kind: str) -> str | None:
        """The hosting text as written, with how it was understood when that adds something."""
        if not written:
            return None
        key = f"hosting_kinds.{kind}"
        understood = self.t(key) if self.messages.has(key) else kind
        if understood.casefold() == written.strip().casefold():
            return written
        return self.t("evidence.hosting_value", written=written, kind=understood)

    def short_number(self, value: float) -> str:
        """A number with as few decimals as it needs, at most two: 1 -> "1", 1.5 -> "1,5", 0.25 -> "0,25"."""
        decimals = next((d for d in (0, 1) if round(value, d) == round(value, 4)), 2)
        return self.messages.number(value, decimals=decimals)

    def app_link(self, app_id: str) -> AppLink:
        link = self._links.get(app_id)
        if link is None:
            name = self.names.get(app_id) or self.node_label(f"application:{app_id}")
            link = self._links[app_id] = AppLink(name, self.anchors.get(app_id))
        return link

    def app_links(self, app_ids: Iterable[str]) -> tuple[AppLink, ...]:
        """Links by name; above ``FULL_TABLE_LIMIT`` the most important ones and a closing "and N more"."""
        shown, rest = self.top(app_ids)
        links = sorted(
            (self.app_link(i) for i in shown),
            key=lambda link: (link.name.casefold(), link.name, link.anchor or ""),
        )
        if rest:
            links.append(self.more_link(rest))
        return tuple(links)

    def application(self, assessment: ApplicationAssessment, anchor: str) -> ApplicationRow:
        app = assessment.application
        match = assessment.match
        products = self.result.catalog.products
        product = products.get(match.product) if match.product else None
        matched = match.product is not None and match.method is not MatchMethod.NONE
        match_text = (
            self.t(
                "common.match",
                method=self.t(f"match_methods.{match.method.value}"),
                score=self.messages.percent(match.score, decimals=0),
            )
            if matched
            else self.t("common.not_matched")
        )
        controller = assessment.controller
        hosting = self.hosting(app.hosting, assessment.hosting_kind)
        region = self.result.catalog.hosting.get(assessment.hosting_region or "")
        score = assessment.weighted_score
        return ApplicationRow(
            id=app.app_id,
            anchor=anchor,
            name=app.name,
            source=str(app.source),
            department=app.department,
            organisation=app.organisation,
            vendor=app.vendor,
            product=product.name if product else match.product,
            match=match_text,
            matched=matched,
            controller_id=controller.id if controller else None,
            controller=controller.name if controller else None,
            controller_country=self.country(controller.country if controller else None),
            axes=(
                self.axis("lawful_access", assessment.lawful_access),
                self.axis("residency", assessment.residency),
                self.axis("continuity", assessment.continuity),
            ),
            seal=self.seal(assessment.seal),
            seal_reason=assessment.seal_reason,
            criticality=assessment.criticality,
            criticality_text=self.messages.number(assessment.criticality, decimals=1),
            weighted_score=score,
            weighted_score_text=self.t("common.none") if score is None else self.messages.number(score, 1),
            objectives=tuple((key, self.short_number(value)) for key, value in assessment.objectives),
            hosting=hosting,
            region=region.name if region else assessment.hosting_region,
            suggestions=tuple(
                self.t(
                    "quality.unmatched.suggestion",
                    name=products[pid].name if pid in products else pid,
                    score=self.messages.percent(score, decimals=0),
                )
                for pid, score in match.suggestions
            ),
            references=self.references(assessment),
        )

    # Tables and figures

    def jurisdiction_rows(self) -> tuple[JurisdictionRow, ...]:
        """Applications grouped by the controller's country, then the controller; largest groups first.

        Above ``FULL_TABLE_LIMIT`` a group names its most important applications and "and N more".
        """
        # One pass, touching each assessment once: a national inventory has a few hundred controller objects
        # for 150,000 applications, so each object's (country, controller id) is worked out once, and the
        # groups hold app ids (what ``top`` and the names need) rather than assessments to be read again.
        key_of: dict[int, tuple[str, str]] = {}  # id of a controller object -> its group
        first: dict[tuple[str, str], ControllerRef | None] = {}  # group -> the first member's controller
        groups: dict[tuple[str, str], list[str]] = defaultdict(list)  # group -> app ids, in assessment order
        for a in self.result.assessments:
            c = a.controller
            key = key_of.get(id(c))
            if key is None:
                key = key_of[id(c)] = (self.country(c.country if c else None).code, c.id if c else UNKNOWN)
                first.setdefault(key, c)
            groups[key].append(a.application.app_id)
        per_country: dict[str, int] = defaultdict(int)
        for (code, _), members in groups.items():
            per_country[code] += len(members)
        rows = []
        for group, members in groups.items():
            controller_id = group[1]
            controller = first[group]
            country = self.country(controller.country if controller else None)
            if self.capped and len(members) > TOP_ROWS:
                top, rest = self.top(members)
                names = sorted((self.names[i] for i in top), key=lambda n: (n.casefold(), n))
                names.append(self.more(rest))
            else:
                names = sorted(map(self.names.__getitem__, members), key=lambda n: (n.casefold(), n))
            rows.append(
                JurisdictionRow(
                    country=country,
                    controller=controller.name if controller else country.name,
                    controller_id=controller_id,
                    applications=tuple(names),
                    count=len(members),
                )
            )
        # Largest jurisdiction first, inside it the largest controller; codes and ids break ties.
        rows.sort(key=lambda r: (-per_country[r.country.code], r.country.code, -r.count, r.controller_id))
        return tuple(rows)

    def organisations(self) -> OrganisationsView | None:
        """One row per organisation when the inventory holds two or more; one pass over the assessments."""
        t, number, percent = self.t, self.messages.number, self.messages.percent
        without = t("organisations.none")
        own = t("organisations.self")
        by_org: dict[str, list[ApplicationAssessment]]
        organisation_of: dict[str, str]  # app id -> organisation, for counting the findings
        if self._by_organisation is not None:
            # Gathered with the ids (``rank``); let go once used, as the builder outlives this part.
            (by_org, organisation_of), self._by_organisation = self._by_organisation, None
        else:
            by_org, organisation_of = defaultdict(list), {}
            for a in self.result.assessments:
                app = a.application
                organisation = organisation_of[app.app_id] = app.organisation or ""
                by_org[organisation].append(a)
        named = [name for name in by_org if name]
        if len(named) < 2:
            return None
        findings: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for f in self.result.findings:
            # One lookup in a dict of strings; through the finding's assessment took twice as long.
            owner = organisation_of.get(f.app_id) if f.app_id else None
            if owner is not None:
                findings[owner][0 if f.severity == "error" else 1] += 1
        rows = []
        for name, members in by_org.items():
            n = len(members)
            matched = us_access = us_continuity = low = 0
            us_weight = 0.0
            criticality: list[float] = []  # summed with math.fsum below, in the same pass as the rest
            seals: dict[str, int] = defaultdict(int)
            controllers: dict[str, list[Any]] = {}
            for a in members:
                criticality.append(a.criticality)
                matched += a.match.product is not None
                if "US" in a.lawful_access.countries:
                    us_access += 1
                    us_weight += a.criticality
                us_continuity += "US" in a.continuity.countries
                low += a.seal is not None and a.seal <= 1
                seals[UNKNOWN if a.seal is None else str(a.seal)] += 1
                c = a.controller
                if c is not None and c.id != UNKNOWN:
                    # "self" is every organisation of a shared inventory at once; per row it is the organisation.
                    entry = controllers.setdefault(c.id, [0, own if c.id == "self" else c.name])
                    entry[0] += 1
            weights = math.fsum(criticality)
            largest = min(controllers.items(), key=lambda item: (-item[1][0], item[0]), default=None)
            errors, warnings = findings.get(name, [0, 0])
            share = {
                "matched": matched / n,
                "access": us_access / n,
                "weighted": us_weight / weights if weights else 0.0,
                "continuity": us_continuity / n,
                "low": low / n,
            }
            rows.append(
                OrganisationRow(
                    name=name or without,
                    applications=n,
                    matched_share=share["matched"],
                    us_lawful_access_share=share["access"],
                    us_lawful_access_weighted=share["weighted"],
                    us_continuity_share=share["continuity"],
                    low_seal_share=share["low"],
                    seals=self.seal_rows_of(seals, n),
                    errors=errors,
                    warnings=warnings,
                    largest=t(
                        "organisations.largest",
                        name=largest[1][1],
                        share=self.percent_short(round(largest[1][0] / n, 3)),
                    )
                    if largest
                    else None,
                    applications_text=number(n),
                    matched_text=percent(share["matched"]),
                    us_lawful_access_text=percent(share["access"]),
                    us_lawful_access_weighted_text=percent(share["weighted"]),
                    us_continuity_text=percent(share["continuity"]),
                    low_seal_text=percent(share["low"]),
                )
            )
        # Most exposed first (plain, then weighted share), then by name: the order a reader acts in.
        rows.sort(
            key=lambda r: (-r.us_lawful_access_share, -r.us_lawful_access_weighted, r.name.casefold(), r.name)
        )
        shares = sorted(r.us_lawful_access_share for r in rows)
        median = (
            shares[len(shares) // 2]
            if len(shares) % 2
            else (shares[len(shares) // 2 - 1] + shares[len(shares) // 2]) / 2
        )
        summary = t(
            "organisations.summary",
            count=number(len(named)),
            top=rows[0].name,
            top_share=rows[0].us_lawful_access_text,
            bottom=rows[-1].name,
            bottom_share=rows[-1].us_lawful_access_text,
            median=percent(median),
        )
        return OrganisationsView(
            rows=tuple(rows),
            count=len(named),
            summary=summary,
            without=len(by_org.get("", ())),
        )

    def controllers(self) -> tuple[ControllerRow, ...]:
        percent = self.messages.percent
        return tuple(
            ControllerRow(
                id=s.controller.id,
                name=self.t("common.unknown") if s.controller.id == UNKNOWN else s.controller.name,
                country=self.country(s.controller.country),
                applications=s.applications,
                share=s.share,
                criticality_share=s.criticality_share,
                share_text=percent(s.share),
                criticality_text=percent(s.criticality_share),
            )
            for s in sort_concentration(self.result.portfolio.concentration)
        )

    def seal_rows(self) -> tuple[SealRow, ...]:
        return self.seal_rows_of(self.result.portfolio.seal_distribution, self.result.portfolio.applications)

    def seal_rows_of(self, distribution: Mapping[str, int], total: int) -> tuple[SealRow, ...]:
        """Applications per SEAL level in ``SEAL_KEYS`` order, with their share of ``total``."""
        return tuple(
            SealRow(
                seal=self.seal(None if key == UNKNOWN else int(key)),
                count=distribution.get(key, 0),
                share_text=self.messages.percent(distribution.get(key, 0) / total if total else 0.0),
            )
            for key in SEAL_KEYS
        )

    def figures(
        self,
        controllers: tuple[ControllerRow, ...],
        seal_rows: tuple[SealRow, ...],
        policy: PolicyView | None,
    ) -> tuple[Figure, ...]:
        t, percent, number = self.t, self.messages.percent, self.messages.number
        p = self.result.portfolio
        accounting = self.result.accounting

        def weighted(value: float) -> str:
            return t("summary.weighted", value=percent(value))

        # The largest *known* party: the unknown bucket is not a party (and the HHI leaves it out too).
        largest = next((c for c in controllers if not c.is_unknown), None)
        return (
            Figure(
                key="applications",
                label=t("summary.applications.label"),
                value=number(p.applications),
                explanation=t(
                    "summary.applications.explain",
                    read=number(accounting.read),
                    merged=number(accounting.merged),
                    rejected=number(accounting.rejected),
                ),
            ),
            self.policy_figure(policy),
            Figure(
                key="us_lawful_access",
                label=t("summary.us_lawful_access.label"),
                value=percent(p.us_lawful_access_share),
                detail=weighted(p.us_lawful_access_weighted),
                explanation=t(
                    "summary.us_lawful_access.explain", non_eu=percent(p.non_eu_lawful_access_share)
                ),
            ),
            Figure(
                key="us_continuity",
                label=t("summary.us_continuity.label"),
                value=percent(p.us_continuity_share),
                detail=weighted(p.us_continuity_weighted),
                explanation=t("summary.us_continuity.explain"),
            ),
            Figure(
                key="us_residency",
                label=t("summary.us_residency.label"),
                value=percent(p.us_residency_share),
                detail=weighted(p.us_residency_weighted),
                explanation=t("summary.us_residency.explain"),
            ),
            Figure(
                key="seal",
                label=t("summary.seal.label"),
                value=" · ".join(
                    f"{row.seal.key if row.seal.key != UNKNOWN else '?'}: {row.count}" for row in seal_rows
                ),
                explanation=t("summary.seal.explain"),
                seals=seal_rows,
            ),
            Figure(
                key="unknown",
                label=t("summary.unknown.label"),
                value=percent(p.unknown_share),
                explanation=t("summary.unknown.explain"),
            ),
            Figure(
                key="matched",
                label=t("summary.matched.label"),
                value=percent(p.matched_share),
                explanation=t("summary.matched.explain"),
            ),
            Figure(
                key="largest",
                label=t("summary.largest.label"),
                value=largest.share_text if largest else t("common.none"),
                detail=largest.name if largest else None,
                explanation=t(
                    "summary.largest.explain",
                    name=largest.name,
                    country=largest.country.name,
                    count=number(largest.applications),
                    share=largest.share_text,
                    criticality=largest.criticality_text,
                )
                if largest
                else t("summary.largest.explain_none"),
            ),
            Figure(
                key="hhi",
                label=t("summary.hhi.label"),
                value=number(p.hhi),
                explanation=t("summary.hhi.explain", max=number(_HHI_MAX)),
            ),
        )

    def jurisdiction_summary(self, rows: tuple[JurisdictionRow, ...]) -> str:
        if not rows:
            return self.t("charts.jurisdiction.summary_empty")
        per_country: dict[str, int] = defaultdict(int)
        names: dict[str, str] = {}
        for row in rows:
            per_country[row.country.code] += row.count
            names[row.country.code] = row.country.name
        total = sum(per_country.values())
        top = min(per_country, key=lambda code: (-per_country[code], code))
        return self.t(
            "charts.jurisdiction.summary",
            count=self.messages.number(total),
            jurisdictions=self.messages.number(len(per_country)),
            top=names[top],
            top_count=self.messages.number(per_country[top]),
            top_share=self.messages.percent(per_country[top] / total),
        )

    def concentration_summary(self, controllers: tuple[ControllerRow, ...]) -> str:
        largest = next((c for c in controllers if not c.is_unknown), None)
        if largest is None:
            return self.t("charts.concentration.summary_empty")
        top = [c for c in controllers[:TOP_CONTROLLERS] if not c.is_unknown]
        text = self.t(
            "charts.concentration.summary",
            name=largest.name,
            count=self.messages.number(largest.applications),
            total=self.messages.number(self.result.portfolio.applications),
            share=largest.share_text,
            criticality=largest.criticality_text,
        )
        if len(top) > 1:
            text += " " + self.t(
                "charts.concentration.summary_top",
                top=self.messages.number(len(top)),
                top_share=self.messages.percent(sum(c.share for c in top)),
            )
        return text

    def seal_summary(self) -> str:
        distribution = self.result.portfolio.seal_distribution
        total = self.result.portfolio.applications
        low = distribution.get("0", 0) + distribution.get("1", 0)
        high = distribution.get("3", 0) + distribution.get("4", 0)
        unknown = distribution.get(UNKNOWN, 0)
        number, percent = self.messages.number, self.messages.percent
        return self.t(
            "charts.seal.summary",
            total=number(total),
            low=number(low),
            low_share=percent(low / total if total else 0.0),
            high=number(high),
            high_share=percent(high / total if total else 0.0),
            unknown=number(unknown),
            unknown_share=percent(unknown / total if total else 0.0),
        )

    def policy_figure(self, policy: PolicyView | None) -> Figure:
        t, number = self.t, self.messages.number
        if policy is None:
            return Figure(
                key="policy",
                label=t("summary.policy.label"),
                value=t("common.none"),
                explanation=t("summary.policy.explain_none"),
            )
        return Figure(
            key="policy",
            label=t("summary.policy.label"),
            value=number(policy.error_applications),
            detail=t("summary.policy.detail", errors=number(policy.errors), warnings=number(policy.warnings)),
            explanation=t("summary.policy.explain", name=policy.name),
            link="policy",
            link_text=t("summary.policy.link"),
        )

    # Policy

    def policy(self) -> PolicyView | None:
        policy = self.result.policy
        if policy is None:
            return None
        findings = self.result.findings
        # One pass over the findings (two hundred thousand at national scale): grouped per rule, with the
        # applications that have a finding of their own (as the CLI counts them; a portfolio finding has no
        # app id) per rule, overall and of severity error, and the errors and portfolio findings counted.
        by_rule: dict[str, list[Finding]] = defaultdict(list)
        own_by_rule: dict[str, set[str]] = defaultdict(set)
        concerned: set[str] = set()
        error_concerned: set[str] = set()
        errors = portfolio = 0
        for finding in findings:
            by_rule[finding.rule_id].append(finding)
            app_id = finding.app_id
            if app_id:
                own_by_rule[finding.rule_id].add(app_id)
                concerned.add(app_id)
            elif app_id is None:
                portfolio += 1
            if finding.severity == "error":
                errors += 1
                if app_id:
                    error_concerned.add(app_id)
        rules = {rule.id: rule for rule in policy.rules}
        # Policy order; a finding of a rule the policy does not list (not expected) still gets a block.
        order = [rule.id for rule in policy.rules] + sorted(set(by_rule) - set(rules))
        views = tuple(
            self.rule_view(
                rules.get(rule_id),
                rule_id,
                by_rule.get(rule_id, []),
                index,
                own=own_by_rule.get(rule_id, set()),
            )
            for index, rule_id in enumerate(order, 1)
        )
        number = self.messages.number
        summary = self.t(
            "policy.summary",
            name=policy.name,
            rules=number(len(policy.rules)),
            errors=number(errors),
            warnings=number(len(findings) - errors),
            applications=number(len(concerned)),
            total=number(len(self.result.assessments)),
            error_applications=number(len(error_concerned)),
        )
        if portfolio:
            summary += " " + self.t("policy.summary_portfolio", count=number(portfolio))
        return PolicyView(
            id=policy.id,
            name=policy.name,
            file=policy.file,
            description=policy.description,
            summary=summary,
            errors=errors,
            warnings=len(findings) - errors,
            applications=len(concerned),
            error_applications=len(error_concerned),
            rules=views,
        )

    def rule_view(
        self,
        rule: Rule | None,
        rule_id: str,
        findings: list[Finding],
        index: int,
        *,
        own: set[str] | None = None,
    ) -> RuleView:
        """One rule's block; ``own`` is ``_own_applications(findings)`` when the caller has it already."""
        first = findings[0] if findings else None
        kind = rule.kind if rule else (first.kind if first else "")
        severity = rule.severity if rule else (first.severity if first else "")
        if own is None:
            own = _own_applications(findings)
        concerned = own | {a for f in findings for a in f.applications}

        def key(f: Finding) -> tuple[bool, str, str, str]:
            return (
                f.app_id is not None,
                self.app_link(f.app_id).name.casefold() if f.app_id else "",
                f.app_id or "",
                f.message,
            )

        # Portfolio findings first, then by application name. Above FULL_TABLE_LIMIT: the portfolio findings
        # and those of the TOP_ROWS most important applications.
        if self.capped and len(findings) > TOP_ROWS:
            shown_ids = set(self.top(own)[0])
            ordered = sorted((f for f in findings if f.app_id is None or f.app_id in shown_ids), key=key)
        else:
            ordered = sorted(findings, key=key)
        sources = sorted(rule.sources, key=lambda s: (s.title, s.url)) if rule else []
        return RuleView(
            id=rule_id,
            anchor=f"rule-{index}",
            kind=self.text_or(f"policy.kinds.{kind}", kind),
            severity=severity,
            severity_text=self.text_or(f"policy.severity.{severity}", severity),
            requirement=self.requirement(rule) if rule else self.t("common.none"),
            applies_to=self.selector_text(rule.applies_to) if rule else self.t("common.none"),
            explanation=rule.explanation if rule else "",
            sources=tuple(self.source_link(s) for s in sources),
            findings=tuple(
                FindingRow(
                    application=self.app_link(f.app_id) if f.app_id else None,
                    message=self.finding_message(f, rule),
                    evidence=tuple(self.path(p) for p in sorted(f.evidence)),
                    applications=self.app_links(f.applications),
                    concerned=self.t("policy.concerned", count=self.messages.number(len(f.applications)))
                    if f.applications
                    else None,
                )
                for f in ordered
            ),
            applications=len(concerned),
            applications_text=self.messages.number(len(concerned)) if concerned else self.t("policy.passed"),
            findings_note=self.t(
                "capped.findings",
                shown=self.messages.number(len(ordered)),
                total=self.messages.number(len(findings)),
            )
            if len(ordered) < len(findings)
            else "",
        )

    def text_or(self, key: str, fallback: str) -> str:
        """The text at ``key``, or ``fallback`` (a value from a policy file that has no translation)."""
        return self.t(key) if self.messages.has(key) else fallback

    def percent_short(self, share: float) -> str:
        """A percentage with a decimal only when it needs one: 0.24 -> "24 %", 0.253 -> "25,3 %"."""
        return self.messages.percent(share, decimals=0 if round(share * 100) == round(share * 100, 4) else 1)

    def country_names(self, codes: Iterable[str]) -> str:
        return ", ".join(self.country(code.strip()).name for code in codes if code.strip())

    def allowed_text(self, allowed: Iterable[str]) -> str:
        """Blocs and countries of a residency rule: "de EU, de EER, Zwitserland"."""
        return ", ".join(
            self.t(f"policy.blocs.{item}")
            if self.messages.has(f"policy.blocs.{item}")
            else self.country(item).name
            for item in allowed
        )

    def entity_name(self, entity_id: str) -> tuple[str, str]:
        """An entity's name and its country's name, from the catalog or the labels."""
        entity = self.result.catalog.entities.get(entity_id)
        if entity is not None:
            return entity.name, self.country(entity.country).name
        return self.node_label(f"entity:{entity_id}"), self.country(None).name

    def controller_name(self, controller_id: str) -> tuple[str, str]:
        controller = self._controller_names.get(controller_id)
        if controller is not None:
            return controller.name, self.country(controller.country).name
        return self.entity_name(controller_id)

    def requirement(self, rule: Rule) -> str:
        """What a rule asks, in a few words."""
        t = self.t
        if rule.kind == "min-seal" and rule.min_seal is not None:
            return t("policy.requirements.min-seal", level=rule.min_seal)
        if rule.kind == "residency":
            return t("policy.requirements.residency", allowed=self.allowed_text(rule.allowed))
        if rule.kind == "forbidden-jurisdiction":
            return t(
                "policy.requirements.forbidden-jurisdiction",
                countries=self.country_names(rule.countries),
                axis=self.text_or(f"policy.axes.{rule.axis}", rule.axis),
            )
        if rule.kind == "exit-plan" and rule.below_seal is not None:
            return t("policy.requirements.exit-plan", level=rule.below_seal)
        if rule.kind == "ownership":
            parts = []
            if rule.max_single_non_eu_share is not None:
                limit = self.percent_short(rule.max_single_non_eu_share / 100)
                parts.append(t("policy.requirements.ownership_single", limit=limit))
            if rule.max_total_non_eu_share is not None:
                limit = self.percent_short(rule.max_total_non_eu_share / 100)
                parts.append(t("policy.requirements.ownership_total", limit=limit))
            return "; ".join(parts) or self.t("common.none")
        if rule.kind == "controller-share" and rule.max_share is not None:
            return t(
                f"policy.requirements.controller-share_{rule.measure}",
                limit=self.percent_short(rule.max_share),
            )
        return self.t("common.none")

    def selector_text(self, selector: Selector) -> str:
        """Which applications a rule selects: "bedrijfskritisch, met persoonsgegevens"."""
        t, parts = self.t, []
        if selector.business_critical is not None:
            parts.append(t(f"policy.selectors.business_critical_{str(selector.business_critical).lower()}"))
        if selector.personal_data is not None:
            parts.append(t(f"policy.selectors.personal_data_{str(selector.personal_data).lower()}"))
        if selector.criticality_at_least is not None:
            value = self.short_number(selector.criticality_at_least)
            parts.append(t("policy.selectors.criticality_at_least", value=value))
        if selector.confidentiality_at_least is not None:
            parts.append(
                t("policy.selectors.confidentiality_at_least", value=selector.confidentiality_at_least)
            )
        if selector.availability_at_least is not None:
            parts.append(t("policy.selectors.availability_at_least", value=selector.availability_at_least))
        if selector.categories:
            parts.append(t("policy.selectors.categories", values=", ".join(selector.categories)))
        return ", ".join(parts) if parts else t("policy.selectors.all")

    def finding_message(self, finding: Finding, rule: Rule | None) -> str:
        """The finding in this language, from its fields; the engine's English message when they do not fit."""
        try:
            worded = self._finding_text(finding, rule)
        except (KeyError, ValueError):
            worded = None  # a detail missing or malformed: say what the engine said rather than guess
        return worded if worded is not None else finding.message

    def _finding_text(self, finding: Finding, rule: Rule | None) -> str | None:
        t, detail = self.t, dict(finding.detail)

        def seal_name(value: str) -> str:
            return self.seal(None if value == UNKNOWN else int(value)).name

        if finding.kind == "min-seal":
            return t("policy.messages.min-seal", seal=seal_name(detail["seal"]), required=detail["required"])
        if rule is None:
            return None
        if finding.kind == "residency":
            return t(
                "policy.messages.residency",
                countries=self.country_names(detail["countries"].split(",")),
                allowed=self.allowed_text(rule.allowed),
            )
        if finding.kind == "forbidden-jurisdiction":
            return t(
                "policy.messages.forbidden-jurisdiction",
                countries=self.country_names(detail["countries"].split(",")),
                axis=self.text_or(f"policy.axes.{rule.axis}", rule.axis),
            )
        if finding.kind == "exit-plan" and rule.below_seal is not None:
            written = detail.get("exit_plan", "").strip()
            key = "policy.messages.exit-plan_written" if written else "policy.messages.exit-plan"
            return t(key, seal=seal_name(detail["seal"]), level=rule.below_seal, written=written)
        if finding.kind == "ownership":
            entity, _ = self.entity_name(detail["entity"])
            share = self.percent_short(float(detail["share"]) / 100)
            if "owner" in detail and rule.max_single_non_eu_share is not None:
                owner, country = self.entity_name(detail["owner"])
                limit = self.percent_short(rule.max_single_non_eu_share / 100)
                return t(
                    "policy.messages.ownership_single",
                    entity=entity,
                    share=share,
                    owner=owner,
                    country=country,
                    limit=limit,
                )
            if "owner" not in detail and rule.max_total_non_eu_share is not None:
                limit = self.percent_short(rule.max_total_non_eu_share / 100)
                return t("policy.messages.ownership_total", entity=entity, share=share, limit=limit)
            return None
        if finding.kind == "controller-share" and rule.max_share is not None:
            controller, country = self.controller_name(detail["controller"])
            return t(
                f"policy.messages.controller-share_{detail['measure']}",
                controller=controller,
                country=country,
                share=self.messages.percent(float(detail["share"])),
                limit=self.percent_short(rule.max_share),
            )
        return None

    # Scenarios and single points of failure

    def node_kind(self, node: str) -> str:
        kind = node.partition(":")[0]
        return self.text_or(f"node_kinds.{kind}", kind)

    def scenario_text(self, outcome: ScenarioOutcome, part: str) -> str:
        """A scenario's ``title`` or ``description``: its own wording for a standard scenario, the custom one
        naming what is cut otherwise. Worded without ranking anything (the workbook needs only the title)."""
        key = f"scenarios.kinds.{outcome.id}"
        if not self.messages.has(f"{key}.title"):
            key = "scenarios.kinds.custom"
        return self.t(f"{key}.{part}", name=", ".join(self.node_label(node) for node in outcome.cut))

    def scenario(self, outcome: ScenarioOutcome, index: int) -> ScenarioView:
        t, number, percent = self.t, self.messages.number, self.messages.percent

        def order(s: StoppedApplication) -> tuple[float, str, str, str]:
            return (-s.criticality, s.name.casefold(), s.name, s.app_id)

        stopped = outcome.stopped
        # Above FULL_TABLE_LIMIT only the TOP_ROWS most critical get a row (and a worded path).
        limit = TOP_ROWS if self.capped else len(stopped)
        if limit < len(stopped):
            # Only those at least as critical as the limit-th most critical can make the list: the sort key is
            # built for them, not for every stopped application (188,000 in the standard scenarios at 150,000).
            threshold = heapq.nlargest(limit, (s.criticality for s in stopped))[-1]
            shown = heapq.nsmallest(limit, (s for s in stopped if s.criticality >= threshold), key=order)
        else:
            shown = sorted(stopped, key=order)
        rows = tuple(self.stopped_row(s) for s in shown)
        left_out = len(stopped) - len(rows)
        indirect = sum(1 for s in stopped if not s.direct)
        params = {
            "stopped": number(len(stopped)),
            "total": number(len(self.result.assessments)),
            "share": percent(outcome.criticality_share),
            "indirect": number(indirect),
            "uncertain": number(len(outcome.uncertain)),
            "unaffected": number(outcome.unaffected),
        }
        summary = t("scenarios.summary" if stopped else "scenarios.summary_none", **params)
        totals, total_criticality = self.department_totals()
        rest = rows[TOP_STOPPED:]
        rest_count = len(rest) + left_out
        return ScenarioView(
            id=outcome.id,
            anchor=f"scenario-{index}",
            title=self.scenario_text(outcome, "title"),
            description=self.scenario_text(outcome, "description"),
            summary=summary,
            stopped=len(stopped),
            share_text=percent(outcome.criticality_share),
            uncertain_count=len(outcome.uncertain),
            departments=tuple(
                DepartmentRow(
                    name=t("common.unknown") if department == UNKNOWN else department,
                    stopped=count,
                    total=totals.get(department, count),
                    criticality_text=percent(criticality / total_criticality if total_criticality else 0.0),
                )
                for department, count, criticality in outcome.by_department
            ),
            top=rows[:TOP_STOPPED],
            rest=rest,
            rest_summary=t("scenarios.rest_summary", count=number(rest_count))
            if not left_out
            else t("scenarios.rest_summary_capped", count=number(rest_count), shown=number(len(rest))),
            uncertain=self.app_links(outcome.uncertain),
        )

    def department_totals(self) -> tuple[dict[str, int], float]:
        """Applications per department, and the portfolio's total criticality; counted once per report."""
        if self._department_totals is None:
            totals: dict[str, int] = defaultdict(int)
            for a in self.result.assessments:
                totals[a.application.department or UNKNOWN] += 1
            self._department_totals = dict(totals)
            self._total_criticality = sum(a.criticality for a in self.result.assessments)
        return self._department_totals, self._total_criticality

    def stopped_row(self, stopped: StoppedApplication) -> StoppedRow:
        return StoppedRow(
            application=AppLink(stopped.name, self.anchors.get(stopped.app_id)),
            department=stopped.department,
            criticality_text=self.messages.number(stopped.criticality, decimals=1),
            direct=stopped.direct,
            path=self.path(stopped.via),
        )

    def single_points(self) -> tuple[SinglePointRow, ...]:
        def row(point: SinglePoint) -> SinglePointRow:
            equivalent = (
                self.t("single_points.equivalent_item", name=self.node_label(n), kind=self.node_kind(n))
                for n in point.equivalent
            )
            return SinglePointRow(
                node=point.node,
                label=self.node_label(point.node),
                kind=self.node_kind(point.node),
                equivalent=tuple(sorted(equivalent, key=lambda text: (text.casefold(), text))),
                applications=len(point.applications),
                criticality_share=point.criticality_share,
                share_text=self.messages.percent(point.criticality_share),
                example=self.path(point.example),
            )

        points = sorted(
            self.result.single_points, key=lambda p: (-p.criticality_share, -len(p.applications), p.node)
        )
        return tuple(row(p) for p in points)

    def single_points_summary(self, rows: tuple[SinglePointRow, ...]) -> str:
        if not rows:
            return self.t("single_points.summary_empty")
        first = rows[0]
        return self.t(
            "single_points.summary",
            name=first.label,
            kind=first.kind,
            applications=self.messages.number(first.applications),
            share=first.share_text,
        )

    # Method

    def criticality_factors(self, model: CriticalityModel) -> tuple[FactorRow, ...]:
        return tuple(
            FactorRow(
                key=key,
                name=self.text_or(f"method.factors.{key}.name", key.replace("_", " ")),
                weight=("+" if weight >= 0 else "") + self.short_number(weight),
                explanation=self.text_or(f"method.factors.{key}.explain", ""),
            )
            for key, weight in model.weights
        )

    def weight_set(self, weights: WeightSet | None) -> WeightSetView | None:
        if weights is None:
            return None
        sources = sorted(weights.sources, key=lambda s: (s.title, s.url))
        return WeightSetView(
            id=weights.id,
            name=weights.name,
            objectives=tuple(
                ObjectiveRow(
                    id=key,
                    name=self.text_or(f"objectives.{key}.name", key),
                    weight=self.percent_short(weight / 100),
                    meaning=self.text_or(f"objectives.{key}.meaning", ""),
                )
                for key, weight in weights.weights
            ),
            confidence=self.t("evidence.confidence", value=self.t(f"confidence.{weights.confidence.value}")),
            sources=tuple(self.source_link(s) for s in sources),
        )
