"""Data residency, the facts the audit relied on (inferred and stale), and the sources behind them.

Three parts of ``index.html`` built from the same walk over every application's evidence paths:

* where the applications' data is, per country and bloc, with a horizontal bar chart (no geo map: plotly's
  world map fetches its geometry from the internet);
* the catalog records the conclusions rest on whose confidence is ``inferred``, or whose newest source is
  more than twelve months older than the audit date (or that cite no source at all);
* every distinct source of those records, with the records that cite it.

Values are formatted for the language and sorted deterministically; escaping is the template's job.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

from sovereign.model import UNKNOWN, AuditResult, Confidence, Entity, HostingRegion, Product, Source
from sovereign.report._palette import BLOC_COLOURS
from sovereign.report.charts import PlotlyFigure, _layout, _plotly_text, build_figure
from sovereign.report.translation import Messages
from sovereign.report.view import AppLink, SourceLink, _Builder

__all__ = [
    "BLOCS",
    "STALE_MONTHS",
    "AssessmentsWalk",
    "CountryRow",
    "FactRow",
    "FactsView",
    "ResidencyView",
    "SourceRow",
    "build_facts_view",
    "build_residency_figure",
    "build_residency_view",
    "build_sources",
    "used_records",
    "walk_assessments",
]

#: Blocs in display order; "unknown" is a location we could not establish.
BLOCS: tuple[str, ...] = ("eu", "eea", "adequacy", "other", UNKNOWN)
#: A fact whose newest source is older than this many months before the audit date is stale.
STALE_MONTHS = 12
#: Node id prefix -> catalog table.
_TABLES = {"product": "products", "entity": "entities", "hosting": "hosting", "region": "hosting"}
#: A path's nodes after the application's own: it alternates node ids (even places) and edge kinds.
_PATH_NODES = itemgetter(slice(2, None, 2))

Record = Product | Entity | HostingRegion


@dataclass(frozen=True, slots=True)
class CountryRow:
    code: str  # ISO alpha-2, "EU" or "unknown"
    name: str
    bloc: str  # one of BLOCS
    bloc_text: str
    count: int  # applications with data in this country
    share_text: str
    applications: tuple[str, ...]  # names, sorted


@dataclass(frozen=True, slots=True)
class ResidencyView:
    rows: tuple[CountryRow, ...]  # most applications first
    outside: int  # applications with data outside the EU/EEA (a known country)
    outside_text: str  # share of all applications
    unknown: int  # applications whose data location is (partly) unknown
    unknown_text: str
    summary: str
    personal: tuple[AppLink, ...]  # personal-data applications with data outside the EU/EEA or unknown
    personal_text: str


@dataclass(frozen=True, slots=True)
class FactRow:
    node: str  # "product:x"
    record: str  # the record's name
    kind: str  # translated record kind
    confidence: str
    checked: str  # newest source date, formatted; or "no source"
    count: int  # applications whose evidence uses the record
    applications: tuple[AppLink, ...]


@dataclass(frozen=True, slots=True)
class FactsView:
    inferred: tuple[FactRow, ...]
    stale: tuple[FactRow, ...]
    stale_before: str  # the cut-off date, formatted


@dataclass(frozen=True, slots=True)
class SourceRow:
    source: SourceLink
    checked: str
    records: tuple[str, ...]  # names of the records that cite it, sorted


# ---------------------------------------------------------------------------------------------------------


def _sort_name(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


def used_records(result: AuditResult) -> dict[str, tuple[Record, frozenset[str]]]:
    """Node id -> (catalog record, app ids) for every catalog record on any path of any application."""
    return walk_assessments(result).used


@dataclass(frozen=True, slots=True)
class AssessmentsWalk:
    """What the residency section and the facts ask of every application, gathered in one pass."""

    used: dict[str, tuple[Record, frozenset[str]]]  # see ``used_records``
    by_countries: dict[tuple[str, ...], list[str]]  # residency countries -> app ids, in assessment order
    with_personal_data: list[str]  # app ids of applications with personal data, in assessment order


def walk_assessments(result: AuditResult) -> AssessmentsWalk:
    """One pass over the assessments for ``used_records`` and ``build_residency_view``: at national scale a
    pass is mostly waiting for memory, and both read the same applications' axes."""
    catalog = result.catalog
    tables: Mapping[str, Mapping[str, Record]] = {
        "products": catalog.products,
        "entities": catalog.entities,
        "hosting": catalog.hosting,
    }
    # The node id of every catalog record: "hosting:x" and "region:x" both name a hosting record.
    records: dict[str, Record] = {
        f"{kind}:{record_id}": record
        for kind, table in _TABLES.items()
        for record_id, record in tables[table].items()
    }
    known = frozenset(records)
    # Applications with the same catalog records on their paths are grouped first: one set (gathered and
    # cut down to the records in C) and one dict step per application. Cut down, a national inventory has
    # a few thousand groups rather than tens of thousands (its applications' own nodes are on the paths of
    # their dependants), and the per-record lists are filled once per group. Index 0 of a path is the
    # application itself, never a catalog record.
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    # Most applications share their list of countries with many others: the ids are gathered per list, and
    # each distinct list is looked at once (``build_residency_view``).
    by_countries: dict[tuple[str, ...], list[str]] = defaultdict(list)
    with_personal_data: list[str] = []
    for assessment in result.assessments:
        app = assessment.application
        residency = assessment.residency
        paths = assessment.lawful_access.paths + residency.paths + assessment.continuity.paths
        nodes = known.intersection(chain.from_iterable(map(_PATH_NODES, paths)))
        groups[nodes].append(app.app_id)
        by_countries[residency.countries].append(app.app_id)
        if app.personal_data:
            with_personal_data.append(app.app_id)
    apps: dict[str, list[str]] = defaultdict(list)
    for nodes, members in groups.items():
        for node in nodes:
            apps[node].extend(members)
    used = {node: (records[node], frozenset(apps[node])) for node in sorted(apps)}
    return AssessmentsWalk(used, by_countries, with_personal_data)


def _cut_off(date: str, months: int = STALE_MONTHS) -> str:
    """The ISO date ``months`` before ``date`` (the last day of the month when the day does not exist)."""
    year, month, day = (int(part) for part in date[:10].split("-"))
    total = year * 12 + (month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    days = [31, 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28, 31, 30, 31, 30]
    days += [31, 31, 30, 31, 30, 31]
    return f"{year:04d}-{month:02d}-{min(day, days[month - 1]):02d}"


def _newest(sources: tuple[Source, ...]) -> str | None:
    return max((s.checked for s in sources), default=None)


def build_residency_view(
    result: AuditResult, messages: Messages, builder: _Builder, walk: AssessmentsWalk | None = None
) -> ResidencyView:
    """Where the data is; ``walk`` is ``walk_assessments(result)`` when the caller has it already."""
    t, number, percent = messages.t, messages.number, messages.percent
    total = len(result.assessments)
    if walk is None:
        walk = walk_assessments(result)
    by_countries, with_personal_data = walk.by_countries, walk.with_personal_data
    per_country: dict[str, list[str]] = defaultdict(list)  # code -> app ids
    outside: set[str] = set()
    unknown: set[str] = set()
    for countries, app_ids in by_countries.items():
        codes = countries or (UNKNOWN,)
        for code in codes:
            per_country[code] += app_ids
        if UNKNOWN in codes:
            unknown.update(app_ids)
        if any(code != UNKNOWN and builder.country(code).bloc not in ("eu", "eea") for code in codes):
            outside.update(app_ids)
    personal = {app_id for app_id in with_personal_data if app_id in outside or app_id in unknown}
    rows = []
    for code, app_ids in per_country.items():
        country = builder.country(code)
        # Above FULL_TABLE_LIMIT (view.py) a row names its most important applications and "and N more".
        shown, rest = builder.top(app_ids)
        names = sorted((builder.names[i] for i in shown), key=_sort_name)
        if rest:
            names.append(builder.more(rest))
        if code == UNKNOWN:
            name = t("residency.unknown")
        elif code == "EU":
            name = t("residency.eu")
        else:
            name = country.name
        rows.append(
            CountryRow(
                code=code,
                name=name,
                bloc=country.bloc,
                bloc_text=t(f"residency.blocs.{country.bloc}"),
                count=len(app_ids),
                share_text=percent(len(app_ids) / total if total else 0.0),
                applications=tuple(names),
            )
        )
    rows.sort(key=lambda r: (-r.count, r.code == UNKNOWN, r.name.casefold(), r.code))
    outside_text = percent(len(outside) / total if total else 0.0)
    unknown_text = percent(len(unknown) / total if total else 0.0)
    if rows:
        top = next((r for r in rows if r.code != UNKNOWN), rows[0])
        summary = t(
            "residency.summary",
            total=number(total),
            countries=number(len([r for r in rows if r.code != UNKNOWN])),
            top=top.name,
            top_count=number(top.count),
            outside=number(len(outside)),
            outside_share=outside_text,
            unknown=number(len(unknown)),
            unknown_share=unknown_text,
        )
    else:
        summary = t("residency.summary_empty")
    return ResidencyView(
        rows=tuple(rows),
        outside=len(outside),
        outside_text=outside_text,
        unknown=len(unknown),
        unknown_text=unknown_text,
        summary=summary,
        personal=builder.app_links(personal),
        personal_text=t("residency.personal", count=number(len(personal))),
    )


def build_residency_figure(view: ResidencyView, messages: Messages) -> PlotlyFigure:
    """Horizontal bars: applications per data location, one trace (and legend entry) per bloc."""
    labels = [_plotly_text(row.name) for row in view.rows]
    traces = []
    for bloc in BLOCS:
        members = [row for row in view.rows if row.bloc == bloc]
        if not members:
            continue
        traces.append(
            dict(
                type="bar",
                name=_plotly_text(messages.t(f"residency.blocs.{bloc}")),
                y=[_plotly_text(row.name) for row in members],
                x=[row.count for row in members],
                text=[f"{row.count} ({row.share_text})" for row in members],
                textposition="outside",
                cliponaxis=False,
                orientation="h",
                marker={"color": BLOC_COLOURS[bloc]},
                hovertemplate="%{y}: %{text}<extra></extra>",
            )
        )
    largest = max([row.count for row in view.rows] + [1])
    layout = _layout(
        messages,
        height=120 + 40 * len(view.rows),
        barmode="overlay",
        bargap=0.3,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        xaxis={
            "title": {"text": _plotly_text(messages.t("residency.axis"))},
            "range": [0, largest * 1.3],
            "dtick": max(1, round(largest / 5)),
            "gridcolor": "#dddddd",
        },
        yaxis={
            "autorange": "reversed",
            "automargin": True,
            "categoryorder": "array",
            "categoryarray": labels,
        },
    )
    layout["margin"] = {"t": 40, "r": 16, "b": 48, "l": 16}
    return build_figure(traces, layout)


def build_facts_view(
    result: AuditResult,
    messages: Messages,
    builder: _Builder,
    used: Mapping[str, tuple[Record, frozenset[str]]] | None = None,
) -> FactsView:
    """Inferred and stale records; ``used`` is ``used_records(result)`` when the caller has it already."""
    t = messages.t
    cut_off = _cut_off(result.date)
    inferred: list[FactRow] = []
    stale: list[FactRow] = []
    for node, (record, apps) in (used if used is not None else used_records(result)).items():
        newest = _newest(record.sources)
        kind = node.partition(":")[0]
        row = FactRow(
            node=node,
            record=record.name,
            kind=t(f"quality.facts.kinds.{'hosting' if kind == 'region' else kind}"),
            confidence=t(f"confidence.{record.confidence.value}"),
            checked=messages.date(newest) if newest else t("quality.facts.no_source"),
            count=len(apps),
            applications=builder.app_links(apps),
        )
        if record.confidence is Confidence.INFERRED:
            inferred.append(row)
        if newest is None or newest < cut_off:
            stale.append(row)

    def key(row: FactRow) -> tuple[int, str, str, str]:
        return (-row.count, row.record.casefold(), row.record, row.node)

    return FactsView(
        inferred=tuple(sorted(inferred, key=key)),
        stale=tuple(sorted(stale, key=key)),
        stale_before=messages.date(cut_off),
    )


def build_sources(
    result: AuditResult,
    messages: Messages,
    builder: _Builder,
    used: Mapping[str, tuple[Record, frozenset[str]]] | None = None,
) -> tuple[SourceRow, ...]:
    """Every distinct source of the records the audit relied on, by title, with the records citing it."""
    cited: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for record, _ in (used if used is not None else used_records(result)).values():
        for source in record.sources:
            cited[(source.title, source.url, source.checked)].add(record.name)
    rows = [
        SourceRow(
            source=builder.source_link(Source(url=url, title=title, checked=checked)),
            checked=messages.date(checked),
            records=tuple(sorted(records, key=_sort_name)),
        )
        for (title, url, checked), records in sorted(
            cited.items(), key=lambda item: (item[0][0].casefold(), *item[0])
        )
    ]
    return tuple(rows)
