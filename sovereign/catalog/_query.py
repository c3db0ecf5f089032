"""Questions about the catalog itself: find a record, describe it with its control chain, search, staleness, stats.

Pure functions over a loaded ``Catalog`` that return plain dicts and lists (the CLI prints them as text or
JSON). A record is found by id, name or alias after the same normalisation the inventory matching uses.
No I/O, no printing, no clock (the caller passes the date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from ..errors import UserError
from ..model import Alternative, Catalog, Entity, HostingRegion, Jurisdiction, Law, Product, Source
from ._control import control_chain, controlling_owner
from .matching import normalise

__all__ = [
    "CatalogRecord",
    "catalog_stats",
    "describe_record",
    "find_record",
    "search_catalog",
    "stale_facts",
]

Record = Entity | Product | HostingRegion | Jurisdiction | Law | Alternative


@dataclass(frozen=True, slots=True)
class CatalogRecord:
    kind: str  # entity | product | hosting | jurisdiction | law | alternative
    record: Record

    @property
    def id(self) -> str:
        return self.record.code if isinstance(self.record, Jurisdiction) else self.record.id

    @property
    def name(self) -> str:
        return self.record.product if isinstance(self.record, Alternative) else self.record.name


def _records(catalog: Catalog) -> Iterator[CatalogRecord]:
    for kind, table in (
        ("product", catalog.products),
        ("entity", catalog.entities),
        ("hosting", catalog.hosting),
        ("alternative", catalog.alternatives),
        ("jurisdiction", catalog.jurisdictions),
        ("law", catalog.laws),
    ):
        for key in sorted(table):
            yield CatalogRecord(kind, table[key])


def _names(item: CatalogRecord) -> list[str]:
    record = item.record
    names = [item.id, getattr(record, "name", "")]
    names += list(getattr(record, "aliases", ()))
    return [normalise(n) for n in names if n]


def find_record(catalog: Catalog, text: str) -> CatalogRecord:
    """The record whose id, name or alias is ``text``; products first, then entities, regions, the rest.

    Raises ``UserError`` naming the closest records when nothing matches exactly.
    """
    wanted = normalise(text)
    for item in _records(catalog):
        if item.id == text or wanted in _names(item):
            return item
    close = search_catalog(catalog, text, limit=3)
    hint = "; ".join(f"{r['kind']} '{r['id']}' ({r['name']})" for r in close)
    raise UserError(
        f"'{text}' is not an id, name or alias in the catalog"
        + (f"\nHint: did you mean {hint}?" if hint else "")
    )


def search_catalog(catalog: Catalog, text: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Records whose id, name or alias contains the text or resembles it, best first."""
    wanted = normalise(text)
    scored: dict[tuple[str, str], tuple[float, CatalogRecord]] = {}
    choices: dict[str, list[CatalogRecord]] = {}
    for item in _records(catalog):
        for name in _names(item):
            choices.setdefault(name, []).append(item)
            if wanted and wanted in name:
                key = (item.kind, item.id)
                score = 100.0 if name == wanted else 90.0 + 10.0 * len(wanted) / max(len(name), 1)
                if key not in scored or scored[key][0] < score:
                    scored[key] = (min(score, 100.0), item)
    for name, score, _ in process.extract(
        wanted, list(choices), scorer=fuzz.ratio, limit=limit, score_cutoff=75
    ):
        for item in choices[name]:
            key = (item.kind, item.id)
            if key not in scored or scored[key][0] < score * 0.95:
                scored[key] = (score * 0.95, item)
    ranked = sorted(scored.values(), key=lambda si: (-si[0], si[1].kind, si[1].id))[:limit]
    return [
        {"kind": item.kind, "id": item.id, "name": item.name, "score": round(score / 100, 3)}
        for score, item in ranked
    ]


# ---------------------------------------------------------------------------------------------------------
# Describe


def _source(source: Source) -> dict[str, str]:
    return {"url": source.url, "title": source.title, "checked": source.checked}


def _entity_ref(catalog: Catalog, entity_id: str | None) -> dict[str, Any] | None:
    if not entity_id or entity_id not in catalog.entities:
        return None
    e = catalog.entities[entity_id]
    return {"id": e.id, "name": e.name, "country": e.country}


def _chain(catalog: Catalog, entity_id: str) -> list[dict[str, Any]]:
    """The control chain, each link with ``share``: what its controlling owner (the next link) holds in it."""
    chain = control_chain(catalog, entity_id)
    links = []
    for i, eid in enumerate(chain):
        e = catalog.entities[eid]
        owner = controlling_owner(e) if i + 1 < len(chain) else None
        links.append(
            {
                "id": e.id,
                "name": e.name,
                "country": e.country,
                "kind": e.kind,
                "share": owner.share if owner else None,
                "confidence": str(e.confidence),
            }
        )
    return links


def describe_record(catalog: Catalog, item: CatalogRecord) -> dict[str, Any]:
    """Everything the catalog knows about one record, with derived control, as plain JSON-ready data."""
    r = item.record
    data: dict[str, Any] = {"kind": item.kind, "id": item.id, "name": getattr(r, "name", item.name)}
    controller_of: str | None = None
    if isinstance(r, Entity):
        data |= {
            "country": r.country,
            "entity_kind": r.kind,
            "lei": r.lei,
            "aliases": list(r.aliases),
            "owners": [
                {
                    "entity": o.entity,
                    "name": catalog.entities[o.entity].name,
                    "share": o.share,
                    "as_of": o.as_of,
                    "control": o.control,
                }
                for o in r.owners
            ],
            "supplies": sorted(p.id for p in catalog.products.values() if p.vendor == r.id),
            "operates": sorted(
                {p.id for p in catalog.products.values() if p.operator == r.id}
                | {h.id for h in catalog.hosting.values() if h.operator == r.id}
            ),
        }
        controller_of = r.id
    elif isinstance(r, Product):
        data |= {
            "country": catalog.entities[r.vendor].country,
            "aliases": list(r.aliases),
            "delivery": str(r.delivery),
            "category": r.category,
            "gemma_component": r.gemma_component,
            "vendor": _entity_ref(catalog, r.vendor),
            "vendor_chain": _chain(catalog, r.vendor),
            "operator": _entity_ref(catalog, r.operator),
            "operator_chain": _chain(catalog, r.operator) if r.operator else [],
            "runs_on": [
                {
                    "id": t,
                    "kind": "hosting" if t in catalog.hosting else "product",
                    "name": (catalog.hosting[t].name if t in catalog.hosting else catalog.products[t].name),
                }
                for t in r.runs_on
            ],
            "data_locations": list(r.data_locations),
            "open_source": r.open_source,
            "license": r.license,
            "open_standards": list(r.open_standards),
            "alternatives": sorted(
                a.id
                for a in catalog.alternatives.values()
                if r.id in a.replaces_products or r.category in a.replaces_categories
            ),
        }
        controller_of = r.vendor
    elif isinstance(r, HostingRegion):
        data |= {
            "country": r.country,
            "city": r.city,
            "aliases": list(r.aliases),
            "provider": r.provider,
            "operator": _entity_ref(catalog, r.operator),
        }
        controller_of = r.operator
    elif isinstance(r, Alternative):
        product = catalog.products[r.product]
        data |= {
            "name": product.name,
            "country": catalog.entities[product.vendor].country,
            "product": r.product,
            "replaces": {"categories": list(r.replaces_categories), "products": list(r.replaces_products)},
            "hosting_options": list(r.hosting_options),
            "maturity": r.maturity,
            "effort": r.effort,
            "open_standards": list(r.open_standards),
            "adopters": [
                {
                    "name": a.name,
                    "country": a.country,
                    "kind": a.kind,
                    "source": _source(a.source) if a.source else None,
                }
                for a in r.adopters
            ],
        }
        controller_of = product.vendor
    elif isinstance(r, Jurisdiction):
        data |= {
            "country": r.code,
            "bloc": str(r.bloc),
            "laws": [{"id": law, "name": catalog.laws[law].name} for law in r.laws if law in catalog.laws],
        }
    elif isinstance(r, Law):
        data |= {"country": r.country, "summary": r.summary}
    if controller_of:
        chain = _chain(catalog, controller_of)
        top = chain[-1]
        data["controller"] = {"id": top["id"], "name": top["name"], "country": top["country"]}
        data["chain"] = chain
    else:
        data["controller"], data["chain"] = None, []
    data.setdefault("runs_on", [])
    data["notes"] = getattr(r, "notes", None)
    data["sources"] = [_source(s) for s in r.sources]
    data["confidence"] = str(r.confidence)
    data["origin"] = getattr(r, "origin", "catalog")
    if getattr(r, "reason", None):
        data["reason"] = r.reason  # type: ignore[union-attr]
    file = getattr(r, "file", None)
    if file:
        data["file"] = file
    return data


# ---------------------------------------------------------------------------------------------------------
# Staleness and statistics


def _months_before(date: str, months: int) -> str:
    d = dt.date.fromisoformat(date)
    year, month = divmod(d.month - 1 - months, 12)
    first = dt.date(d.year + year, month + 1, 1)
    last_day = (dt.date(first.year + (first.month // 12), first.month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return first.replace(day=min(d.day, last_day)).isoformat()


def stale_facts(catalog: Catalog, *, date: str, months: int) -> list[dict[str, Any]]:
    """Records whose newest source was checked more than ``months`` before ``date``, and those never checked.

    >>> _months_before("2026-11-23", 12)
    '2025-11-23'
    >>> _months_before("2026-03-31", 1)
    '2026-02-28'
    """
    cutoff = _months_before(date, months)
    stale = []
    for item in _records(catalog):
        checked = sorted(s.checked for s in item.record.sources if s.checked)
        if not checked:
            stale.append(
                {
                    "kind": item.kind,
                    "id": item.id,
                    "name": item.name,
                    "checked": None,
                    "confidence": str(item.record.confidence),
                }
            )
        elif checked[-1] < cutoff:
            stale.append(
                {
                    "kind": item.kind,
                    "id": item.id,
                    "name": item.name,
                    "checked": checked[-1],
                    "confidence": str(item.record.confidence),
                }
            )
    return sorted(stale, key=lambda s: (s["checked"] or "", s["kind"], s["id"]))


def catalog_stats(catalog: Catalog) -> dict[str, Any]:
    """Counts per kind, provenance shares, and how many alternatives name sourced adopters."""
    records = [item.record for item in _records(catalog)]
    facts = [r for r in records if not isinstance(r, (Jurisdiction, Law))]
    confidence = {
        level: sum(1 for r in records if r.confidence == level)
        for level in ("verified", "reported", "inferred")
    }
    adopters = [a for alt in catalog.alternatives.values() for a in alt.adopters]
    return {
        "entities": len(catalog.entities),
        "products": len(catalog.products),
        "hosting_regions": len(catalog.hosting),
        "alternatives": len(catalog.alternatives),
        "jurisdictions": len(catalog.jurisdictions),
        "laws": len(catalog.laws),
        "with_sources_share": round(sum(1 for r in records if r.sources) / len(records), 4)
        if records
        else 0.0,
        "facts_with_sources_share": round(sum(1 for r in facts if r.sources) / len(facts), 4)
        if facts
        else 0.0,
        "confidence": confidence,
        "adopters": len(adopters),
        "adopters_with_sources": sum(1 for a in adopters if a.source),
        "local_records": sum(1 for r in records if getattr(r, "origin", "catalog") == "local"),
        "digest": catalog.digest,
    }
