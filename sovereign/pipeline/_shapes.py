"""Assess an application once per shape, not once per row.

What the graph says about an application (its three axes, SEAL, controller, objectives) depends only on its
shape: the product it is matched to, what its hosting and data-location texts mean, and the same of
everything it depends on, with who depends on whom. Not on its name, id, department, organisation or BIV
(criticality is scored per application). A national inventory repeats the same shapes in every municipality
("Identity (Entra ID)" on Microsoft Entra ID, depended on by the same applications), so the audit walks the
graph once per shape and renames the evidence paths to each application's own ids; the migration plan
assesses each moved shape once in a small landscape of neutral ids. The countries, levels and controllers
equal those of walking every application (tested); where two paths of the same length justify a country, the
one kept may differ.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from ..model import Application, ApplicationAssessment, AxisResult, Catalog, Inventory, Policy

__all__ = [
    "NEUTRAL",
    "ShapeAssessor",
    "ShapeIndex",
    "dependants_index",
    "from_neutral",
    "rename_paths",
    "to_neutral",
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


def _rename_path(path: tuple[str, ...], names: Mapping[str, str]) -> tuple[str, ...]:
    if "depends_on" in path:  # other applications on the way
        return tuple(names.get(n, n) for n in path)
    return (names.get(path[0], path[0]), *path[1:])  # only the application itself


def _rename_axis(axis: AxisResult, names: Mapping[str, str]) -> AxisResult:
    return AxisResult(countries=axis.countries, paths=tuple(_rename_path(p, names) for p in axis.paths))


def rename_paths(assessment: ApplicationAssessment, names: Mapping[str, str]) -> ApplicationAssessment:
    """The assessment with the node ids in its evidence paths renamed."""
    return replace(
        assessment,
        lawful_access=_rename_axis(assessment.lawful_access, names),
        residency=_rename_axis(assessment.residency, names),
        continuity=_rename_axis(assessment.continuity, names),
    )


def to_neutral(ids: Sequence[str]) -> dict[str, str]:
    """Real application nodes to the neutral ones of a shape (the first id is the application itself)."""
    return {f"application:{app_id}": f"application:{NEUTRAL}{i}" for i, app_id in enumerate(ids)}


def from_neutral(ids: Sequence[str]) -> dict[str, str]:
    return {f"application:{NEUTRAL}{i}": f"application:{app_id}" for i, app_id in enumerate(ids)}


#: The prefix of neutral application ids. Contains a character no inventory id can hold after trimming
#: (ids are written as ``application:<id>`` and never start with a NUL).
NEUTRAL = "\x00"


class ShapeIndex:
    """The shape of every application: its own key (matched product, hosting, data location) and those of
    everything it depends on, with who depends on whom. ``cache`` maps a shape to a result in neutral ids."""

    def __init__(
        self,
        own: Mapping[str, Hashable],
        dependencies: Mapping[str, Sequence[str]],
        names: Mapping[str, str],
    ) -> None:
        self.own = dict(own)
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
        ids = [app_id, *self.closure(app_id)]
        position = {i: index for index, i in enumerate(ids)}
        structure = tuple(
            tuple(sorted(position[d] for d in self.dependencies.get(i, ()) if d in position)) for i in ids
        )
        owns = (self.own[app_id] if own is None else own, *(self.own[i] for i in ids[1:]))
        return (owns, structure), ids


class ShapeAssessor:
    """Assess applications, perhaps moved to another product, in the landscape of what they depend on.

    Each shape is assessed once, in a small landscape of neutral ids, then renamed for every application of
    that shape. ``dependencies`` maps every application id to the ids it depends on (as resolved on the full
    landscape); it does not change when applications move to another product.
    """

    def __init__(
        self,
        catalog: Catalog,
        policy: Policy | None,
        matcher: Any,
        dependencies: Mapping[str, Sequence[str]],
        applications: Sequence[Application],
        *,
        self_label: str | None = None,
    ) -> None:
        from ..assess import DEFAULT_CRITICALITY

        self._catalog = catalog
        self._policy = policy
        self._matcher = matcher
        self._self_label = self_label
        self._criticality = policy.criticality if policy else DEFAULT_CRITICALITY
        from ._audit import TextCache

        self._texts = TextCache()
        self._hosting = self._texts.hosting
        self._locations = self._texts.locations
        self.shapes = ShapeIndex(
            {a.app_id: self._own(a) for a in applications},
            dependencies,
            {a.app_id: a.name for a in applications},
        )
        self.landscapes = 0  # how many small landscapes were built (the rest came from the cache)

    def _own(self, app: Application) -> Hashable:
        from ..catalog import match_hosting, parse_countries

        hosting_key = (app.hosting, app.hosting_provider)
        if hosting_key not in self._hosting:
            self._hosting[hosting_key] = match_hosting(self._catalog, app.hosting, app.hosting_provider)
        if app.data_location not in self._locations:
            self._locations[app.data_location] = parse_countries(app.data_location)
        return (
            self._matcher.match(app).product,
            self._hosting[hosting_key],
            self._locations[app.data_location],
        )

    def moved(self, app: Application) -> None:
        """Record that ``app`` now stands for its id (after a move), for those that depend on it."""
        self.shapes.own[app.app_id] = self._own(app)

    def assess(self, app: Application, current: Mapping[str, Application]) -> ApplicationAssessment:
        """``app`` (perhaps moved to another product) with its dependencies as recorded."""
        from ..assess import score_criticality

        key, ids = self.shapes.key(app.app_id, self._own(app))
        cached = self.shapes.cache.get(key)
        if cached is None:
            structure = key[1]
            apps = [app, *(current[i] for i in ids[1:])]
            neutral = tuple(
                replace(
                    a,
                    app_id=f"{NEUTRAL}{i}",
                    organisation=None,
                    depends_on=tuple(f"{NEUTRAL}{d}" for d in structure[i]),
                )
                for i, a in enumerate(apps)
            )
            from ._audit import _build_landscape  # here: _audit imports this module

            landscape = _build_landscape(
                Inventory(applications=neutral),
                self._catalog,
                self._policy,
                self._matcher,
                only={f"{NEUTRAL}0"},
                texts=self._texts,
            )
            self.landscapes += 1
            cached = next(a for a in landscape.assessments if a.application.app_id == f"{NEUTRAL}0")
            self.shapes.cache[key] = cached
        assessment = replace(
            rename_paths(cached, from_neutral(ids)),
            application=app,
            match=self._matcher.match(app),
            criticality=score_criticality(app, self._criticality)[0],
        )
        controller = assessment.controller
        if self._self_label and controller is not None and controller.id == "self":
            assessment = replace(assessment, controller=replace(controller, name=self._self_label))
        return assessment
