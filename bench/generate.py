"""Synthetic inventories for the benchmark: one municipality, a region, the whole country.

Every organisation gets an inventory the way municipalities keep them: most of the example municipality's
rows (``catalogs/examples/gemeente-voorbeeld.csv``, with their dependencies), products from the shipped
catalog written the way people write them (misspelled, lower case, with a version), and home-made or obscure
local applications that no catalog knows. The same seed gives the same file, byte for byte.

    python -m bench.generate --rows 150000 --organisations 342 --out national.csv
"""

from __future__ import annotations

import argparse
import csv
import io
import random
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "catalogs" / "examples" / "gemeente-voorbeeld.csv"
CATALOG = ROOT / "catalogs"

HEADER = [
    "ID",
    "Gemeente",
    "Applicatie",
    "Leverancier",
    "Product",
    "Versie",
    "Categorie",
    "Afdeling",
    "Hosting",
    "Hostingpartij",
    "Datalocatie",
    "BIV",
    "Bedrijfskritisch",
    "Persoonsgegevens",
    "Aantal gebruikers",
    "Afhankelijk van",
    "Opmerkingen",
]

DEPARTMENTS = (
    "Burgerzaken",
    "Sociaal Domein",
    "Ruimte",
    "Openbare Ruimte",
    "Financiën",
    "HRM",
    "Informatievoorziening & ICT",
    "Communicatie",
    "Bestuursondersteuning",
    "Vergunningen, Toezicht en Handhaving",
    "Belastingen",
    "Klantcontactcentrum",
)
_FIRST = ("Oost", "West", "Noord", "Zuid", "Groot", "Klein", "Hoog", "Laag", "Nieuw", "Oud", "Sint ", "Ter ")
_STEM = (
    "broek",
    "veen",
    "dam",
    "dijk",
    "horst",
    "wijk",
    "hoven",
    "berg",
    "haven",
    "stein",
    "lo",
    "mond",
    "zand",
)
_TAIL = ("", "", "", "erland", "en", "ingen", "erbeek", "erwolde", "dorp", "stad")
_LOCAL_WORDS = (
    "Registratie",
    "Module",
    "Tool",
    "Portaal",
    "Dashboard",
    "Koppeling",
    "Planner",
    "Archief",
    "Monitor",
    "Beheer",
    "Rapportage",
    "Viewer",
)
_LOCAL_TOPICS = (
    "Leerlingenvervoer",
    "Kermis",
    "Marktkramen",
    "Begraafplaats",
    "Speeltuinen",
    "Bomen",
    "Hondenbelasting",
    "Subsidies",
    "Vrijwilligers",
    "Evenementen",
    "Parkeervergunningen",
    "Inburgering",
    "Schuldhulp",
    "Jeugdlintjes",
    "Zwembad",
)
_HOSTING = (
    ("SaaS", "", "Nederland"),
    ("SaaS", "", "EU"),
    ("SaaS", "", ""),
    ("On-premise", "eigen beheer", "Nederland"),
    ("Eigen rekencentrum", "eigen beheer", "Nederland"),
    ("Azure West Europe", "Microsoft", "Nederland"),
    ("AWS Frankfurt", "AWS", "Duitsland"),
    ("", "", ""),
)


def municipality_names(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct Dutch-sounding municipality names."""
    names: set[str] = set()
    while len(names) < count:
        name = (rng.choice(_FIRST) + rng.choice(_STEM) + rng.choice(_TAIL)).strip()
        names.add("Gemeente " + name[0].upper() + name[1:])
    return sorted(names)


def _example_rows() -> list[dict[str, str]]:
    with EXAMPLE.open(encoding="utf-8") as f:
        return [row for row in csv.DictReader(f, delimiter=";") if row["Applicatie"].strip()]


def _catalog_products() -> list[tuple[str, str, str]]:
    """(product name, vendor name, delivery) for every shipped product."""
    vendors: dict[str, str] = {}
    for path in sorted((CATALOG / "entities").glob("*.yaml")):
        for entity in yaml.safe_load(path.read_text(encoding="utf-8")).get("entities", []):
            vendors[entity["id"]] = entity["name"]
    products = []
    for path in sorted((CATALOG / "products").glob("*.yaml")):
        for product in yaml.safe_load(path.read_text(encoding="utf-8")).get("products", []):
            products.append(
                (product["name"], vendors.get(product["vendor"], ""), product.get("delivery", ""))
            )
    return products


def misspell(name: str, rng: random.Random) -> str:
    """The name as a hurried person types it: a letter dropped or doubled, two swapped, or lower case."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    if len(letters) < 5:
        return name.lower()
    i = rng.choice(letters[1:-1])
    how = rng.randrange(4)
    if how == 0:
        return name[:i] + name[i + 1 :]
    if how == 1:
        return name[:i] + name[i] + name[i:]
    if how == 2 and name[i + 1 : i + 2].isalpha():
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name.lower()


def _flags(rng: random.Random) -> tuple[str, str, str]:
    biv = "/".join(str(rng.choice((1, 2, 2, 3))) for _ in range(3))
    return biv, rng.choice(("Ja", "Nee", "Nee", "")), rng.choice(("Ja", "Ja", "Nee", ""))


def organisation_rows(
    organisation: str,
    code: str,
    count: int,
    rng: random.Random,
    example: list[dict[str, str]],
    products: list[tuple[str, str, str]],
) -> list[list[str]]:
    """``count`` rows for one organisation."""
    rows: list[list[str]] = []
    seen: set[str] = set()  # one row per name within an organisation, as a register keeps them
    # Most of the example's applications, dependencies within what is kept.
    kept = [r for r in example if rng.random() < 0.85][: max(1, count * 3 // 10)]
    names = {r["Applicatie"] for r in kept}
    for r in kept:
        depends = ";".join(d for d in r["Afhankelijk van"].split(";") if d in names)
        seen.add(r["Applicatie"].casefold())
        rows.append(
            [
                "",
                organisation,
                r["Applicatie"],
                r["Leverancier"],
                r["Product"],
                r["Versie"],
                r["Categorie"],
                r["Afdeling"],
                r["Hosting"],
                r["Hostingpartij"],
                r["Datalocatie"],
                r["BIV"],
                r["Bedrijfskritisch"],
                r["Persoonsgegevens"],
                r["Aantal gebruikers"],
                depends,
                r["Opmerkingen"],
            ]
        )
    anchors = [r["Applicatie"] for r in kept if r["Categorie"] in ("Identiteit en toegang", "Platform")]
    # Then catalog products, as written in the wild, and home-made applications.
    catalog_share = 0.8
    local = 0
    picked = rng.sample(products, k=min(len(products), count))
    while len(rows) < count:
        if picked and rng.random() < catalog_share:
            name, vendor, delivery = picked.pop()
            shown = misspell(name, rng) if rng.random() < 0.15 else name
            version = rng.choice(("", "", "", "2024", "v3", "11.2"))
            if version and rng.random() < 0.5:
                shown = f"{shown} {version}"
            hosting = ("SaaS", vendor, rng.choice(("Nederland", "EU", ""))) if delivery == "saas" else None
            hosting = hosting or rng.choice(_HOSTING)
        else:
            local += 1
            shown = f"{rng.choice(_LOCAL_TOPICS)}{rng.choice(_LOCAL_WORDS).lower()} {local}"
            vendor = rng.choice(("eigen ontwikkeling", "", "Lokale Software BV", "Automatisering Oost"))
            version = ""
            hosting = rng.choice(_HOSTING)
        if shown.casefold() in seen:
            continue
        seen.add(shown.casefold())
        biv, critical, personal = _flags(rng)
        depends = rng.choice(anchors) if anchors and rng.random() < 0.3 else ""
        rows.append(
            [
                "",
                organisation,
                shown,
                vendor,
                "",
                version,
                "",
                rng.choice(DEPARTMENTS),
                *hosting,
                biv,
                critical,
                personal,
                str(rng.choice((5, 20, 40, 150, 600))),
                depends,
                "",
            ]
        )
    for number, row in enumerate(rows, 1):
        row[0] = f"{code}-{number:04d}"
    return rows


def generate(rows: int, organisations: int, seed: int = 20261123) -> str:
    """The CSV text of ``rows`` rows over ``organisations`` organisations (semicolon separated, UTF-8)."""
    rng = random.Random(seed)
    example = _example_rows()
    products = _catalog_products()
    names = municipality_names(organisations, rng)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(HEADER)
    written = 0
    for index, name in enumerate(names):
        share = (rows - written) // (organisations - index)
        produced = organisation_rows(name, f"GM{index + 1:04d}", share, rng, example, products)
        writer.writerows(produced)
        written += len(produced)
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--organisations", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    args.out.write_text(generate(args.rows, args.organisations, args.seed), encoding="utf-8")


if __name__ == "__main__":
    main()
