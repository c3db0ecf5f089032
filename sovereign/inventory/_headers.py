"""The header alias table, and finding and mapping the header row of an inventory sheet.

This is the one documented place that says which column headers the ingest understands: Dutch and English,
matched after trimming, case-folding, stripping accents and dropping punctuation and spaces (so
``GEMMA-component``, ``gemma component`` and ``GEMMA_Component`` are the same header); a trailing remark in
brackets (``Gebruikers (aantal)``) is ignored when the full header is not known. Pure functions over strings:
no file access, no value parsing (that is ``_values``), no printing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "BIV_COLUMNS",
    "FIELD_ALIASES",
    "HEADER_SEARCH_ROWS",
    "ColumnMap",
    "find_header_row",
    "is_known_header",
    "is_name_header",
    "map_columns",
    "name_aliases",
    "normalize_header",
]

#: How many non-empty rows from the top of a sheet may hold the header; the rows above it are titles.
HEADER_SEARCH_ROWS = 10

# The alias table. Keys are the ``Application`` field names, plus four keys that feed ``Application.biv``:
# ``biv_cia`` is a one-column rating in C/I/A order (the English "CIA triad" lists confidentiality first),
# and ``biv_availability`` .. ``biv_confidentiality`` are the three-column form. The first alias of each
# field is the one we show in messages. When a file has two columns for one field, the column whose alias
# comes first here wins and the other is kept as extra data, with a warning.
#
# Deliberately absent: ``Koppelingen``/``Koppelingen met`` (integrations) are not mapped to ``depends_on``,
# because an integration does not say which side needs the other; such a column is kept as extra data.
# fmt: off
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "app_id":              ("ID", "Applicatie-ID", "Application ID", "App-ID", "App ID", "Nr", "Nummer",
                            "Number", "No", "Volgnummer", "#"),
    "name":                ("Applicatie", "Applicatienaam", "Application", "Application name", "Naam",
                            "Name", "Systeem", "Systeemnaam", "Naam applicatie", "Applicatie naam"),
    "vendor":              ("Leverancier", "Vendor", "Supplier", "Fabrikant", "Manufacturer", "Producent"),
    "product":             ("Product", "Pakket", "Software", "Productnaam", "Product name", "Softwarepakket"),
    "version":             ("Versie", "Version", "Versienummer", "Release"),
    "category":            ("Categorie", "Category", "Domein", "Domain"),
    "gemma_component":     ("GEMMA-component", "GEMMA referentiecomponent", "GEMMA", "Referentiecomponent"),
    "hosting":             ("Hosting", "Hostingmodel", "Deployment", "Hostingvorm", "Deployment model"),
    "hosting_provider":    ("Hostingpartij", "Hosting provider", "Hoster", "Hostingleverancier"),
    "data_location":       ("Datalocatie", "Data location", "Locatie data", "Locatie van data",
                            "Opslaglocatie"),
    "department":          ("Afdeling", "Department", "Team", "Organisatieonderdeel"),
    "owner":               ("Eigenaar", "Applicatie-eigenaar", "Owner", "Proceseigenaar", "Application owner",
                            "Systeemeigenaar"),
    "biv":                 ("BIV", "BIV-classificatie", "BIV-score", "BIV-indeling"),
    "biv_cia":             ("CIA", "CIA rating", "CIA classification"),
    "biv_availability":    ("B", "Beschikbaarheid", "Availability"),
    "biv_integrity":       ("I", "Integriteit", "Integrity"),
    "biv_confidentiality": ("V", "Vertrouwelijkheid", "Confidentiality"),
    "business_critical":   ("Bedrijfskritisch", "Business critical", "Kritiek", "Bedrijfskritiek",
                            "Kritisch"),
    "personal_data":       ("Persoonsgegevens", "Personal data", "AVG", "Bevat persoonsgegevens", "GDPR"),
    "users":               ("Gebruikers", "Aantal gebruikers", "Users", "Number of users",
                            "Aantal users"),
    "depends_on":          ("Afhankelijk van", "Depends on", "Afhankelijkheden", "Dependencies"),
    "exit_plan":           ("Exitstrategie", "Exitplan", "Exit plan", "Exit strategy"),
    "organisation":        ("Gemeente", "Organisatie", "Organisation", "Organization", "Municipality"),
    "notes":               ("Opmerkingen", "Opmerking", "Toelichting", "Notities", "Notes", "Remarks",
                            "Comments"),
}
# fmt: on

#: The three-column BIV keys in B, I, V order.
BIV_COLUMNS = ("biv_availability", "biv_integrity", "biv_confidentiality")

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def normalize_header(text: str) -> str:
    """Fold a header to the form the alias table is matched in.

    >>> normalize_header("  GEMMA-Referentiecomponent ")
    'gemmareferentiecomponent'
    >>> normalize_header("Financiën_Nr.")
    'financiennr'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed.casefold() if c.isalnum() or c == "#")


def _build_lookup() -> dict[str, tuple[str, int]]:
    lookup: dict[str, tuple[str, int]] = {}
    for field, aliases in FIELD_ALIASES.items():
        # Our own field names are accepted too, so a file we wrote can be read back.
        for rank, alias in enumerate((*aliases, field)):
            key = normalize_header(alias)
            if key in lookup and lookup[key][0] != field:
                raise AssertionError(f"header alias {alias!r} is claimed by {lookup[key][0]} and {field}")
            lookup.setdefault(key, (field, rank))
    return lookup


_LOOKUP = _build_lookup()


def _field_of(header: str) -> tuple[str, int] | None:
    """The (field, rank) a header means, or None when it is not in the alias table."""
    found = _LOOKUP.get(normalize_header(header))
    if found is None and _BRACKETED.search(header):
        found = _LOOKUP.get(normalize_header(_BRACKETED.sub("", header)))
    return found


def is_name_header(header: str) -> bool:
    """True when the header is one of the application name aliases."""
    found = _field_of(header)
    return found is not None and found[0] == "name"


def is_known_header(header: str) -> bool:
    """True when the header is in the alias table."""
    return _field_of(header) is not None


def name_aliases() -> tuple[str, ...]:
    """The accepted application name headers, for hints."""
    return FIELD_ALIASES["name"]


def find_header_row(rows: Sequence[Sequence[str]]) -> int | None:
    """Index of the header: the first of the first ``HEADER_SEARCH_ROWS`` non-empty rows with a name alias."""
    seen = 0
    for index, cells in enumerate(rows):
        if not any(cell.strip() for cell in cells):
            continue
        if any(is_name_header(cell) for cell in cells):
            return index
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            return None
    return None


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """What each column of a header means.

    ``fields`` maps a field key of ``FIELD_ALIASES`` to a column index; ``extra`` lists the columns we do
    not know (or that repeat a field), as (index, header as written) in file order; ``unknown`` names the
    columns not in the alias table; ``duplicates`` lists (header kept as extra, header used) for columns
    that repeat a field another column already gives.
    """

    headers: tuple[str, ...]
    fields: dict[str, int]
    extra: tuple[tuple[int, str], ...]
    unknown: tuple[str, ...]
    duplicates: tuple[tuple[str, str], ...]


def map_columns(headers: Sequence[str], *, used_columns: Sequence[bool]) -> ColumnMap:
    """Map a header row to fields.

    ``used_columns[i]`` says, for a column without a header, whether any data row has a value in column ``i``
    (for a column with a header it is not read). A column without a header and without data (trailing
    separators, Excel's empty columns) is dropped; one without a header but with data is kept as extra data
    under the label ``headers[i]`` as the reader made it.
    """
    trimmed = tuple(h.strip() for h in headers)
    chosen: dict[str, tuple[int, int]] = {}  # field -> (rank, index)
    for index, header in enumerate(trimmed):
        found = _field_of(header) if header else None
        if found is None:
            continue
        field, rank = found
        if field not in chosen or rank < chosen[field][0]:
            chosen[field] = (rank, index)
    fields = {field: index for field, (_, index) in chosen.items()}
    mapped = set(fields.values())

    extra: list[tuple[int, str]] = []
    unknown: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for index, header in enumerate(trimmed):
        if index in mapped:
            continue
        if not header:
            if index < len(used_columns) and used_columns[index]:
                label = f"(column {_column_letters(index)})"
                extra.append((index, label))
                unknown.append(label)
            continue
        extra.append((index, header))
        found = _field_of(header)
        if found is None:
            unknown.append(header)
        else:
            duplicates.append((header, trimmed[fields[found[0]]]))
    return ColumnMap(
        headers=trimmed,
        fields=fields,
        extra=tuple(extra),
        unknown=tuple(unknown),
        duplicates=tuple(duplicates),
    )


def _column_letters(index: int) -> str:
    """Spreadsheet column letters for a 0-based index, the way both Excel and LibreOffice show a CSV.

    >>> _column_letters(0), _column_letters(25), _column_letters(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
