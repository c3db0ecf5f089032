"""The ArchiMate model both ArchiMate readers build, and the rules that turn it into applications.

``archimate_reader`` (Model Exchange File) and ``archi_csv_reader`` (Archi's CSV export) parse their input
into a ``Model``: elements and relationships, with properties already resolved to their names. Here a model
becomes a ``_rows.Document``, by these rules:

**Elements.** Every ``ApplicationComponent`` is an application (and so is an element of another type that
the Softwarecatalogus marks ``SWC type`` "Pakketversie"), except

- a GEMMA reference component (property ``GEMMA type`` or ``SWC type`` "Referentiecomponent"): it names a
  kind of application, not one in use, and becomes the ``gemma_component`` of the applications linked to it;
- a Softwarecatalogus package (``SWC type`` "Pakket") with a ``Pakketversie`` linked to it: the versions
  are the applications, and the package's name is their ``product``.

An application whose Softwarecatalogus ``Gebruik status`` is "Gepland" (planned) or "Uitgefaseerd"
(retired) is not in use today and becomes a rejected row with that reason; so does one without a name.
"In productie" and "Uit te faseren" (still running) are read, the status kept as extra data. Every other
element (business, technology, motivation ...) is context, counted in one summary warning, so each
element is accounted for: an application, a rejected row, a reference component, a package, a vendor or
context.

**Vendor.** The name of a Leverancier element (``SWC type`` "Leverancier", or Archi specialization
"Leverancier") linked by any relationship to the application or to its package; else a vendor property.

**Dependencies.** "B depends on A" means B stops when A stops. An application stands behind itself and
behind the application interfaces, services, functions, processes, interactions and events it realizes,
is composed of, aggregates or is assigned to, followed on through those. With A behind a relationship's
source and B behind its target:

=============  =====================================  =================
Serving        A serves B                             B depends on A
Flow           A flows to B                           B depends on A (the receiver needs the data)
Realization    A realizes application B               B depends on A
Access         B reads a data object that A writes    B depends on A
=============  =====================================  =================

An Access without a direction ("Access", or the CSV export, which has no access type) gives none.
Triggering, Association, Influence and the structural relationships give none. A relationship through a
Junction counts from each source before it to each target after it. A dependency on a rejected
application (planned, retired, unnamed) is left out, and said so.

**Properties.** Property names are matched through the inventory's header alias table (``_headers``), so
``Beschikbaarheid``, ``Persoonsgegevens``, ``Hosting`` or ``Business critical`` fill the same fields as
spreadsheet columns; values are parsed by ``_values`` and an unreadable one is left unknown with a warning.
What the relationships say (vendor, package, reference component) wins over a property. Properties that
fill no field are kept as extra data: ``Gebruik status``, ``Extern pakket`` (inherited from the package),
``Object ID`` (the Softwarecatalogus GUID) and the rest.

No file access beyond ``read_model_bytes`` (the size check), no printing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from sovereign.errors import InputError
from sovereign.inventory import _headers, _values
from sovereign.inventory._files import FileBytes, read_file_bytes
from sovereign.inventory._rows import _NOT_READABLE, REJECT_NO_NAME, Document, Entry
from sovereign.inventory._rows import _TEXT_FIELDS as _TEXT_FIELDS_OF_ROWS
from sovereign.model import Biv, Location, RejectedRow

__all__ = [
    "APPLICATION",
    "JUNCTIONS",
    "MAX_MODEL_BYTES",
    "Model",
    "ModelElement",
    "ModelRelationship",
    "Roles",
    "build_document",
    "check_size",
    "classify",
    "count_dependencies",
    "kinds",
    "read_model_bytes",
]

#: Larger model files are refused unread: a municipality's landscape is a few MB, the whole GEMMA release
#: 13 MB, and the parsed tree takes several times the file's size in memory.
MAX_MODEL_BYTES = 64 * 1024 * 1024

APPLICATION = "ApplicationComponent"
JUNCTIONS = frozenset({"Junction", "AndJunction", "OrJunction"})

# Property names, as ``_headers.normalize_header`` folds them.
_KIND_PROPERTIES = ("swctype", "gemmatype")
_STATUS_PROPERTIES = frozenset({"gebruikstatus", "gebruiksstatus"})
_VERSION_PROPERTIES = frozenset({"versieaanduiding"})  # the Softwarecatalogus' version property
_FROM_PACKAGE = frozenset({"externpakket"})  # set on the package; its versions inherit it

# Kinds, folded the same way.
_REFERENCE_COMPONENT = "referentiecomponent"
_PACKAGE = "pakket"
_PACKAGE_VERSION = "pakketversie"
_VENDOR = "leverancier"

# Softwarecatalogus "Gebruik status", folded -> why the application is not read (None: it is in use).
# fmt: off
_USE_STATUS: dict[str, str | None] = {
    "gepland":      "planned, not in use yet",
    "inproductie":  None,
    "uittefaseren": None,  # being phased out, but still running
    "uitgefaseerd": "retired, no longer in use",
}
# fmt: on

# What an application stands behind, and over which relationships (from the application outwards).
_INTERNALS = frozenset(
    {
        "ApplicationInterface",
        "ApplicationService",
        "ApplicationFunction",
        "ApplicationProcess",
        "ApplicationInteraction",
        "ApplicationEvent",
    }
)
_PROVIDING = frozenset({"Realization", "Composition", "Aggregation", "Assignment"})
_PASSIVE = frozenset({"DataObject", "BusinessObject", "Artifact", "Representation", "Contract"})
_READS = frozenset({"Read", "ReadWrite"})
_WRITES = frozenset({"Write", "ReadWrite"})
# Relationships that link an application (or its package) to its GEMMA reference component.
_REFERENCE_LINKS = frozenset({"Realization", "Specialization", "Association", "Aggregation", "Composition"})

# The reader fills the name itself; every other free-text field is read as the spreadsheets read it.
_TEXT_FIELDS = tuple(f for f in _TEXT_FIELDS_OF_ROWS if f != "name")
# Fields a property cannot set: the element's own name and the id the inventory assigns.
_NOT_FROM_PROPERTIES = frozenset({"app_id", "name"})


# How many element types, and element ids, a summary warning names before it says "...".
_LISTED = 8


@dataclass(frozen=True, slots=True)
class ModelElement:
    """One element: its identifier, ArchiMate type (``ApplicationComponent``), name and properties."""

    identifier: str
    type: str
    name: str
    location: Location
    #: (property name, value) in model order; names resolved through the property definitions.
    properties: tuple[tuple[str, str], ...] = ()
    specialization: str = ""  # Archi's specialization (profile) name, where the format carries it


@dataclass(frozen=True, slots=True)
class ModelRelationship:
    """One relationship, its type without the ``Relationship`` suffix (``Serving``, ``Flow`` ...)."""

    identifier: str
    type: str
    source: str
    target: str
    location: Location
    #: Access relationships: Read, Write, ReadWrite or Access; None where the format does not say.
    access_type: str | None = None


@dataclass(frozen=True, slots=True)
class Model:
    """A parsed model file: every element and relationship, in file order, and the reader's warnings."""

    label: str
    sha256: str
    elements: tuple[ModelElement, ...]
    relationships: tuple[ModelRelationship, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Roles:
    """What each element of a model is read as. Every element is in exactly one group."""

    applications: tuple[ModelElement, ...]  # read, or rejected (planned, retired, unnamed)
    reference_components: tuple[ModelElement, ...]
    packages: tuple[ModelElement, ...]
    vendors: tuple[ModelElement, ...]
    other: tuple[ModelElement, ...]


def read_model_bytes(path: Path) -> FileBytes:
    """Read a model file whole, refusing one over ``MAX_MODEL_BYTES`` before reading it."""
    try:
        size = path.stat().st_size if path.is_file() else 0
    except OSError:
        size = 0  # read_file_bytes says what is wrong
    check_size(str(path), size)
    file = read_file_bytes(path)
    check_size(file.label, len(file.data))  # it may have grown since stat
    return file


def check_size(label: str, size: int) -> None:
    """Raise ``InputError`` when a model file of ``size`` bytes is over ``MAX_MODEL_BYTES``."""
    if size > MAX_MODEL_BYTES:
        raise InputError(
            f"the file is {size / 1024 / 1024:.1f} MB; sovereign reads ArchiMate models up to "
            f"{MAX_MODEL_BYTES // 1024 // 1024} MB",
            location=label,
            hint="export only the application landscape (the application layer) and try again",
        )


# ---------------------------------------------------------------------------------------------------------
# Roles


def kinds(element: ModelElement) -> frozenset[str]:
    """The folded Softwarecatalogus / GEMMA kinds an element declares (``SWC type``, ``GEMMA type``, profile).

    >>> sorted(kinds(ModelElement("e", "ApplicationComponent", "x", Location(path="m"),
    ...                           properties=(("SWC type", "Pakket versie"),))))
    ['pakketversie']
    """
    found = {_headers.normalize_header(v) for n, v in element.properties if _fold(n) in _KIND_PROPERTIES}
    if element.specialization:
        found.add(_headers.normalize_header(element.specialization))
    found.discard("")
    return frozenset(found)


def classify(model: Model) -> Roles:
    """Sort the model's elements into applications, reference components, packages, vendors and context."""
    by_id = {e.identifier: e for e in model.elements}
    neighbours = _neighbours(model.relationships)
    applications: list[ModelElement] = []
    references: list[ModelElement] = []
    packages: list[ModelElement] = []
    vendors: list[ModelElement] = []
    other: list[ModelElement] = []
    for element in model.elements:
        declared = kinds(element)
        if element.type != APPLICATION and _PACKAGE_VERSION not in declared:
            (vendors if _VENDOR in declared else other).append(element)
        elif _REFERENCE_COMPONENT in declared:
            references.append(element)
        elif _PACKAGE in declared and any(
            _PACKAGE_VERSION in kinds(by_id[n])
            for _, n in neighbours.get(element.identifier, ())
            if n in by_id
        ):
            packages.append(element)
        else:
            applications.append(element)
    return Roles(
        applications=tuple(applications),
        reference_components=tuple(references),
        packages=tuple(packages),
        vendors=tuple(vendors),
        other=tuple(other),
    )


# ---------------------------------------------------------------------------------------------------------
# Model to document


def build_document(model: Model) -> Document:
    """The model's applications as ``Entry`` records, its planned, retired and unnamed ones as rejected."""
    roles = classify(model)
    if not roles.applications:
        raise _no_applications(model, roles)
    warnings = list(model.warnings)
    links = _Links(model, roles)

    rejected: list[RejectedRow] = []
    reasons: dict[str, list[str]] = defaultdict(list)
    live: list[ModelElement] = []
    for element in roles.applications:
        reason = _rejection(element, warnings)
        if reason is None:
            live.append(element)
        else:
            rejected.append(RejectedRow(source=element.location, reason=reason))
            reasons[reason].append(element.identifier)
    for reason, ids in reasons.items():
        warnings.append(
            f"{model.label}: rejected {_count(len(ids), 'application component')}, {reason}: {_listing(ids)}"
        )

    names = {e.identifier: e.name.casefold() for e in live}
    dependencies = _dependencies(model, roles)
    left_out = 0
    entries: list[Entry] = []
    for element in live:
        targets = dependencies.get(element.identifier, ())
        # By name, so that the order does not depend on the order of the relationships in the file.
        references = tuple(sorted((t for t in targets if t in names), key=lambda t: (names[t], t)))
        left_out += len(targets) - len(references)
        values = _application_values(element, links, warnings)
        entries.append(
            Entry(location=element.location, key=element.identifier, values=values, references=references)
        )
    if left_out:
        warnings.append(
            f"{model.label}: {_count(left_out, 'dependency', 'dependencies')} on rejected applications "
            "(planned, retired or unnamed) left out"
        )
    warnings.append(_summary(model, roles, entries, rejected))
    return Document(
        label=model.label,
        sha256=model.sha256,
        entries=tuple(entries),
        rejected=tuple(rejected),
        warnings=tuple(warnings),
    )


def count_dependencies(document: Document) -> int:
    """The number of dependencies (application to application) a document's entries hold."""
    return sum(len(entry.references) for entry in document.entries)


def _rejection(element: ModelElement, warnings: list[str]) -> str | None:
    if not element.name:
        return REJECT_NO_NAME
    for name, value in element.properties:
        if _fold(name) not in _STATUS_PROPERTIES or not value:
            continue
        folded = _fold(value)
        if folded not in _USE_STATUS:
            warnings.append(
                f"{element.location}: property '{name}': '{value}' is not a Gebruik status "
                "(Gepland, In productie, Uit te faseren, Uitgefaseerd); read as in use"
            )
            return None
        reason = _USE_STATUS[folded]
        return None if reason is None else f"{reason} (Gebruik status '{value}')"
    return None


def _no_applications(model: Model, roles: Roles) -> InputError:
    if roles.reference_components or roles.packages:
        found = (
            "it has only GEMMA reference components and Softwarecatalogus packages "
            f"({len(roles.reference_components) + len(roles.packages):,}), which name kinds of application "
            "rather than applications in use"
        )
    else:
        found = f"found {_count(len(model.elements), 'element')}"
        if model.elements:
            found += ": " + _type_counts(model.elements)
    return InputError(
        f"no application components in the model ({found})",
        location=model.label,
        hint="sovereign reads the ApplicationComponent elements of your own landscape as applications; "
        "export the model that holds them",
    )


def _summary(model: Model, roles: Roles, entries: Sequence[Entry], rejected: Sequence[RejectedRow]) -> str:
    parts = [f"{_count(len(entries), 'application')}"]
    if rejected:
        parts.append(f"{len(rejected):,} rejected")
    if roles.reference_components:
        parts.append(f"{_count(len(roles.reference_components), 'GEMMA reference component')}")
    if roles.packages:
        parts.append(
            f"{_count(len(roles.packages), 'Softwarecatalogus package')} (product of their versions)"
        )
    if roles.vendors:
        parts.append(f"{_count(len(roles.vendors), 'vendor')}")
    if roles.other:
        parts.append(f"{len(roles.other):,} other elements, not applications ({_type_counts(roles.other)})")
    dependencies = sum(len(e.references) for e in entries)
    return (
        f"{model.label}: read {_count(len(model.elements), 'element')} and "
        f"{_count(len(model.relationships), 'relationship')}: {', '.join(parts)}; "
        f"{_count(dependencies, 'dependency', 'dependencies')} between the applications"
    )


# ---------------------------------------------------------------------------------------------------------
# Links: vendor, package, reference component


class _Links:
    """The elements each application is linked to by a relationship, in either direction."""

    def __init__(self, model: Model, roles: Roles) -> None:
        self.neighbours = _neighbours(model.relationships)
        self.packages = {e.identifier: e for e in roles.packages}
        self.vendors = {e.identifier: e for e in roles.vendors}
        self.references = {e.identifier: e for e in roles.reference_components}

    def packages_of(self, element: ModelElement) -> list[ModelElement]:
        return _unique(self.packages[n] for _, n in self._around(element.identifier) if n in self.packages)

    def vendors_of(self, element: ModelElement, packages: Sequence[ModelElement]) -> list[str]:
        around = [*self._around(element.identifier)]
        for package in packages:
            around += self._around(package.identifier)
        names = (self.vendors[n].name for _, n in around if n in self.vendors)
        return _unique(name for name in names if name)

    def references_of(self, element: ModelElement, packages: Sequence[ModelElement]) -> list[str]:
        around = [*self._around(element.identifier)]
        for package in packages:
            around += self._around(package.identifier)
        names = (self.references[n].name for t, n in around if n in self.references and t in _REFERENCE_LINKS)
        return _unique(name for name in names if name)

    def _around(self, identifier: str) -> list[tuple[str, str]]:
        return self.neighbours.get(identifier, [])


def _neighbours(relationships: Iterable[ModelRelationship]) -> dict[str, list[tuple[str, str]]]:
    """Element id -> (relationship type, the element at the other end), both directions, in file order."""
    around: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in relationships:
        around[r.source].append((r.type, r.target))
        around[r.target].append((r.type, r.source))
    return around


# ---------------------------------------------------------------------------------------------------------
# Dependencies


def _dependencies(model: Model, roles: Roles) -> dict[str, tuple[str, ...]]:
    """Application id -> the application ids it depends on, by the rules in the module docstring."""
    by_id = {e.identifier: e for e in model.elements}
    applications = {e.identifier for e in roles.applications}
    relationships = _through_junctions(model.relationships, by_id)

    # Which applications stand behind each element: itself, and what it provides, followed on.
    providing: dict[str, list[str]] = defaultdict(list)
    for r in relationships:
        if r.type in _PROVIDING:
            providing[r.source].append(r.target)
    behind: dict[str, set[str]] = defaultdict(set)
    for app in applications:
        behind[app].add(app)
        stack, seen = [app], {app}
        while stack:
            for target in providing.get(stack.pop(), ()):
                element = by_id.get(target)
                if target in seen or element is None or element.type not in _INTERNALS:
                    continue
                seen.add(target)
                behind[target].add(app)
                stack.append(target)

    depends: dict[str, dict[str, None]] = {}

    def add(dependants: Iterable[str], providers: Iterable[str]) -> None:
        for provider in providers:
            for dependant in dependants:
                if dependant != provider:
                    depends.setdefault(dependant, {})[provider] = None

    readers: dict[str, set[str]] = defaultdict(set)
    writers: dict[str, set[str]] = defaultdict(set)
    for r in relationships:
        if r.type in ("Serving", "Flow") or (r.type == "Realization" and r.target in applications):
            add(behind.get(r.target, ()), behind.get(r.source, ()))
        elif r.type == "Access" and r.access_type:
            at_source, at_target = by_id.get(r.source), by_id.get(r.target)
            if at_target is not None and at_target.type in _PASSIVE:
                data, actor = r.target, r.source
            elif at_source is not None and at_source.type in _PASSIVE:
                data, actor = r.source, r.target
            else:
                continue
            if r.access_type in _READS:
                readers[data] |= behind.get(actor, set())
            if r.access_type in _WRITES:
                writers[data] |= behind.get(actor, set())
    for data, reading in readers.items():
        add(reading, writers.get(data, ()))
    return {app: tuple(targets) for app, targets in depends.items()}


def _through_junctions(
    relationships: Sequence[ModelRelationship], by_id: Mapping[str, ModelElement]
) -> list[ModelRelationship]:
    """The relationships with each junction replaced by direct ones of the same type, across chains."""
    junctions = {i for i, e in by_id.items() if e.type in JUNCTIONS}
    if not junctions:
        return list(relationships)
    leaving: dict[str, list[ModelRelationship]] = defaultdict(list)
    for r in relationships:
        if r.source in junctions:
            leaving[r.source].append(r)
    direct = [r for r in relationships if r.source not in junctions and r.target not in junctions]
    for r in relationships:
        if r.source in junctions or r.target not in junctions:
            continue
        stack, seen = [r.target], set()
        while stack:
            junction = stack.pop()
            if junction in seen:
                continue
            seen.add(junction)
            for onward in leaving.get(junction, ()):
                if onward.type != r.type:
                    continue
                if onward.target in junctions:
                    stack.append(onward.target)
                else:
                    direct.append(replace(r, target=onward.target))
    return direct


# ---------------------------------------------------------------------------------------------------------
# Values


def _application_values(element: ModelElement, links: _Links, warnings: list[str]) -> dict[str, Any]:
    packages = links.packages_of(element)
    properties = _properties(element, packages)
    names = tuple(name for name, _ in properties)
    fields = {f: i for f, i in _property_fields(names).items() if f not in _NOT_FROM_PROPERTIES}
    for index, name in enumerate(names):
        if _fold(name) in _VERSION_PROPERTIES and "version" not in fields:
            fields["version"] = index

    # What the relationships say wins over a property, which is then kept as extra data.
    derived: dict[str, str] = {}
    vendors = links.vendors_of(element, packages)
    if vendors:
        derived["vendor"] = vendors[0]
        if len(vendors) > 1:
            warnings.append(
                f"{element.location}: linked to {len(vendors)} vendors ({', '.join(vendors)}); "
                f"using '{vendors[0]}'"
            )
    if packages and packages[0].name:
        derived["product"] = packages[0].name
    references = links.references_of(element, packages)
    if references:
        derived["gemma_component"] = "; ".join(references)
    for name in derived:
        fields.pop(name, None)

    used = set(fields.values())
    problems: list[str] = []

    def text(field: str) -> str:
        return properties[fields[field]][1] if field in fields else ""

    def parse(field: str, parser: Callable[[str], Any], problem: str) -> Any:
        value = text(field)
        try:
            return parser(value)
        except ValueError:
            shown = " ".join(value.split())
            shown = f"'{shown[:57]}...'" if len(shown) > 60 else f"'{shown}'"
            problems.append(
                f"{element.location}: property '{properties[fields[field]][0]}': {shown} "
                f"{_NOT_READABLE[problem]}; left unknown"
            )
            return None

    values: dict[str, Any] = {field: derived.get(field) or text(field) or None for field in _TEXT_FIELDS}
    values["name"] = element.name
    values["business_critical"] = parse("business_critical", _values.parse_yes_no, "yes_no")
    values["personal_data"] = parse("personal_data", _values.parse_yes_no, "yes_no")
    values["users"] = parse("users", _values.parse_users, "users")
    values["depends_on"] = _values.split_depends_on(text("depends_on"))
    # BIV: the three properties win where they say something; otherwise the one-property rating.
    levels = [parse(field, _values.parse_level, "biv_level") for field in _headers.BIV_COLUMNS]
    single = parse("biv", _values.parse_biv, "biv")
    cia = parse("biv_cia", lambda value: _values.parse_biv(value, order="cia"), "biv")
    if any(level is not None for level in levels):
        values["biv"] = Biv(availability=levels[0], integrity=levels[1], confidentiality=levels[2])
    else:
        values["biv"] = single if single is not None else cia
    values["extra"] = tuple((n, v) for i, (n, v) in enumerate(properties) if i not in used and v)
    warnings.extend(problems)
    return values


def _properties(element: ModelElement, packages: Sequence[ModelElement]) -> list[tuple[str, str]]:
    """The element's properties, one per name (repeated names joined with "; "), plus what it inherits."""
    joined: dict[str, list[str]] = {}
    for name, value in element.properties:
        values = joined.setdefault(name.strip() or "(unnamed property)", [])
        if value and value not in values:
            values.append(value)
    own = {_fold(name) for name in joined}
    for package in packages[:1]:
        for name, value in package.properties:
            if _fold(name) in _FROM_PACKAGE and _fold(name) not in own and value:
                joined[name] = [value]
    return [(name, "; ".join(values)) for name, values in joined.items()]


@lru_cache(maxsize=1024)
def _property_fields(names: tuple[str, ...]) -> dict[str, int]:
    """Field -> index of the property that fills it, by the header alias table.

    A name that is known only without its bracketed remark (``Beschikbaarheid (belangrijkste reden)``)
    comes after the exact names, so ``Beschikbaarheid`` itself wins.
    """
    order = sorted(range(len(names)), key=lambda i: "(" in names[i] or "[" in names[i])
    columns = _headers.map_columns([names[i] for i in order], used_columns=[True] * len(names))
    return {field: order[index] for field, index in columns.fields.items()}


# ---------------------------------------------------------------------------------------------------------
# Helpers


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    return _headers.normalize_header(text)


def _unique(items: Iterable[Any]) -> list[Any]:
    return list(dict.fromkeys(items))


def _type_counts(elements: Iterable[ModelElement]) -> str:
    counts = Counter(e.type for e in elements).most_common()
    shown = ", ".join(f"{t} {n}" for t, n in counts[:_LISTED])
    return shown + (f" and {len(counts) - _LISTED} more types" if len(counts) > _LISTED else "")


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"1 {noun}" if number == 1 else f"{number:,} {plural or noun + 's'}"


def _listing(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_LISTED])
    return shown + (f" and {len(items) - _LISTED} more" if len(items) > _LISTED else "")
