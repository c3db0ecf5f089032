"""Reading applications from a Softwarecatalogus register export (OpenRegister JSON, register "voorzieningen").

The new GEMMA Softwarecatalogus keeps its data in OpenRegister. An export is one JSON object with
``components.registers``, ``components.schemas`` and ``components.objects``; every object names its schema
in ``@self.schema`` (``voorziening``, ``voorzieningaanbod``, ``voorzieningversie``, ``organisatie``,
``voorzieninggebruik``, ``koppeling``, ...). Each object is located by its JSON pointer
(``register.json#/components/objects/20``).

What becomes an application: every ``voorzieninggebruik`` (an organisation's use of a voorziening), except
one whose status says the use has ended (``Beëindigd``, ``Uitgefaseerd``): that one is rejected, with its
status as the reason. So is a use whose voorziening is not in the file, for it has no name. The other
objects are catalogue data, not uses: voorziening, aanbod, versie and organisatie objects are looked up
for names and vendors and koppeling objects for dependencies; one warning counts them all.

Fields of a use (``gebruik``), following the ids it holds:

- ``name``: the use's ``naam`` if it has one, else the voorziening's ``naam``; ``category``: ``categorie``;
- ``vendor`` and ``version``: ``versieId`` -> voorzieningversie (``versienummer``) -> its
  ``voorzieningaanbod`` -> ``leverancier`` -> organisatie ``naam``; without a version, the one leverancier
  that every aanbod of the voorziening names, if they agree. A version that belongs to another voorziening
  is not used (warned);
- ``organisation``: ``organisatieId`` -> organisatie ``naam``;
- ``hosting``: the use's ``hosting``, else that of its aanbod ("none" counts as not stated);
- ``biv``: ``bivClassificatie`` {beschikbaarheid, integriteit, vertrouwelijkheid: Laag/Midden/Hoog};
- ``business_critical``: ``bedrijfsKritisch``; ``personal_data``: ``privacyGevoelig`` (true/false or 1/0);
- ``notes``: ``opmerkingen``; kept as extra data: ``id``, ``status``, ``startDatum``, ``eindDatum``,
  ``bbnScore``, ``ibpScore``, ``voorzieningstype``, ``referentieComponenten`` (GEMMA object ids), the
  beheerder's name and function (not their e-mail or phone), and ids that point at nothing in the file.

Dependencies: a koppeling runs ``van`` a use ``naar`` another use or a landelijke voorziening. The register
states the direction, so the use it starts from depends on the other end: another use in the file becomes
a dependency on that application, a voorziening in the file a dependency by its name (another input may
hold it), and an id the file does not hold is warned about and kept as extra data.

OpenRegister writes some arrays and objects as JSON text (``"[\\"Gemeente\\"]"``); those are decoded.
A wrong shape (no ``components.objects`` array, an object without ``@self.schema``, a field of the wrong
type) is an ``InputError`` naming the JSON pointer. No enrichment, no network, no printing.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sovereign.errors import InputError
from sovereign.inventory import _values
from sovereign.inventory._json import JsonFile, Shape, describe, pointer, pointer_join, read_json
from sovereign.inventory._rows import Document, Entry, build_inventory
from sovereign.model import Biv, Inventory, Location, RejectedRow

__all__ = ["SUFFIXES", "is_document", "read", "read_table"]

SUFFIXES = (".json",)

_USE = "voorzieninggebruik"
# Statuses of a use that mean it has ended: the schema's "Beëindigd" and the information model's
# "uitgefaseerd" (compared without case and accents).
_ENDED = frozenset({"beeindigd", "uitgefaseerd"})
# Catalogue objects the reader looks things up in; the rest it counts and leaves alone.
_LOOKED_UP = ("voorziening", "voorzieningaanbod", "voorzieningversie", "organisatie", "koppeling")
_BIV_KEYS = ("beschikbaarheid", "integriteit", "vertrouwelijkheid")
_NOT_STATED = frozenset({"", "none", "null", "n/a", "-"})


def is_document(value: object) -> bool:
    """True for a JSON value shaped like an OpenRegister export: ``components`` with ``objects``."""
    if not isinstance(value, dict) or "bomFormat" in value:
        return False
    components = value.get("components")
    return isinstance(components, dict) and isinstance(components.get("objects"), list)


def read(path: Path) -> Inventory:
    """Read the applications in use from one Softwarecatalogus register export."""
    return build_inventory([read_table(path)])


def read_table(path: Path) -> Document:
    """Read one register export into application entries, for ``_rows.build_inventory``."""
    return _read_register(read_json(path))


# ---------------------------------------------------------------------------------------------------------
# Index the objects


@dataclass(slots=True)
class _Object:
    at: str
    schema: str
    id: str | None
    value: Mapping[str, Any]


@dataclass(slots=True)
class _Register:
    label: str
    shape: Shape
    objects: list[_Object] = field(default_factory=list)
    by_id: dict[str, dict[str, _Object]] = field(default_factory=dict)  # schema -> id -> object
    warnings: list[str] = field(default_factory=list)

    def get(self, schema: str, object_id: str | None) -> _Object | None:
        return self.by_id.get(schema, {}).get(object_id) if object_id else None

    def of(self, schema: str) -> list[_Object]:
        return [o for o in self.objects if o.schema == schema]

    def name(self, obj: _Object | None) -> str | None:
        """The object's ``naam``, None when there is no object or no name."""
        return self.shape.text(obj.value, "naam", obj.at) if obj is not None else None


def _read_register(file: JsonFile) -> Document:
    shape = Shape(file.label)
    top = file.value
    components = None
    if not isinstance(top, dict):
        shape.error("", f"a Softwarecatalogus register export is a JSON object, found {describe(top)}")
    elif not isinstance(top.get("components"), dict):
        shape.error(
            "/components",
            "not a Softwarecatalogus register export: no 'components' object",
            hint="export the register from OpenRegister (Registers > Export) as JSON",
        )
    else:
        components = top["components"]
        if not isinstance(components.get("objects"), list):
            found = (
                "is missing" if components.get("objects") is None else f"is {describe(components['objects'])}"
            )
            shape.error("/components/objects", f"'objects' {found}; expected an array of register objects")
    shape.raise_errors()
    assert components is not None

    register = _Register(label=file.label, shape=shape)
    for index, item in enumerate(components["objects"]):
        _index(register, item, pointer("components", "objects", index))

    uses = register.of(_USE)
    if not uses:
        shape.raise_errors()
        raise InputError(
            f"the register has no {_USE} objects: nothing says which applications are in use",
            location=file.label,
            hint="export the register with the organisation's voorzieninggebruik objects",
        )
    entries: list[Entry] = []
    rejected: list[RejectedRow] = []
    for use in uses:
        _read_use(register, use, entries, rejected)
    references = _couplings(register, {e.key for e in entries})
    entries = [_with_couplings(e, references.get(e.key)) for e in entries]
    shape.raise_errors()
    register.warnings.append(_summary(register, len(uses)))
    return Document(
        label=file.label,
        sha256=file.sha256,
        entries=tuple(entries),
        rejected=tuple(rejected),
        warnings=tuple(register.warnings),
    )


def _index(register: _Register, item: object, at: str) -> None:
    shape = register.shape
    value = shape.object(item, at, "a register object")
    if value is None:
        return
    meta = value.get("@self")
    if meta is None:
        shape.error(pointer_join(at, "@self"), "the object has no '@self', so its schema is not known")
        return
    meta = shape.object(meta, pointer_join(at, "@self"), "'@self'")
    if meta is None:
        return
    schema = shape.text(meta, "schema", pointer_join(at, "@self"))
    if schema is None:
        shape.error(pointer_join(at, "@self", "schema"), "the object does not name its schema")
        return
    object_id = shape.text(meta, "id", pointer_join(at, "@self")) or shape.text(value, "id", at)
    obj = _Object(at=at, schema=schema, id=object_id, value=value)
    ids = register.by_id.setdefault(schema, {})
    first = ids.get(object_id) if object_id else None
    if first is not None and first.id == object_id:
        shape.error(
            pointer_join(at, "@self", "id"),
            f"{schema} id '{object_id}' is used before, at {first.at}; ids must be unique",
        )
        return
    register.objects.append(obj)
    for key in {object_id, shape.text(value, "id", at)}:
        if key is not None:
            ids.setdefault(key, obj)


# ---------------------------------------------------------------------------------------------------------
# One use


def _read_use(register: _Register, use: _Object, entries: list[Entry], rejected: list[RejectedRow]) -> None:
    shape, value, at = register.shape, use.value, use.at
    location = Location(path=register.label, element=at)
    status = shape.text(value, "status", at)
    if status and _fold(status) in _ENDED:
        rejected.append(RejectedRow(source=location, reason=f"no longer in use (status '{status}')"))
        return
    voorziening_id = shape.text(value, "voorzieningId", at)
    if voorziening_id is None:  # the version's offer may still say which voorziening is in use
        voorziening_id = _offered(register, use)
    voorziening = register.get("voorziening", voorziening_id)
    name = shape.text(value, "naam", at) or register.name(voorziening)
    if name is None:
        if voorziening_id is None:
            reason = "no voorzieningId, so no application name"
        elif voorziening is None:
            reason = f"voorziening '{voorziening_id}' is not in the file, so no application name"
        else:
            reason = f"voorziening '{voorziening_id}' has no naam"
        rejected.append(RejectedRow(source=location, reason=reason))
        return

    extra: list[tuple[str, str]] = []

    def keep(header: str, text: object) -> None:
        if text is not None and str(text).strip():
            extra.append((header, str(text).strip()))

    keep("id", use.id)
    keep("status", status)
    keep("startDatum", shape.text(value, "startDatum", at))
    keep("eindDatum", shape.text(value, "eindDatum", at))
    for key in ("bbnScore", "ibpScore"):
        keep(key, _number(shape, value, key, at))
    if voorziening is not None:
        keep("voorzieningstype", shape.text(voorziening.value, "voorzieningstype", voorziening.at))
        components = _list(register, voorziening, "referentieComponenten")
        keep("referentieComponenten", ", ".join(components))
    keep("beheerder", _person(register, use, "beheerder"))

    version, offer = _version(register, use, voorziening)
    vendor, vendor_note = _vendor(register, use, voorziening, offer)
    if vendor_note:
        keep("leverancier (not in file)", vendor_note)
    organisation_id = shape.text(value, "organisatieId", at)
    organisation_name = register.name(register.get("organisatie", organisation_id))
    if organisation_name is None:
        keep("organisatieId", organisation_id)
    hosting = _stated(shape.text(value, "hosting", at))
    if hosting is None and offer is not None:
        hosting = _stated(shape.text(offer.value, "hosting", offer.at))

    entries.append(
        Entry(
            location=location,
            key=use.id or at,
            values={
                "name": name,
                "vendor": vendor,
                "version": version,
                "category": shape.text(voorziening.value, "categorie", voorziening.at)
                if voorziening
                else None,
                "hosting": hosting,
                "organisation": organisation_name,
                "biv": _biv(register, use),
                "business_critical": _yes_no(register, use, "bedrijfsKritisch"),
                "personal_data": _yes_no(register, use, "privacyGevoelig"),
                "notes": shape.text(value, "opmerkingen", at),
                "extra": tuple(extra),
            },
        )
    )


def _offered(register: _Register, use: _Object) -> str | None:
    """The voorziening id behind a use's ``versieId``: version -> its aanbod -> that aanbod's voorziening."""
    version = register.get("voorzieningversie", register.shape.text(use.value, "versieId", use.at))
    offer = (
        register.get("voorzieningaanbod", _ref(register.shape, version, "voorzieningaanbod"))
        if version
        else None
    )
    return _ref(register.shape, offer, "voorziening") if offer else None


def _version(
    register: _Register, use: _Object, voorziening: _Object | None
) -> tuple[str | None, _Object | None]:
    """(versienummer, the aanbod the version belongs to), both None when the version does not fit the use."""
    shape = register.shape
    version_id = shape.text(use.value, "versieId", use.at)
    version = register.get("voorzieningversie", version_id)
    if version is None:
        return None, None
    offer = register.get("voorzieningaanbod", _ref(shape, version, "voorzieningaanbod"))
    offered = _ref(shape, offer, "voorziening") if offer else None
    if voorziening is not None and offered is not None and offered != voorziening.id:
        other_name = register.name(register.get("voorziening", offered))
        register.warnings.append(
            f"{register.label}#{pointer_join(use.at, 'versieId')}: version '{version_id}' belongs to "
            f"an offer of another voorziening ({_quote(other_name or offered)}); "
            "neither its version number nor that offer's supplier is used"
        )
        return None, None
    return shape.text(version.value, "versienummer", version.at), offer


def _vendor(
    register: _Register, use: _Object, voorziening: _Object | None, offer: _Object | None
) -> tuple[str | None, str | None]:
    """(vendor name, the leverancier id(s) when the file does not name them)."""
    shape = register.shape
    if offer is not None:
        offers = [offer]
    elif voorziening is not None:
        offers = [
            o for o in register.of("voorzieningaanbod") if _ref(shape, o, "voorziening") == voorziening.id
        ]
    else:
        offers = []
    supplier_ids = list(dict.fromkeys(s for o in offers if (s := _ref(shape, o, "leverancier"))))
    names = []
    missing = []
    for supplier_id in supplier_ids:
        supplier_name = register.name(register.get("organisatie", supplier_id))
        if supplier_name:
            names.append(supplier_name)
        else:
            missing.append(supplier_id)
    if len(set(names)) == 1 and not missing:
        return names[0], None
    if len(set(names)) > 1 or (names and missing):
        register.warnings.append(
            f"{register.label}#{use.at}: the offers of this voorziening name several suppliers and the use "
            "names no version; vendor left unknown"
        )
    return None, ", ".join(missing) or None


# ---------------------------------------------------------------------------------------------------------
# Values


def _biv(register: _Register, use: _Object) -> Biv | None:
    """``bivClassificatie`` as an object (Laag/Midden/Hoog or 1-3 per part) or as text (``2/3/3``)."""
    at = pointer_join(use.at, "bivClassificatie")
    value = _decoded(use.value.get("bivClassificatie"))
    if value is None or value == {} or value == "":
        return None
    try:
        if isinstance(value, str):
            return _values.parse_biv(value)
        if isinstance(value, dict):
            levels = []
            for key in _BIV_KEYS:
                part = value.get(key)
                levels.append(_values.parse_level(str(part)) if part is not None else None)
            return (
                None
                if levels == [None, None, None]
                else Biv(availability=levels[0], integrity=levels[1], confidentiality=levels[2])
            )
    except ValueError:
        pass
    register.warnings.append(
        f"{register.label}#{at}: {_shown(value)} is not a BIV classification "
        "(expected beschikbaarheid, integriteit, vertrouwelijkheid: Laag, Midden or Hoog); left unknown"
    )
    return None


def _yes_no(register: _Register, use: _Object, key: str) -> bool | None:
    """A boolean field as true/false, 1/0 (OpenRegister exports write both) or ja/nee text."""
    value = use.value.get(key)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        try:
            return _values.parse_yes_no(value)
        except ValueError:
            pass
    register.warnings.append(
        f"{register.label}#{pointer_join(use.at, key)}: {_shown(value)} is not true or false; left unknown"
    )
    return None


def _number(shape: Shape, value: Mapping[str, Any], key: str, at: str) -> str | None:
    item = value.get(key)
    if item is None or isinstance(item, bool) or not isinstance(item, int | float | str):
        if item is not None:
            shape.error(pointer_join(at, key), f"'{key}' must be a number, found {describe(item)}")
        return None
    return str(item).strip() or None


def _person(register: _Register, obj: _Object, key: str) -> str | None:
    """A contact's name and function; e-mail addresses and phone numbers are left out of the report."""
    value = _decoded(obj.value.get(key))
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    name = value.get("naam")
    function = value.get("functie")
    if not isinstance(name, str) or not name.strip():
        return None
    if isinstance(function, str) and function.strip():
        return f"{name.strip()} ({function.strip()})"
    return name.strip()


def _list(register: _Register, obj: _Object, key: str) -> list[str]:
    """An array of strings, also when OpenRegister wrote it as JSON text."""
    value = _decoded(obj.value.get(key))
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        register.shape.error(pointer_join(obj.at, key), f"'{key}' must be an array of strings")
        return []
    return [v.strip() for v in value if v.strip()]


def _ref(shape: Shape, obj: _Object, key: str) -> str | None:
    """The id in ``obj[key]``: a string, or an embedded object's ``id``."""
    value = obj.value.get(key)
    if isinstance(value, dict):
        nested = value.get("id")
        return nested.strip() or None if isinstance(nested, str) else None
    return shape.text(obj.value, key, obj.at)


def _decoded(value: object) -> object:
    """A value OpenRegister may have written as JSON text (``"[\\"a\\"]"``, ``"{...}"``), decoded."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _stated(text: str | None) -> str | None:
    return None if text is None or text.casefold() in _NOT_STATED else text


def _fold(text: str) -> str:
    """Lower case without accents: ``Beëindigd`` -> ``beeindigd``."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _shown(value: object) -> str:
    """A JSON value for a message: text quoted as it is, anything else as JSON."""
    return _quote(value if isinstance(value, str) else json.dumps(value, ensure_ascii=False))


def _quote(text: str) -> str:
    flat = " ".join(text.split())
    return f"'{flat[:57]}...'" if len(flat) > 60 else f"'{flat}'"


# ---------------------------------------------------------------------------------------------------------
# Koppelingen and the summary


def _couplings(register: _Register, use_keys: set[str]) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Per use key: (uses it depends on, voorziening names it depends on, ids not in the file)."""
    shape = register.shape
    found: dict[str, tuple[list[str], list[str], list[str]]] = {}
    for coupling in register.of("koppeling"):
        source = shape.text(coupling.value, "van", coupling.at)
        target = shape.text(coupling.value, "naar", coupling.at)
        where = f"{register.label}#{coupling.at}"
        if source is None or target is None:
            register.warnings.append(f"{where}: a koppeling needs both 'van' and 'naar'; left out")
            continue
        if source not in use_keys:
            register.warnings.append(
                f"{where}: 'van' {_quote(source)} is not a voorzieninggebruik read as an application; left out"
            )
            continue
        uses, names, unknown = found.setdefault(source, ([], [], []))
        target_use = register.get(_USE, target)
        target_name = register.name(register.get("voorziening", target))
        if target_use is not None and (target_use.id or target_use.at) in use_keys:
            uses.append(target_use.id or target_use.at)
        elif target_name is not None:
            names.append(target_name)
        else:
            unknown.append(target)
            register.warnings.append(
                f"{where}: 'naar' {_quote(target)} is no application or voorziening in the file; "
                "kept as extra data"
            )
    return found


def _with_couplings(entry: Entry, found: tuple[list[str], list[str], list[str]] | None) -> Entry:
    if found is None:
        return entry
    uses, names, unknown = found
    values = dict(entry.values)
    values["depends_on"] = tuple(dict.fromkeys(names))
    if unknown:
        values["extra"] = (*values["extra"], ("koppeling naar (not in file)", ", ".join(unknown)))
    references = tuple(dict.fromkeys(u for u in uses if u != entry.key))
    return Entry(location=entry.location, key=entry.key, values=values, references=references)


def _summary(register: _Register, uses: int) -> str:
    counts = Counter(o.schema for o in register.objects if o.schema != _USE)
    looked_up = ", ".join(f"{counts[s]} {s}" for s in _LOOKED_UP if counts[s])
    other = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()) if s not in _LOOKED_UP)
    others = sum(counts.values())
    text = (
        f"{register.label}: {uses} {_USE} {'object' if uses == 1 else 'objects'} read; the other "
        f"{others} {'object is' if others == 1 else 'objects are'} catalogue data, not uses"
    )
    if looked_up:
        text += f"; looked up: {looked_up}"
    if other:
        text += f"; not read: {other}"
    return text
