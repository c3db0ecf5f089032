"""Assess an application once per shape, not once per row.

What the graph says about an application (its three axes, SEAL, controller, objectives) depends only on its
shape: the product it is matched to, what its hosting and data-location texts mean, and the same of
everything it depends on, with who depends on whom. Not on its name, id, department, organisation or BIV
(criticality is scored per application). A national inventory repeats the same shapes in every municipality
("Identity (Entra ID)" on Microsoft Entra ID, depended on by the same applications), so the audit walks the
graph once per shape and renames the evidence paths to each application's own ids. The migration plan works
its figures out on the same graph, once per (own edges, countries its dependencies reach). The countries,
levels and controllers equal those of walking every application (tested); where two paths of the same
length justify a country, the one kept may differ.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ..model import Application, ApplicationAssessment, AxisResult, Catalog, Match

if TYPE_CHECKING:
    from ._audit import _Landscape

__all__ = [
    "NEUTRAL",
    "ShapeAssessor",
    "ShapeIndex",
    "ShapeTemplate",
    "dependants_index",
    "strongly_connected",
    "transitive",
]


def transitive(start: str, edges: Mapping[str, Sequence[str]]) -> list[str]:
    """Every id reachable from ``start`` over ``edges`` (``start`` itself not included), in visiting order.

    >>> transitive("a", {"a": ["b"], "b": ["c", "a"], "c": []})
    ['b', 'c']
    """
    seen = {start}
    order: list[str] = []
    stack = list(reversed(edges.get(start, ())))
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        stack.extend(reversed(edges.get(node, ())))
    return order


def dependants_index(dependencies: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    """Reverse of ``dependencies``: for each application id, the ids that depend on it directly, sorted."""
    reverse: dict[str, list[str]] = {}
    for app_id in sorted(dependencies):
        for target in dependencies[app_id]:
            reverse.setdefault(target, []).append(app_id)
    return reverse


def strongly_connected(roots: Iterable[str], needs: Callable[[str], list[str]]) -> list[list[str]]:
    """The strongly connected components of what ``needs`` reaches from ``roots``, in the order Tarjan's
    algorithm (without recursion) completes them: a component comes after every component it needs.

    >>> strongly_connected(["a", "c"], {"a": ["b"], "b": ["a"], "c": ["a"]}.__getitem__)
    [['b', 'a'], ['c']]
    """
    components: list[list[str]] = []
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    for root in roots:
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(needs(root)))]
        while work:
            node, targets = work[-1]
            for target in targets:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(needs(target))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    part = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        part.append(member)
                        if member == node:
                            break
                    components.append(part)
    return components


# Building the figures of 150,000 applications: a frozen dataclass's __init__ sets each field through
# object.__setattr__ by name (13 for an assessment, 2 for each of its three axes), most of a reused
# shape's cost. These set the slots through their descriptors, as __init__ would; a test
# (tests/test_scale.py) checks that they give what the constructors give and name every field.
_new = object.__new__
_AXIS_FIELDS = ("countries", "paths")
_set_countries, _set_paths = (getattr(AxisResult, name).__set__ for name in _AXIS_FIELDS)
_ASSESSMENT_FIELDS = (
    "application",
    "match",
    "lawful_access",
    "residency",
    "continuity",
    "seal",
    "seal_reason",
    "criticality",
    "controller",
    "objectives",
    "weighted_score",
    "hosting_region",
    "hosting_kind",
)
(
    _set_application,
    _set_match,
    _set_lawful_access,
    _set_residency,
    _set_continuity,
    _set_seal,
    _set_seal_reason,
    _set_criticality,
    _set_controller,
    _set_objectives,
    _set_weighted_score,
    _set_hosting_region,
    _set_hosting_kind,
) = (getattr(ApplicationAssessment, name).__set__ for name in _ASSESSMENT_FIELDS)


def _axis_result(countries: tuple[str, ...], paths: tuple[tuple[str, ...], ...]) -> AxisResult:
    """``AxisResult(countries=countries, paths=paths)``, without __init__."""
    axis: AxisResult = _new(AxisResult)
    _set_countries(axis, countries)
    _set_paths(axis, paths)
    return axis


class ShapeTemplate:
    """A shape's figures (those of the first application walked with it), ready to hand to every other
    application of the shape: each distinct evidence path once, as a recipe with the shape's applications
    as positions (0 the application itself, then its closure in shape order).

    Renaming the shape's figures to each application's ids gives the same (tests/test_scale.py keeps that
    general way as the reference); this builds each application's paths without a mapping per application,
    and an evidence path that two axes share (an operator's chain is on the lawful-access and the
    continuity axis) is built once."""

    __slots__ = ("_axes", "_full", "_heads_only", "_tails", "template")

    def __init__(self, assessment: ApplicationAssessment, ids: Sequence[str]) -> None:
        self.template = assessment
        position = {f"application:{app_id}": i for i, app_id in enumerate(ids)}
        own = f"application:{ids[0]}"
        index: dict[tuple[str, ...], int] = {}
        #: per distinct path: the path after its head (the application itself, no other application on it)
        #: or None, and then the whole path with positions for applications
        tails: list[tuple[str, ...] | None] = []
        full: list[tuple[str | int, ...]] = []
        axes: list[tuple[tuple[str, ...], tuple[int, ...]]] = []
        for axis in (assessment.lawful_access, assessment.residency, assessment.continuity):
            chosen = []
            for path in axis.paths:
                found = index.get(path)
                if found is None:
                    found = index[path] = len(tails)
                    if len(ids) == 1 or ("depends_on" not in path and path[0] == own):
                        tails.append(path[1:])  # only the head is an application
                        full.append(())
                    elif "depends_on" in path:
                        tails.append(None)
                        full.append(tuple([position.get(n, n) for n in path]))
                    else:
                        tails.append(None)
                        full.append((position.get(path[0], path[0]), *path[1:]))
                chosen.append(found)
            axes.append((axis.countries, tuple(chosen)))
        self._tails = tuple(tails)
        #: the tails when every path has only the application itself at its head (else empty)
        self._heads_only = tuple(t for t in tails if t is not None) if None not in tails else ()
        self._full = tuple(full)
        self._axes = tuple(axes)

    def assessment_of(
        self, application: Application, match: Match, criticality: float, ids: Sequence[str]
    ) -> ApplicationAssessment:
        """The figures for another application of the shape, ``ids`` in the shape's order."""
        if self._heads_only:  # no other application on any path: most shapes
            head = f"application:{ids[0]}"
            paths: list[tuple[str, ...]] = [(head, *tail) for tail in self._heads_only]
        else:
            nodes = [f"application:{app_id}" for app_id in ids]
            head = nodes[0]
            paths = [
                (head, *tail)
                if tail is not None
                else tuple([nodes[n] if isinstance(n, int) else n for n in recipe])
                for tail, recipe in zip(self._tails, self._full, strict=True)
            ]
        (lawful_countries, lawful), (residency_countries, residency), (continuity_countries, continuity) = (
            self._axes
        )
        template = self.template
        made: ApplicationAssessment = _new(ApplicationAssessment)
        _set_application(made, application)
        _set_match(made, match)
        _set_lawful_access(made, _axis_result(lawful_countries, tuple([paths[i] for i in lawful])))
        _set_residency(made, _axis_result(residency_countries, tuple([paths[i] for i in residency])))
        _set_continuity(made, _axis_result(continuity_countries, tuple([paths[i] for i in continuity])))
        _set_seal(made, template.seal)
        _set_seal_reason(made, template.seal_reason)
        _set_criticality(made, criticality)
        _set_controller(made, template.controller)
        _set_objectives(made, template.objectives)
        _set_weighted_score(made, template.weighted_score)
        _set_hosting_region(made, template.hosting_region)
        _set_hosting_kind(made, template.hosting_kind)
        return made


#: The prefix of neutral application ids. Contains a character no inventory id can hold after trimming
#: (ids are written as ``application:<id>`` and never start with a NUL).
NEUTRAL = "\x00"


class ShapeIndex:
    """The shape of every application: its own key (matched product, hosting, data location) and those of
    everything it depends on, with who depends on whom. ``cache`` maps a shape to its ``ShapeTemplate``."""

    def __init__(
        self,
        own: Mapping[str, Hashable],
        dependencies: Mapping[str, Sequence[str]],
        names: Mapping[str, str],
    ) -> None:
        self.own = own
        self.dependencies = dependencies
        self.names = names
        self.cache: dict[Hashable, Any] = {}
        self._closure: dict[str, list[str]] = {}

    def closure(self, app_id: str) -> list[str]:
        """What the application depends on, directly or not, in a stable order (name, then id)."""
        found = self._closure.get(app_id)
        if found is None:
            found = sorted(transitive(app_id, self.dependencies), key=lambda i: (self.names.get(i, ""), i))
            self._closure[app_id] = found
        return found

    def key(self, app_id: str, own: Hashable | None = None) -> tuple[Hashable, list[str]]:
        """(the shape, the ids in shape order: the application first). ``own`` overrides its own key."""
        if not self.dependencies.get(app_id):  # most applications: the general case below gives the same
            return ((self.own[app_id] if own is None else own,), ((),)), [app_id]
        ids = [app_id, *self.closure(app_id)]
        position = {i: index for index, i in enumerate(ids)}
        dependencies = self.dependencies
        structure = tuple(
            [
                tuple(sorted([position[d] for d in targets if d in position]))
                if (targets := dependencies.get(i))
                else ()
                for i in ids
            ]
        )
        owned = self.own
        owns = (owned[app_id] if own is None else own, *[owned[i] for i in ids[1:]])
        return (owns, structure), ids


class ShapeAssessor:
    """Assess applications moved to another product, on the landscape's own graph, once per figures key.

    An option (``figures(..., option=True)``) is assessed as a temporary node with the moved application's
    own edges and its real dependencies, removed again at once. A wave (``move``) changes the graph itself
    for a moved application that others depend on: its own edges are replaced and the walker forgets what it
    knew of it and of everything standing on it. The move of an application nothing depends on is only
    noted (``pending``) and made when ``figures`` walks it, which most never need.
    """

    def __init__(
        self,
        landscape: _Landscape,
        *,
        self_label: str | None = None,
        reverse: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """``reverse``: ``dependants_index`` of the landscape's dependencies, when the caller has it."""
        self._g = landscape.graph
        self._walker = landscape.walker
        self._node = landscape.assessor
        self._catalog: Catalog = landscape.assessor.catalog
        self._matcher = landscape.matcher
        self._dependencies: Mapping[str, Sequence[str]] = landscape.dependencies
        self._reverse = dependants_index(self._dependencies) if reverse is None else reverse
        self._self_label = self_label
        self._texts = landscape.texts
        self._figures: dict[Hashable, ApplicationAssessment] = {}
        #: per own key (product, hosting, data location) the first application of a wave walked with it: its
        #: figures and exposure, and its own continuity as it was then (it may move later)
        self._like: dict[Hashable, tuple[ApplicationAssessment, Any, list[tuple[str, tuple[str, ...]]]]] = {}
        #: per own key what ``counted`` reads of an application with it: its figures (what follows from the
        #: own edges), its own parties and the countries of its own continuity
        self._own: dict[Hashable, tuple[ApplicationAssessment, Sequence[Any], frozenset[str]]] = {}
        #: ``counted``'s figures (no evidence paths), apart from ``figures``'s, which options show in full
        self._counted: dict[Hashable, ApplicationAssessment] = {}
        self.walks = 0  # how many applications were walked (the rest came from the cache)
        # On a dependency cycle an application's own chain comes back through its dependencies, so the
        # countries they reach do not tell its figures apart: those are always walked.
        self._cyclic = self.on_cycles(self._dependencies, self._reverse)

    @staticmethod
    def on_cycles(
        dependencies: Mapping[str, Sequence[str]], reverse: Mapping[str, Sequence[str]]
    ) -> set[str]:
        """The ids on a dependency cycle of two or more, found on the plain dicts (no networkx graph).

        Only an application that depends on another and has one depend on it can be on a cycle; those are
        trimmed further (what has no such neighbour left cannot be on one either), and the few left are
        split into strongly connected components (Tarjan's, without recursion)."""
        alive = {a for a in reverse if a in dependencies and any(d != a for d in dependencies[a])}
        # Trim what depends on nothing alive or nothing alive depends on, until nothing changes.
        queue = list(alive)
        while queue:
            a = queue.pop()
            if a not in alive:
                continue
            if any(d != a and d in alive for d in dependencies[a]) and any(
                r != a and r in alive for r in reverse[a]
            ):
                continue
            alive.discard(a)
            queue.extend(d for d in dependencies[a] if d in alive)
            queue.extend(r for r in reverse[a] if r in alive)
        cyclic: set[str] = set()
        for part in strongly_connected(
            sorted(alive), lambda a: [d for d in dependencies[a] if d in alive and d != a]
        ):
            if len(part) > 1:
                cyclic.update(part)
        return cyclic

    def _understand(self, app: Application) -> tuple[Any, Any, Any]:
        # Not kept per application: each is a look-up in a cache of distinct texts already, and a national
        # plan's waves ask for 130,000 applications (keeping them cost 30 MiB at the audit's peak).
        return self._matcher.match(app), self._texts.hosting_of(app), self._texts.location_of(app)

    def move(
        self,
        moved: Mapping[str, tuple[str, tuple[Any, Any, Any]]],
        countries: dict[str, frozenset[str]],
        pending: dict[str, tuple[str, tuple[Any, Any, Any]]] | None = None,
    ) -> set[str]:
        """Make each moved application (id -> its label and what its new product, hosting and data location
        mean, as ``_understand`` gives them) what the graph holds under its id; the ids of what stands on
        them and may have other figures now.

        The walker's continuity and ``countries`` (see ``reached``) forget the moved applications and what
        stands on them. An application standing on them whose own edges stay and whose dependencies reach
        the same countries as before keeps its figures, and is left out (unless it is on a dependency
        cycle, or what its dependencies reached before was never worked out). With ``pending``, an
        application nothing depends on is not changed in the graph now but put there: nothing else walks
        it, so ``figures`` makes the move when it walks the application itself, which most never need
        (their figures are known already).
        """
        from ..graph import add_application

        g, walker, reverse = self._g, self._walker, self._reverse
        before: dict[str, frozenset[str] | None] = {}  # what the forgotten entries of ``countries`` held
        for app_id, (label, understood) in moved.items():
            node = f"application:{app_id}"
            if pending is not None and app_id not in reverse:
                pending[app_id] = (label, understood)
            else:
                for target, keys in list(g._succ[node].items()):
                    for kind in [k for k in keys if k != "depends_on"]:
                        g.remove_edge(node, target, key=kind)
                match, hosting, location = understood
                add_application(g, self._catalog, node, label, match, hosting, location)
                walker.forget_own(node)
            walker.continuity.pop(node, None)
            before[app_id] = countries.pop(app_id, None)
        # What stands on any of them, in one pass for the whole wave.
        standing: list[str] = []
        stack = [d for app_id in moved for d in reverse.get(app_id, ())]
        while stack:
            app_id = stack.pop()
            if app_id not in before:
                standing.append(app_id)
                walker.continuity.pop(f"application:{app_id}", None)
                before[app_id] = countries.pop(app_id, None)
                stack.extend(reverse.get(app_id, ()))
        changed: set[str] = set()
        for app_id in standing:
            if app_id not in self._cyclic:
                reached_before: set[str] = set()
                for dependency in self._dependencies[app_id]:
                    found = before[dependency] if dependency in before else countries.get(dependency)
                    if found is None:
                        break
                    reached_before |= found
                else:
                    if self.reached(app_id, countries) == reached_before:
                        continue
            changed.add(app_id)
        return changed

    def reached(self, app_id: str, countries: dict[str, frozenset[str]]) -> frozenset[str]:
        """The countries the continuity of the application's direct dependencies reaches, as the graph is now.

        ``countries`` keeps, per dependency, the countries its continuity reaches: those of its own parties
        and, recursively, of its dependencies (``move`` forgets what a move makes stale). Only sets are
        joined; the continuity's paths are built when an application is walked. A dependency on a cycle
        reaches back through itself and is walked in full instead.
        """
        dependencies = self._dependencies.get(app_id)
        if not dependencies:
            return frozenset()
        reached: frozenset[str] | None = None
        for dependency in dependencies:
            found = countries.get(dependency)
            if found is None:
                node = f"application:{dependency}"
                if dependency in self._cyclic:
                    found = frozenset([c for c, _ in self._walker.full_continuity(node)])
                else:
                    own = frozenset([c for c, _ in self._walker.own_continuity(node)])
                    found = own | self.reached(dependency, countries)
                countries[dependency] = found
            reached = found if reached is None else reached | found
        assert reached is not None
        return reached

    def _walk(self, app: Application, match: Any, hosting: Any, own: Hashable) -> ApplicationAssessment:
        """``NodeAssessor.assess`` of ``app`` under its own id. What follows from its own edges alone (own
        parties and continuity, lawful access, residency, controller, objectives) is taken from the first
        application walked with the same own key (``NodeAssessor.assess_like``); only the continuity through
        its dependencies is walked."""
        walker = self._walker
        like = self._like.get(own)
        if like is None:
            assessment, exposure = self._node.exposed(app, match, hosting)
            node = f"application:{app.app_id}"
            entries = walker.own_continuity(node)
            self._like[own] = (assessment, exposure, entries)
            self._own[own] = (assessment, exposure.parties, frozenset([c for c, _ in entries]))
            return assessment
        template, exposure, entries = like
        node = f"application:{app.app_id}"
        if node not in walker.own_entries:  # else known already, for its own edges as they are now
            walker.own_entries[node] = [(country, (node, *path[1:])) for country, path in entries]
        return self._node.assess_like(app, match, hosting, (template, exposure))

    def counted(
        self,
        app: Application,
        reached: frozenset[str],
        *,
        understood: tuple[Any, Any, Any] | None = None,
        pending: dict[str, tuple[str, tuple[Any, Any, Any]]] | None = None,
        before: ApplicationAssessment | None = None,
    ) -> ApplicationAssessment:
        """What a portfolio tally reads of ``figures(app, reached, ...)`` (``PortfolioTally.refigure``):
        matched, SEAL, the countries on each axis and the controller, the rest as ``figures`` has it, but
        without evidence paths (every axis's are empty). For a wave, whose figures are only counted.

        Nothing is walked through the dependencies: what follows from the own edges alone is that of an
        application with the same own key walked before, or (``before``: the landscape's assessment of
        ``app``, whose own edges have not changed since) ``app``'s own; the countries reached through the
        dependencies are ``reached``, and the continuity's countries those of its own continuity and
        ``reached`` together. An application on a dependency cycle, or the first of its own key without
        ``before``, is walked (``figures``)."""
        match, hosting, location = understood or self._understand(app)
        own = (match.product, hosting, location)
        known = self._own.get(own)
        if app.app_id in self._cyclic or (known is None and before is None):
            return self.figures(app, reached, understood=(match, hosting, location), pending=pending)
        key = (own, reached)
        found = self._figures.get(key) or self._counted.get(key)
        if found is not None:
            return found
        if pending and app.app_id in pending:  # its figures need no graph, but the graph must hold the move
            self.move({app.app_id: pending.pop(app.app_id)}, {})
        # Imported here, not per call: most calls end above (a national plan's waves make 100,000 of them).
        from ..assess import score_seal
        from ..graph import Exposure

        if known is None:
            assert before is not None
            node = f"application:{app.app_id}"
            parties, _ = self._walker.own_parties(node)
            own_countries = frozenset([c for c, _ in self._walker.own_continuity(node)])
            known = self._own[own] = (before, parties, own_countries)
        template, parties, own_countries = known
        dependency_countries = tuple(sorted(reached))
        continuity = _axis_result(tuple(sorted(own_countries | reached)), ())
        seal, seal_reason = score_seal(
            # What score_seal reads: the parties, the residency's countries and the dependencies'.
            Exposure(
                lawful_access=template.lawful_access,
                residency=template.residency,
                continuity=continuity,
                parties=tuple(parties),
                dependency_countries=dependency_countries,
            ),
            self._node.blocs,
            matched=match.product is not None,
        )
        controller = template.controller
        if self._self_label and controller is not None and controller.id == "self":
            controller = replace(controller, name=self._self_label)
        made = ApplicationAssessment(
            application=app,
            match=match,
            lawful_access=_axis_result(template.lawful_access.countries, ()),
            residency=_axis_result(template.residency.countries, ()),
            continuity=continuity,
            seal=seal,
            seal_reason=seal_reason,
            criticality=template.criticality,
            controller=controller,
            objectives=template.objectives,
            weighted_score=template.weighted_score,
            hosting_region=hosting.region,
            hosting_kind=hosting.kind,
        )
        self._counted[key] = made
        return made

    def figures(
        self,
        app: Application,
        reached: frozenset[str],
        *,
        understood: tuple[Any, Any, Any] | None = None,
        option: bool = False,
        pending: dict[str, tuple[str, tuple[Any, Any, Any]]] | None = None,
    ) -> ApplicationAssessment:
        """The figures of ``app`` as the graph has it, or (``option``) as it would be after moving to its new
        product: SEAL, the countries on each axis, controller, objectives. ``reached`` is what ``reached``
        gives for it; ``understood`` what its product, hosting and data location mean, when it is not
        ``app``'s own (a wave's moved application); ``pending`` the moves ``move`` left to make.

        They follow from the application's own edges and the countries its direct dependencies' continuity
        reaches, so they are worked out once per such pair and shared: the application, match, criticality
        and evidence paths are those of the first application with the same figures (for a wave's moved
        application, the application as it was before). For an option's figures after (see
        ``MigrationOption.after``); a wave's, which are only counted, come from ``counted``.
        """
        match, hosting, location = understood or self._understand(app)
        walker = self._walker
        key = ((match.product, hosting, location), reached)
        walk_always = not option and app.app_id in self._cyclic
        cached = None if walk_always else self._figures.get(key)
        if cached is None:
            for dependency in self._dependencies.get(app.app_id, ()):
                walker.full_continuity(f"application:{dependency}")  # kept for the walks to come
            if option:
                from ..graph import add_application

                g, trial = self._g, f"{NEUTRAL}option"
                node = f"application:{trial}"
                add_application(g, self._catalog, node, app.name, match, hosting, location)
                for dependency in self._dependencies.get(app.app_id, ()):
                    g.add_edge(node, f"application:{dependency}", key="depends_on", kind="depends_on")
                try:
                    cached = self._node.assess(app, trial, match, hosting)
                finally:
                    g.remove_node(node)
                    walker.forget_own(node)
                    walker.continuity.pop(node, None)
            else:
                if pending and app.app_id in pending:
                    self.move({app.app_id: pending.pop(app.app_id)}, {})
                cached = self._walk(app, match, hosting, key[0])
            controller = cached.controller
            if self._self_label and controller is not None and controller.id == "self":
                cached = replace(cached, controller=replace(controller, name=self._self_label))
            if not walk_always:
                self._figures[key] = cached
            self.walks += 1
        return cached
