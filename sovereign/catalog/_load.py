"""Read catalog YAML files into validated ``Catalog`` records.

Reads the shipped catalog (found through ``importlib.resources`` in a wheel, or next to the package in a
checkout) plus any local overlay folders, checks every record against the schema in
``catalogs/README.md`` and the references between records, and raises all problems at once as
``InputErrors`` of ``CatalogError`` naming file, line and record. No network, no printing.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import os
import pickle
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import CatalogError, InputError, InputErrors
from ..model import (
    Adopter,
    Alternative,
    Bloc,
    Catalog,
    Confidence,
    Delivery,
    Entity,
    HostingRegion,
    Jurisdiction,
    Law,
    Owner,
    Product,
    Source,
)

__all__ = ["KINDS", "catalog_root", "load_catalog"]

#: Top-level key -> the folder or file that holds it.
KINDS = ("entities", "products", "hosting", "jurisdictions", "laws", "alternatives")

_ENTITY_KINDS = {
    "company",
    "listed",
    "private-equity",
    "holding",
    "foundation",
    "public-body",
    "cooperative",
    "community",
    "person",
}
_LINE = "__line__"


def catalog_root() -> Path:
    """The shipped catalog folder: ``sovereign/catalogs`` in a wheel, ``catalogs/`` in a checkout."""
    packaged = Path(str(importlib.resources.files("sovereign"))) / "catalogs"
    if packaged.is_dir():
        return packaged
    # In a checkout (editable install) the data sits next to the package, not inside it.
    return Path(__file__).resolve().parents[2] / "catalogs"


# ---------------------------------------------------------------------------------------------------------
# YAML with line numbers


# libyaml's parser when PyYAML was built with it (about four times faster on the shipped catalog).
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[valid-type,misc]
    """A safe loader that records the line of every mapping under the key ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = {str(k): v for k, v in loader.construct_mapping(node, deep=True).items()}
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# YAML 1.1 reads NO (Norway), yes, on and off as booleans. Only true and false are booleans here (as in
# YAML 1.2), so that `country: NO` stays a country.
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_LineLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _read_yaml(path: Path, shown: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise CatalogError("not UTF-8 text", location=shown) from e
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        where = f"{shown}:{line}" if line else shown
        raise CatalogError(f"invalid YAML: {e.problem}", location=where) from e
    except yaml.YAMLError as e:
        raise CatalogError(f"invalid YAML: {e}", location=shown) from e


# ---------------------------------------------------------------------------------------------------------
# Raw records


@dataclass(frozen=True, slots=True)
class _Raw:
    kind: str
    data: dict[str, Any]
    file: str  # as shown to the user
    line: int
    local: bool
    candidate: bool = False  # from a `sovereign check` candidate file: local, but needs no reason

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    @property
    def label(self) -> str:
        key = self.data.get("code") if self.kind == "jurisdictions" else self.data.get("id")
        return f"{_SINGULAR[self.kind]} '{key}'"


_SINGULAR = {
    "entities": "entity",
    "products": "product",
    "hosting": "hosting region",
    "jurisdictions": "jurisdiction",
    "laws": "law",
    "alternatives": "alternative",
}


#: The kind names used in node ids and reports ("product:x"), per top-level key.
_SINGULAR_KIND = {
    "entities": "entity",
    "products": "product",
    "hosting": "hosting",
    "jurisdictions": "jurisdiction",
    "laws": "law",
    "alternatives": "alternative",
}


#: Folders of a catalog that hold no catalog records: the example inventory and the policies.
_NOT_RECORDS = {"examples", "policies"}


def _yaml_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.yaml") if not _NOT_RECORDS & set(p.relative_to(root).parts))


def _collect(
    root: Path,
    *,
    local: bool,
    errors: list[CatalogError],
    shipped: bool = False,
    candidate: bool = False,
) -> tuple[list[_Raw], list[tuple[str, bytes]]]:
    records: list[_Raw] = []
    digested: list[tuple[str, bytes]] = []
    if not root.exists():
        errors.append(CatalogError("catalog folder does not exist", location=str(root)))
        return records, digested
    if not root.is_dir() and not (candidate and root.is_file()):
        errors.append(CatalogError("catalog path is not a folder", location=str(root)))
        return records, digested
    for path in [root] if root.is_file() else _yaml_files(root):
        relative = path.name if root.is_file() else path.relative_to(root).as_posix()
        shown = f"catalogs/{relative}" if shipped else str(path)
        digested.append(((("local:" + str(root) + "/") if local else "") + relative, path.read_bytes()))
        try:
            document = _read_yaml(path, shown)
        except CatalogError as e:
            errors.append(e)
            continue
        if document is None:
            continue
        if not isinstance(document, dict):
            errors.append(CatalogError("expected a mapping with one of " + ", ".join(KINDS), location=shown))
            continue
        for key, value in document.items():
            if key == _LINE:
                continue
            if key not in KINDS:
                errors.append(
                    CatalogError(
                        f"unknown top-level key '{key}' (expected one of {', '.join(KINDS)})",
                        location=f"{shown}:{document[_LINE]}",
                    )
                )
                continue
            if not isinstance(value, list):
                errors.append(CatalogError(f"'{key}' must be a list of records", location=shown))
                continue
            for item in value:
                if not isinstance(item, dict):
                    errors.append(CatalogError(f"every item of '{key}' must be a mapping", location=shown))
                    continue
                records.append(_Raw(key, item, shown, int(item.get(_LINE, 0)), local, candidate))
    return records, digested


# ---------------------------------------------------------------------------------------------------------
# Field checks


class _Fields:
    """Reads and checks the fields of one raw record, collecting errors instead of stopping."""

    def __init__(self, raw: _Raw, errors: list[CatalogError]) -> None:
        self.raw = raw
        self.errors = errors
        self.seen: set[str] = {_LINE}

    def error(self, message: str) -> None:
        self.errors.append(CatalogError(f"{self.raw.label}: {message}", location=self.raw.where))

    def text(self, name: str, *, required: bool = False) -> str | None:
        self.seen.add(name)
        value = self.raw.data.get(name)
        if value is None or value == "":
            if required:
                self.error(f"field '{name}' is required")
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if hasattr(value, "isoformat"):  # YAML turns 2026-11-23 into a date
            return str(value.isoformat())
        if not isinstance(value, str):
            self.error(f"field '{name}' must be text")
            return None
        return value.strip()

    def texts(self, name: str) -> tuple[str, ...]:
        self.seen.add(name)
        value = self.raw.data.get(name)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
            self.error(f"field '{name}' must be a list of text")
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def boolean(self, name: str) -> bool | None:
        self.seen.add(name)
        value = self.raw.data.get(name)
        if value is None or isinstance(value, bool):
            return value
        self.error(f"field '{name}' must be true or false")
        return None

    def choice(
        self, name: str, allowed: Callable[[str], Any], *, required: bool = False, default: Any = None
    ) -> Any:
        value = self.text(name, required=required)
        if value is None:
            return default
        try:
            return allowed(value)
        except ValueError:
            self.error(f"field '{name}' has unknown value '{value}'")
            return default

    def country(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None and not (len(value) == 2 and value.isalpha() and value.isupper()):
            self.error(f"field '{name}' must be an ISO 3166 alpha-2 code like NL, got '{value}'")
            return None
        return value

    def countries(self, name: str) -> tuple[str, ...]:
        values = self.texts(name)
        for value in values:
            if not (len(value) == 2 and value.isalpha() and value.isupper()):
                self.error(f"field '{name}' must hold ISO 3166 alpha-2 codes like NL, got '{value}'")
                return ()
        return values

    def date(self, value: Any, what: str) -> str | None:
        if value is None:
            return None
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        if len(text) != 10 or text[4] != "-" or text[7] != "-" or not text.replace("-", "").isdigit():
            self.error(f"{what} must be a date YYYY-MM-DD, got '{text}'")
            return None
        return text

    def sources(self) -> tuple[Source, ...]:
        self.seen.add("sources")
        value = self.raw.data.get("sources")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error("field 'sources' must be a list of {url, title, checked}")
            return ()
        result = []
        for item in value:
            if not isinstance(item, dict) or not item.get("url"):
                self.error("every source needs a 'url'")
                continue
            url = str(item["url"]).strip()
            if not url.startswith(("https://", "http://")):
                self.error(f"source url must start with https:// or http://, got '{url}'")
            checked = self.date(item.get("checked"), "source 'checked'")
            if checked is None and item.get("checked") is None:
                self.error(f"source '{url}' needs a 'checked' date")
            result.append(Source(url=url, title=str(item.get("title") or url).strip(), checked=checked or ""))
        return tuple(result)

    def provenance(self) -> tuple[tuple[Source, ...], Confidence]:
        sources = self.sources()
        confidence = self.choice("confidence", Confidence, default=None)
        if confidence is None:
            confidence = Confidence.INFERRED if not sources else Confidence.REPORTED
            if "confidence" not in self.raw.data:
                self.error("field 'confidence' is required (verified, reported or inferred)")
        if not sources and confidence != Confidence.INFERRED:
            self.error(f"has no sources, so its confidence must be 'inferred', not '{confidence}'")
        return sources, confidence

    def local(self) -> tuple[str, str | None]:
        reason = self.text("reason")
        if self.raw.candidate:
            return "candidate", reason
        if self.raw.local and not reason:
            self.error("a local overlay record needs a 'reason' (why you know better)")
        return ("local" if self.raw.local else "catalog"), reason

    def record_fields(self) -> dict[str, Any]:
        """The fields every entity, product and hosting record shares: notes, provenance, origin, file."""
        sources, confidence = self.provenance()
        origin, reason = self.local()
        return {
            "notes": self.text("notes"),
            "sources": sources,
            "confidence": confidence,
            "origin": origin,
            "reason": reason,
            "file": self.raw.where,
        }

    def finish(self) -> None:
        unknown = sorted(set(self.raw.data) - self.seen)
        if unknown:
            self.error(
                f"unknown field{'s' if len(unknown) > 1 else ''} {', '.join(repr(u) for u in unknown)}"
            )


def _require_id(fields: _Fields) -> str:
    value = fields.text("id", required=True) or ""
    if value and (value != value.lower() or " " in value):
        fields.error("field 'id' must be kebab-case (lowercase, no spaces)")
    return value


def _entity(raw: _Raw, errors: list[CatalogError]) -> Entity:
    f = _Fields(raw, errors)
    owners: list[Owner] = []
    f.seen.add("owners")
    for item in raw.data.get("owners") or []:
        if not isinstance(item, dict) or not item.get("entity"):
            f.error("every owner needs an 'entity'")
            continue
        share = item.get("share")
        if share is not None and (
            not isinstance(share, (int, float)) or isinstance(share, bool) or not 0 <= share <= 100
        ):
            f.error(f"owner '{item['entity']}': share must be a number from 0 to 100, got '{share}'")
            share = None
        control = item.get("control")
        if control is not None and not isinstance(control, bool):
            f.error(f"owner '{item['entity']}': control must be true or false")
            control = None
        owners.append(
            Owner(
                entity=str(item["entity"]),
                share=None if share is None else float(share),
                as_of=f.date(item.get("as_of"), f"owner '{item['entity']}': as_of"),
                control=control,
            )
        )
    kind = f.text("kind") or "company"
    if kind not in _ENTITY_KINDS:
        f.error(
            f"field 'kind' has unknown value '{kind}' (expected one of {', '.join(sorted(_ENTITY_KINDS))})"
        )
    entity = Entity(
        id=_require_id(f),
        name=f.text("name", required=True) or "",
        country=f.country("country"),
        aliases=f.texts("aliases"),
        lei=f.text("lei"),
        kind=kind,
        owners=tuple(owners),
        **f.record_fields(),
    )
    f.finish()
    return entity


def _product(raw: _Raw, errors: list[CatalogError]) -> Product:
    f = _Fields(raw, errors)
    product = Product(
        id=_require_id(f),
        name=f.text("name", required=True) or "",
        vendor=f.text("vendor", required=True) or "",
        delivery=f.choice("delivery", Delivery, required=True, default=Delivery.SAAS),
        aliases=f.texts("aliases"),
        category=f.text("category"),
        gemma_component=f.text("gemma_component"),
        operator=f.text("operator"),
        runs_on=f.texts("runs_on"),
        data_locations=f.countries("data_locations"),
        open_source=f.boolean("open_source"),
        license=f.text("license"),
        open_standards=f.texts("open_standards"),
        **f.record_fields(),
    )
    f.finish()
    return product


def _hosting(raw: _Raw, errors: list[CatalogError]) -> HostingRegion:
    f = _Fields(raw, errors)
    region = HostingRegion(
        id=_require_id(f),
        name=f.text("name", required=True) or "",
        operator=f.text("operator", required=True) or "",
        country=f.country("country"),
        city=f.text("city"),
        provider=f.text("provider"),
        aliases=f.texts("aliases"),
        **f.record_fields(),
    )
    f.finish()
    return region


def _jurisdiction(raw: _Raw, errors: list[CatalogError]) -> Jurisdiction:
    f = _Fields(raw, errors)
    sources, confidence = f.provenance()
    f.local()
    code = f.country("code") or ""
    if not code and "code" not in raw.data:
        f.error("field 'code' is required")
    jurisdiction = Jurisdiction(
        code=code,
        name=f.text("name", required=True) or "",
        bloc=f.choice("bloc", Bloc, required=True, default=Bloc.OTHER),
        laws=f.texts("laws"),
        sources=sources,
        confidence=confidence,
    )
    f.text("notes")
    f.finish()
    return jurisdiction


def _law(raw: _Raw, errors: list[CatalogError]) -> Law:
    f = _Fields(raw, errors)
    sources, confidence = f.provenance()
    f.local()
    law = Law(
        id=_require_id(f),
        name=f.text("name", required=True) or "",
        country=f.country("country") or "",
        summary=f.text("summary", required=True) or "",
        sources=sources,
        confidence=confidence,
    )
    f.text("notes")
    f.finish()
    return law


HOSTING_OPTIONS = ("self-hosted", "dutch-cloud", "european-cloud", "vendor-saas")
MATURITY = ("emerging", "growing", "established")
EFFORT = ("low", "medium", "high")
_ADOPTER_KINDS = {"municipality", "government", "public-body", "education", "healthcare", "other"}


def _one_of(f: _Fields, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = f.text(name) or default
    if value not in allowed:
        f.error(f"field '{name}' has unknown value '{value}' (expected one of {', '.join(allowed)})")
    return value


def _alternative(raw: _Raw, errors: list[CatalogError]) -> Alternative:
    f = _Fields(raw, errors)
    replaces = raw.data.get("replaces") or {}
    f.seen.add("replaces")
    if not isinstance(replaces, dict) or set(replaces) - {"categories", "products", _LINE}:
        f.error("field 'replaces' must be a mapping with 'categories' and/or 'products'")
        replaces = {}
    categories, products = replaces.get("categories") or [], replaces.get("products") or []
    if not isinstance(categories, list) or not isinstance(products, list):
        f.error("'replaces: categories' and 'replaces: products' must be lists")
        categories, products = [], []
    if not categories and not products:
        f.error("field 'replaces' must name at least one category or product")
    options = f.texts("hosting_options")
    for option in options:
        if option not in HOSTING_OPTIONS:
            f.error(f"hosting option '{option}' is not one of {', '.join(HOSTING_OPTIONS)}")
    adopters = []
    f.seen.add("adopters")
    for item in raw.data.get("adopters") or []:
        if not isinstance(item, dict) or not item.get("name"):
            f.error("every adopter needs a 'name'")
            continue
        unknown = set(item) - {"name", "country", "kind", "url", "title", "checked", _LINE}
        if unknown:
            f.error(f"adopter '{item['name']}': unknown field(s) {', '.join(sorted(unknown))}")
        kind = str(item.get("kind") or "public-body")
        if kind not in _ADOPTER_KINDS:
            f.error(
                f"adopter '{item['name']}': kind '{kind}' is not one of {', '.join(sorted(_ADOPTER_KINDS))}"
            )
        source = None
        if item.get("url"):
            checked = f.date(item.get("checked"), f"adopter '{item['name']}': checked")
            if checked is None:
                f.error(f"adopter '{item['name']}' needs a 'checked' date for its url")
            source = Source(
                url=str(item["url"]), title=str(item.get("title") or item["url"]), checked=checked or ""
            )
        adopters.append(
            Adopter(name=str(item["name"]), country=item.get("country"), kind=kind, source=source)
        )
    fields = f.record_fields()
    alternative = Alternative(
        id=_require_id(f),
        product=f.text("product", required=True) or "",
        replaces_categories=tuple(str(c) for c in categories),
        replaces_products=tuple(str(p) for p in products),
        hosting_options=options,
        maturity=_one_of(f, "maturity", MATURITY, "growing"),
        effort=_one_of(f, "effort", EFFORT, "medium"),
        adopters=tuple(adopters),
        open_standards=f.texts("open_standards"),
        **fields,
    )
    f.finish()
    return alternative


_BUILDERS: dict[str, Callable[[_Raw, list[CatalogError]], Any]] = {
    "alternatives": _alternative,
    "entities": _entity,
    "products": _product,
    "hosting": _hosting,
    "jurisdictions": _jurisdiction,
    "laws": _law,
}


# ---------------------------------------------------------------------------------------------------------
# Loading and cross-record checks


def load_catalog(
    overlays: Sequence[Path] = (), *, root: Path | None = None, candidate: Path | None = None
) -> Catalog:
    """Load the shipped catalog, overlay each local folder on top, validate everything, and return it.

    Raises ``InputErrors`` listing every problem (file:line, record, field) when anything is wrong.

    The shipped catalog alone (no overlay, no candidate) is kept, once validated, in a cache keyed by the
    contents of its files and of the code that reads them (see ``_cached``): parsing its YAML is most of a
    small audit's start-up.
    """
    if not overlays and root is None and candidate is None:
        return _cached(catalog_root(), lambda: _load_catalog((), root=None, candidate=None))
    return _load_catalog(overlays, root=root, candidate=candidate)


def _cache_folder() -> Path | None:
    """``$SOVEREIGN_CACHE_DIR``, else ``$XDG_CACHE_HOME/sovereign``, else ``~/.cache/sovereign``; None when
    it cannot be made, or is not the user's own and private (a pickle from a folder others can write to would
    run their code)."""
    configured = os.environ.get("SOVEREIGN_CACHE_DIR")
    if configured == "":
        return None  # set but empty: no cache
    base = (
        Path(configured) if configured else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    )
    folder = base if configured else base / "sovereign"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None
    return folder


def _cached(root: Path, load: Callable[[], Catalog]) -> Catalog:
    h = hashlib.sha256()
    for path in [Path(__file__), Path(__file__).parents[1] / "model.py", *_yaml_files(root)]:
        h.update(str(path.relative_to(root) if path.is_relative_to(root) else path.name).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    folder = _cache_folder()
    target = folder / f"catalog-{h.hexdigest()[:32]}.pickle" if folder else None
    if target is not None and target.is_file():
        try:
            with target.open("rb") as f:
                found = pickle.load(f)
            if isinstance(found, Catalog):
                return found
        except Exception:  # a damaged or foreign cache file: load the catalog again
            pass
    catalog = load()
    if target is not None:
        temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        try:
            with temp.open("wb") as f:
                pickle.dump(catalog, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temp, target)
        except OSError:
            temp.unlink(missing_ok=True)
    return catalog


def _load_catalog(overlays: Sequence[Path], *, root: Path | None, candidate: Path | None) -> Catalog:
    errors: list[CatalogError] = []
    raws, digested = _collect(root or catalog_root(), local=False, errors=errors, shipped=root is None)
    for overlay in overlays:
        more, more_digested = _collect(overlay, local=True, errors=errors)
        raws += more
        digested += more_digested
    if candidate is not None:
        more, more_digested = _collect(candidate, local=True, errors=errors, candidate=True)
        raws += more
        digested += more_digested

    tables: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    overridden: set[str] = set()
    for raw in raws:
        record = _BUILDERS[raw.kind](raw, errors)
        key = record.code if raw.kind == "jurisdictions" else record.id
        if not key:
            continue
        table = tables[raw.kind]
        if key in table and raw.local and (table[key].origin == "catalog" or raw.candidate):
            overridden.add(f"{_SINGULAR_KIND[raw.kind]}:{key}")
        elif key in table:
            errors.append(
                CatalogError(
                    f"{raw.label}: duplicate id (first defined at {_where(table[key])})", location=raw.where
                )
            )
            continue
        table[key] = record

    catalog = Catalog(
        entities=tables["entities"],
        products=tables["products"],
        hosting=tables["hosting"],
        jurisdictions=tables["jurisdictions"],
        laws=tables["laws"],
        alternatives=tables["alternatives"],
        overridden=tuple(sorted(overridden)),
        digest=_digest(digested),
    )
    errors += _check_references(catalog)
    if errors:
        raise InputErrors(sorted(errors, key=_error_order))
    return catalog


def _error_order(error: InputError) -> tuple[str, int]:
    """File order, then line order, so the listing reads top to bottom."""
    path, _, line = (error.location or "").rpartition(":")
    return (path, int(line)) if line.isdigit() else (error.location or "", 0)


def _where(record: Any) -> str:
    return str(getattr(record, "file", None) or "?")


def _digest(files: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for name, content in sorted(files):
        h.update(name.encode() + b"\0" + hashlib.sha256(content).digest())
    return "sha256:" + h.hexdigest()


def _check_references(catalog: Catalog) -> list[CatalogError]:
    """References resolve, ownership has no cycles, shares add up, countries are known, aliases are unique."""
    errors: list[CatalogError] = []

    def err(record: Any, label: str, message: str) -> None:
        file = getattr(record, "file", None) or ""
        errors.append(CatalogError(f"{label}: {message}", location=file or None))

    known_countries = set(catalog.jurisdictions)

    def check_country(record: Any, label: str, code: str | None, field_name: str) -> None:
        if code and known_countries and code not in known_countries:
            err(record, label, f"field '{field_name}' is '{code}', which jurisdictions.yaml does not define")

    for e in catalog.entities.values():
        label = f"entity '{e.id}'"
        check_country(e, label, e.country, "country")
        total = 0.0
        for owner in e.owners:
            if owner.entity not in catalog.entities:
                err(e, label, f"owner '{owner.entity}' is not a known entity")
            if owner.entity == e.id:
                err(e, label, "owns itself")
            total += owner.share or 0.0
        if total > 100.0001:
            err(e, label, f"owner shares add up to {total:g} %, more than 100 %")
        controlling = [
            o for o in e.owners if o.control is True or (o.control is None and (o.share or 0) > 50)
        ]
        if len(controlling) > 1:
            err(e, label, "has more than one controlling owner (share > 50 % or control: true)")
    for cycle in _ownership_cycles(catalog):
        first = catalog.entities[cycle[0]]
        err(first, f"entity '{first.id}'", "ownership cycle: " + " -> ".join([*cycle, cycle[0]]))

    places = set(catalog.products) | set(catalog.hosting)
    for p in catalog.products.values():
        label = f"product '{p.id}'"
        if p.vendor not in catalog.entities:
            err(p, label, f"vendor '{p.vendor}' is not a known entity")
        if p.operator and p.operator not in catalog.entities:
            err(p, label, f"operator '{p.operator}' is not a known entity")
        for target in p.runs_on:
            if target not in places:
                err(p, label, f"runs_on '{target}' is neither a product nor a hosting region")
            if target == p.id:
                err(p, label, "runs on itself")
        for code in p.data_locations:
            check_country(p, label, code, "data_locations")
    for h in catalog.hosting.values():
        label = f"hosting region '{h.id}'"
        if h.operator not in catalog.entities:
            err(h, label, f"operator '{h.operator}' is not a known entity")
        if h.provider and h.provider not in catalog.products:
            err(h, label, f"provider '{h.provider}' is not a known product")
        check_country(h, label, h.country, "country")
    for j in catalog.jurisdictions.values():
        for law in j.laws:
            if law not in catalog.laws:
                errors.append(
                    CatalogError(
                        f"jurisdiction '{j.code}': law '{law}' is not defined under 'laws:'",
                        location="catalogs/jurisdictions.yaml",
                    )
                )

    categories = {p.category for p in catalog.products.values() if p.category}
    for a in catalog.alternatives.values():
        label = f"alternative '{a.id}'"
        if a.product not in catalog.products:
            err(a, label, f"product '{a.product}' is not a known product")
        for pid in a.replaces_products:
            if pid not in catalog.products:
                err(a, label, f"replaces product '{pid}', which is not a known product")
        for category in a.replaces_categories:
            if category not in categories:
                err(a, label, f"replaces category '{category}', which no product in the catalog has")
        for adopter in a.adopters:
            check_country(a, label, adopter.country, f"adopter '{adopter.name}': country")

    errors += _check_aliases(catalog)
    return errors


def _ownership_cycles(catalog: Catalog) -> Iterator[list[str]]:
    """Every ownership cycle once, found by a depth-first walk over all owners (not only controlling ones)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> Iterator[list[str]]:
        state[node] = 1
        stack.append(node)
        for owner in catalog.entities[node].owners:
            if owner.entity not in catalog.entities:
                continue
            if state.get(owner.entity) == 1:
                yield stack[stack.index(owner.entity) :]
            elif owner.entity not in state:
                yield from visit(owner.entity)
        stack.pop()
        state[node] = 2

    for start in sorted(catalog.entities):
        if start not in state:
            yield from visit(start)


def _check_aliases(catalog: Catalog) -> list[CatalogError]:
    """No name or alias may mean two products (after normalisation), nor two hosting regions."""
    from .matching import normalise  # local import: matching imports this module's types

    errors: list[CatalogError] = []
    tables: tuple[tuple[str, list[Product | HostingRegion]], ...] = (
        ("product", list(catalog.products.values())),
        ("hosting region", list(catalog.hosting.values())),
    )
    for kind, records in tables:
        seen: dict[str, str] = {}
        for record in sorted(records, key=lambda r: r.id):
            for name in {normalise(n) for n in (record.name, *record.aliases)}:
                if not name:
                    continue
                other = seen.setdefault(name, record.id)
                if other != record.id:
                    errors.append(
                        CatalogError(
                            f"{kind} '{record.id}': name or alias '{name}' also means {kind} '{other}'",
                            location=record.file,
                        )
                    )
    return errors
