"""``sovereign plan`` and the plan inside every audit: options, quick wins, waves, exits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..catalog import load_catalog
from ..model import (
    Alternative,
    AlternativeOption,
    Application,
    ApplicationAssessment,
    ApplicationOptions,
    AuditResult,
    Catalog,
    Confidence,
    MigrationOption,
    Plan,
    Policy,
    Product,
    Wave,
)
from ._audit import _Landscape, assess_inventory
from ._shapes import ShapeAssessor, dependants_index, strongly_connected, transitive

if TYPE_CHECKING:  # networkx is imported only when an audit runs
    from ..graph import CutIndex

__all__ = ["run_plan"]

# ---------------------------------------------------------------------------------------------------------
# plan


def _replace_application(
    app: Application, product: Product, catalog: Catalog, hosting: str | None
) -> Application:
    """The application as it would be after moving to ``product`` (same name, department, flags, dependencies)."""
    return replace(
        app,
        product=product.name,
        vendor=catalog.entities[product.vendor].name,
        hosting=hosting,
        hosting_provider=None,
        data_location=None,
        version=None,
    )


def _hosting_for(alternative: Alternative, product: Product) -> str | None:
    """Self-host what can be self-hosted (the sovereign way to run it); otherwise the product's own hosting."""
    if product.delivery == "on-premise" or "self-hosted" in alternative.hosting_options:
        return "on-premise"
    return None


def _rehost_option(before: ApplicationAssessment, catalog: Catalog) -> Alternative | None:
    """Keep the product, leave the non-EU platform: for software we run ourselves on a hyperscaler region or
    platform, self-hosting it (or at a Dutch or European hoster) is an option of its own."""
    product = catalog.products.get(before.match.product or "")
    if product is None or before.hosting_kind not in ("region", "platform"):
        return None
    if product.delivery not in ("on-premise", "hybrid") and not product.open_source:
        return None
    return Alternative(
        id=f"rehost-{product.id}",
        product=product.id,
        replaces_products=(product.id,),
        hosting_options=("self-hosted", "dutch-cloud", "european-cloud"),
        maturity="established",
        effort="medium",
        open_standards=product.open_standards,
        notes="Same product, hosted in our own data centre or at an EU hoster.",
        confidence=Confidence.INFERRED,
    )


def _generations(
    app_ids: Sequence[str],
    dependencies: Mapping[str, Sequence[str]],
    reverse: Mapping[str, Sequence[str]],
) -> list[tuple[str, ...]]:
    """The applications in generations, what others stand on first (a dependency cycle in one generation),
    worked out on ``dependencies`` (the graph's depends_on edges) instead of a networkx condensation. Those
    that neither depend on another of them nor have one depend on them (most moves) go straight into the
    first generation; the others are split into strongly connected components, which are then taken in
    generations, each generation's applications sorted."""
    wanted = set(app_ids)
    linked = sorted(
        a
        for a in wanted
        if any(d in wanted and d != a for d in dependencies.get(a, ()))
        or any(d in wanted and d != a for d in reverse.get(a, ()))
    )
    linked_set = set(linked)

    def needs(a: str) -> list[str]:
        return [d for d in dependencies.get(a, ()) if d in linked_set and d != a]

    members = strongly_connected(linked, needs)
    component = {member: number for number, part in enumerate(members) for member in part}
    # Generations of the components: a component comes after every component it depends on.
    waiting = [0] * len(members)
    after: list[set[int]] = [set() for _ in members]
    for a in linked:
        for d in needs(a):
            if component[d] != component[a] and component[a] not in after[component[d]]:
                after[component[d]].add(component[a])
                waiting[component[a]] += 1
    layer = [c for c in range(len(members)) if not waiting[c]]
    generations: list[list[str]] = []
    while layer:
        generations.append(sorted(m for c in layer for m in members[c]))
        following = []
        for c in layer:
            for n in after[c]:
                waiting[n] -= 1
                if not waiting[n]:
                    following.append(n)
        layer = following
    if not generations:
        generations = [[]]
    generations[0] = sorted([*generations[0], *(a for a in wanted if a not in linked_set)])
    return [tuple(gen) for gen in generations]


def _make_plan(
    result: AuditResult,
    landscape: _Landscape,
    catalog: Catalog,
    policy: Policy | None,
    max_effort: str,
    *,
    cut_index: CutIndex,
) -> Plan:
    """Options for every application below the bar, quick wins, waves with re-assessed figures, exits.

    Linear in the landscape: findings are grouped per application once, dependencies and dependants come
    from the graph once, and the figures after a move are worked out once per figures key
    (``ShapeAssessor``).
    """
    from ..assess import PortfolioTally
    from ..check import alternatives_for, rank_alternatives
    from ..graph import SELF
    from ..plan import build_exit_outline, choose_move, explain_option, is_quick_win

    reverse = dependants_index(landscape.dependencies)
    before_of = {a.application.app_id: a for a in result.assessments}
    assessor = ShapeAssessor(landscape, self_label=landscape.labels.get(SELF), reverse=reverse)
    # What each dependency's continuity reaches (``ShapeAssessor.reached``), for options and waves alike.
    countries: dict[str, frozenset[str]] = {}
    broken_by_app: dict[str, set[str]] = {}
    for finding in result.findings:
        if finding.app_id:
            broken_by_app.setdefault(finding.app_id, set()).add(finding.rule_id)
    # Equal lists of broken rules are one tuple: most applications below the bar break the same few.
    broken_lists: dict[frozenset[str], tuple[str, ...]] = {}
    candidates_of: dict[str | None, list[Alternative]] = {}
    # An option's figures follow from the product moved to, its hosting and the countries the application's
    # dependencies reach (the graph does not change while options are weighed), so each such triple is
    # assessed once, without building the moved application again for every row that has it.
    assessed_options: dict[tuple[str, str | None, frozenset[str]], ApplicationAssessment] = {}
    # Equal options (same alternative and figures, same SEAL before, same rank) are one object, as are the
    # rehosting alternatives of one product: a national plan has hundreds of thousands of options.
    shared_options: dict[tuple[str, int, int | None, int, int], MigrationOption] = {}
    rehosts: dict[str | None, Alternative | None] = {}
    # An application's ranked options follow from its product, whether it runs on a non-EU region or platform
    # (the rehosting option), the countries its dependencies reach and its SEAL level before (the
    # explanations), so each such combination is ranked and worded once.
    migrations: dict[
        tuple[str | None, str | None, frozenset[str], int | None], tuple[MigrationOption, ...]
    ] = {}
    options: list[ApplicationOptions] = []
    for before in result.assessments:
        app = before.application
        app_id = app.app_id
        broken_set = broken_by_app.get(app_id)
        if not broken_set:
            continue
        key_broken = frozenset(broken_set)
        broken = broken_lists.get(key_broken)
        if broken is None:
            broken = broken_lists[key_broken] = tuple(sorted(broken_set))
        product_id = before.match.product
        rehost_key = product_id if before.hosting_kind in ("region", "platform") else None
        reached = assessor.reached(app_id, countries)
        migration_key = (product_id, rehost_key, reached, before.seal)
        migration = migrations.get(migration_key)
        if migration is None:
            if product_id not in candidates_of:
                candidates_of[product_id] = list(alternatives_for(catalog, product_id))
            candidates = list(candidates_of[product_id])
            if rehost_key not in rehosts:
                rehosts[rehost_key] = _rehost_option(before, catalog)
            rehost = rehosts[rehost_key]
            if rehost is not None:
                candidates.insert(0, rehost)
            assessed: list[AlternativeOption] = []
            for alternative in candidates:
                product = catalog.products[alternative.product]
                hosting = _hosting_for(alternative, product)
                key = (product.id, hosting, reached)
                after = assessed_options.get(key)
                if after is None:
                    moved = _replace_application(app, product, catalog, hosting)
                    after = assessed_options[key] = assessor.figures(moved, reached, option=True)
                assessed.append(
                    AlternativeOption(
                        alternative=alternative,
                        assessment=after,
                        adopters_with_source=sum(1 for x in alternative.adopters if x.source),
                    )
                )
            ranked = rank_alternatives(assessed, product_id)
            chosen = []
            for rank, choice in enumerate(ranked, 1):
                # id(): the figures after are shared objects, alive in assessed_options for the whole plan.
                shared_key = (
                    choice.alternative.id,
                    rank,
                    before.seal,
                    id(choice.assessment),
                    choice.adopters_with_source,
                )
                option = shared_options.get(shared_key)
                if option is None:
                    option = shared_options[shared_key] = MigrationOption(
                        alternative=choice.alternative,
                        after=choice.assessment,
                        adopters_with_source=choice.adopters_with_source,
                        explanation=explain_option(before, choice, rank),
                    )
                chosen.append(option)
            migration = migrations[migration_key] = tuple(chosen)
        options.append(
            ApplicationOptions(
                before=before,
                findings=broken,
                options=migration,
                dependants=tuple(sorted(transitive(app_id, reverse))) if app_id in reverse else (),
            )
        )
    del broken_by_app, broken_lists

    # Choose moves; quick wins first, then the rest in dependency order.
    # The move follows from the options and the SEAL level before, which one migration tuple shares
    # (``migrations`` makes one per product, rehosting, countries reached and SEAL; only the empty tuple is
    # shared by Python itself, and it has no move at any level): chosen once per tuple.
    move_of: dict[int, MigrationOption | None] = {}
    moves: dict[str, tuple[ApplicationOptions, MigrationOption]] = {}
    for o in options:
        if id(o.options) not in move_of:
            move_of[id(o.options)] = choose_move(o, max_effort)
        best = move_of[id(o.options)]
        if best is not None:
            moves[o.before.application.app_id] = (o, best)
    quick = sorted(app_id for app_id, (o, m) in moves.items() if is_quick_win(o, m))
    quick_set = set(quick)
    rest = [app_id for app_id in moves if app_id not in quick_set]
    groups = [tuple(quick)] if quick else []
    groups += _generations(rest, landscape.dependencies, reverse) if rest else []

    # Exit outlines for business-critical applications at SEAL 0 or 1 (before the waves change the graph).
    # The scenarios' cut index: the graph has not changed since (options were weighed on temporary nodes).
    index = cut_index
    stops_by_controller: dict[str, tuple[str, ...]] = {}
    exits = []
    for o in options:
        before = o.before
        if before.application.business_critical is not True or before.seal is None or before.seal > 1:
            continue
        current_product = catalog.products.get(before.match.product or "")
        controller = f"entity:{before.controller.id}" if before.controller else None
        stops: tuple[str, ...] = ()
        if controller:
            if controller not in stops_by_controller:
                # The ids only, as the full cut sorts them: no paths to find for a whole national landscape.
                stopped = index.stopped_by([controller])
                stops_by_controller[controller] = tuple(
                    sorted(a.removeprefix("application:") for a in stopped)
                )
            stops = stops_by_controller[controller]
        exits.append(build_exit_outline(o, current_product, stops))
    # After each wave only what moved, and what stands on it and now reaches other countries, is assessed
    # again (``ShapeAssessor.move``), and only as far as the tally counts it (``ShapeAssessor.counted``).
    # A moved application is not built again: what its new product, hosting and data location mean is
    # understood once per name and move (the matcher reads the name too), and its figures follow from that
    # and the countries its dependencies reach. Moves of applications nothing depends on wait until one is
    # walked (``pending``).
    waves: list[Wave] = []
    tally = PortfolioTally(result.assessments)
    understood_as: dict[tuple[str, str, str | None], tuple[Any, Any, Any]] = {}
    understood: dict[str, tuple[Any, Any, Any]] = {}  # the moved applications so far
    pending: dict[str, tuple[str, tuple[Any, Any, Any]]] = {}
    matcher, texts = landscape.matcher, landscape.texts
    for number, group in enumerate(groups, 0 if quick else 1):
        made: dict[str, tuple[str, tuple[Any, Any, Any]]] = {}  # the wave's moves: label, what they mean
        for app_id in group:
            app = before_of[app_id].application
            alternative = moves[app_id][1].alternative
            product = catalog.products[alternative.product]
            hosting = _hosting_for(alternative, product)
            as_key = (app.name, product.id, hosting)
            found = understood_as.get(as_key)
            if found is None:
                as_moved = _replace_application(app, product, catalog, hosting)
                found = understood_as[as_key] = (
                    matcher.match(as_moved),
                    texts.hosting_of(as_moved),
                    texts.location_of(as_moved),
                )
            understood[app_id] = found
            made[app_id] = (app.name, found)
        touched = assessor.move(made, countries, pending)
        touched.update(group)
        for app_id in sorted(touched):
            before = before_of[app_id]
            moved_as = understood.get(app_id)
            figures = assessor.counted(
                before.application,
                assessor.reached(app_id, countries),
                understood=moved_as,
                pending=pending,
                before=None if moved_as else before,  # its own edges have not changed since
            )
            tally.refigure(app_id, figures)
        projected = tally.portfolio()
        waves.append(
            Wave(
                number=number,
                moves=tuple((a, moves[a][1].alternative.id) for a in group),
                projected=projected,
            )
        )

    return Plan(
        baseline=result.portfolio,
        options=tuple(options),
        quick_wins=tuple(quick),
        waves=tuple(waves),
        exits=tuple(exits),
        max_effort=max_effort,
    )


def run_plan(
    paths: Sequence[Path],
    *,
    catalogs: Sequence[Path] = (),
    policy: Path | None = None,
    max_effort: str = "high",
    date: str,
    input_format: str | None = None,
) -> AuditResult:
    """``sovereign plan``: the audit with its migration plan, nothing written."""
    from ..catalog import load_policy
    from ..inventory import read_inventories

    catalog = load_catalog(catalogs)
    rules = load_policy(policy)
    inventory, inputs = read_inventories(paths, format=input_format)
    return assess_inventory(
        inventory, catalog, date=date, inputs=inputs, policy=rules, plan_effort=max_effort
    )
