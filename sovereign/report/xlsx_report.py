"""``findings.xlsx``: every table of the audit on its own sheet, for filtering and counting in a spreadsheet.

The tables are built as plain rows (str, int, float or None) straight from the ``AuditResult``, worded with the
report view's helpers (``view._Builder``) so a figure is worded as on the pages; the per-application tables are
complete at any size (the pages show their most important rows only). Each table becomes a sheet with a bold,
frozen header row, an autofilter over the table and column widths from the content of its first 1,000 rows
(capped). Numbers stay numbers; shares are numbers with a percent format. Texts are in the report's language.
A table longer than a sheet can hold (1,048,575 rows under the header) continues on sheets named "<name> (2)",
"<name> (3)", each with the header again.

The workbook is written by a small streaming SpreadsheetML (ECMA-376) writer rather than openpyxl or
XlsxWriter: at 150,000 applications (about 20 million cells) openpyxl's write-only mode took 27 s and
XlsxWriter's constant-memory mode 18 s. Rows are encoded in batches as they are built, each distinct value once
(shared strings, one cell cache per number format), and compressed as they go on a second thread, so the
workbook is never held whole in memory.

Safety: no cell ever holds a formula. Text that a spreadsheet would read as one (starting with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return) gets a leading ``'`` as OWASP's "CSV injection" page recommends, every text
cell is a shared string (never a formula or an error value, whatever it starts with), characters XML cannot
hold are replaced and the rest is escaped.

Deterministic: the workbook's created and modified times and every zip entry's time are the audit date, so two
renders of one result give the same bytes. This module writes only to the handle it is given;
``render_findings_xlsx`` returns bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, compress, islice, repeat
from operator import not_
from typing import IO, BinaryIO

from sovereign.model import (
    UNKNOWN,
    Alternative,
    Application,
    ApplicationAssessment,
    AuditResult,
    AxisResult,
    Finding,
    Rule,
)
from sovereign.report._exports import (
    alternative_name,
    load_export_messages,
    plan_steps,
    step_name,
    word,
    yes_no,
)
from sovereign.report.json_report import TOOL_NAME, _written_behind, location_key
from sovereign.report.translation import Messages
from sovereign.report.view import AXES, _Builder

__all__ = ["SHEETS", "neutralise", "render_findings_xlsx", "sheet_title", "write_findings_xlsx"]

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
#: Characters XML 1.0 cannot carry: C0 controls other than tab, line feed, return; lone surrogates; U+FFFE/F.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Excel's limits: characters in a cell, characters in a sheet name, characters a sheet name must not hold,
#: rows under the header of one sheet.
_MAX_CELL = 32_767
_MAX_TITLE = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_MAX_ROWS = 1_048_575
#: Column widths in characters.
_MIN_WIDTH = 6
_MAX_WIDTH = 60

Cell = str | int | float | None
Row = tuple[Cell, ...]


@dataclass(frozen=True, slots=True)
class _Column:
    header: str
    number_format: str | None = None  # for numeric cells only


@dataclass(frozen=True, slots=True)
class _Table:
    key: str
    name: str
    columns: tuple[_Column, ...]
    rows: Iterable[Row]


# ---------------------------------------------------------------------------------------------------------
# Safety


def neutralise(text: str) -> str:
    """Text safe for a cell: never a formula, no characters XML cannot hold, within Excel's cell limit.

    >>> neutralise('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise("-2"), neutralise("Zaaksysteem")
    ("'-2", 'Zaaksysteem')
    """
    # Each illegal character becomes one: what lies beyond the limit cannot matter (a stop list can be a megabyte).
    # Printable text holds none (they are controls, surrogates or non-characters), and testing that is cheaper.
    if len(text) > _MAX_CELL or not text.isprintable():
        text = _ILLEGAL.sub("\ufffd", text[: _MAX_CELL + 1])
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    if len(text) > _MAX_CELL:  # Excel's limit; say that the rest is left out (audit.json has it all)
        return text[: _MAX_CELL - 1] + "\u2026"
    return text


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
    buffer = io.BytesIO()
    write_findings_xlsx(result, messages, buffer)
    return buffer.getvalue()


def write_findings_xlsx(result: AuditResult, messages: Messages, handle: BinaryIO) -> None:
    """Write ``findings.xlsx`` in ``messages.lang`` to a binary file (it need not be seekable)."""
    messages = load_export_messages(messages)
    builder = _Tables(result, messages)
    stamp = _audit_moment(result.date)
    with _written_behind() as submit:
        writer = _Writer(handle, stamp, submit)
        for key in SHEETS:
            writer.sheet(getattr(builder, key)())
        writer.close(
            title=builder.title(),
            creator=f"{TOOL_NAME} {result.tool_version}",
            language=messages.lang,
        )


def _audit_moment(date: str) -> dt.datetime:
    """The audit date at midnight; the start of the zip era when the date does not parse."""
    try:
        moment = dt.datetime.combine(dt.date.fromisoformat(date), dt.time())
    except ValueError:
        moment = dt.datetime(1980, 1, 1)
    return max(moment, dt.datetime(1980, 1, 1))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _display_width(value: Cell, number_format: str | None) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        return max((len(line) for line in neutralise(value).split("\n")), default=0)
    if number_format in (_PERCENT, _PERCENT_WHOLE):
        return len(f"{value * 100:.1f}%")
    if isinstance(value, float):
        return len(f"{value:.2f}")
    return len(str(value))


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: Style indexes: 0 plain, 1 bold (headers), 2 wrapped text, then one per number format.
_NUMBER_FORMATS = (_PERCENT, _PERCENT_WHOLE, _DECIMAL, _DECIMALS, "0")
_STYLE_OF = {fmt: 3 + index for index, fmt in enumerate(_NUMBER_FORMATS)}
#: Rows read before a sheet's column widths are fixed (in the XML the widths come before the rows).
_WIDTH_SAMPLE = 1_000
#: Rows built and encoded at a time: few enough that their values are still in the CPU's cache when encoded.
_BATCH = 100
#: Characters handed to the compressor at a time (``_written_behind`` lets a few such chunks wait for it).
_CHUNK = 1 << 20
#: Shared strings written at a time.
_STRINGS = 10_000


class _Writer:
    """A streaming xlsx writer: sheets in order, then shared strings, styles and the package parts."""

    def __init__(
        self, handle: BinaryIO, stamp: dt.datetime, submit: Callable[[Callable[[], object]], None]
    ) -> None:
        self.archive = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.stamp = stamp
        self.submit = submit  # every call on the archive, in order, on the writing thread
        self.out: IO[bytes] | None = None  # the entry being written, on the writing thread
        self.titles: list[str] = []
        self.used: set[str] = set()
        self.strings: dict[str, int] = {}
        self.cells: dict[str | None, dict[Cell, str]] = {}
        self.filters: list[str] = []

    def entry(self, name: str) -> IO[bytes]:
        info = zipfile.ZipInfo(name, date_time=self.stamp.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, whatever system renders
        info.external_attr = 0o644 << 16
        return self.archive.open(info, "w", force_zip64=True)

    def open(self, name: str) -> None:
        def call() -> None:
            self.out = self.entry(name)

        self.submit(call)

    def write(self, data: bytes) -> None:
        def call() -> None:
            assert self.out is not None
            self.out.write(data)

        self.submit(call)

    def shut(self) -> None:
        """Close the entry being written."""

        def call() -> None:
            assert self.out is not None
            self.out.close()
            self.out = None

        self.submit(call)

    def text(self, name: str, content: str) -> None:
        self.open(name)
        self.write(content.encode("utf-8"))
        self.shut()

    def cache(self, number_format: str | None) -> dict[Cell, str]:
        """Cell XML by value for one number format: each distinct value is encoded once."""
        cache = self.cells.get(number_format)
        if cache is None:
            cache = self.cells[number_format] = {None: "<c/>"}
        return cache

    def cell(self, value: Cell, number_format: str | None) -> str:
        cache = self.cache(number_format)
        if value not in cache:
            cache[value] = self.encode(value, number_format)
        return cache[value]

    def encode(self, value: Cell, number_format: str | None) -> str:
        if isinstance(value, str):
            text = neutralise(value)
            index = self.strings.setdefault(text, len(self.strings))
            style = ' s="2"' if "\n" in text else ""
            return f'<c t="s"{style}><v>{index}</v></c>'
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"a cell holds text or a number, not {value!r}")
        if isinstance(value, float) and not math.isfinite(value):
            return "<c/>"
        style = f' s="{_STYLE_OF[number_format]}"' if number_format in _STYLE_OF else ""
        return f"<c{style}><v>{value!r}</v></c>"

    def sheet(self, table: _Table) -> None:
        rows = iter(table.rows)
        first = True
        while True:
            sample = list(islice(rows, _WIDTH_SAMPLE))
            if not first and not sample:
                return
            self.part(table, sample, rows)
            first = False

    def part(self, table: _Table, sample: list[Row], rows: Iterator[Row]) -> None:
        """One sheet of ``table``: the sample rows, then rows from ``rows`` until the sheet is full."""
        columns = table.columns
        formats = [column.number_format for column in columns]
        widths = [len(column.header) for column in columns]
        measured: dict[tuple[type, Cell, str | None], int] = {}  # the same texts come back in every column
        for row in sample:
            for index, value in enumerate(row):
                key = (type(value), value, formats[index])  # the type too: True == 1 == 1.0
                width = measured.get(key)
                if width is None:
                    width = measured[key] = _display_width(value, formats[index])
                if width > widths[index]:
                    widths[index] = width
        title = sheet_title(table.name, self.used)
        self.titles.append(title)
        last = _column_letter(len(columns))
        cols = "".join(
            f'<col min="{i}" max="{i}" width="{min(max(w + 2, _MIN_WIDTH), _MAX_WIDTH)}" customWidth="1"/>'
            for i, w in enumerate(widths, 1)
        )
        header = "".join(self.cell(column.header, None).replace("<c ", '<c s="1" ', 1) for column in columns)
        self.open(f"xl/worksheets/sheet{len(self.titles)}.xml")
        self.write(
            f'{_XML_HEAD}<worksheet xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
            ' state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData><row>{header}</row>'.encode()
        )
        count, batch, parts, size = 0, sample, [], 0
        while batch:  # never takes a row beyond the sheet's last: the rest continues on the next sheet
            parts.append(self.rows(batch, formats))
            size += len(parts[-1])
            if size >= _CHUNK:
                self.write("".join(parts).encode("utf-8"))
                parts, size = [], 0
            count += len(batch)
            batch = list(islice(rows, min(_BATCH, _MAX_ROWS - count)))
        parts.append(f'</sheetData><autoFilter ref="A1:{last}{count + 1}"/></worksheet>')
        self.write("".join(parts).encode("utf-8"))
        self.shut()

    def rows(self, batch: list[Row], formats: list[str | None]) -> str:
        """The XML of a batch of rows, encoded column by column but numbered as if cell by cell.

        Each column is looked up with ``map``, which keeps the per-cell work in C. A text takes its
        shared-string index when it is first met in row order, so the first cell of each value the lookups
        missed is encoded in row order (looked up again first: another column may have met it), and then the
        cells that missed are filled in.
        """
        caches = [self.cache(number_format) for number_format in formats]
        columns = list(zip(*batch, strict=True))  # with the zip below: every row has a cell per column
        cells = [list(map(cache.get, column)) for cache, column in zip(caches, columns, strict=True)]
        width = len(columns)
        firsts: list[int] = []  # row * width + column of the first cell of each missed value
        missed: list[tuple[int, list[int]]] = []  # columns with missed cells, and their rows
        for number, (column, xml) in enumerate(zip(columns, cells, strict=True)):
            if not all(xml):
                indexes = list(compress(range(len(xml)), map(not_, xml)))[::-1]
                # Read backwards, so the dict keeps each value's first row.
                first = dict(zip(map(column.__getitem__, indexes), indexes, strict=True))
                firsts.extend(index * width + number for index in first.values())
                missed.append((number, indexes))
        for position in sorted(firsts):
            index, number = divmod(position, width)
            value, cache = columns[number][index], caches[number]
            if value not in cache:
                cache[value] = self.encode(value, formats[number])
        for number, indexes in missed:
            column, xml, cache = columns[number], cells[number], caches[number]
            for index in indexes:
                xml[index] = cache[column[index]]
        return "".join(chain.from_iterable(zip(repeat("<row>"), *cells, repeat("</row>"))))

    def close(self, *, title: str, creator: str, language: str) -> None:
        sheets = "".join(
            f'<sheet name="{_escape(t)}" sheetId="{i}" r:id="rId{i}"/>' for i, t in enumerate(self.titles, 1)
        )
        self.text(
            "xl/workbook.xml",
            f'{_XML_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONSHIPS}"><bookViews><workbookView/>'
            f"</bookViews><sheets>{sheets}</sheets></workbook>",
        )
        self.open("xl/sharedStrings.xml")
        count = len(self.strings)
        self.write(f'{_XML_HEAD}<sst xmlns="{_MAIN}" count="{count}" uniqueCount="{count}">'.encode())
        strings, start, end = iter(self.strings), '<si><t xml:space="preserve">', "</t></si>"
        while batch := list(islice(strings, _STRINGS)):
            # Escaped at once: every text is neutralised, so none holds the NUL that parts them here.
            items = _escape("\0".join(batch)).replace("\0", end + start)
            self.write(f"{start}{items}{end}".encode())
        self.write(b"</sst>")
        self.shut()
        number_formats = "".join(
            f'<numFmt numFmtId="{164 + i}" formatCode="{_escape(f)}"/>' for i, f in enumerate(_NUMBER_FORMATS)
        )
        number_styles = "".join(
            f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            for i in range(len(_NUMBER_FORMATS))
        )
        self.text(
            "xl/styles.xml",
            f'{_XML_HEAD}<styleSheet xmlns="{_MAIN}"><numFmts count="{len(_NUMBER_FORMATS)}">{number_formats}'
            '</numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/>'
            '<name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill>'
            '<fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/>'
            '<top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0"'
            ' fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{3 + len(_NUMBER_FORMATS)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"'
            ' xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
            '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment'
            f' vertical="top" wrapText="1"/></xf>{number_styles}</cellXfs><cellStyles count="1"><cellStyle'
            ' name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        )
        relationships = "".join(
            f'<Relationship Id="rId{i}" Type="{_RELATIONSHIPS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.titles) + 1)
        )
        n = len(self.titles)
        self.text(
            "xl/_rels/workbook.xml.rels",
            f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">{relationships}'
            f'<Relationship Id="rId{n + 1}" Type="{_RELATIONSHIPS}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n + 2}" Type="{_RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        moment = self.stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        self.text(
            "docProps/core.xml",
            f'{_XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
            'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape(neutralise(title))}</dc:title><dc:creator>{_escape(creator)}</dc:creator>"
            f"<dc:language>{_escape(language)}</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{moment}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{moment}</dcterms:modified></cp:coreProperties>',
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, n + 1)
        )
        office = "application/vnd.openxmlformats-officedocument"
        self.text(
            "[Content_Types].xml",
            f'{_XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.spreadsheetml.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.'
            f'core-properties+xml"/>{overrides}</Types>',
        )
        self.text(
            "_rels/.rels",
            f'{_XML_HEAD}<Relationships xmlns="{_PACKAGE_RELATIONSHIPS}">'
            f'<Relationship Id="rId1" Type="{_RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/'
            'metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
        )
        self.submit(self.archive.close)


# ---------------------------------------------------------------------------------------------------------
# Tables


class _Tables:
    """One method per sheet, named after its key in ``SHEETS``; large tables yield their rows lazily."""

    def __init__(self, result: AuditResult, messages: Messages) -> None:
        self.result = result
        self.messages = messages
        self.t = messages.t
        # The view's wording helpers, without building the view: the pages and this workbook word alike.
        self.words = _Builder(result, messages, {}, capped=True)
        self.names = self.words.names  # app id -> name: the view's own, not a second copy of 150,000
        self.by_name = sorted(result.assessments, key=_name_key)
        self.separator = messages.t("exports.separator")
        self.name_separator = messages.t("exports.name_separator")
        self.unknown = messages.t("exports.unknown")
        self._path_tails: dict[tuple[str, ...], str] = {}
        self._head: tuple[str | None, str] = (None, "")  # the first node of the last path, and its label
        self._chains: dict[tuple[str, ...], str] = {}  # see ``chain``
        self._codes: dict[tuple[str, ...], str | None] = {}
        self._countries: dict[str, tuple[str, str, str]] = {}  # see ``country_cells``
        self._edge_marks: dict[str, str] = {}
        self._app_names: dict[int, tuple[Sequence[str], str | None]] = {}
        # App id -> place in ``by_name``, and the names in that order: see ``sorted_names``.
        self._rank: dict[str, int] | None = None
        self._ranked_names: list[str] = []
        self._words: dict[tuple[str, str], str] = {}
        self._messages: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}
        self._alternatives: dict[int, tuple[Alternative, tuple[Cell, ...]]] = {}
        self.answers = {value: yes_no(value, messages) for value in (True, False, None)}  # yes, no, empty

    def table(self, key: str, columns: Sequence[tuple[str, str | None]], rows: Iterable[Row]) -> _Table:
        prefix = f"exports.xlsx.{key}"
        return _Table(
            key=key,
            name=self.t(f"{prefix}.name"),
            columns=tuple(_Column(self.t(f"{prefix}.columns.{c}"), f) for c, f in columns),
            rows=rows,
        )

    def title(self) -> str:
        named = {a.application.organisation for a in self.result.assessments} - {None, ""}
        if len(named) > 1:
            return self.t("meta.title_organisations", count=self.messages.number(len(named)))
        return self.t("meta.title_for", organisation=next(iter(named))) if named else self.t("meta.title")

    def join(self, values: Sequence[str]) -> str | None:
        """Codes, ids or standards in one cell: "NL, US"; None (an empty cell) for none."""
        return self.separator.join(values) if values else None

    def join_names(self, values: Sequence[str]) -> str | None:
        """Names in one cell, "; " apart: a name may hold a comma ("Salesforce, Inc.")."""
        return self.name_separator.join(values) if values else None

    def app_names(self, app_ids: Sequence[str]) -> str | None:
        """Names by name in one cell; a list that comes back is joined once.

        The memo is keyed by the list's identity, not its value: who stops when a vendor withdraws is one
        tuple shared by thousands of exits and can be as long as the portfolio, so hashing and comparing it
        on every call cost seconds at national scale. The memo holds the list, so no other list can take its id.
        """
        found = self._app_names.get(id(app_ids))
        if found is None:
            found = self._app_names[id(app_ids)] = (app_ids, self.join_names(self.sorted_names(app_ids)))
        return found[1]

    def sorted_names(self, app_ids: Sequence[str]) -> list[str]:
        """The applications' names by name (without case, then as written); an unknown id stands for itself.

        Ids are sorted by their application's place in ``by_name``, compared in C, rather than by a key built
        per id: the list of a single point of failure can hold a fifth of the country.
        """
        if self._rank is None:
            ranked = (a.application.app_id for a in self.by_name)
            self._rank = dict(zip(ranked, range(len(self.by_name)), strict=True))
            self._ranked_names = [a.application.name for a in self.by_name]
        if len(self._rank) == len(self.by_name):  # ids are unique, so a place names the name ``names`` has
            try:
                return [self._ranked_names[r] for r in sorted(map(self._rank.__getitem__, app_ids))]
            except KeyError:
                pass  # an id no assessment has
        return sorted((self.names.get(i, i) for i in app_ids), key=lambda n: (n.casefold(), n))

    def path(self, path: tuple[str, ...]) -> str:
        """A path as one line: "Zaaksysteem —is→ Acme Zaaksysteem —operated by→ ..."; the part after the first
        node is worded once for every path that shares it."""
        if not path:
            return ""
        tail = self._path_tails.get(path[1:])
        if tail is None:
            tail = self.tail(path[1:])
        # An application's paths come one after another, from its own node. Compared by value: its axes
        # and findings hold that node's id as separate strings.
        if path[0] != self._head[0]:
            self._head = (path[0], self.words.node_label(path[0]))
        return self._head[1] + tail

    def lines(self, paths: tuple[tuple[str, ...], ...]) -> str:
        """Paths in order, a line each, as ``path`` words them; joined at once rather than each path first made
        a text of its own (at national scale these texts are a few hundred characters, copied once less)."""
        if len(paths) == 1:
            return self.path(paths[0])
        parts: list[str] = []
        for path in sorted(paths):
            parts.append("\n")
            if not path:
                continue
            tail = self._path_tails.get(path[1:])
            if tail is None:
                tail = self.tail(path[1:])
            if path[0] != self._head[0]:  # as in ``path``
                self._head = (path[0], self.words.node_label(path[0]))
            parts.append(self._head[1])
            parts.append(tail)
        return "".join(islice(parts, 1, None))

    def tail(self, rest: tuple[str, ...]) -> str:
        """The part of a path after its first node, worded once: " —is→ Acme Zaaksysteem —operated by→ ..."."""
        found = self._path_tails.get(rest)
        if found is None:
            found = self._path_tails[rest] = "".join(
                self.edge_mark(step) if index % 2 == 0 else self.words.node_label(step)
                for index, step in enumerate(rest)
            )
        return found

    def chain(self, path: tuple[str, ...]) -> str:
        """A path from its application on, for a row that names the application already: "—is→ Acme
        Zaaksysteem —operated by→ ..."; one text for every application whose path goes on alike, so the
        workbook holds it once. A path that is its application alone is that application's name, as ``path``
        words it."""
        if len(path) < 2:
            return self.path(path)
        found = self._chains.get(path[1:])
        if found is None:
            found = self._chains[path[1:]] = self.tail(path[1:]).lstrip()
        return found

    def edge_mark(self, edge: str) -> str:
        mark = self._edge_marks.get(edge)
        if mark is None:
            mark = self._edge_marks[edge] = self.t("exports.path_edge", edge=self.words.edge_label(edge))
        return mark

    def codes(self, axis: AxisResult) -> str | None:
        """The countries of one axis as ISO codes, "NL, US"; unknown in words."""
        found = self._codes.get(axis.countries, "")
        if found == "":
            found = self._codes[axis.countries] = self.join(
                [self.unknown if code == UNKNOWN else code for code in sorted(axis.countries)]
            )
        return found

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
        keys = [key for key, _ in extra]

        def rows() -> Iterator[Row]:
            for assessment in self.by_name:
                app = assessment.application
                values = dict(_extra_cells(app)) if app.extra else {}
                yield (
                    *self.inventory_cells(app),
                    *(values.get(key) for key in keys),
                    *self.assessment_cells(assessment),
                )

        table = self.table("applications", [*head, *tail], ())
        # The unknown columns keep the header the inventory gave them, between what we read and what we derived.
        columns = (
            *table.columns[: len(head)],
            *(_Column(header) for _, header in extra),
            *table.columns[len(head) :],
        )
        return _Table(key=table.key, name=table.name, columns=columns, rows=rows())

    def extra_columns(self) -> list[tuple[tuple[str, int], str]]:
        """Unknown inventory columns in the order the files first show them: (key, header)."""
        seen: dict[tuple[str, int], str] = {}
        applications = [
            app
            for app in (
                *self.result.inventory.applications,
                *(a.application for a in self.result.assessments),
            )
            if app.extra
        ]
        for app in sorted(applications, key=lambda a: location_key(a.source)):
            for key, _ in _extra_cells(app):
                header, occurrence = key
                seen.setdefault(key, header if occurrence == 1 else f"{header} ({occurrence})")
        return list(seen.items())

    def inventory_cells(self, app: Application) -> Row:
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
            self.answers[app.business_critical],
            self.answers[app.personal_data],
            app.users,
            self.join_names(app.depends_on),
            app.exit_plan,
            app.notes,
        )

    def assessment_cells(self, assessment: ApplicationAssessment) -> Row:
        match, controller, catalog = assessment.match, assessment.controller, self.result.catalog
        product = catalog.products.get(match.product) if match.product else None
        method = match.method.value
        matched = product is not None and method != "none"
        region = catalog.hosting.get(assessment.hosting_region or "")
        seal = self.words.seal(assessment.seal)
        return (
            match.product,
            product.name if matched and product else None,
            self.word("match_methods", method),
            match.score,
            self.suggestions(match.suggestions),
            self.word("hosting_kinds", assessment.hosting_kind),
            region.name if region else assessment.hosting_region,
            controller.id if controller else None,
            controller.name if controller else None,
            None if controller is None else (controller.country or self.unknown),
            self.codes(assessment.lawful_access),
            self.codes(assessment.residency),
            self.codes(assessment.continuity),
            self.unknown if assessment.seal is None else assessment.seal,
            seal.meaning,
            assessment.seal_reason,
            assessment.criticality,
            assessment.weighted_score,
        )

    def word(self, group: str, value: str) -> str:
        found = self._words.get((group, value))
        if found is None:
            key = f"{group}.{value}"
            found = self._words[group, value] = self.t(key) if self.messages.has(key) else value
        return found

    def suggestions(self, suggestions: tuple[tuple[str, float], ...]) -> str | None:
        if not suggestions:  # a matched application
            return None
        products = self.result.catalog.products
        return self.join_names(
            [
                self.t(
                    "quality.unmatched.suggestion",
                    name=products[pid].name if pid in products else pid,
                    score=self.messages.percent(score, decimals=0),
                )
                for pid, score in suggestions
            ]
        )

    # Evidence

    def evidence(self) -> _Table:
        titles = [(key, self.t(f"evidence.axes.{key}")) for key in AXES]

        def rows() -> Iterator[Row]:
            chain, country_cells = self.chain, self.country_cells
            for assessment in self.by_name:
                app = assessment.application
                for key, title in titles:
                    raw: AxisResult = getattr(assessment, key)
                    paths, codes = raw.paths, raw.countries
                    if len(paths) == 1 and len(codes) == 1:  # most axes: one country, one path
                        found = country_cells(codes[0])
                        text = chain(paths[0]) if _justified(paths[0]) == found[0] else None
                        yield (app.app_id, app.name, title, found[1], found[2], text)
                        continue
                    ending: dict[str, list[tuple[str, ...]]] = {}  # the paths by the country they justify
                    for p in sorted(paths):
                        ending.setdefault(_justified(p), []).append(p)
                    for code in sorted(codes):
                        found = country_cells(code)
                        texts: list[str | None] = [chain(p) for p in ending.get(found[0], ())]
                        for text in texts or [None]:
                            yield (app.app_id, app.name, title, found[1], found[2], text)

        columns = [("id", None), ("name", None), ("axis", None), ("country", None), ("country_name", None)]
        return self.table("evidence", [*columns, ("path", None)], rows())

    def country_cells(self, code: str) -> tuple[str, str, str]:
        """A country code as a path that justifies it ends in, as its cell ("unknown" in words), and its name."""
        found = self._countries.get(code)
        if found is None:
            country = self.words.country(code)
            cell = self.unknown if country.is_unknown else country.code
            found = self._countries[code] = (country.code, cell, country.name)
        return found

    # Policy

    def findings(self) -> _Table:
        policy = self.result.policy
        by_rule: dict[str, list[Finding]] = {}
        for finding in self.result.findings:
            by_rule.setdefault(finding.rule_id, []).append(finding)
        rules = {rule.id: rule for rule in policy.rules} if policy else {}
        order = [rule.id for rule in policy.rules] + sorted(set(by_rule) - set(rules)) if policy else []

        def key(f: Finding) -> tuple[bool, str, str, str]:
            name = self.names.get(f.app_id, f.app_id) if f.app_id else ""
            return (f.app_id is not None, name.casefold(), f.app_id or "", f.message)

        def rows() -> Iterator[Row]:
            for index, rule_id in enumerate(order, 1):
                rule = rules.get(rule_id)
                # The rule's own texts from the view, without its findings (worded below, every one).
                view = self.words.rule_view(rule, rule_id, [], index)
                kind = rule.kind if rule else (by_rule[rule_id][0].kind if by_rule.get(rule_id) else "")
                for finding in sorted(by_rule.get(rule_id, []), key=key):
                    yield (
                        rule_id,
                        kind,
                        view.severity_text,
                        view.requirement,
                        finding.app_id,
                        self.names.get(finding.app_id, finding.app_id) if finding.app_id else None,
                        self.finding_message(finding, rule),
                        self.app_names(finding.applications),
                        self.lines(finding.evidence) or None,
                    )

        keys = ("rule", "kind", "severity", "requirement", "id", "name", "message", "concerned", "evidence")
        return self.table("findings", [(key, None) for key in keys], rows())

    def finding_message(self, finding: Finding, rule: Rule | None) -> str:
        """The finding worded as the view words it, once per rule, kind and detail.

        The view words a finding from those alone (``Finding.detail`` holds the values its message is built
        from), and at national scale a few dozen details serve a hundred thousand findings. A finding the view
        cannot word keeps the engine's message, which names its application: that one is not shared.
        """
        key = (finding.rule_id, finding.kind, finding.detail)
        found = self._messages.get(key)
        if found is None:
            found = self.words.finding_message(finding, rule)
            if found != finding.message:
                self._messages[key] = found
        return found

    # Scenarios and single points of failure

    def scenarios(self) -> _Table:
        def rows() -> Iterator[Row]:
            for outcome in self.result.scenarios:
                title = self.words.scenario_text(outcome, "title")  # no ranking of the portfolio
                # The view's order: most critical first, then by name.
                stopped = sorted(
                    outcome.stopped, key=lambda s: (-s.criticality, s.name.casefold(), s.name, s.app_id)
                )
                for raw in stopped:
                    yield (
                        outcome.id,
                        title,
                        raw.app_id,
                        raw.name,
                        raw.department,
                        raw.criticality,
                        self.answers[raw.direct],
                        self.path(raw.via),
                    )

        columns = [("scenario", None), ("title", None), ("id", None), ("name", None), ("department", None)]
        return self.table(
            "scenarios", [*columns, ("criticality", _DECIMALS), ("direct", None), ("path", None)], rows()
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
                self.path(points[row.node].example),
            )
            for row in self.words.single_points()
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
                self.unknown if row.country.is_unknown else row.country.code,
                row.country.name,
                row.applications,
                row.share,
                row.criticality_share,
            )
            for row in self.words.controllers()
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
            for row in self.words.seal_rows()
        ]
        return self.table(
            "seal", [("level", None), ("meaning", None), ("applications", None), ("share", _PERCENT)], rows
        )

    # Plan

    def options(self) -> _Table:
        plan, m = self.result.plan, self.messages

        def rows() -> Iterator[Row]:
            chosen = {move: wave.number for wave in plan.waves for move in wave.moves} if plan else {}
            for application in plan.options if plan else ():
                before = application.before
                app_id = before.application.app_id
                head: tuple[Cell, ...] = (
                    app_id,
                    before.application.name,
                    self.unknown if before.seal is None else before.seal,
                    self.join(application.findings),
                    len(application.dependants),
                )
                if not application.options:
                    yield (*head, *([None] * 15))
                for rank, option in enumerate(application.options, 1):
                    after, alternative = option.after, option.alternative
                    worded = self.alternative_cells(alternative)
                    step = chosen.get((app_id, alternative.id), -1)
                    yield (
                        *head,
                        rank,
                        alternative.id,
                        worded[0],
                        after.controller.name if after.controller else None,
                        (after.controller.country or self.unknown) if after.controller else None,
                        self.unknown if after.seal is None else after.seal,
                        self.codes(after.lawful_access),
                        self.codes(after.residency),
                        self.codes(after.continuity),
                        worded[1],
                        worded[2],
                        option.adopters_with_source,
                        worded[3],
                        worded[4],
                        None if step == -1 else step_name(step, m),
                    )

        keys = ["id", "name", "seal_before", "rules", "dependants", "rank", "alternative_id", "alternative"]
        keys += ["controller", "controller_country", "seal_after", "lawful_access", "residency", "continuity"]
        keys += ["maturity", "effort", "adopters", "hosting_options", "open_standards", "step"]
        return self.table("options", [(key, None) for key in keys], rows())

    def alternative_cells(self, alternative: Alternative) -> tuple[Cell, ...]:
        """An alternative's name, maturity, effort, hosting options and open standards, worded once per object.

        The plan shares its alternatives between the applications it offers them to; the memo holds each one,
        so no other object can take its id.
        """
        found = self._alternatives.get(id(alternative))
        if found is None:
            m = self.messages
            cells = (
                alternative_name(self.result, alternative.id),
                word(m, "maturity", alternative.maturity),
                word(m, "effort", alternative.effort),
                self.join([word(m, "hosting_options", h) for h in alternative.hosting_options]),
                self.join(alternative.open_standards),
            )
            found = self._alternatives[id(alternative)] = (alternative, cells)
        return found[1]

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
                self.t(f"quality.local.kinds.{fact.kind}"),
                fact.id,
                fact.name,
                self.t("exports.xlsx.local.overrides" if fact.overrides else "exports.xlsx.local.adds"),
                fact.reason,
                fact.file,
                self.app_names(fact.applications),
            )
            for fact in self.result.local_knowledge
        ]
        keys = ("kind", "id", "name", "change", "reason", "file", "applications")
        return self.table("local", [(key, None) for key in keys], rows)

    def rejected(self) -> _Table:
        rows = [
            (str(row.source), row.reason)
            for row in sorted(self.result.inventory.rejected, key=lambda r: location_key(r.source))
        ]
        return self.table("rejected", [("source", None), ("reason", None)], rows)

    def merged(self) -> _Table:
        rows = [
            (str(row.source), str(row.into))
            for row in sorted(self.result.inventory.merged, key=lambda r: location_key(r.source))
        ]
        return self.table("merged", [("source", None), ("into", None)], rows)

    def warnings(self) -> _Table:
        rows = [(number, text) for number, text in enumerate(self.result.inventory.warnings, 1)]
        return self.table("warnings", [("number", None), ("warning", None)], rows)

    def about(self) -> _Table:
        result, messages = self.result, self.messages

        def item(key: str) -> str:
            return self.t(f"exports.xlsx.about.items.{key}")

        rows: list[Row] = [
            (item("title"), self.title()),
            (item("tool"), f"{TOOL_NAME} {result.tool_version}"),
            (item("method_version"), result.method_version),
            (item("catalog_digest"), result.catalog_digest),
            (item("date"), messages.date(result.date)),
            (item("language"), messages.lang),
            *(
                (
                    item("input"),
                    self.t("footer.input", path=f.path, rows=messages.number(f.rows), sha256=f.sha256),
                )
                for f in result.inputs
            ),
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


def _name_key(assessment: ApplicationAssessment) -> tuple[str, str, str]:
    app = assessment.application
    return (app.name.casefold(), app.name, app.app_id)


def _extra_cells(app: Application) -> list[tuple[tuple[str, int], str]]:
    """An application's unknown columns keyed by (header, occurrence), so a repeated header keeps both values."""
    counts: dict[str, int] = {}
    cells = []
    for header, value in app.extra:
        counts[header] = counts.get(header, 0) + 1
        cells.append(((header, counts[header]), value))
    return cells


def _justified(path: tuple[str, ...]) -> str:
    """The country a path justifies: the one it ends in; unknown when it ends in no country at all."""
    last = path[-1] if path else ""
    return last.removeprefix("country:") if last.startswith("country:") else UNKNOWN
