"""``sovereign check``: one candidate against the landscape and the policy."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..catalog import load_catalog
from ..errors import UserError
from ..model import (
    Alternative,
    AlternativeOption,
    Application,
    Catalog,
    CheckOutcome,
    Inventory,
    Location,
    Product,
)
from ._audit import _build_landscape, assess_inventory

__all__ = ["run_check"]

# ---------------------------------------------------------------------------------------------------------
# check


def _candidate_product(candidate: str, catalog: Catalog, candidate_file: Path | None) -> Product:
    from ..catalog import find_record

    if candidate_file is not None:
        defined = [p for p in catalog.products.values() if p.origin == "candidate"]
        if len(defined) != 1:
            raise UserError(
                f"{candidate_file}: a candidate file must define exactly one product under 'products:', "
                f"found {len(defined)}"
            )
        return defined[0]
    record = find_record(catalog, candidate)
    if isinstance(record.record, Alternative):
        return catalog.products[record.record.product]
    if not isinstance(record.record, Product):
        raise UserError(
            f"'{candidate}' is a {record.kind} in the catalog, not a product"
            "\nHint: name a product, or describe a new one in a YAML file (see `sovereign check --help`)"
        )
    return record.record


def run_check(
    candidate: str,
    *,
    inventories: Sequence[Path] = (),
    input_format: str | None = None,
    catalogs: Sequence[Path] = (),
    policy: Path | None = None,
    business_critical: bool | None = None,
    personal_data: bool | None = None,
    biv: str | None = None,
    depends_on: Sequence[str] = (),
    hosting: str | None = None,
    data_location: str | None = None,
    name: str | None = None,
    date: str,
) -> CheckOutcome:
    """``sovereign check``: the candidate against the landscape and the policy, with alternatives."""
    from ..catalog import load_policy
    from ..check import (
        CANDIDATE_ID,
        alternatives_for,
        candidate_findings,
        exit_questions,
        portfolio_delta,
        rank_alternatives,
        verdict,
    )
    from ..inventory import parse_biv, read_inventories

    candidate_file = Path(candidate) if candidate.endswith((".yaml", ".yml")) else None
    if candidate_file is not None and not candidate_file.is_file():
        raise UserError(f"{candidate}: candidate file does not exist")
    catalog = load_catalog(catalogs, candidate=candidate_file)
    rules = load_policy(policy)
    product = _candidate_product(candidate, catalog, candidate_file)
    rating = None
    if biv:
        try:
            rating = parse_biv(biv)
        except ValueError:
            rating = None
        if rating is None:
            raise UserError(f"--biv '{biv}' is not a BIV rating\nHint: write it as 2/3/3 or H/M/L")
    if inventories:
        inventory, _ = read_inventories(inventories, format=input_format)
    else:
        inventory = Inventory()
    known = {a.name.lower() for a in inventory.applications} | {
        a.app_id.lower() for a in inventory.applications
    }
    for dependency in depends_on:
        if dependency.lower() not in known:
            raise UserError(
                f"--depends-on '{dependency}': no such application in the inventory"
                + ("" if inventories else "\nHint: pass the current landscape with --inventory")
            )

    def as_application(p: Product, app_name: str, app_hosting: str | None) -> Application:
        return Application(
            app_id=CANDIDATE_ID,
            name=app_name,
            source=Location(path=candidate_file.name if candidate_file else "candidate"),
            product=p.name,
            vendor=catalog.entities[p.vendor].name,
            hosting=app_hosting,
            business_critical=business_critical,
            personal_data=personal_data,
            biv=rating,
            depends_on=tuple(depends_on),
            department="candidate",
            data_location=data_location if p is product else None,
        )

    def with_app(app: Application) -> Inventory:
        return Inventory(
            applications=(*inventory.applications, app),
            merged=inventory.merged,
            rejected=inventory.rejected,
            rows_read=inventory.rows_read + 1,
        )

    app = as_application(product, name or product.name, hosting)
    before = assess_inventory(inventory, catalog, date=date, policy=rules)
    after = assess_inventory(with_app(app), catalog, date=date, policy=rules)
    assessed = next(a for a in after.assessments if a.application.app_id == CANDIDATE_ID)

    # Each alternative in the candidate's place, in a landscape of just what the candidate depends on.
    needed = _dependency_closure(inventory, depends_on)
    options = []
    for alternative in alternatives_for(catalog, product.id):
        alt_product = catalog.products[alternative.product]
        # The sovereign way to run an alternative that can be self-hosted is to host it ourselves.
        self_hostable = alt_product.delivery == "on-premise" or "self-hosted" in alternative.hosting_options
        alt_hosting = "on-premise" if self_hostable else None
        alt_app = as_application(alt_product, alt_product.name, alt_hosting)
        small = Inventory(applications=(*needed, alt_app), rows_read=len(needed) + 1)
        landscape = _build_landscape(small, catalog, rules)
        alt_assessed = next(a for a in landscape.assessments if a.application.app_id == CANDIDATE_ID)
        options.append(
            AlternativeOption(
                alternative=alternative,
                assessment=alt_assessed,
                adopters_with_source=sum(1 for a in alternative.adopters if a.source),
            )
        )
    blocs = {code: str(j.bloc) for code, j in catalog.jurisdictions.items()}
    found = candidate_findings(after)
    return CheckOutcome(
        candidate=assessed,
        product=product,
        verdict=verdict(found),
        findings=found,
        deltas=portfolio_delta(before, after, assessed),
        alternatives=rank_alternatives(options, product.id),
        questions=exit_questions(assessed, catalog, blocs),
        result=after,
        landscape_size=len(inventory.applications),
        date=date,
    )


def _dependency_closure(inventory: Inventory, names: Sequence[str]) -> tuple[Application, ...]:
    """The inventory's applications reachable from the named ones over depends_on, those included."""
    index = {a.name.lower(): a for a in inventory.applications} | {
        a.app_id.lower(): a for a in inventory.applications
    }
    seen: dict[str, Application] = {}
    queue = [n.lower() for n in names]
    while queue:
        app = index.get(queue.pop())
        if app is None or app.app_id in seen:
            continue
        seen[app.app_id] = app
        queue += [d.lower() for d in app.depends_on]
    return tuple(seen[k] for k in sorted(seen))
