"""``sovereign catalog validate/show/search/stale/stats``: the catalog itself, as plain data and text."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..catalog import load_catalog

__all__ = [
    "catalog_statistics",
    "format_catalog_record",
    "search_catalog_records",
    "show_catalog_record",
    "stale_catalog_facts",
    "validate_catalog",
]

# ---------------------------------------------------------------------------------------------------------
# catalog show, search, stale, stats


def show_catalog_record(text: str, catalogs: Sequence[Path] = ()) -> dict[str, Any]:
    """``sovereign catalog show``: one record with its derived controller and chain, as plain data."""
    from ..catalog import describe_record, find_record

    catalog = load_catalog(catalogs)
    return describe_record(catalog, find_record(catalog, text))


def format_catalog_record(data: dict[str, Any]) -> str:
    """The text form of ``show_catalog_record`` for the terminal."""

    def entity(ref: dict[str, Any] | None) -> str:
        return f"{ref['name']} ({ref['country'] or 'country unknown'})" if ref else "-"

    def chain(links: list[dict[str, Any]]) -> str:
        text = f"{links[0]['name']} ({links[0]['country'] or '?'})"
        for below, link in itertools.pairwise(links):
            held = f"owned {below['share']:g} % by" if below.get("share") is not None else "controlled by"
            text += f", {held} {link['name']} ({link['country'] or '?'})"
        return text

    lines = [
        f"{data['name']}  [{data['kind']} {data['id']}, {data['confidence']}"
        + (", local" if data.get("origin") == "local" else "")
        + "]"
    ]
    if data["kind"] == "product":
        lines += [
            f"  delivery:   {data['delivery']}; category {data['category'] or '-'}",
            f"  vendor:     {chain(data['vendor_chain'])}",
            f"  operator:   {chain(data['operator_chain']) if data['operator'] else '- (whoever hosts it)'}",
            f"  runs on:    {', '.join(r['name'] for r in data['runs_on']) or '-'}",
            f"  data in:    {', '.join(data['data_locations']) or 'unknown'}",
        ]
        if data["alternatives"]:
            lines.append(f"  alternatives: {', '.join(data['alternatives'])}")
    elif data["kind"] == "entity":
        lines += [f"  seat:       {data['country'] or 'unknown'}", f"  control:    {chain(data['chain'])}"]
        if data["supplies"]:
            lines.append(f"  supplies:   {', '.join(data['supplies'])}")
    elif data["kind"] == "hosting":
        lines += [
            f"  location:   {data['city'] or '-'}, {data['country'] or 'unknown'}",
            f"  operator:   {chain(data['chain'])}",
        ]
    elif data["kind"] == "alternative":
        lines += [
            f"  product:    {data['product']}; vendor chain {chain(data['chain'])}",
            f"  replaces:   {', '.join(data['replaces']['products'] + data['replaces']['categories'])}",
            f"  hosting:    {', '.join(data['hosting_options']) or '-'}; maturity {data['maturity']}; "
            f"effort {data['effort']}",
            f"  adopters:   {', '.join(a['name'] for a in data['adopters']) or '-'}",
        ]
    elif data["kind"] == "jurisdiction":
        lines += [
            f"  bloc:       {data['bloc']}",
            f"  laws:       {', '.join(x['name'] for x in data['laws']) or '-'}",
        ]
    elif data["kind"] == "law":
        lines += [f"  country:    {data['country']}", f"  {data['summary']}"]
    if data.get("controller"):
        lines.append(f"  controller: {entity(data['controller'])}")
    if data.get("notes"):
        lines.append(f"  notes:      {data['notes']}")
    if data.get("reason"):
        lines.append(f"  reason:     {data['reason']}")
    lines.append("  sources:" + ("" if data["sources"] else " none (inferred)"))
    lines += [f"    - {s['title']} <{s['url']}> (checked {s['checked']})" for s in data["sources"]]
    return "\n".join(lines)


def search_catalog_records(text: str, catalogs: Sequence[Path] = ()) -> list[dict[str, Any]]:
    """``sovereign catalog search``: records that contain or resemble the text."""
    from ..catalog import search_catalog

    return search_catalog(load_catalog(catalogs), text)


def stale_catalog_facts(catalogs: Sequence[Path] = (), *, date: str, months: int) -> list[dict[str, Any]]:
    """``sovereign catalog stale``: records not checked within ``months`` of ``date``."""
    from ..catalog import stale_facts

    return stale_facts(load_catalog(catalogs), date=date, months=months)


def catalog_statistics(catalogs: Sequence[Path] = ()) -> dict[str, Any]:
    """``sovereign catalog stats``."""
    from ..catalog import catalog_stats

    return catalog_stats(load_catalog(catalogs))


def validate_catalog(catalogs: Sequence[Path] = ()) -> str:
    """``sovereign catalog validate``: load everything (raises on any problem) and describe what was read."""
    catalog = load_catalog(catalogs)
    return (
        f"Catalog is valid: {len(catalog.entities)} entities, {len(catalog.products)} products, "
        f"{len(catalog.hosting)} hosting regions, {len(catalog.alternatives)} alternatives, "
        f"{len(catalog.jurisdictions)} jurisdictions, "
        f"{len(catalog.laws)} laws ({catalog.digest})."
    )
