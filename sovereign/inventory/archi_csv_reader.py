"""Reading an inventory from Archi's CSV export: ``elements.csv``, ``relations.csv`` and ``properties.csv``.

The export is given as its folder, as a ``.zip`` holding it, or as its ``elements.csv``; the three files
may carry a common prefix (Archi's "file prefix" option, e.g. ``GEMMA-elements.csv``). A zip is read in
memory, never extracted: an archive with a member name that leaves it (``../``, an absolute path, a drive)
is refused, as are encrypted members, more than ``MAX_ZIP_MEMBERS`` members and files over
``_archimate.MAX_MODEL_BYTES``, checked before and while decompressing. Each file is decoded as UTF-8 (with
or without BOM) or else Windows-1252 (Archi's "ANSI" option), its delimiter (comma, semicolon or tab) taken
from the header, and parsed with the stdlib ``csv`` module, so each row is located at its physical line.
Every row is checked (an id and a type, unique ids, relationship ends and property owners that exist) and
the problems raised together, each naming its file, line, id and column. The rows become the same ``Model``
the exchange-file reader builds; ``_archimate`` decides what is an application. Archi's CSV has no access
type, so Access relationships give no dependencies here. No enrichment, no network, no printing.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from sovereign.errors import InputError, InputErrors
from sovereign.inventory._archimate import (
    MAX_MODEL_BYTES,
    Model,
    ModelElement,
    ModelRelationship,
    build_document,
    check_size,
    read_model_bytes,
)
from sovereign.inventory._rows import Document, build_inventory
from sovereign.model import Inventory, Location

__all__ = ["MAX_ZIP_MEMBERS", "SUFFIXES", "detect", "read", "read_model", "read_table"]

SUFFIXES = (".zip",)

#: Zips with more members are refused unread; an Archi export has three.
MAX_ZIP_MEMBERS = 10_000

_ELEMENTS, _RELATIONS, _PROPERTIES = "elements.csv", "relations.csv", "properties.csv"
# Archi's eClass for the row of elements.csv that describes the model itself.
_MODEL_TYPE = "ArchimateModel"
_DELIMITERS = (",", ";", "\t")
# A drive ("C:") or a UNC/absolute start makes a zip member name leave the archive.
_DRIVE = re.compile(r"^[A-Za-z]:")
_EXPORT_AGAIN = "export the model again from Archi (File > Export > Model to CSV)"

# fmt: off
_COLUMNS = {  # file -> (required columns, optional columns), as Archi writes them
    _ELEMENTS:   (("ID", "Type", "Name"), ("Documentation", "Specialization")),
    _RELATIONS:  (("ID", "Type", "Source", "Target"), ("Name", "Documentation", "Specialization")),
    _PROPERTIES: (("ID", "Key", "Value"), ()),
}
# fmt: on


@dataclass(frozen=True, slots=True)
class _CsvFile:
    label: str  # for locations: the file's path, or "archive.zip/member.csv"
    data: bytes


@dataclass(frozen=True, slots=True)
class _Export:
    label: str  # the folder, zip or elements.csv as the user gave it
    sha256: str
    elements: _CsvFile
    relations: _CsvFile | None
    properties: _CsvFile | None


@dataclass(slots=True)
class _Row:
    label: str
    line: int
    cells: dict[str, str]  # column (as in ``_COLUMNS``) -> trimmed value

    @property
    def location(self) -> Location:
        """Where the row starts: file, line and, when it has one, its id."""
        return Location(path=self.label, line=self.line, element=self.cells.get("ID") or None)


def detect(path: Path) -> bool:
    """True for a folder or zip that holds an Archi ``elements.csv``, or for such an ``elements.csv``."""
    try:
        if path.is_dir():
            return bool(_prefixes(p.name for p in path.iterdir() if p.is_file()))
        if path.is_file() and path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive:
                return bool(_prefixes(PurePosixPath(n).name for n in archive.namelist()))
        if path.is_file() and path.name.lower().endswith(_ELEMENTS):
            with path.open("rb") as f:
                head = f.readline(4096).decode("utf-8-sig", "replace")
            return any(_header_names(head, d)[:3] == ["id", "type", "name"] for d in _DELIMITERS)
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
    return False


def read(path: Path) -> Inventory:
    """Read one Archi CSV export as an inventory."""
    return build_inventory([read_table(path)])


def read_table(path: Path) -> Document:
    """Read one Archi CSV export into its application entries, for ``_rows.build_inventory``."""
    return build_document(read_model(path))


def read_model(path: Path) -> Model:
    """Read and check an Archi CSV export into a ``Model``; raise ``InputError(s)`` for what is wrong."""
    if path.is_dir():
        export = _open_folder(path, str(path), None)
    elif path.is_file() and path.name.lower().endswith(_ELEMENTS):
        export = _open_folder(path.parent, str(path), path.name[: -len(_ELEMENTS)])
    else:
        export = _open_zip(path)
    return _read_export(export)


# ---------------------------------------------------------------------------------------------------------
# Finding the three files


def _prefixes(names: Iterator[str] | Sequence[str]) -> list[str]:
    """The prefixes of the ``<prefix>elements.csv`` names among ``names``, sorted."""
    return sorted({n[: -len(_ELEMENTS)] for n in names if n.lower().endswith(_ELEMENTS)})


def _choose_prefix(label: str, prefixes: Sequence[str], where: str) -> str:
    if not prefixes:
        raise InputError(
            f"no elements.csv in the {where}",
            location=label,
            hint="pass the folder or zip that Archi's CSV export wrote (elements.csv, relations.csv, "
            "properties.csv)",
        )
    if len(prefixes) > 1:
        names = ", ".join(f"'{p}{_ELEMENTS}'" for p in prefixes)
        raise InputError(
            f"the {where} holds {len(prefixes)} Archi CSV exports ({names})",
            location=label,
            hint="pass the elements.csv of the export you mean",
        )
    return prefixes[0]


def _open_folder(folder: Path, label: str, prefix: str | None) -> _Export:
    try:
        files = {p.name: p for p in sorted(folder.iterdir()) if p.is_file()}
    except OSError as e:
        raise InputError(f"cannot be read: {e.strerror or e}", location=label) from e
    if prefix is None:
        prefix = _choose_prefix(label, _prefixes(list(files)), "folder")
    by_lower = {name.lower(): path for name, path in files.items()}
    digest = hashlib.sha256()
    found: dict[str, _CsvFile | None] = {}
    for kind in (_ELEMENTS, _RELATIONS, _PROPERTIES):
        path = by_lower.get((prefix + kind).lower())
        if path is None:
            found[kind] = None
            continue
        file = read_model_bytes(path)
        digest.update(f"{path.name}\0{file.sha256}\0".encode())
        found[kind] = _CsvFile(label=file.label, data=file.data)
    elements = found[_ELEMENTS]
    if elements is None:  # the prefix came from an elements.csv, so only a race gets here
        raise InputError("no elements.csv in the folder", location=label)
    return _Export(
        label=label,
        sha256=digest.hexdigest(),
        elements=elements,
        relations=found[_RELATIONS],
        properties=found[_PROPERTIES],
    )


def _open_zip(path: Path) -> _Export:
    file = read_model_bytes(path)
    label = file.label
    try:
        archive = zipfile.ZipFile(io.BytesIO(file.data))
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError) as e:
        raise InputError(
            "not a readable zip archive (it is damaged, or not a zip)", location=label, hint=_EXPORT_AGAIN
        ) from e
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputError(
                f"the zip holds {len(members):,} members; sovereign reads zips of up to {MAX_ZIP_MEMBERS:,}",
                location=label,
                hint="zip only the three files of Archi's CSV export",
            )
        for member in members:
            if _is_unsafe(member.filename):
                raise InputError(
                    f"refused: the zip holds a member named '{member.filename}', a path that leads out of "
                    "the archive",
                    location=label,
                    hint="zip the three files of Archi's CSV export again, without folders above them",
                )
        csv_members = [m for m in members if not m.is_dir() and m.filename.lower().endswith(_ELEMENTS)]
        folders = sorted({str(PurePosixPath(m.filename).parent) for m in csv_members})
        if len(folders) > 1:
            raise InputError(
                f"the zip holds Archi CSV exports in {len(folders)} folders ({', '.join(folders)})",
                location=label,
                hint="zip one export only",
            )
        folder = folders[0] if folders else "."
        here = {
            PurePosixPath(m.filename).name: m
            for m in members
            if str(PurePosixPath(m.filename).parent) == folder
        }
        prefix = _choose_prefix(label, _prefixes(list(here)), "zip")
        by_lower = {name.lower(): member for name, member in here.items() if not member.is_dir()}
        chosen = {
            kind: by_lower.get((prefix + kind).lower()) for kind in (_ELEMENTS, _RELATIONS, _PROPERTIES)
        }
        total = sum(m.file_size for m in chosen.values() if m is not None)
        check_size(label, total)
        found = {
            kind: None
            if member is None
            else _CsvFile(f"{label}/{member.filename}", _unzip(archive, member, label))
            for kind, member in chosen.items()
        }
    elements = found[_ELEMENTS]
    assert elements is not None  # _choose_prefix found it
    return _Export(
        label=label,
        sha256=file.sha256,
        elements=elements,
        relations=found[_RELATIONS],
        properties=found[_PROPERTIES],
    )


def _is_unsafe(name: str) -> bool:
    """True for a zip member name that is absolute, has a drive, or climbs out with ``..``.

    >>> _is_unsafe("export/elements.csv"), _is_unsafe("../elements.csv"), _is_unsafe("/etc/passwd")
    (False, True, True)
    >>> _is_unsafe("C:elements.csv"), _is_unsafe("a\\\\..\\\\..\\\\b.csv")
    (True, True)
    """
    posix = name.replace("\\", "/")
    return (
        "\x00" in name
        or posix.startswith("/")
        or bool(_DRIVE.match(posix))
        or ".." in PurePosixPath(posix).parts
    )


def _unzip(archive: zipfile.ZipFile, member: zipfile.ZipInfo, label: str) -> bytes:
    where = f"{label}/{member.filename}"
    if member.flag_bits & 0x1:
        raise InputError(
            "refused: the zip member is encrypted", location=where, hint="zip it without a password"
        )
    try:
        with archive.open(member) as stream:
            # At most one byte past the limit, whatever size the member claims in the directory.
            data = stream.read(MAX_MODEL_BYTES + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as e:
        raise InputError(
            f"the zip member cannot be read ({type(e).__name__}: {e})", location=where, hint=_EXPORT_AGAIN
        ) from e
    check_size(where, len(data))
    return data


# ---------------------------------------------------------------------------------------------------------
# Parsing the files


def _read_export(export: _Export) -> Model:
    errors: list[InputError] = []
    warnings: list[str] = []
    for kind, file in ((_RELATIONS, export.relations), (_PROPERTIES, export.properties)):
        if file is None:
            warnings.append(
                f"{export.label}: no {kind} next to {PurePosixPath(export.elements.label).name}; "
                f"read without {'relationships' if kind == _RELATIONS else 'properties'}"
            )

    seen: dict[str, str] = {}  # id -> "element" / "relationship" / "model"
    elements: list[tuple[_Row, str, str]] = []  # (row, id, type)
    for row in _rows(export.elements, _ELEMENTS):
        identified = _identify(row, "element", seen, errors)
        if identified is None:
            continue
        identifier, concept = identified
        if concept == _MODEL_TYPE:
            seen[identifier] = "model"
            continue
        elements.append((row, identifier, concept))

    relationships: list[ModelRelationship] = []
    for row in _rows(export.relations, _RELATIONS) if export.relations else ():
        identified = _identify(row, "relationship", seen, errors)
        if identified is None:
            continue
        identifier, concept = identified
        for column in ("Source", "Target"):
            if not row.cells[column]:
                errors.append(_error(row, f"column '{column}' is empty"))
        relationships.append(
            ModelRelationship(
                identifier=identifier,
                type=concept.removesuffix("Relationship"),
                source=row.cells["Source"],
                target=row.cells["Target"],
                location=row.location,
            )
        )
    for r in relationships:
        for column, value in (("Source", r.source), ("Target", r.target)):
            if value and seen.get(value) not in ("element", "relationship"):
                errors.append(
                    InputError(
                        f"column '{column}': '{value}' is not an element or relationship in the export",
                        location=str(r.location),
                    )
                )

    properties: dict[str, list[tuple[str, str]]] = {}
    for row in _rows(export.properties, _PROPERTIES) if export.properties else ():
        owner = row.cells["ID"]
        if owner not in seen:
            errors.append(
                _error(
                    row,
                    f"column 'ID': '{owner}' is not the model, an element or a relationship in the export",
                )
            )
            continue
        properties.setdefault(owner, []).append((row.cells["Key"], row.cells["Value"]))

    if errors:
        raise errors[0] if len(errors) == 1 else InputErrors(errors)
    access = sum(1 for r in relationships if r.type == "Access")
    if access:
        warnings.append(
            f"{export.label}: {access:,} Access relationship{'s' if access != 1 else ''}: Archi's CSV export "
            "does not say whether they read or write, so they give no dependencies (the exchange file does)"
        )
    return Model(
        label=export.label,
        sha256=export.sha256,
        elements=tuple(
            ModelElement(
                identifier=identifier,
                type=concept,
                name=" ".join(row.cells["Name"].split()),
                location=row.location,
                properties=tuple(properties.get(identifier, ())),
                specialization=row.cells.get("Specialization", ""),
            )
            for row, identifier, concept in elements
        ),
        relationships=tuple(relationships),
        warnings=tuple(warnings),
    )


def _identify(row: _Row, kind: str, seen: dict[str, str], errors: list[InputError]) -> tuple[str, str] | None:
    identifier, concept = row.cells["ID"], row.cells["Type"]
    if not identifier:
        errors.append(_error(row, f"column 'ID' is empty: the {kind} has no id"))
        return None
    if identifier in seen:
        errors.append(_error(row, f"column 'ID': '{identifier}' is used twice"))
        return None
    seen[identifier] = kind
    if not concept:
        errors.append(_error(row, f"column 'Type' is empty: the {kind} has no ArchiMate type"))
        return None
    return identifier, concept


def _error(row: _Row, message: str) -> InputError:
    return InputError(message, location=str(row.location))


def _rows(file: _CsvFile, kind: str) -> list[_Row]:
    """The data rows of one export file, by column name, each located at its line and id."""
    text = _decode(file)
    first = io.StringIO(text, newline="").readline()
    # The delimiter under which the header has an ID column, else the one that splits it most.
    delimiter = max(
        _DELIMITERS, key=lambda d: ("id" in _header_names(first, d), len(_header_names(first, d)))
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    line = 0
    try:
        for cells in reader:
            records.append((line + 1, cells))
            line = reader.line_num
    except csv.Error as e:
        raise InputError(
            f"cannot be read as CSV: {e}", location=f"{file.label}:{reader.line_num}", hint=_EXPORT_AGAIN
        ) from e
    if not records:
        raise InputError("the file is empty", location=file.label, hint=_EXPORT_AGAIN)

    required, optional = _COLUMNS[kind]
    header = [cell.strip().casefold() for cell in records[0][1]]
    index = {
        name: header.index(name.casefold()) for name in (*required, *optional) if name.casefold() in header
    }
    missing = [name for name in required if name not in index]
    if missing:
        found = ", ".join(f"'{h}'" for h in records[0][1] if h.strip()) or "none"
        raise InputError(
            f"not an Archi {kind}: missing column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(repr(m) for m in missing)} (found {found})",
            location=f"{file.label}:1",
            hint=_EXPORT_AGAIN,
        )
    width = max(index.values()) + 1
    rows = []
    for number, cells in records[1:]:
        if not "".join(cells).strip():
            continue
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        rows.append(_Row(file.label, number, {name: cells[i].strip() for name, i in index.items()}))
    return rows


def _header_names(line: str, delimiter: str = ",") -> list[str]:
    """The folded column names of a header line under ``delimiter``.

    >>> _header_names('"ID";"Type";"Name"', ";")
    ['id', 'type', 'name']
    """
    try:
        cells = next(csv.reader([line.strip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [cell.strip().casefold() for cell in cells]


def _decode(file: _CsvFile) -> str:
    data = file.data
    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")  # Archi's "ANSI" encoding on Windows
    except UnicodeDecodeError as e:
        raise InputError(
            "not a text file: its bytes are neither UTF-8 nor Windows-1252",
            location=file.label,
            hint=_EXPORT_AGAIN,
        ) from e
    if "\x00" in text:
        raise InputError(
            "not a text file: it contains NUL characters", location=file.label, hint=_EXPORT_AGAIN
        )
    return text
