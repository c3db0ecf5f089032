"""``findings.xlsx``: every table of the audit on its own sheet, for filtering and counting in a spreadsheet.

The tables are built first as plain data (a title, columns and rows of str, int, float or None), from the report's
view where it has the figure and from the ``AuditResult`` where a sheet needs the raw number; then each becomes a
sheet with a bold, frozen header row, an autofilter over the table and column widths from the content (capped).
Numbers stay numbers; shares are numbers with a percent format. Texts are in the report's language.

Safety: no cell ever holds a formula. Text that a spreadsheet would read as one (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading ``'`` as OWASP's "CSV injection" page recommends, every text
cell is stored with the string type whatever it starts with, and characters XML cannot hold are replaced.

Deterministic: the workbook's created and modified times are the audit date, and the zip archive is written
again with fixed entry times, so two renders of one result give the same bytes. This module writes nothing to
disk; ``render_findings_xlsx`` returns bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from sovereign.model import UNKNOWN, Application, ApplicationAssessment, AuditResult, AxisResult
from sovereign.report._exports import (
    alternative_name,
    country_codes,
    load_export_messages,
    path_text,
    plan_steps,
    step_name,
    word,
    yes_no,
)
from sovereign.report.json_report import TOOL_NAME, location_key
from sovereign.report.translation import Messages
from sovereign.report.view import AXES, ApplicationRow, ReportView, build_report_view

__all__ = ["SHEETS", "neutralise", "render_findings_xlsx", "sheet_title"]

#: Sheet keys in workbook order; each sheet's name and headers are under ``exports.xlsx.<key>`` in i18n.
SHEETS: tuple[str, ...] = (
    "applications",
    "evidence",
    "findings",
    "scenarios",
    "single_points",
    "concentration",
    "seal",
    "options",
    "waves",
    "exits",
    "local",
    "rejected",
    "merged",
    "warnings",
    "about",
)

# Number formats. Excel shows them with the reader's own separators, so one format serves both languages.
_PERCENT = "0.0%"
_PERCENT_WHOLE = "0%"
_DECIMAL = "0.0"
_DECIMALS = "0.00"

#: OWASP, CSV injection: cells starting with these are read as formulas by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 cannot carry (openpyxl refuses them): C0 controls other than tab, line feed, return.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Excel's limits: characters in a cell, characters in a sheet name, characters a sheet name must not hold.
_MAX_CELL = 32_767
_MAX_TITLE = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Column widths in characters.
_MIN_WIDTH = 6
_MAX_WIDTH = 60

Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    number_format: str | None = None  # for numeric cells only


@dataclass(frozen=True, slots=True)
class _Table:
    key: str
    name: str
    columns: tuple[_Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


# ---------------------------------------------------------------------------------------------------------
# Safety


def neutralise(text: str) -> str:
    """Text safe for a cell: never a formula, no characters XML cannot hold, within Excel's cell limit.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("-2"), neutralise("Zaaksysteem")
    ("'-2", 'Zaaksysteem')
    """
    text = _ILLEGAL.sub("\ufffd", text)
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return text[:_MAX_CELL]


def sheet_title(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of ``[]:*?/\\``, no quote at either end.

    >>> sheet_title("Risks: US/EU [draft]?", set())
    'Risks US EU draft'
    """
    title = (
        " ".join(_TITLE_FORBIDDEN.sub(" ", _ILLEGAL.sub("", name)).split()).strip("'")[:_MAX_TITLE].strip()
    )
    title = title or "Sheet"
    candidate, number = title, 1
    while candidate.casefold() in used:  # Excel compares sheet names without case
        number += 1
        suffix = f" ({number})"
        candidate = title[: _MAX_TITLE - len(suffix)].rstrip() + suffix
    used.add(candidate.casefold())
    return candidate


# ---------------------------------------------------------------------------------------------------------
# Rendering


def render_findings_xlsx(result: AuditResult, messages: Messages) -> bytes:
    """``findings.xlsx`` in ``messages.lang``, as bytes; the same bytes for the same result and language."""
    messages = load_export_messages(messages)
    view = build_report_view(result, messages)
    tables = _build_tables(result, view, messages)
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        _write_sheet(workbook, table, sheet_title(table.name, used))
    moment = _audit_moment(result.date)
    properties = workbook.properties
    properties.creator = f"{TOOL_NAME} {result.tool_version}"
    properties.lastModifiedBy = None
    properties.title = view.title
    properties.language = messages.lang
    properties.created = moment
    properties.modified = moment
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save: save() stamps the modified time with the clock.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _repack(buffer.getvalue(), moment)


def _write_sheet(workbook: Workbook, table: _Table, title: str) -> None:
    sheet = workbook.create_sheet(title=title)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    widths = [len(column.header) for column in table.columns]
    for index, column in enumerate(table.columns, 1):
        cell = sheet.cell(row=1, column=index)
        _set(cell, column.header)
        cell.font = bold
    for row_number, row in enumerate(table.rows, 2):
        for index, (column, value) in enumerate(zip(table.columns, row, strict=True), 1):
            cell = sheet.cell(row=row_number, column=index)
            _set(cell, value)
            if isinstance(value, int | float) and column.number_format:
                cell.number_format = column.number_format
            if isinstance(value, str) and "\n" in value:
                cell.alignment = wrap
            widths[index - 1] = max(widths[index - 1], _display_width(cell.value, column.number_format))
    for index, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)
    last = get_column_letter(len(table.columns))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"


def _set(cell: object, value: Cell) -> None:
    if isinstance(value, str):
        cell.value = neutralise(value)  # type: ignore[attr-defined]
        # openpyxl infers formulas ("=...") and error values ("#N/A") from text; inventory text is neither.
        cell.data_type = "s"  # type: ignore[attr-defined]
    else:
        cell.value = value  # type: ignore[attr-defined]


def _display_width(value: Cell, number_format: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in value.split("\n")), default=0)
    if number_format in (_PERCENT, _PERCENT_WHOLE):
        return len(f"{value * 100:.1f}%")
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return len(str(value))


def _audit_moment(date: str) -> dt.datetime:
    """The audit date at midnight; the start of the zip era when the date does not parse."""
    try:
        return dt.datetime.combine(dt.date.fromisoformat(date), dt.time())
    except ValueError:
        return dt.datetime(1980, 1, 1)


def _repack(data: bytes, moment: dt.datetime) -> bytes:
    """The same archive with every entry stamped ``moment`` (zipfile stamps ``writestr`` with the clock)."""
    stamp = max(moment, dt.datetime(1980, 1, 1)).timetuple()[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.create_system = 3  # Unix, whatever system renders
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------------------
# Tables


def _build_tables(result: AuditResult, view: ReportView, messages: Messages) -> tuple[_Table, ...]:
    builder = _Tables(result, view, messages)
    return tuple(getattr(builder, key)() for key in SHEETS)


class _Tables:
    """One method per sheet, named after its key in ``SHEETS``."""

    def __init__(self, result: AuditResult, view: ReportView, messages: Messages) -> None:
        self.result = result
        self.view = view
        self.messages = messages
        self.t = messages.t
        self.assessments = {a.application.app_id: a for a in result.assessments}
        self.names = {a.application.app_id: a.application.name for a in result.assessments}
        self.separator = messages.t("exports.separator")
        self.name_separator = messages.t("exports.name_separator")

    def table(
        self, key: str, columns: Sequence[tuple[str, str | None]], rows: Sequence[tuple[Cell, ...]]
    ) -> _Table:
        prefix = f"exports.xlsx.{key}"
        return _Table(
            key=key,
            name=self.t(f"{prefix}.name"),
            columns=tuple(_Column(self.t(f"{prefix}.columns.{c}"), f) for c, f in columns),
            rows=tuple(rows),
        )

    def join(self, values: Sequence[str]) -> str | None:
        """Codes, ids or standards in one cell: "NL, US"; None (an empty cell) for none."""
        return self.separator.join(values) if values else None

    def join_names(self, values: Sequence[str]) -> str | None:
        """Names in one cell, "; " apart: a name may hold a comma ("Salesforce, Inc.")."""
        return self.name_separator.join(values) if values else None

    def app_names(self, app_ids: Sequence[str]) -> str | None:
        names = sorted((self.names.get(i, i) for i in app_ids), key=lambda n: (n.casefold(), n))
        return self.join_names(names)

    # Applications

    def applications(self) -> _Table:
        extra = self.extra_columns()
        head: list[tuple[str, str | None]] = [
            ("id", None),
            ("name", None),
            ("source", None),
            ("organisation", None),
            ("department", None),
            ("owner", None),
            ("vendor", None),
            ("product", None),
            ("version", None),
            ("category", None),
            ("gemma_component", None),
            ("hosting", None),
            ("hosting_provider", None),
            ("data_location", None),
            ("availability", None),
            ("integrity", None),
            ("confidentiality", None),
            ("business_critical", None),
            ("personal_data", None),
            ("users", None),
            ("depends_on", None),
            ("exit_plan", None),
            ("notes", None),
        ]
        tail: list[tuple[str, str | None]] = [
            ("matched_product_id", None),
            ("matched_product", None),
            ("match_method", None),
            ("match_score", _PERCENT_WHOLE),
            ("suggestions", None),
            ("hosting_kind", None),
            ("hosting_region", None),
            ("controller_id", None),
            ("controller", None),
            ("controller_country", None),
            ("lawful_access", None),
            ("residency", None),
            ("continuity", None),
            ("seal", None),
            ("seal_meaning", None),
            ("seal_rule", None),
            ("criticality", _DECIMALS),
            ("weighted_score", _DECIMAL),
        ]
        rows = []
        for row in self.view.applications:
            assessment = self.assessments[row.id]
            app = assessment.application
            values = dict(_extra_cells(app))
            rows.append(
                (
                    *self.inventory_cells(app),
                    *(values.get(key) for key, _ in extra),
                    *self.assessment_cells(row, assessment),
                )
            )
        table = self.table("applications", [*head, *tail], [])
        # The unknown columns keep the header the inventory gave them, between what we read and what we derived.
        columns = (
            *table.columns[: len(head)],
            *(_Column(header) for _, header in extra),
            *table.columns[len(head) :],
        )
        return _Table(key=table.key, name=table.name, columns=columns, rows=tuple(rows))

    def extra_columns(self) -> list[tuple[tuple[str, int], str]]:
        """Unknown inventory columns in the order the files first show them: (key, header)."""
        seen: dict[tuple[str, int], str] = {}
        applications = (
            *self.result.inventory.applications,
            *(a.application for a in self.result.assessments),
        )
        for app in sorted(applications, key=lambda a: location_key(a.source)):
            for key, _ in _extra_cells(app):
                header, occurrence = key
                seen.setdefault(key, header if occurrence == 1 else f"{header} ({occurrence})")
        return list(seen.items())

    def inventory_cells(self, app: Application) -> tuple[Cell, ...]:
        biv = app.biv
        return (
            app.app_id,
            app.name,
            str(app.source),
            app.organisation,
            app.department,
            app.owner,
            app.vendor,
            app.product,
            app.version,
            app.category,
            app.gemma_component,
            app.hosting,
            app.hosting_provider,
            app.data_location,
            biv.availability if biv else None,
            biv.integrity if biv else None,
            biv.confidentiality if biv else None,
            yes_no(app.business_critical, self.messages),
            yes_no(app.personal_data, self.messages),
            app.users,
            self.join_names(app.depends_on),
            app.exit_plan,
            app.notes,
        )

    def assessment_cells(self, row: ApplicationRow, assessment: ApplicationAssessment) -> tuple[Cell, ...]:
        t, match = self.t, assessment.match
        method_key = f"match_methods.{match.method.value}"
        kind_key = f"hosting_kinds.{assessment.hosting_kind}"
        controller = assessment.controller
        return (
            match.product,
            row.product if row.matched else None,
            t(method_key) if self.messages.has(method_key) else match.method.value,
            match.score,
            self.join_names(row.suggestions),
            t(kind_key) if self.messages.has(kind_key) else assessment.hosting_kind,
            row.region,
            row.controller_id,
            row.controller,
            None if controller is None else (controller.country or t("exports.unknown")),
            *(country_codes(row.axis(key), self.messages) for key in AXES),
            t("exports.unknown") if assessment.seal is None else assessment.seal,
            row.seal.meaning,
            assessment.seal_reason,
            assessment.criticality,
            assessment.weighted_score,
        )

    # Evidence

    def evidence(self) -> _Table:
        rows = []
        for row in self.view.applications:
            assessment = self.assessments[row.id]
            for key in AXES:
                axis_view = row.axis(key)
                raw: AxisResult = getattr(assessment, key)
                # The view sorts paths as ``sorted(raw.paths)`` does; zip them to know each path's country.
                labelled = dict(zip(sorted(raw.paths), axis_view.paths, strict=True))
                for country in axis_view.countries:
                    paths: list[str | None] = [
                        path_text(labelled[path], self.messages)
                        for path in sorted(raw.paths)
                        if _ends_in(path, country.code)
                    ]
                    for text in paths or [None]:
                        rows.append(
                            (
                                row.id,
                                row.name,
                                axis_view.title,
                                self.t("exports.unknown") if country.is_unknown else country.code,
                                country.name,
                                text,
                            )
                        )
        columns = [("id", None), ("name", None), ("axis", None), ("country", None), ("country_name", None)]
        return self.table("evidence", [*columns, ("path", None)], rows)

    # Policy

    def findings(self) -> _Table:
        ids = {row.anchor: row.id for row in self.view.applications}
        rows = []
        for rule in self.view.policy.rules if self.view.policy else ():
            for finding in rule.findings:
                application = finding.application
                rows.append(
                    (
                        rule.id,
                        rule.kind,
                        rule.severity_text,
                        rule.requirement,
                        ids.get(application.anchor or "") if application else None,
                        application.name if application else None,
                        finding.message,
                        self.join_names([link.name for link in finding.applications]),
                        "\n".join(path_text(path, self.messages) for path in finding.evidence) or None,
                    )
                )
        keys = ("rule", "kind", "severity", "requirement", "id", "name", "message", "concerned", "evidence")
        return self.table("findings", [(key, None) for key in keys], rows)

    # Scenarios and single points of failure

    def scenarios(self) -> _Table:
        rows = []
        for outcome, scenario in zip(self.result.scenarios, self.view.scenarios, strict=True):
            # The view's order, on the raw records: most critical first, then by name.
            stopped = sorted(
                outcome.stopped, key=lambda s: (-s.criticality, s.name.casefold(), s.name, s.app_id)
            )
            for raw, shown in zip(stopped, (*scenario.top, *scenario.rest), strict=True):
                rows.append(
                    (
                        outcome.id,
                        scenario.title,
                        raw.app_id,
                        raw.name,
                        raw.department,
                        raw.criticality,
                        yes_no(raw.direct, self.messages),
                        path_text(shown.path, self.messages),
                    )
                )
        columns = [("scenario", None), ("title", None), ("id", None), ("name", None), ("department", None)]
        return self.table(
            "scenarios", [*columns, ("criticality", _DECIMALS), ("direct", None), ("path", None)], rows
        )

    def single_points(self) -> _Table:
        points = {p.node: p for p in self.result.single_points}
        rows = [
            (
                row.node,
                row.label,
                row.kind,
                self.join_names(row.equivalent),
                row.applications,
                self.app_names(points[row.node].applications),
                points[row.node].criticality,
                row.criticality_share,
                path_text(row.example, self.messages),
            )
            for row in self.view.single_points
        ]
        columns = [
            ("node", None),
            ("point", None),
            ("kind", None),
            ("equivalent", None),
            ("applications", None),
        ]
        return self.table(
            "single_points",
            [*columns, ("names", None), ("criticality", _DECIMALS), ("share", _PERCENT), ("example", None)],
            rows,
        )

    # Portfolio

    def concentration(self) -> _Table:
        rows = [
            (
                row.id,
                row.name,
                self.t("exports.unknown") if row.country.is_unknown else row.country.code,
                row.country.name,
                row.applications,
                row.share,
                row.criticality_share,
            )
            for row in self.view.controllers
        ]
        columns = [("id", None), ("name", None), ("country", None), ("country_name", None)]
        return self.table(
            "concentration",
            [*columns, ("applications", None), ("share", _PERCENT), ("criticality_share", _PERCENT)],
            rows,
        )

    def seal(self) -> _Table:
        total = self.result.portfolio.applications
        rows = [
            (row.seal.name, row.seal.meaning, row.count, row.count / total if total else 0.0)
            for row in self.view.seal_rows
        ]
        return self.table(
            "seal", [("level", None), ("meaning", None), ("applications", None), ("share", _PERCENT)], rows
        )

    # Plan

    def options(self) -> _Table:
        plan, m = self.result.plan, self.messages
        rows: list[tuple[Cell, ...]] = []
        if plan is not None:
            chosen = {move: wave.number for wave in plan.waves for move in wave.moves}
            for application in plan.options:
                before = application.before
                head: tuple[Cell, ...] = (
                    before.application.app_id,
                    before.application.name,
                    self.t("exports.unknown") if before.seal is None else before.seal,
                    self.join(application.findings),
                    len(application.dependants),
                )
                if not application.options:
                    rows.append((*head, *([None] * 15)))
                for rank, option in enumerate(application.options, 1):
                    after, alternative = option.after, option.alternative
                    step = chosen.get((before.application.app_id, alternative.id), -1)
                    rows.append(
                        (
                            *head,
                            rank,
                            alternative.id,
                            alternative_name(self.result, alternative.id),
                            after.controller.name if after.controller else None,
                            (after.controller.country or self.t("exports.unknown"))
                            if after.controller
                            else None,
                            self.t("exports.unknown") if after.seal is None else after.seal,
                            self.codes(after.lawful_access),
                            self.codes(after.residency),
                            self.codes(after.continuity),
                            word(m, "maturity", alternative.maturity),
                            word(m, "effort", alternative.effort),
                            option.adopters_with_source,
                            self.join([word(m, "hosting_options", h) for h in alternative.hosting_options]),
                            self.join(alternative.open_standards),
                            None if step == -1 else step_name(step, m),
                        )
                    )
        keys = ["id", "name", "seal_before", "rules", "dependants", "rank", "alternative_id", "alternative"]
        keys += ["controller", "controller_country", "seal_after", "lawful_access", "residency", "continuity"]
        keys += ["maturity", "effort", "adopters", "hosting_options", "open_standards", "step"]
        return self.table("options", [(key, None) for key in keys], rows)

    def codes(self, axis: AxisResult) -> str | None:
        unknown = self.t("exports.unknown")
        return self.join([unknown if code == UNKNOWN else code for code in sorted(axis.countries)])

    def waves(self) -> _Table:
        plan, m = self.result.plan, self.messages
        rows: list[tuple[Cell, ...]] = []
        for number, portfolio, moves in plan_steps(plan) if plan else ():
            seals = portfolio.seal_distribution
            largest = portfolio.concentration[0] if portfolio.concentration else None
            rows.append(
                (
                    number,
                    step_name(number, m),
                    len(moves),
                    self.app_names([app_id for app_id, _ in moves]),
                    portfolio.us_lawful_access_share,
                    portfolio.us_lawful_access_weighted,
                    portfolio.us_continuity_share,
                    portfolio.us_continuity_weighted,
                    portfolio.us_residency_share,
                    portfolio.unknown_share,
                    *(seals.get(key, 0) for key in ("0", "1", "2", "3", "4", UNKNOWN)),
                    portfolio.hhi,
                    largest.controller.name if largest else None,
                    largest.share if largest else None,
                )
            )
        columns: list[tuple[str, str | None]] = [("number", None), ("step", None), ("moves", None)]
        columns += [("applications", None), ("us_lawful_access", _PERCENT)]
        columns += [("us_lawful_access_weighted", _PERCENT), ("us_continuity", _PERCENT)]
        columns += [("us_continuity_weighted", _PERCENT), ("us_residency", _PERCENT), ("unknown", _PERCENT)]
        columns += [(f"seal_{key}", None) for key in ("0", "1", "2", "3", "4", UNKNOWN)]
        columns += [("hhi", "0"), ("largest", None), ("largest_share", _PERCENT)]
        return self.table("waves", columns, rows)

    def exits(self) -> _Table:
        plan, m = self.result.plan, self.messages
        rows = [
            (
                outline.app_id,
                self.names.get(outline.app_id, outline.app_id),
                alternative_name(self.result, outline.target),
                self.join(outline.open_standards),
                self.app_names(outline.dependants),
                self.app_names(outline.stops_if_cut),
                self.join_names([word(m, "clauses", clause) for clause in outline.secure_now]),
            )
            for outline in (plan.exits if plan else ())
        ]
        keys = ("id", "name", "target", "open_standards", "dependants", "stops", "secure_now")
        return self.table("exits", [(key, None) for key in keys], rows)

    # Data quality

    def local(self) -> _Table:
        rows = [
            (
                row.kind,
                row.id,
                row.name,
                self.t("exports.xlsx.local.overrides" if row.overrides else "exports.xlsx.local.adds"),
                row.reason,
                row.file,
                self.join_names(row.applications),
            )
            for row in self.view.local_knowledge
        ]
        keys = ("kind", "id", "name", "change", "reason", "file", "applications")
        return self.table("local", [(key, None) for key in keys], rows)

    def rejected(self) -> _Table:
        return self.table("rejected", [("source", None), ("reason", None)], self.view.rejected)

    def merged(self) -> _Table:
        return self.table("merged", [("source", None), ("into", None)], self.view.merged)

    def warnings(self) -> _Table:
        rows = [(number, text) for number, text in enumerate(self.view.warnings, 1)]
        return self.table("warnings", [("number", None), ("warning", None)], rows)

    def about(self) -> _Table:
        result, view = self.result, self.view

        def item(key: str) -> str:
            return self.t(f"exports.xlsx.about.items.{key}")

        rows: list[tuple[Cell, ...]] = [
            (item("title"), view.title),
            (item("tool"), f"{TOOL_NAME} {result.tool_version}"),
            (item("method_version"), result.method_version),
            (item("catalog_digest"), result.catalog_digest),
            (item("date"), view.date),
            (item("language"), self.messages.lang),
            *((item("input"), line) for line in view.inputs),
        ]
        if result.policy is None:
            rows.append((item("policy"), item("no_policy")))
        else:
            rows.append((item("policy"), f"{result.policy.name} ({result.policy.id})"))
            rows.append((item("policy_file"), result.policy.file))
        rows.append((item("applications"), len(result.assessments)))
        rows.append((item("findings"), len(result.findings)))
        rows.append((item("note"), self.t("exports.xlsx.about.note")))
        return self.table("about", [("item", None), ("value", None)], rows)


def _extra_cells(app: Application) -> list[tuple[tuple[str, int], str]]:
    """An application's unknown columns keyed by (header, occurrence), so a repeated header keeps both values."""
    counts: dict[str, int] = {}
    cells = []
    for header, value in app.extra:
        counts[header] = counts.get(header, 0) + 1
        cells.append(((header, counts[header]), value))
    return cells


def _ends_in(path: tuple[str, ...], code: str) -> bool:
    """Whether a path justifies ``code``: it ends in that country, or (for unknown) in no country at all."""
    last = path[-1] if path else ""
    if code == UNKNOWN:
        return not last.startswith("country:") or last == f"country:{UNKNOWN}"
    return last == f"country:{code}"
