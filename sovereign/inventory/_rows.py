"""Turning decoded sheets (a header row and data rows, each with its location) into one ``Inventory``.

Shared by every tabular reader, so CSV and XLSX behave the same. For each sheet: map the header through the
alias table, skip blank rows, reject rows without a name, merge rows that repeat an earlier row exactly
(also across files), parse the values (an unreadable value is left unknown with a warning) and give each
application an id: the file's own id column when it has one, else a slug of the name, with ``-2``, ``-3``
on collisions in file order. Every data row ends up counted once: ``rows_read == applications + merged +
rejected``. No file access (the readers hand in the cells), no printing.

Structured files (JSON, XML) arrive as a ``Document`` of ``Entry`` records instead of a ``Table``: already
parsed values, a key of the record's own (a bom-ref, an object id), and ``references`` to the keys of other
entries of the same file. They are merged, counted and given ids the same way, after which each reference
becomes the final id of the entry it names, so dependencies stay within their own file when two inputs use
the same names or keys. An application name that occurs in more than one input is reported as a possible
duplicate; the applications are kept apart.
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import chain, compress, count, repeat, zip_longest
from operator import attrgetter, is_, mul, ne, not_
from typing import Any, TypeVar

from sovereign.errors import InputError
from sovereign.inventory import _headers, _values
from sovereign.model import Application, Biv, Inventory, Location, MergedRow, RejectedRow

__all__ = [
    "REJECT_NO_NAME",
    "Document",
    "Entry",
    "Record",
    "Table",
    "build_inventory",
    "build_table",
    "by_column",
    "empty_file_error",
    "is_blank",
    "no_name_column_error",
]

REJECT_NO_NAME = "no application name"

_T = TypeVar("_T")
_CELLS = attrgetter("cells")

# Free-text fields, copied as written (trimmed).
_TEXT_FIELDS = (
    "name",
    "vendor",
    "product",
    "version",
    "category",
    "gemma_component",
    "hosting",
    "hosting_provider",
    "data_location",
    "department",
    "owner",
    "exit_plan",
    "organisation",
    "notes",
)
_YES_NO_FIELDS = ("business_critical", "personal_data")

# fmt: off
_NOT_READABLE = {
    "biv":       "is not a BIV rating (expected e.g. 2/3/3 or H/M/L)",
    "biv_level": "is not a BIV level (expected 1, 2, 3 or L/M/H)",
    "yes_no":    "is not yes or no (expected e.g. ja/nee or yes/no)",
    "users":     "is not a number of users (expected e.g. 300 or 1.200)",
}
# fmt: on

# How many line numbers a summary warning lists before it says "...".
_LISTED_LINES = 10


@dataclass(frozen=True, slots=True)
class Record:
    """One row as the reader found it: where it starts, and its cells as text."""

    location: Location
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet of one file: its header row and its non-blank data rows."""

    label: str  # the path as given, or "path:sheet", for messages about the whole sheet
    sha256: str
    header: Record
    rows: tuple[Record, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One record of a structured file that reads as an application, before it has its id.

    ``values`` holds parsed ``Application`` fields other than ``app_id`` and ``source``; its ``depends_on``
    holds names, resolved later across all inputs. ``references`` holds the ``key`` of other entries of the
    same ``Document``: each becomes that entry's final id.
    """

    location: Location
    key: str
    values: Mapping[str, Any]
    references: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One structured file (JSON, XML): its application entries, the records it rejected, and warnings."""

    label: str
    sha256: str
    entries: tuple[Entry, ...]
    rejected: tuple[RejectedRow, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def rows(self) -> tuple[Location, ...]:
        """Where each record read starts, entries and rejected ones, like ``Table.rows`` for a sheet."""
        return tuple(e.location for e in self.entries) + tuple(r.source for r in self.rejected)


def is_blank(cells: Sequence[str]) -> bool:
    """True for a row whose every cell is empty or white space, as Excel leaves them."""
    return not "".join(cells).strip()  # one join rather than a strip per cell: this runs for every row


def empty_file_error(label: str) -> InputError:
    """The error for a file without a single non-blank row."""
    return InputError(
        "the file is empty (no rows)",
        location=label,
        hint="export the inventory again, with a header row and one row per application",
    )


def no_name_column_error(location: Location, headers: Sequence[str], *, where: str = "") -> InputError:
    """The error for a sheet whose header has no application name column."""
    shown = [f"'{h.strip()}'" for h in headers if h.strip()][:12]
    found = f"found columns: {', '.join(shown)}" if shown else "the first row is empty"
    return InputError(
        f"no column with the application name{where} ({found})",
        location=str(location),
        hint="name the column that holds the application names one of: " + ", ".join(_headers.name_aliases()),
    )


def build_table(
    label: str, sha256: str, records: Sequence[Record], header_index: int, *, warnings: Sequence[str] = ()
) -> Table:
    """Cut a sheet into its header and non-blank data rows; raise ``InputError`` when no data row is left."""
    header = records[header_index]
    below = records[header_index + 1 :]
    # Not blank: some text is left of the row's cells joined and trimmed (as ``is_blank``, in C).
    rows = tuple(compress(below, map(str.strip, map("".join, map(_CELLS, below)))))
    if not rows:
        raise InputError(
            "no rows below the header",
            location=str(header.location),
            hint="the file has a header but no applications; export it again with its rows",
        )
    notes = list(warnings)
    titles = sum(1 for r in records[:header_index] if not is_blank(r.cells))
    if titles:
        notes.append(f"{header.location}: header row; {_count(titles, 'row')} above it skipped as a title")
    return Table(label=label, sha256=sha256, header=header, rows=rows, warnings=tuple(notes))


# ---------------------------------------------------------------------------------------------------------
# Rows to applications


@dataclass(slots=True)
class _Pending:
    """An accepted entry of a document waiting for its id."""

    location: Location
    explicit_id: str | None
    values: dict[str, Any]
    scope: int = -1  # which document (index in the inputs)
    references: tuple[str, ...] = ()


@dataclass(slots=True)
class _Block:
    """The accepted rows of one sheet, or the accepted entries of one document, waiting for their ids.

    A sheet's values are held by column (``columns``: every ``Application`` field other than ``app_id``
    and ``source``, one value per row); a document's by entry (``pending``).
    """

    locations: list[Location]
    explicit_ids: list[str | None]
    names: Sequence[str]
    columns: dict[str, Iterable[Any]] | None = None
    pending: list[_Pending] | None = None

    def applications(self, ids: Sequence[str]) -> list[Application]:
        if self.pending is not None:
            return [
                Application(app_id=app_id, source=pending.location, **pending.values)
                for app_id, pending in zip(ids, self.pending, strict=True)
            ]
        assert self.columns is not None
        return by_column(
            Application, len(self.locations), {"app_id": ids, "source": self.locations, **self.columns}
        )


@dataclass(slots=True)
class _Collector:
    blocks: list[_Block] = field(default_factory=list)
    merged: list[MergedRow] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: digest of a row's key (see ``_digest``) -> where that row is: a national inventory's 150,000 keys
    #: themselves would hold every cell a second time
    first_of: dict[bytes, Location] = field(default_factory=dict)
    rows_read: int = 0
    #: (document index, entry key) -> the location of the entry that holds it (itself, or the one it merged into)
    entry_at: dict[tuple[int, str], Location] = field(default_factory=dict)
    #: The first sheet, while no other input follows it: its reader, columns and locations of the rows
    #: kept, whose digests go into ``first_of`` only when another input comes (see ``_settle``).
    deferred: tuple[_RowReader, list[tuple[str, ...]], list[Location]] | None = None


def _settle(collector: _Collector) -> None:
    """Put the digests of the deferred first sheet's rows into ``first_of``, for the input that follows."""
    if collector.deferred is not None:
        reader, cells, locations = collector.deferred
        collector.first_of.update(zip(reader.digests(cells), locations, strict=True))
        collector.deferred = None


def build_inventory(tables: Sequence[Table | Document]) -> Inventory:
    """Merge the sheets and documents, in order, into one ``Inventory`` with unique application ids."""
    collector = _Collector()
    for index, table in enumerate(tables):
        if isinstance(table, Document):
            _collect_document(index, table, collector)
        else:
            _collect_table(table, collector)
    blocks = collector.blocks
    locations = list(chain.from_iterable(block.locations for block in blocks))
    ids = _assign_ids(
        list(chain.from_iterable(block.explicit_ids for block in blocks)),
        locations,
        list(chain.from_iterable(block.names for block in blocks)),
        collector.warnings,
    )
    _resolve_references(collector, locations, ids)
    applications: list[Application] = []
    start = 0
    for block in blocks:
        end = start + len(block.locations)
        applications += block.applications(ids[start:end])
        start = end
    collector.warnings.extend(_duplicates_across_inputs(applications))
    return Inventory(
        applications=tuple(applications),
        merged=tuple(collector.merged),
        rejected=tuple(collector.rejected),
        rows_read=collector.rows_read,
        warnings=tuple(collector.warnings),
    )


def _collect_table(table: Table, collector: _Collector) -> None:
    """Reject, merge and read a sheet's rows, a column at a time: each step is a C-level map over a column.

    A national inventory is one sheet of 150,000 rows, and Python work per row and cell was most of its
    reading time. The rows become columns of trimmed cells; the rows without a name, then the rows that
    repeat an earlier one, are taken out of every column; each remaining column is parsed through its
    cache of distinct texts.
    """
    rows = table.rows
    row_cells = list(map(_CELLS, rows))
    width = max(len(table.header.cells), max(map(len, row_cells), default=0))
    header_cells = table.header.cells + ("",) * (width - len(table.header.cells))
    # Only a column without a header needs its rows looked at; a full scan of an empty column is costly.
    used = [not header_cells[i].strip() and _has_value(rows, i) for i in range(width)]
    columns = _headers.map_columns(header_cells, used_columns=used)

    warnings = collector.warnings
    warnings.extend(table.warnings)
    where = str(table.header.location)
    if columns.unknown:
        names = ", ".join(f"'{h}'" for h in columns.unknown)
        warnings.append(f"{where}: columns not recognised, kept as extra data: {names}")
    for duplicate, used_header in columns.duplicates:
        warnings.append(
            f"{where}: column '{duplicate}' means the same as '{used_header}'; "
            f"using '{used_header}' and keeping '{duplicate}' as extra data"
        )

    merged_before, rejected_before = len(collector.merged), len(collector.rejected)
    collector.rows_read += len(rows)
    locations = list(map(attrgetter("location"), rows))
    # The cells by column, trimmed, with the cells a short row lacks as "".
    cells = [tuple(map(str.strip, column)) for column in zip_longest(*row_cells, fillvalue="")]
    cells += [("",) * len(rows)] * (width - len(cells))

    named = cells[columns.fields["name"]]
    if not all(named):
        collector.rejected += [
            RejectedRow(source=location, reason=REJECT_NO_NAME)
            for location in compress(locations, map(not_, named))
        ]
        locations, cells = _keep(locations, cells, list(map(bool, named)))

    reader = _RowReader(columns, warnings)
    # The first input needs no digests to find its repeated rows: two rows of one sheet are the same when
    # their key cells are (unless two extra columns fold to one name). Its digests are made only when
    # another input follows (``_settle``).
    alone = not collector.first_of and collector.deferred is None and not reader.sort_key
    if alone and reader.id_column is not None and len(set(cells[reader.id_column])) == len(locations):
        keys: list[Any] = []  # an id column with a different id in every row: no row repeats another
    else:
        if alone:
            keys = list(zip(*(cells[index] for _, index in reader.key_columns), strict=True))
            earlier: list[Location | None] = []
        else:
            _settle(collector)
            keys = reader.digests(cells)
            earlier = list(map(collector.first_of.get, keys))  # in an earlier sheet or document
        position: dict[Any, int] = {}
        first_row = list(
            map(position.setdefault, keys, count())
        )  # within the sheet: the first row with the key
        del position
        if earlier.count(None) < len(earlier) or any(map(ne, first_row, count())):
            kept = []
            before: Location | None
            for row, (location, first, before) in enumerate(zip_longest(locations, first_row, earlier)):
                into = before if before is not None else locations[first] if first != row else None
                if into is not None:
                    collector.merged.append(MergedRow(source=location, into=into))
                kept.append(into is None)
            keys = list(compress(keys, kept))
            locations, cells = _keep(locations, cells, kept)
    if alone:
        collector.deferred = (reader, cells, locations)
    else:
        collector.first_of.update(zip(keys, locations, strict=True))
    values, explicit_ids = reader.read(cells, locations)
    collector.blocks.append(
        _Block(locations=locations, explicit_ids=explicit_ids, names=values["name"], columns=values)  # type: ignore[arg-type]
    )

    merged = collector.merged[merged_before:]
    if merged:
        own = {id(r.location) for r in rows}  # identity: the same file may be read twice
        pairs = [f"{_line(m.source)} into {_line(m.into) if id(m.into) in own else m.into}" for m in merged]
        one = len(merged) == 1
        warnings.append(
            f"{table.label}: {_count(len(merged), 'row')} {'repeats' if one else 'repeat'} an earlier row "
            f"exactly and {'was' if one else 'were'} merged into it: {_listing(pairs)}"
        )
    rejected = collector.rejected[rejected_before:]
    if rejected:
        lines = [_line(r.source) for r in rejected]
        warnings.append(
            f"{table.label}: {_count(len(rejected), 'row')} without an application name "
            f"{'was' if len(rejected) == 1 else 'were'} rejected: {_listing(lines)}"
        )


def _keep(
    locations: list[Location], cells: list[tuple[str, ...]], kept: list[bool]
) -> tuple[list[Location], list[tuple[str, ...]]]:
    """The locations and columns of the rows ``kept`` says are kept."""
    return list(compress(locations, kept)), [tuple(compress(column, kept)) for column in cells]


def _collect_document(index: int, document: Document, collector: _Collector) -> None:
    """Count, merge and queue a document's entries like a sheet's rows; take its rejected records over."""
    collector.warnings.extend(document.warnings)
    _settle(collector)
    merged_before = len(collector.merged)
    pending: list[_Pending] = []
    for entry in document.entries:
        collector.rows_read += 1
        key = _digest(_entry_key(entry))
        first = collector.first_of.get(key)
        if first is not None:
            collector.merged.append(MergedRow(source=entry.location, into=first))
            collector.entry_at[(index, entry.key)] = first
            continue
        collector.first_of[key] = entry.location
        collector.entry_at[(index, entry.key)] = entry.location
        values = dict(entry.values)
        values.setdefault("depends_on", ())
        pending.append(
            _Pending(
                location=entry.location,
                explicit_id=None,
                values=values,
                scope=index,
                references=entry.references,
            )
        )
    collector.blocks.append(
        _Block(
            locations=[p.location for p in pending],
            explicit_ids=[None] * len(pending),
            names=[p.values["name"] for p in pending],
            pending=pending,
        )
    )
    collector.rows_read += len(document.rejected)
    collector.rejected.extend(document.rejected)
    merged = collector.merged[merged_before:]
    if merged:
        pairs = [f"{m.source.element} into {m.into}" for m in merged]
        one = len(merged) == 1
        collector.warnings.append(
            f"{document.label}: {_count(len(merged), 'record')} {'repeats' if one else 'repeat'} an earlier "
            f"record exactly and {'was' if one else 'were'} merged into it: {_listing(pairs)}"
        )


def _entry_key(entry: Entry) -> tuple[tuple[str, str], ...]:
    """What makes two entries (or an entry and a row) the same: every non-empty value under its field."""
    items: list[tuple[str, str]] = []
    for name, value in entry.values.items():
        if name == "extra":
            items += [("extra:" + _headers.normalize_header(h), v) for h, v in value if v]
        elif isinstance(value, tuple):
            if value:
                items.append((name, ";".join(value)))
        elif value is not None and value != "":
            items.append((name, str(value)))
    if entry.references:
        items.append(("references", ";".join(entry.references)))
    return tuple(sorted(items))


def _resolve_references(collector: _Collector, locations: Sequence[Location], ids: Sequence[str]) -> None:
    """Turn each entry's references (keys within its document) into the final ids, ahead of its names."""
    documents = [block.pending for block in collector.blocks if block.pending]
    if not documents:
        return
    id_at = {id(location): app_id for location, app_id in zip(locations, ids, strict=True)}
    for pending in chain.from_iterable(documents):
        if not pending.references:
            continue
        targets = [id_at[id(collector.entry_at[(pending.scope, key)])] for key in pending.references]
        names = [n for n in pending.values["depends_on"] if n not in targets]
        pending.values["depends_on"] = tuple(dict.fromkeys([*targets, *names]))


def _duplicates_across_inputs(applications: Sequence[Application]) -> list[str]:
    """A warning per application name that occurs in more than one input file."""
    if len(set(map(attrgetter("source.path"), applications))) < 2:
        return []  # one input file: nothing to compare, and no need to fold 150,000 names
    by_name: dict[str, list[Application]] = {}
    for app in applications:
        by_name.setdefault(" ".join(app.name.casefold().split()), []).append(app)
    warnings = []
    for apps in by_name.values():
        if len({a.source.path for a in apps}) > 1:
            places = ", ".join(f"{a.app_id} ({a.source})" for a in apps)
            warnings.append(
                f"'{apps[0].name}' is in more than one input and is kept apart as {places}; "
                "if they are one application, keep it in one input"
            )
    return warnings


def _has_value(rows: Sequence[Record], index: int) -> bool:
    """True when some row has a non-blank cell in column ``index``."""
    return any(index < len(r.cells) and r.cells[index].strip() for r in rows)


def _digest(key: Sequence[tuple[str, str]]) -> bytes:
    """A 128-bit digest of a row key (the chance that two different rows share one is nil)."""
    return _digest_parts([name + "\x00" + value for name, value in key], lambda: key)


def _digest_parts(parts: list[str], key: Callable[[], Sequence[tuple[str, str]]]) -> bytes:
    """The digest of a key given as its ``name NUL value`` parts, sorted, with ``key()`` its pairs.

    The key is hashed as ``name NUL value NUL name NUL value ...``: field names hold no NUL, so as long as
    no value does either the text splits back into the key's pairs and no text can pass for another
    field's. A value with a NUL in it (possible in a workbook or a JSON file) makes the key hashed as its
    repr instead, which quotes and escapes every text and starts with "(", which no field name does.
    """
    text = "\x00".join(parts)
    if text.count("\x00") != 2 * len(parts) - 1:
        text = repr(tuple(key()))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Canonical(dict[Any, Any]):
    """Text -> what ``function`` makes of it, worked out the first time the text is looked up.

    A national inventory repeats "Ja", "2/3/3", its vendors and hosting texts in every municipality: each
    distinct text is parsed once, and kept as one object, which is both smaller and quicker to look up
    later. Looking up through ``map(canonical.__getitem__, texts)`` keeps the known texts in C.
    """

    __slots__ = ("function",)

    def __init__(self, function: Callable[[Any], Any]) -> None:
        super().__init__()
        self.function = function

    def __missing__(self, text: Any) -> Any:
        value = self[text] = self.function(text)
        return value


# fmt: off
#: The parsed columns: their parser, and what a text it cannot read is not.
_PARSERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "business_critical":   (_values.parse_yes_no,                            "yes_no"),
    "personal_data":       (_values.parse_yes_no,                            "yes_no"),
    "users":               (_values.parse_users,                             "users"),
    "biv_availability":    (_values.parse_level,                             "biv_level"),
    "biv_integrity":       (_values.parse_level,                             "biv_level"),
    "biv_confidentiality": (_values.parse_level,                             "biv_level"),
    "biv":                 (_values.parse_biv,                               "biv"),
    "biv_cia":             (lambda text: _values.parse_biv(text, order="cia"), "biv"),
}
# fmt: on
#: What a parser keeps for a text it cannot read; the row gets None and a warning.
_UNREADABLE = object()


class _RowReader:
    """Turns the columns of one sheet into application values and row digests, with what the sheet's
    header says worked out once: which columns hold text, which hold values to parse, and the order of
    the row key.
    """

    def __init__(self, columns: _headers.ColumnMap, warnings: list[str]) -> None:
        fields = columns.fields
        self.columns = columns
        self.warnings = warnings
        self.text_names = tuple(name for name in _TEXT_FIELDS if name in fields)
        self.text_indices = tuple(fields[name] for name in self.text_names)
        self.texts = _Canonical(lambda text: sys.intern(text) or None)
        self.parsed_names = tuple(name for name in _PARSERS if name in fields)
        self.parsed_indices = tuple(fields[name] for name in self.parsed_names)
        self.parsed = tuple(_Canonical(self._parser(_PARSERS[name][0])) for name in self.parsed_names)
        self.has_unreadable = False  # until a parser meets a text it cannot read
        # A field without a column is unknown, as the parsers make of an empty text.
        self.defaults: dict[str, Any] = dict.fromkeys(
            [name for name in (*_TEXT_FIELDS, *_YES_NO_FIELDS, "users", "biv") if name not in fields]
        )
        self.defaults["depends_on"] = ()
        self.value_names = tuple(name for name in (*_YES_NO_FIELDS, "users") if name in fields)
        self.has_levels = any(name in fields for name in _headers.BIV_COLUMNS)
        self.bivs: dict[tuple[int | None, ...], Biv] = {}  # one Biv per distinct three-column rating
        self.depends_on_column = fields.get("depends_on")
        self.depends_on = _Canonical(lambda text: tuple(map(sys.intern, _values.split_depends_on(text))))
        self.id_column = fields.get("app_id")
        self.extra_headers = tuple(header for _, header in columns.extra)
        self.extra_indices = tuple(index for index, _ in columns.extra)
        # The row key: what makes two rows the same is every non-empty value under its field (or header,
        # for extra columns). Keyed by field rather than position, so a row repeated in another file with
        # other header spellings or another column order is still recognised. The parts sort by name;
        # only two extra columns that fold to one name leave their order to the values, row by row.
        key_columns = [(name, index) for name, index in fields.items()]
        key_columns += [
            ("extra:" + _headers.normalize_header(header), index) for index, header in columns.extra
        ]
        self.key_columns = [(name + "\x00", index) for name, index in sorted(key_columns)]
        self.sort_key = len({name for name, _ in key_columns}) < len(key_columns)

    def digest(self, cells: tuple[str, ...]) -> bytes:
        """The digest of a row's key (see ``_digest_parts``)."""
        parts = [prefix + cells[index] for prefix, index in self.key_columns if cells[index]]
        if self.sort_key:
            parts.sort()  # NUL sorts first, so the parts sort as their (name, value) pairs would
        return _digest_parts(
            parts,
            lambda: sorted((prefix[:-1], cells[index]) for prefix, index in self.key_columns if cells[index]),
        )

    def digests(self, cells: Sequence[tuple[str, ...]]) -> list[bytes]:
        """The digest of each row's key, from the sheet's columns (see ``_digest_parts``).

        Each key column becomes three: its field name and NUL where the cell is not empty (``text * True``
        is the text itself, ``text * False`` is ""), the cell, and NUL where it is not empty; a row's parts
        then join in C, and the last NUL is cut. Two extra columns that fold to one name (the parts sort
        row by row) and a value holding a NUL (the key is hashed as its repr: seen as more NULs in the
        texts than two per value) go row by row instead.
        """
        key_cells = [cells[index] for _, index in self.key_columns]
        if not self.sort_key:
            pieces: list[Iterable[str]] = []
            for (prefix, _), column in zip(self.key_columns, key_cells, strict=True):
                present = list(map(bool, column))
                pieces += [map(mul, repeat(prefix), present), column, map(mul, repeat("\x00"), present)]
            texts = list(map("".join, zip(*pieces, strict=True)))
            values = sum(len(column) - column.count("") for column in key_cells)
            if sum(map(str.count, texts, repeat("\x00"))) == 2 * values and "" not in texts:
                keys = map(str.removesuffix, texts, repeat("\x00"))
                hashes = map(_BLAKE2B_128, map(str.encode, keys, repeat("utf-8"), repeat("surrogatepass")))
                return list(map(hashlib.blake2b.digest, hashes))
        return list(map(self.digest, zip(*cells, strict=True)))

    def read(
        self, cells: Sequence[tuple[str, ...]], locations: Sequence[Location]
    ) -> tuple[dict[str, Iterable[Any]], list[str | None]]:
        """The values of the rows with a name, by ``Application`` field, and each row's own id or None.

        An unreadable value is left unknown with a warning.
        """
        rows = len(locations)
        values: dict[str, Iterable[Any]] = {
            name: list(map(self.texts.__getitem__, cells[index]))
            for name, index in zip(self.text_names, self.text_indices, strict=True)
        }
        values.update((name, repeat(default, rows)) for name, default in self.defaults.items())
        parsed = {
            name: list(map(canonical.__getitem__, cells[index]))
            for name, canonical, index in zip(
                self.parsed_names, self.parsed, self.parsed_indices, strict=True
            )
        }
        if self.has_unreadable:
            self._leave_unknown(parsed, cells, locations)
        for name in self.value_names:
            values[name] = parsed[name]
        if self.depends_on_column is not None:
            values["depends_on"] = list(map(self.depends_on.__getitem__, cells[self.depends_on_column]))

        # BIV: the three columns win where they say something; otherwise the one-column rating.
        ratings = [
            parsed[name] if name in parsed else repeat(None, rows)
            for name in (*_headers.BIV_COLUMNS, "biv", "biv_cia")
        ]
        if self.has_levels:
            values["biv"] = list(map(_Canonical(self._biv).__getitem__, zip(*ratings, strict=True)))
        elif "biv" in parsed and "biv_cia" in parsed:
            values["biv"] = [
                single if single is not None else cia for single, cia in zip(*ratings[3:], strict=True)
            ]
        else:
            values["biv"] = parsed.get("biv") or parsed.get("biv_cia") or repeat(None, rows)

        if self.extra_indices:
            extra = zip(*(cells[index] for index in self.extra_indices), strict=True)
            values["extra"] = list(map(tuple, map(zip, repeat(self.extra_headers), extra)))
        else:
            values["extra"] = repeat((), rows)
        ids = cells[self.id_column] if self.id_column is not None else repeat("", rows)
        return values, [text or None for text in ids]

    def _biv(self, ratings: tuple[Any, ...]) -> Biv | None:
        """The BIV rating of a row with BIV level columns, from its (A, I, C, one-column, C/I/A) values."""
        levels = ratings[:3]
        if levels == (None, None, None):
            return ratings[3] if ratings[3] is not None else ratings[4]  # type: ignore[no-any-return]
        biv = self.bivs.get(levels)
        if biv is None:
            biv = self.bivs[levels] = Biv(
                availability=levels[0], integrity=levels[1], confidentiality=levels[2]
            )
        return biv

    def _parser(self, parser: Callable[[str], Any]) -> Callable[[str], Any]:
        """``parser``, with ``_UNREADABLE`` for a text it cannot read."""

        def parse(text: str) -> Any:
            try:
                return parser(text)
            except ValueError:
                self.has_unreadable = True
                return _UNREADABLE

        return parse

    def _leave_unknown(
        self, parsed: dict[str, list[Any]], cells: Sequence[tuple[str, ...]], locations: Sequence[Location]
    ) -> None:
        """Set each unreadable value to None, with a warning per value in row, then column, order."""
        columns = sorted(zip(self.parsed_indices, self.parsed_names, strict=True))
        rows = sorted(
            set(
                chain.from_iterable(
                    compress(count(), map(is_, parsed[name], repeat(_UNREADABLE))) for name in parsed
                )
            )
        )
        for row in rows:
            for index, name in columns:
                if parsed[name][row] is _UNREADABLE:
                    parsed[name][row] = None
                    problem = _NOT_READABLE[_PARSERS[name][1]]
                    self.warnings.append(
                        f"{locations[row]}: column '{self.columns.headers[index]}': {_quote(cells[index][row])} "
                        f"{problem}; left unknown"
                    )


#: A 128-bit BLAKE2b hash object of the given bytes.
_BLAKE2B_128 = partial(hashlib.blake2b, digest_size=16)


def by_column(cls: type[_T], rows: int, columns: Mapping[str, Iterable[Any]]) -> list[_T]:
    """``rows`` records of a frozen, slotted dataclass from one value per row for every field, a field at a time.

    The same as ``cls(**fields)`` row by row for the classes this is used on (``Application``,
    ``Location``, ``Record``: no ``__post_init__``, and an ``__init__`` that only stores each field in its
    slot), but each field is one C-level map over its column: a national inventory's 150,000 calls with
    22 keyword arguments were a fifth of its reading time. A field without a column gets its default, as
    ``cls(...)`` gives it. Any other class (one with a default factory too) is built row by row.
    """
    setters = _slot_setters(cls)
    if setters is None:
        names = list(columns)
        return [
            cls(**dict(zip(names, values, strict=True))) for values in zip(*columns.values(), strict=True)
        ]
    records = list(map(object.__new__, repeat(cls, rows)))
    for name, setter, default in setters:
        if name in columns:
            column = columns[name]
        elif default is not dataclasses.MISSING:
            column = repeat(default, rows)
        else:
            raise TypeError(f"{cls.__name__} needs a value of {name}")
        if isinstance(column, Sequence) and len(column) != rows:
            raise ValueError(f"{len(column)} values of {name} for {rows} records")
        deque(map(setter, records, column), maxlen=0)
    return records


_Setters = tuple[tuple[str, Callable[[Any, Any], None], Any], ...]
_SETTERS: dict[type, _Setters | None] = {}


def _slot_setters(cls: type) -> _Setters | None:
    """Each field of ``cls`` with the setter of its slot and its default, or None when ``__init__`` may do more."""
    if cls not in _SETTERS:
        fields = dataclasses.fields(cls)
        slots = getattr(cls, "__slots__", ())
        if hasattr(cls, "__post_init__") or any(
            not f.init or f.name not in slots or f.default_factory is not dataclasses.MISSING for f in fields
        ):
            _SETTERS[cls] = None
        else:
            _SETTERS[cls] = tuple((f.name, getattr(cls, f.name).__set__, f.default) for f in fields)
    return _SETTERS[cls]


# ---------------------------------------------------------------------------------------------------------
# Ids


def _assign_ids(
    explicit_ids: Sequence[str | None],
    locations: Sequence[Location],
    names: Sequence[str],
    warnings: list[str],
) -> list[str]:
    """One unique id per application, in file order.

    Ids a file states are claimed first, so that a name-derived id never takes the id another row states
    (that keeps ids stable from year to year). A stated id used twice, and a slug taken already, get the
    first free ``-2``, ``-3`` suffix.
    """
    if None not in explicit_ids and len(set(explicit_ids)) == len(explicit_ids):
        return list(explicit_ids)  # type: ignore[arg-type]  # every row states an id of its own
    holder: dict[str, Location] = {}
    for explicit_id, location in zip(explicit_ids, locations, strict=True):
        if explicit_id is not None and explicit_id not in holder:
            holder[explicit_id] = location
    next_suffix: dict[str, int] = {}  # per base: the suffix to try next, so repeats cost no rescans
    ids: list[str] = []
    for explicit_id, location, name in zip(explicit_ids, locations, names, strict=True):
        if explicit_id is not None and holder.get(explicit_id) is location:
            ids.append(explicit_id)
            continue
        base = explicit_id or _values.slugify(name)
        app_id = base
        suffix = next_suffix.get(base, 2)
        while app_id in holder:
            app_id = f"{base}-{suffix}"
            suffix += 1
        next_suffix[base] = suffix
        if explicit_id is not None:
            warnings.append(
                f"{location}: id '{base}' is used before, at {_place(holder[base], location)}; "
                f"this row gets id '{app_id}'"
            )
        holder[app_id] = location
        ids.append(app_id)
    return ids


# ---------------------------------------------------------------------------------------------------------
# Message helpers


def _quote(text: str) -> str:
    """A cell value for a one-line message: white space collapsed, long values shortened."""
    flat = " ".join(text.split())
    return f"'{flat[:57]}...'" if len(flat) > 60 else f"'{flat}'"


def _line(location: Location) -> str:
    return f"{'row' if location.sheet is not None else 'line'} {location.line}"


def _place(location: Location, relative_to: Location) -> str:
    """``line 3`` within the same sheet, else the full location."""
    if (location.path, location.sheet) == (relative_to.path, relative_to.sheet):
        return _line(location)
    return str(location)


def _count(number: int, noun: str) -> str:
    return f"1 {noun}" if number == 1 else f"{number} {noun}s"


def _listing(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_LISTED_LINES])
    return shown + (f" and {len(items) - _LISTED_LINES} more" if len(items) > _LISTED_LINES else "")
