"""Derive control from ownership: the ultimate controller of an entity and the chain that leads to it.

An owner controls an entity when its record says ``control: true``, or when it holds more than
``threshold`` percent and no record says ``control: false``. The walk stops at an entity without a
controlling owner: a widely held listed company, a foundation, a family. Pure: no I/O.
"""

from __future__ import annotations

from ..model import Catalog, Entity, Owner

__all__ = ["CONTROL_THRESHOLD", "control_chain", "controlling_owner", "ultimate_controller"]

#: Percent of votes above which an owner is presumed to control (DESIGN §4: "control above 50 %").
CONTROL_THRESHOLD = 50.0


def controlling_owner(entity: Entity, *, threshold: float = CONTROL_THRESHOLD) -> Owner | None:
    """The owner that controls ``entity``, or None when nobody does."""
    for owner in entity.owners:
        if owner.control is True:
            return owner
    for owner in entity.owners:
        if owner.control is None and (owner.share or 0.0) > threshold:
            return owner
    return None


def control_chain(
    catalog: Catalog, entity_id: str, *, threshold: float = CONTROL_THRESHOLD
) -> tuple[str, ...]:
    """Entity ids from ``entity_id`` up to its ultimate controller, both included.

    >>> from sovereign.model import Catalog, Entity, Owner
    >>> c = Catalog(entities={"a": Entity(id="a", name="A", owners=(Owner(entity="b", share=100),)),
    ...                       "b": Entity(id="b", name="B")})
    >>> control_chain(c, "a")
    ('a', 'b')
    """
    chain = [entity_id]
    while True:
        entity = catalog.entities.get(chain[-1])
        owner = controlling_owner(entity, threshold=threshold) if entity else None
        if owner is None or owner.entity in chain or owner.entity not in catalog.entities:
            return tuple(chain)
        chain.append(owner.entity)


def ultimate_controller(catalog: Catalog, entity_id: str) -> Entity | None:
    """The entity at the top of the control chain, or None when ``entity_id`` is not in the catalog."""
    if entity_id not in catalog.entities:
        return None
    return catalog.entities[control_chain(catalog, entity_id)[-1]]
