"""Reading an inventory from an ArchiMate Model Exchange File (3.0 / 3.1 XML) as Archi, BiZZdesign and the
GEMMA Softwarecatalogus write it.

Parses with defusedxml: a file that declares entities (entity expansion, external entities) or points at an
external resource is refused, and so is a file over ``_archimate.MAX_MODEL_BYTES``, before it is read. Reads
the elements, relationships and property definitions; a property is known by its definition's *name*,
because definition ids differ between tools and between exports of one model. Checks that every element and
relationship has an identifier and a type, that identifiers are unique and that both ends of every
relationship exist, collecting all such problems into one ``InputErrors`` that names each element id and
field. What becomes an application is decided in ``_archimate``. Views and organizations are not read. No
``xml`` or defusedxml exception escapes; no enrichment, no network, no printing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from xml.parsers import expat

import defusedxml
import defusedxml.ElementTree

from sovereign.errors import InputError, InputErrors
from sovereign.inventory._archimate import (
    Model,
    ModelElement,
    ModelRelationship,
    build_document,
    read_model_bytes,
)
from sovereign.inventory._files import FileBytes
from sovereign.inventory._rows import Document, build_inventory
from sovereign.model import Inventory, Location

__all__ = ["ARCHIMATE_NAMESPACE", "SUFFIXES", "detect", "read", "read_model", "read_table"]

SUFFIXES = (".xml",)

#: The Open Group's namespace for the exchange format; ArchiMate 3.1 and 3.2 files use it too.
ARCHIMATE_NAMESPACE = "http://www.opengroup.org/xsd/archimate/3.0/"
_NS = "{" + ARCHIMATE_NAMESPACE + "}"
_ARCHIMATE_2_NAMESPACE = "http://www.opengroup.org/xsd/archimate"
_ARCHI_NAMESPACE = "http://www.archimatetool.com/archimate"
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
# The exchange format's default access type (archimate3_Model.xsd, AccessTypeEnum).
_DEFAULT_ACCESS = "Write"
_ACCESS_TYPES = frozenset({"Access", "Read", "Write", "ReadWrite"})
# How much of a file ``detect`` looks at for the namespace.
_SNIFF_BYTES = 4096
_EXPORT_AGAIN = (
    "export the model again from the architecture tool (in Archi: File > Export > Open Exchange File)"
)


def detect(path: Path) -> bool:
    """True for an ``.xml`` file whose first bytes name an ArchiMate exchange namespace."""
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    try:
        with path.open("rb") as f:
            head = f.read(_SNIFF_BYTES)
    except OSError:
        return False
    return _ARCHIMATE_2_NAMESPACE.encode() in head


def read(path: Path) -> Inventory:
    """Read one ArchiMate exchange file as an inventory."""
    return build_inventory([read_table(path)])


def read_table(path: Path) -> Document:
    """Read one ArchiMate exchange file into its application entries, for ``_rows.build_inventory``."""
    return build_document(read_model(path))


def read_model(path: Path) -> Model:
    """Parse and check an exchange file into a ``Model``; raise ``InputError(s)`` for what is wrong."""
    file = read_model_bytes(path)
    if not file.data.strip():
        raise InputError("the file is empty", location=file.label, hint=_EXPORT_AGAIN)
    root = _parse(file)
    _check_root(file.label, root)
    return _read_model(file, root)


# ---------------------------------------------------------------------------------------------------------
# XML boundary: every defusedxml call happens here, inside the try.


def _parse(file: FileBytes) -> ET.Element:
    try:
        root: ET.Element = defusedxml.ElementTree.fromstring(
            file.data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.EntitiesForbidden as e:
        if e.sysid is not None or e.pubid is not None:
            what = f"an external entity '{e.name}' ({e.sysid or e.pubid})"
            why = "it could make the parser read local files or fetch from the network"
        else:
            what = f"an entity '{e.name}'"
            why = "entity expansion can turn a small file into gigabytes in memory"
        raise InputError(
            f"refused: the file declares {what}; {why}",
            location=file.label,
            hint="ArchiMate exchange files have no entity declarations; " + _EXPORT_AGAIN,
        ) from e
    except defusedxml.ExternalReferenceForbidden as e:
        raise InputError(
            f"refused: the file refers to an external resource ({e.sysid or e.pubid})",
            location=file.label,
            hint=_EXPORT_AGAIN,
        ) from e
    except defusedxml.DefusedXmlException as e:  # DTDForbidden, NotSupportedError
        raise InputError(f"refused: {e}", location=file.label, hint=_EXPORT_AGAIN) from e
    except ET.ParseError as e:
        line, column = e.position
        reason = expat.ErrorString(e.code) if e.code else str(e)
        raise InputError(
            f"not well-formed XML: {reason} (column {column + 1}){_quote_line(file.data, line, column)}",
            location=f"{file.label}:{line}",
            hint="the file may be cut off or edited by hand; " + _EXPORT_AGAIN,
        ) from e
    return root


def _quote_line(data: bytes, line: int, column: int) -> str:
    """The offending line (shortened around the column) with a caret under it; "" when not printable."""
    lines = data.split(b"\n")
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].decode("utf-8", "replace").rstrip("\r").expandtabs(1)
    left = max(0, column - 30)
    shown = text[left : column + 30]
    prefix = "..." if left else ""
    suffix = "..." if column + 30 < len(text) else ""
    return f"\n    {prefix}{shown}{suffix}\n    {' ' * (len(prefix) + column - left)}^"


def _check_root(label: str, root: ET.Element) -> None:
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    if namespace == ARCHIMATE_NAMESPACE and local == "model":
        return
    if namespace.rstrip("/") == _ARCHIMATE_2_NAMESPACE:
        raise InputError(
            "this is an ArchiMate 2 exchange file; sovereign reads the ArchiMate 3 exchange format",
            location=label,
            hint="open the model in an ArchiMate 3 tool and export it again as an Open Exchange File",
        )
    if namespace == _ARCHI_NAMESPACE:
        raise InputError(
            "this is an Archi model file, not an exchange file",
            location=label,
            hint="in Archi: File > Export > Open Exchange File, or File > Export > Model to CSV",
        )
    shown = f"<{local}>" + (f" in namespace {namespace}" if namespace else " without a namespace")
    raise InputError(
        f"not an ArchiMate model exchange file: the root element is {shown}",
        location=label,
        hint=f'an exchange file starts with <model xmlns="{ARCHIMATE_NAMESPACE}">',
    )


# ---------------------------------------------------------------------------------------------------------
# Model


class _Reader:
    """Collects the problems of one file while its elements and relationships are read."""

    def __init__(self, file: FileBytes, definitions: dict[str, str]) -> None:
        self.label = file.label
        self.definitions = definitions
        self.errors: list[InputError] = []
        self.undefined: Counter[str] = Counter()
        self.seen: dict[str, str] = {}  # identifier -> "element" / "relationship"

    def error(self, identifier: str | None, message: str) -> None:
        location = f"{self.label}#{identifier}" if identifier else self.label
        self.errors.append(InputError(message, location=location))

    def identify(self, node: ET.Element, kind: str, number: int) -> tuple[str, str] | None:
        """(identifier, type) of an element or relationship node, or None with an error recorded."""
        identifier = (node.get("identifier") or "").strip()
        concept = _local(node.get(_XSI_TYPE) or "")
        if not identifier:
            name = _name(node)
            what = f"{concept or 'untyped'}" + (f" '{name}'" if name else "")
            self.error(None, f"{kind} number {number} ({what}) has no identifier")
            return None
        if identifier in self.seen:
            self.error(
                identifier,
                f"identifier is used twice: by an earlier {self.seen[identifier]} and by this {kind}",
            )
            return None
        self.seen[identifier] = kind
        if not concept:
            self.error(identifier, f"{kind} has no xsi:type (its ArchiMate type)")
            return None
        return identifier, concept

    def properties(self, node: ET.Element) -> tuple[tuple[str, str], ...]:
        found: list[tuple[str, str]] = []
        container = node.find(_NS + "properties")
        if container is None:
            return ()
        for prop in container.findall(_NS + "property"):
            ref = (prop.get("propertyDefinitionRef") or "").strip()
            name = self.definitions.get(ref)
            if name is None:
                self.undefined[ref] += 1
                continue
            found.append((name or f"(unnamed property {ref})", _text(prop, "value")))
        return tuple(found)


def _read_model(file: FileBytes, root: ET.Element) -> Model:
    definitions = {
        (d.get("identifier") or "").strip(): _text(d, "name")
        for d in _children(root, "propertyDefinitions", "propertyDefinition")
    }
    reader = _Reader(file, definitions)

    elements: list[ModelElement] = []
    for number, node in enumerate(_children(root, "elements", "element"), start=1):
        identified = reader.identify(node, "element", number)
        if identified is None:
            continue
        identifier, concept = identified
        elements.append(
            ModelElement(
                identifier=identifier,
                type=concept,
                name=_name(node),
                location=Location(path=file.label, element=identifier),
                properties=reader.properties(node),
            )
        )

    relationships: list[ModelRelationship] = []
    for number, node in enumerate(_children(root, "relationships", "relationship"), start=1):
        identified = reader.identify(node, "relationship", number)
        if identified is None:
            continue
        identifier, concept = identified
        ends = {end: (node.get(end) or "").strip() for end in ("source", "target")}
        for end, value in ends.items():
            if not value:
                reader.error(identifier, f"relationship has no {end}")
        access = (node.get("accessType") or _DEFAULT_ACCESS).strip() if concept == "Access" else None
        if access is not None and access not in _ACCESS_TYPES:
            reader.error(
                identifier,
                f"accessType '{access}' is not one of {', '.join(sorted(_ACCESS_TYPES))}",
            )
            access = None
        relationships.append(
            ModelRelationship(
                identifier=identifier,
                type=concept,
                source=ends["source"],
                target=ends["target"],
                location=Location(path=file.label, element=identifier),
                access_type=access,
            )
        )

    # Both ends must exist: an element, or (ArchiMate 3) another relationship.
    for r in relationships:
        for end, value in (("source", r.source), ("target", r.target)):
            if value and value not in reader.seen:
                reader.error(
                    r.identifier,
                    f"relationship {end} '{value}' is not an element or relationship of the model",
                )

    if reader.errors:
        raise reader.errors[0] if len(reader.errors) == 1 else InputErrors(reader.errors)
    warnings = [
        f"{file.label}: property definition '{ref or '(none)'}' is not defined; "
        f"{'1 property' if count == 1 else f'{count:,} properties'} that refer to it "
        f"{'is' if count == 1 else 'are'} ignored"
        for ref, count in reader.undefined.items()
    ]
    return Model(
        label=file.label,
        sha256=file.sha256,
        elements=tuple(elements),
        relationships=tuple(relationships),
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------------------------------------------------
# Small XML helpers


def _children(root: ET.Element, container: str, child: str) -> list[ET.Element]:
    parent = root.find(_NS + container)
    return [] if parent is None else parent.findall(_NS + child)


def _text(node: ET.Element, child: str) -> str:
    """The first non-empty text of ``child`` nodes (one per language), trimmed; "" when there is none."""
    for found in node.findall(_NS + child):
        if found.text and found.text.strip():
            return found.text.strip()
    return ""


def _name(node: ET.Element) -> str:
    return " ".join(_text(node, "name").split())


def _local(qualified: str) -> str:
    """``ApplicationComponent`` from ``archimate:ApplicationComponent`` (some tools prefix xsi:type)."""
    return qualified.rpartition(":")[2].strip()
