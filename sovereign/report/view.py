"""The report's view model: an ``AuditResult`` turned into rows and sentences ready to show, in one language.

Every human-facing report (``index.html`` now; the council page, the XLSX and the Markdown later) reads this
one view, so a figure is computed and worded once. Values are already formatted for the language (numbers,
percentages, dates, country names, translated edge kinds) and sorted deterministically; templates only lay
them out. Text from the inventory is passed through as plain strings: escaping is the template's job. This
module does no I/O and holds no markup.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sovereign.model import (
    UNKNOWN,
    ApplicationAssessment,
    AuditResult,
    AxisResult,
    Entity,
    HostingRegion,
    MatchMethod,
    Product,
    Source,
)
from sovereign.report._palette import SEAL_COLOURS, text_colour
from sovereign.report.json_report import location_key, sort_concentration
from sovereign.report.translation import Messages

__all__ = [
    "AXES",
    "SEAL_KEYS",
    "TOP_CONTROLLERS",
    "ApplicationRow",
    "Axis",
    "ControllerRow",
    "Country",
    "Figure",
    "JurisdictionRow",
    "PathPart",
    "Reference",
    "ReportView",
    "Seal",
    "SealRow",
    "SourceLink",
    "build_report_view",
]

#: SEAL keys in display order; the same keys as ``Portfolio.seal_distribution``.
SEAL_KEYS: tuple[str, ...] = ("0", "1", "2", "3", "4", UNKNOWN)
#: The three axes, in the order the report shows them.
AXES: tuple[str, ...] = ("lawful_access", "residency", "continuity")
#: How many controllers the concentration chart shows.
TOP_CONTROLLERS = 15
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
    name: str
    source: str
    department: str | None
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
    hosting: str | None
    region: str | None
    suggestions: tuple[str, ...]
    references: tuple[Reference, ...]

    def axis(self, key: str) -> Axis:
        return self.axes[AXES.index(key)]


@dataclass(frozen=True, slots=True)
class Figure:
    """One summary figure: a label, the value, an optional second value, and one explaining sentence."""

    key: str
    label: str
    value: str
    explanation: str
    detail: str | None = None
    seals: tuple[SealRow, ...] = ()


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
    applications: tuple[ApplicationRow, ...]  # by name
    unmatched: tuple[ApplicationRow, ...]
    rejected: tuple[tuple[str, str], ...]  # (source, reason)
    merged: tuple[tuple[str, str], ...]  # (source, into)
    warnings: tuple[str, ...]
    local_knowledge: tuple[LocalRow, ...]
    tool_version: str
    method_version: str
    catalog_digest: str
    inputs: tuple[str, ...]  # one line per input file


# ---------------------------------------------------------------------------------------------------------
# Building


def build_report_view(result: AuditResult, messages: Messages) -> ReportView:
    """The whole report's content for ``messages.lang``, sorted and formatted."""
    builder = _Builder(result, messages)
    t = messages.t
    applications = tuple(
        sorted(
            (builder.application(a) for a in result.assessments),
            key=lambda row: (row.name.casefold(), row.name, row.id),
        )
    )
    controllers = builder.controllers()
    seal_rows = builder.seal_rows()
    organisations = {a.application.organisation for a in result.assessments} - {None, ""}
    title = (
        t("meta.title_for", organisation=next(iter(organisations)))
        if len(organisations) == 1
        else t("meta.title")
    )
    jurisdiction_rows = _jurisdiction_rows(applications)
    names = {a.application.app_id: a.application.name for a in result.assessments}
    return ReportView(
        lang=messages.lang,
        title=title,
        subtitle=t("meta.subtitle", date=messages.date(result.date)),
        date=messages.date(result.date),
        figures=builder.figures(controllers, seal_rows),
        jurisdiction_rows=jurisdiction_rows,
        jurisdiction_summary=builder.jurisdiction_summary(jurisdiction_rows),
        controllers=controllers,
        top_controllers=controllers[:TOP_CONTROLLERS],
        concentration_summary=builder.concentration_summary(controllers),
        seal_rows=seal_rows,
        seal_summary=builder.seal_summary(),
        applications=applications,
        unmatched=tuple(row for row in applications if not row.matched),
        rejected=tuple(
            (str(r.source), r.reason)
            for r in sorted(result.inventory.rejected, key=lambda r: location_key(r.source))
        ),
        merged=tuple(
            (str(r.source), str(r.into))
            for r in sorted(result.inventory.merged, key=lambda r: location_key(r.source))
        ),
        warnings=result.inventory.warnings,
        local_knowledge=tuple(
            LocalRow(
                kind=t(f"quality.local.kinds.{f.kind}"),
                name=f.name,
                id=f.id,
                reason=f.reason,
                file=f.file,
                overrides=f.overrides,
                applications=tuple(sorted(names[i] for i in f.applications)),
            )
            for f in result.local_knowledge
        ),
        tool_version=result.tool_version,
        method_version=result.method_version,
        catalog_digest=result.catalog_digest,
        inputs=tuple(
            t("footer.input", path=f.path, rows=messages.number(f.rows), sha256=f.sha256)
            for f in result.inputs
        ),
    )


class _Builder:
    """Holds the result and the language while the view is built; one method per part of the report."""

    def __init__(self, result: AuditResult, messages: Messages) -> None:
        self.result = result
        self.messages = messages
        self.t = messages.t

    # Small parts

    def country(self, code: str | None) -> Country:
        if code is None or code == UNKNOWN:
            return Country(UNKNOWN, self.t("common.unknown"), UNKNOWN)
        jurisdiction = self.result.catalog.jurisdictions.get(code)
        # "EU" stands for "somewhere in the EU" (a product's EU data boundary). A country the catalog does not
        # describe is treated as a third country: unknown is never sovereign.
        bloc = jurisdiction.bloc.value if jurisdiction else ("eu" if code == "EU" else "other")
        return Country(code, self.messages.country(code, jurisdiction.name if jurisdiction else None), bloc)

    def seal(self, level: int | None) -> Seal:
        key = UNKNOWN if level is None else str(level)
        name = self.t("seal.unknown_name") if level is None else self.t("seal.name", level=level)
        background = SEAL_COLOURS[key]
        return Seal(key, name, self.t(f"seal.levels.{key}"), background, text_colour(background))

    def node_label(self, node: str) -> str:
        kind, _, rest = node.partition(":")
        if kind == "country":
            return self.messages.country(rest, self.result.labels.get(node))
        return self.result.labels.get(node) or rest or node

    def edge_label(self, edge: str) -> str:
        key = f"edges.{edge}"
        return self.t(key) if self.messages.has(key) else edge.replace("_", " ")

    def path(self, path: tuple[str, ...]) -> tuple[PathPart, ...]:
        # A path alternates node ids (even positions) and edge kinds (odd positions).
        return tuple(
            PathPart("node", self.node_label(step)) if i % 2 == 0 else PathPart("edge", self.edge_label(step))
            for i, step in enumerate(path)
        )

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

    def application(self, assessment: ApplicationAssessment) -> ApplicationRow:
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
        return ApplicationRow(
            id=app.app_id,
            name=app.name,
            source=str(app.source),
            department=app.department,
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
        distribution = self.result.portfolio.seal_distribution
        total = self.result.portfolio.applications
        return tuple(
            SealRow(
                seal=self.seal(None if key == UNKNOWN else int(key)),
                count=distribution.get(key, 0),
                share_text=self.messages.percent(distribution.get(key, 0) / total if total else 0.0),
            )
            for key in SEAL_KEYS
        )

    def figures(
        self, controllers: tuple[ControllerRow, ...], seal_rows: tuple[SealRow, ...]
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


def _jurisdiction_rows(applications: tuple[ApplicationRow, ...]) -> tuple[JurisdictionRow, ...]:
    """Applications grouped by the controller's country, then the controller; largest groups first."""
    groups: dict[tuple[str, str], list[ApplicationRow]] = defaultdict(list)
    for row in applications:
        groups[(row.controller_country.code, row.controller_id or UNKNOWN)].append(row)
    per_country: dict[str, int] = defaultdict(int)
    for (code, _), members in groups.items():
        per_country[code] += len(members)
    rows = []
    for (_, controller_id), members in groups.items():
        first = members[0]
        rows.append(
            JurisdictionRow(
                country=first.controller_country,
                controller=first.controller or first.controller_country.name,
                controller_id=controller_id,
                applications=tuple(sorted((m.name for m in members), key=lambda n: (n.casefold(), n))),
                count=len(members),
            )
        )
    # Largest jurisdiction first, inside it the largest controller; codes and ids break ties.
    rows.sort(key=lambda r: (-per_country[r.country.code], r.country.code, -r.count, r.controller_id))
    return tuple(rows)
