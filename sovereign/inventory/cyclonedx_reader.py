"""Reading applications from a CycloneDX 1.4-1.6 JSON BOM, above all the services of a SaaSBOM.

What becomes an application:

- every service, nested ones included: they are flattened in file order, parent before children;
- every component of type ``application`` (nested components included), and the BOM's subject
  ``metadata.component`` when it is an application: in a SaaSBOM that is the offering the municipality uses,
  and the dependency graph ties it to its services;
- no other component. Libraries, frameworks, containers and the like are software inside an application,
  not an application in use; one warning counts them.

A service or application component without a name is rejected (CycloneDX requires one). Each application is
located by its JSON pointer (``bom.json#/services/0/services/3``); its ``bom-ref`` is kept as extra data.

Fields: ``name``, ``version``, ``description`` (as notes). The vendor is a service's ``provider.name``; for
a component its ``supplier``, else ``manufacturer`` (1.6), else ``publisher``, and for ``metadata.component``
also the BOM's own ``metadata.supplier`` / ``manufacturer`` / ``manufacture``. The vendor's
``address.country`` (1.6; read whatever the version) is kept as extra data under that field name, *not* as
the data location: it is where the organisation sits, not where the data is kept. Kept as extra data for
later lookups: ``bom-ref``, ``group``, the hosts of the ``endpoints``, ``trustZone`` (1.5+),
``x-trust-boundary``, ``authenticated``, the data classifications and flows, the hosts of data-flow
sources and destinations that are URLs, ``tags``, ``properties``, and the parent of a nested service.

Personal data, from the services' ``data[].classification`` (free text in CycloneDX): yes when any
classification names personal data (the words PII, PIFI, PHI, SPI, personal, persoonsgegevens, GDPR), no
when every classification is public (public, openbaar, publiek), else unknown ("Customer", "Confidential"
and the like do not say). ``flow`` must be one of the four directions the specification allows.

Dependencies: the ``dependencies`` graph gives ``depends_on``, followed through components that are not
applications (an application that uses a client library that calls a service depends on the service). A
nested service is an assembly part of its parent: for a parent the graph says nothing about, the parent
depends on its nested services; otherwise the graph alone decides (CycloneDX: nesting "is not a dependency
tree"). References to bom-refs the BOM does not define are warned about and left out.

Only the fields above are checked: a value of the wrong JSON type there is an ``InputError`` naming its
JSON pointer, collected for the whole file. This is not a schema validator. No enrichment, no network.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sovereign.errors import InputError
from sovereign.inventory._json import JsonFile, Shape, describe, pointer, pointer_join, read_json
from sovereign.inventory._rows import Document, Entry, build_inventory
from sovereign.model import Inventory, Location, RejectedRow

__all__ = ["SUFFIXES", "SUPPORTED_VERSIONS", "is_document", "read", "read_table"]

SUFFIXES = (".json",)
SUPPORTED_VERSIONS = ("1.4", "1.5", "1.6")

# CycloneDX dataFlowDirection.
_FLOWS = ("inbound", "outbound", "bi-directional", "unknown")
# Words in a data classification that mean personal data: PII, PIFI (personally identifiable financial
# information), PHI (protected health information), SPI (sensitive personal information).
_PERSONAL_WORDS = frozenset({"pii", "pifi", "phi", "ephi", "spi", "personal", "persoonsgegevens", "gdpr"})
_PUBLIC = frozenset({"public", "openbaar", "publiek"})
_WORDS = re.compile(r"[a-z0-9]+")
# A BOM-Link to an element: urn:cdx:<serial uuid>/<version>#<bom-ref>.
_BOM_LINK = re.compile(r"urn:cdx:([0-9a-f-]{36})/[1-9][0-9]*#(.+)", re.IGNORECASE)


def is_document(value: object) -> bool:
    """True for a JSON value that says it is a CycloneDX BOM (``"bomFormat": "CycloneDX"``)."""
    return isinstance(value, dict) and value.get("bomFormat") == "CycloneDX"


def read(path: Path) -> Inventory:
    """Read the applications of one CycloneDX JSON BOM."""
    return build_inventory([read_table(path)])


def read_table(path: Path) -> Document:
    """Read one CycloneDX JSON BOM into application entries, for ``_rows.build_inventory``."""
    return _read_bom(read_json(path))


# ---------------------------------------------------------------------------------------------------------
# Walk the BOM


@dataclass(slots=True)
class _Node:
    """A service or component with its pointer; an application candidate or not."""

    at: str
    value: Mapping[str, Any]
    kind: str  # "service" | "component" | "metadata"
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)  # nested services (services only)


@dataclass(slots=True)
class _Bom:
    label: str
    shape: Shape
    serial: str | None = None
    nodes: list[_Node] = field(default_factory=list)
    by_ref: dict[str, _Node] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _read_bom(file: JsonFile) -> Document:
    shape = Shape(file.label)
    top = file.value
    if not isinstance(top, dict):
        shape.error("", f"a CycloneDX BOM is a JSON object, found {describe(top)}")
        shape.raise_errors()
    bom = _Bom(label=file.label, shape=shape)
    _check_header(top, bom)
    shape.raise_errors()  # not a CycloneDX BOM at all: stop before piling up errors about its content
    serial = shape.text(top, "serialNumber", "")
    bom.serial = serial.removeprefix("urn:uuid:").lower() if serial else None

    metadata = top.get("metadata")
    if metadata is not None and shape.object(metadata, "/metadata", "'metadata'") is not None:
        component = metadata.get("component")
        if component is not None and shape.object(component, "/metadata/component", "'component'"):
            _add(bom, _Node(at="/metadata/component", value=component, kind="metadata"))
    for index, service in shape.items(top, "services", ""):
        _walk_service(bom, service, pointer("services", index), None)
    for index, component in shape.items(top, "components", ""):
        _walk_component(bom, component, pointer("components", index))

    entries, rejected, keys = _entries(bom, metadata if isinstance(metadata, dict) else {})
    graph, stated = _dependency_graph(top, bom)
    _link(bom, entries, keys, graph, stated)
    shape.raise_errors()
    if not entries and not rejected:
        raise InputError(
            "the BOM has no services and no components of type application: nothing to audit",
            location=file.label,
            hint="a SaaSBOM lists the services; an SBOM of one application names it in metadata.component",
        )
    _count_other_components(bom)
    return Document(
        label=file.label,
        sha256=file.sha256,
        entries=tuple(entries),
        rejected=tuple(rejected),
        warnings=tuple(bom.warnings),
    )


def _check_header(top: Mapping[str, Any], bom: _Bom) -> None:
    shape = bom.shape
    fmt = top.get("bomFormat")
    if fmt != "CycloneDX":
        found = "is missing" if fmt is None else f"is {_show(fmt)}"
        shape.error(
            "/bomFormat",
            f"not a CycloneDX BOM: 'bomFormat' {found} (expected \"CycloneDX\")",
            hint="sovereign reads CycloneDX JSON; convert an SPDX or XML BOM to CycloneDX JSON first",
        )
        return
    version = top.get("specVersion")
    if not isinstance(version, str):
        found = "is missing" if version is None else f"is {describe(version)}"
        shape.error("/specVersion", f"'specVersion' {found} (expected e.g. \"1.6\")")
    elif version not in SUPPORTED_VERSIONS:
        bom.warnings.append(
            f"{bom.label}: CycloneDX {version} is not a version sovereign was tested with "
            f"({', '.join(SUPPORTED_VERSIONS)}); read as {SUPPORTED_VERSIONS[-1]}"
        )


def _add(bom: _Bom, node: _Node) -> None:
    """Register a node and its bom-ref (which must be unique within the BOM)."""
    bom.nodes.append(node)
    ref = bom.shape.text(node.value, "bom-ref", node.at)
    if ref is None:
        return
    first = bom.by_ref.get(ref)
    if first is not None:
        bom.shape.error(
            pointer_join(node.at, "bom-ref"),
            f"bom-ref {_show(ref)} is used before, at {first.at}; every bom-ref must be unique in a BOM",
        )
        return
    bom.by_ref[ref] = node


def _walk_service(bom: _Bom, value: object, at: str, parent: _Node | None) -> None:
    """Add a service and, depth first, its nested services (iteratively: nesting depth is the file's)."""
    stack: list[tuple[object, str, _Node | None]] = [(value, at, parent)]
    while stack:
        value, at, parent = stack.pop()
        service = bom.shape.object(value, at, "a service")
        if service is None:
            continue
        node = _Node(at=at, value=service, kind="service", parent=parent)
        if parent is not None:
            parent.children.append(node)
        _add(bom, node)
        nested = list(bom.shape.items(service, "services", at))
        stack.extend((child, pointer_join(at, "services", i), node) for i, child in reversed(nested))


def _walk_component(bom: _Bom, value: object, at: str) -> None:
    """Add a component and its nested components, depth first."""
    stack: list[tuple[object, str]] = [(value, at)]
    while stack:
        value, at = stack.pop()
        component = bom.shape.object(value, at, "a component")
        if component is None:
            continue
        _add(bom, _Node(at=at, value=component, kind="component"))
        nested = list(bom.shape.items(component, "components", at))
        stack.extend((child, pointer_join(at, "components", i)) for i, child in reversed(nested))


def _is_candidate(node: _Node) -> bool:
    return node.kind == "service" or node.value.get("type") == "application"


# ---------------------------------------------------------------------------------------------------------
# Nodes to entries


def _entries(bom: _Bom, metadata: Mapping[str, Any]) -> tuple[list[Entry], list[RejectedRow], dict[int, str]]:
    """Entries and rejections for the candidates, and each entry node's key (by ``id(node)``)."""
    entries: list[Entry] = []
    rejected: list[RejectedRow] = []
    keys: dict[int, str] = {}
    for node in bom.nodes:
        if not _is_candidate(node):
            continue
        location = Location(path=bom.label, element=node.at)
        name = bom.shape.text(node.value, "name", node.at)
        if name is None:
            what = "service" if node.kind == "service" else "application component"
            rejected.append(RejectedRow(source=location, reason=f"{what} without a name"))
            continue
        keys[id(node)] = node.at
        entries.append(Entry(location=location, key=node.at, values=_values(bom, node, name, metadata)))
    return entries, rejected, keys


def _values(bom: _Bom, node: _Node, name: str, metadata: Mapping[str, Any]) -> dict[str, Any]:
    shape, value, at = bom.shape, node.value, node.at
    extra: list[tuple[str, str]] = []

    def keep(header: str, text: str | None) -> None:
        if text:
            extra.append((header, text))

    keep("bom-ref", shape.text(value, "bom-ref", at))
    keep("group", shape.text(value, "group", at))
    vendor, vendor_field, country = _vendor(bom, node, metadata)
    if country:
        keep(f"{vendor_field}.address.country", country)
    personal: bool | None = None
    if node.kind == "service":
        keep("endpoints (hosts)", ", ".join(_hosts(_strings(shape, value, "endpoints", at))))
        keep("trustZone", shape.text(value, "trustZone", at))
        keep("x-trust-boundary", _yes_no(shape.flag(value, "x-trust-boundary", at)))
        keep("authenticated", _yes_no(shape.flag(value, "authenticated", at)))
        personal, classifications, flows, flow_hosts = _data(shape, value, at)
        keep("data.classification", ", ".join(classifications))
        keep("data.flow", ", ".join(flows))
        keep("data flow hosts", ", ".join(flow_hosts))
        if node.parent is not None:
            parent = node.parent.value
            keep(
                "parent service", _text(parent.get("bom-ref")) or _text(parent.get("name")) or node.parent.at
            )
    keep("tags", ", ".join(_strings(shape, value, "tags", at)))
    extra += _properties(shape, value, at)
    return {
        "name": name,
        "vendor": vendor,
        "version": shape.text(value, "version", at),
        "notes": shape.text(value, "description", at),
        "personal_data": personal,
        "extra": tuple(extra),
    }


def _vendor(bom: _Bom, node: _Node, metadata: Mapping[str, Any]) -> tuple[str | None, str, str | None]:
    """(vendor name, the field it came from, that organisation's address.country)."""
    shape, value, at = bom.shape, node.value, node.at
    if node.kind == "service":
        candidates: list[tuple[Mapping[str, Any], str, str]] = [(value, "provider", at)]
    else:
        candidates = [(value, "supplier", at), (value, "manufacturer", at)]
    if node.kind == "metadata":
        candidates += [(metadata, key, "/metadata") for key in ("supplier", "manufacturer", "manufacture")]
    for parent, key, base in candidates:
        if parent.get(key) is None:
            continue
        entity = shape.object(parent[key], pointer_join(base, key), f"'{key}'")
        if entity is None:
            continue
        name = shape.text(entity, "name", pointer_join(base, key))
        country = None
        address = entity.get("address")
        if address is not None and shape.object(address, pointer_join(base, key, "address"), "'address'"):
            country = shape.text(address, "country", pointer_join(base, key, "address"))
        if name or country:
            return name, key, country
    if node.kind != "service":
        publisher = shape.text(value, "publisher", at)
        if publisher:
            return publisher, "publisher", None
    return None, "", None


def _data(
    shape: Shape, service: Mapping[str, Any], at: str
) -> tuple[bool | None, list[str], list[str], list[str]]:
    """(personal data, distinct classifications, distinct "classification flow" pairs, flow URL hosts)."""
    classifications: list[str] = []
    flows: list[str] = []
    urls: list[str] = []
    personal = False
    all_public = True
    seen_any = False
    for index, item in shape.items(service, "data", at):
        item_at = pointer_join(at, "data", index)
        data = shape.object(item, item_at, "a data item")
        if data is None:
            continue
        seen_any = True
        classification = shape.text(data, "classification", item_at)
        flow = shape.text(data, "flow", item_at)
        if flow is not None and flow not in _FLOWS:
            shape.error(
                pointer_join(item_at, "flow"),
                f"'flow' is {_show(flow)}, not a data flow direction",
                hint="CycloneDX allows " + ", ".join(_FLOWS[:-1]) + " or " + _FLOWS[-1],
            )
        words = set(_WORDS.findall((classification or "").casefold()))
        personal = personal or bool(words & _PERSONAL_WORDS)
        all_public = all_public and (classification or "").casefold() in _PUBLIC
        if classification and classification not in classifications:
            classifications.append(classification)
        pair = " ".join(t for t in (classification, flow) if t)
        if pair and pair not in flows:
            flows.append(pair)
        for key in ("source", "destination"):
            urls += [u for u in _strings(shape, data, key, item_at) if not _is_bom_link(u)]
    if personal:
        return True, classifications, flows, _hosts(urls)
    return (False if seen_any and all_public else None), classifications, flows, _hosts(urls)


def _properties(shape: Shape, value: Mapping[str, Any], at: str) -> list[tuple[str, str]]:
    """CycloneDX name/value properties, one extra column per name (repeated names joined)."""
    by_name: dict[str, list[str]] = {}
    for index, item in shape.items(value, "properties", at):
        item_at = pointer_join(at, "properties", index)
        prop = shape.object(item, item_at, "a property")
        if prop is None:
            continue
        name = shape.text(prop, "name", item_at)
        text = shape.text(prop, "value", item_at)
        if name:
            values = by_name.setdefault(name, [])
            if text and text not in values:
                values.append(text)
    return [(f"property {name}", ", ".join(values)) for name, values in by_name.items() if values]


def _strings(shape: Shape, parent: Mapping[str, Any], key: str, at: str) -> list[str]:
    """The non-blank strings of the array ``parent[key]`` (errors for items that are not strings)."""
    found: list[str] = []
    for index, item in shape.items(parent, key, at):
        if isinstance(item, str):
            if item.strip():
                found.append(item.strip())
        else:
            shape.error(
                pointer_join(at, key, index), f"'{key}' items must be strings, found {describe(item)}"
            )
    return found


def _hosts(urls: list[str]) -> list[str]:
    """Distinct host names of the URLs that have one, lower case, in order.

    >>> _hosts(["https://Example.com/app", "https://example.com:8443/", "/relative", "ms-1.example.com"])
    ['example.com']
    """
    hosts: list[str] = []
    for url in urls:
        try:
            host = urlsplit(url).hostname
        except ValueError:  # e.g. an unbalanced [ in an IPv6 literal
            host = None
        if host and host not in hosts:
            hosts.append(host)
    return hosts


def _is_bom_link(text: str) -> bool:
    return text.startswith("urn:cdx:")


# ---------------------------------------------------------------------------------------------------------
# Dependencies


def _dependency_graph(top: Mapping[str, Any], bom: _Bom) -> tuple[dict[str, list[str]], set[str]]:
    """``dependencies`` as ref -> dependsOn refs (BOM-Links to this BOM made plain), and the refs stated."""
    shape = bom.shape
    graph: dict[str, list[str]] = {}
    for index, item in shape.items(top, "dependencies", ""):
        at = pointer("dependencies", index)
        dependency = shape.object(item, at, "a dependency")
        if dependency is None:
            continue
        ref = shape.text(dependency, "ref", at)
        if ref is None:
            shape.error(pointer_join(at, "ref"), "a dependency needs a 'ref' (the bom-ref it is about)")
            continue
        ref = _plain_ref(ref, bom.serial)
        targets = graph.setdefault(ref, [])
        if ref not in bom.by_ref:
            bom.warnings.append(
                f"{bom.label}#{pointer_join(at, 'ref')}: {_show(ref)} is not the bom-ref of any service "
                "or component in this BOM; its dependencies are left out"
            )
        for target_index, target in enumerate(_strings(shape, dependency, "dependsOn", at)):
            target = _plain_ref(target, bom.serial)
            if target not in bom.by_ref:
                bom.warnings.append(
                    f"{bom.label}#{pointer_join(at, 'dependsOn', target_index)}: {_show(target)} is not the "
                    "bom-ref of any service or component in this BOM; left out"
                )
            elif target not in targets:
                targets.append(target)
    return graph, set(graph)


def _plain_ref(ref: str, serial: str | None) -> str:
    """A BOM-Link into this very BOM as the bom-ref it names; anything else as it is."""
    link = _BOM_LINK.fullmatch(ref)
    if link and serial is not None and link.group(1).lower() == serial:
        return link.group(2)
    return ref


def _link(
    bom: _Bom,
    entries: list[Entry],
    keys: dict[int, str],
    graph: Mapping[str, list[str]],
    stated: set[str],
) -> None:
    """Give each entry its references: graph edges followed through non-applications, and nesting."""
    node_of_key = {key: node for node in bom.nodes if (key := keys.get(id(node))) is not None}
    for position, entry in enumerate(entries):
        node = node_of_key[entry.key]
        ref = _text(node.value.get("bom-ref"))
        targets: list[str] = []
        if ref is not None and ref in stated:
            targets = _reachable_entries(ref, graph, bom.by_ref, keys)
        else:
            targets = [keys[id(child)] for child in node.children if id(child) in keys]
        targets = [t for t in targets if t != entry.key]
        if targets:
            entries[position] = Entry(
                location=entry.location, key=entry.key, values=entry.values, references=tuple(targets)
            )


def _reachable_entries(
    start: str, graph: Mapping[str, list[str]], by_ref: Mapping[str, _Node], keys: Mapping[int, str]
) -> list[str]:
    """Keys of the entries ``start`` depends on: direct ones, and those behind non-application nodes."""
    found: list[str] = []
    seen = {start}
    queue = list(graph.get(start, ()))
    while queue:
        ref = queue.pop(0)
        node = by_ref.get(ref)
        if ref in seen or node is None:
            continue
        seen.add(ref)
        key = keys.get(id(node))
        if key is not None:
            found.append(key)
        else:  # a library or a rejected service: look behind it
            queue.extend(graph.get(ref, ()))
    return found


def _count_other_components(bom: _Bom) -> None:
    kinds = Counter(
        _text(node.value.get("type")) or "untyped"
        for node in bom.nodes
        if node.kind == "component" and not _is_candidate(node)
    )
    if kinds:
        listing = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        total = sum(kinds.values())
        bom.warnings.append(
            f"{bom.label}: {total} {'component' if total == 1 else 'components'} not read ({listing}): "
            "only services and components of type application are applications in use"
        )


# ---------------------------------------------------------------------------------------------------------
# Small helpers


def _text(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _show(value: object) -> str:
    """A value for a message: strings quoted and shortened, others as JSON would write them."""
    if isinstance(value, str):
        flat = " ".join(value.split())
        return f"'{flat[:57]}...'" if len(flat) > 60 else f"'{flat}'"
    return describe(value)
