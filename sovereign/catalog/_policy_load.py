"""Read a policy file (and the SEAL weight sets it names) into a validated ``Policy``.

The default policy is ``catalogs/policies/default.yaml``; a user passes another with ``--policy FILE``. Every
problem is reported at once as ``InputErrors`` naming file, line, rule and field, in the same form as catalog
errors. No network, no printing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import CatalogError, InputErrors
from ..model import Confidence, CriticalityModel, Policy, Rule, Selector, Source, WeightSet
from ._load import _LINE, _read_yaml, catalog_root

__all__ = ["RULE_KINDS", "default_policy_path", "load_policy", "load_weight_sets"]

#: Rule kind -> the fields it requires.
RULE_KINDS: dict[str, tuple[str, ...]] = {
    "min-seal": ("min_seal",),
    "residency": ("allowed",),
    "forbidden-jurisdiction": ("countries",),
    "exit-plan": ("below_seal",),
    "ownership": (),
    "controller-share": ("max_share",),
}
_RULE_FIELDS = {
    "id",
    "kind",
    "severity",
    "explanation",
    "applies_to",
    "sources",
    "min_seal",
    "allowed",
    "countries",
    "axis",
    "below_seal",
    "max_single_non_eu_share",
    "max_total_non_eu_share",
    "max_share",
    "measure",
    "notes",
    _LINE,
}
_SELECTOR_FIELDS = {
    "business_critical",
    "personal_data",
    "criticality_at_least",
    "confidentiality_at_least",
    "availability_at_least",
    "categories",
    _LINE,
}
_CRITICALITY_KEYS = {key for key, _ in CriticalityModel().weights}
_BLOCS = {"eu", "eea", "adequacy", "other"}


def default_policy_path() -> Path:
    return catalog_root() / "policies" / "default.yaml"


class _Errors:
    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.items: list[CatalogError] = []

    def add(self, line: int | None, message: str) -> None:
        self.items.append(CatalogError(message, location=f"{self.shown}:{line}" if line else self.shown))


def _sources(value: Any, where: str, line: int | None, errors: _Errors) -> tuple[Source, ...]:
    result = []
    for item in value or []:
        if not isinstance(item, dict) or not item.get("url"):
            errors.add(line, f"{where}: every source needs a 'url'")
            continue
        checked = item.get("checked")
        checked_text = (
            str(checked.isoformat())
            if checked is not None and hasattr(checked, "isoformat")
            else str(checked or "")
        )
        if not checked_text:
            errors.add(line, f"{where}: source '{item['url']}' needs a 'checked' date")
        result.append(
            Source(url=str(item["url"]), title=str(item.get("title") or item["url"]), checked=checked_text)
        )
    return tuple(result)


def _number(
    value: Any, where: str, line: int | None, errors: _Errors, *, low: float, high: float
) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        errors.add(line, f"{where} must be a number from {low:g} to {high:g}, got '{value}'")
        return None
    return float(value)


def load_weight_sets(path: Path | None = None) -> dict[str, WeightSet]:
    """The EU Cloud Sovereignty Framework weight sets, by id (``catalogs/policies/seal-weights.yaml``)."""
    path = path or catalog_root() / "policies" / "seal-weights.yaml"
    errors = _Errors(str(path))
    document = _read_yaml(path, str(path))
    sets: dict[str, WeightSet] = {}
    for item in (document or {}).get("weight_sets") or []:
        line = item.get(_LINE)
        weights = {str(k): v for k, v in (item.get("weights") or {}).items() if k != _LINE}
        total = sum(v for v in weights.values() if isinstance(v, (int, float)))
        if sorted(weights) != [f"SOV-{i}" for i in range(1, 9)] or abs(total - 100) > 0.01:
            errors.add(
                line, f"weight set '{item.get('id')}': needs SOV-1 .. SOV-8 adding up to 100, got {total:g}"
            )
        sets[str(item.get("id"))] = WeightSet(
            id=str(item.get("id")),
            name=str(item.get("name") or item.get("id")),
            weights=tuple(sorted((k, float(v)) for k, v in weights.items())),
            sources=_sources(item.get("sources"), f"weight set '{item.get('id')}'", line, errors),
            confidence=Confidence(str(item.get("confidence") or "inferred")),
            notes=item.get("notes"),
        )
    if errors.items:
        raise InputErrors(errors.items)
    return sets


def _selector(value: Any, where: str, line: int | None, errors: _Errors) -> Selector:
    if value is None:
        return Selector()
    if not isinstance(value, dict):
        errors.add(line, f"{where}: 'applies_to' must be a mapping")
        return Selector()
    unknown = sorted(set(value) - _SELECTOR_FIELDS)
    if unknown:
        errors.add(line, f"{where}: 'applies_to' has unknown condition(s) {', '.join(unknown)}")
    for key in ("business_critical", "personal_data"):
        if key in value and not isinstance(value[key], bool):
            errors.add(line, f"{where}: 'applies_to: {key}' must be true or false")
    biv = {
        k: _number(value.get(k), f"{where}: 'applies_to: {k}'", line, errors, low=1, high=3)
        for k in ("confidentiality_at_least", "availability_at_least")
    }
    return Selector(
        business_critical=value.get("business_critical")
        if isinstance(value.get("business_critical"), bool)
        else None,
        personal_data=value.get("personal_data") if isinstance(value.get("personal_data"), bool) else None,
        criticality_at_least=_number(
            value.get("criticality_at_least"),
            f"{where}: 'criticality_at_least'",
            line,
            errors,
            low=0,
            high=100,
        ),
        confidentiality_at_least=None
        if biv["confidentiality_at_least"] is None
        else int(biv["confidentiality_at_least"]),
        availability_at_least=None
        if biv["availability_at_least"] is None
        else int(biv["availability_at_least"]),
        categories=tuple(str(c) for c in value.get("categories") or ()),
    )


def _rule(item: dict[str, Any], errors: _Errors) -> Rule | None:
    line = item.get(_LINE)
    rule_id = str(item.get("id") or "")
    where = f"rule '{rule_id}'"
    if not rule_id:
        errors.add(line, "every rule needs an 'id'")
        return None
    kind = str(item.get("kind") or "")
    if kind not in RULE_KINDS:
        errors.add(line, f"{where}: 'kind' must be one of {', '.join(RULE_KINDS)}, got '{kind}'")
        return None
    unknown = sorted(set(item) - _RULE_FIELDS)
    if unknown:
        errors.add(line, f"{where}: unknown field(s) {', '.join(unknown)}")
    for required in RULE_KINDS[kind]:
        if item.get(required) in (None, [], ""):
            errors.add(line, f"{where}: a {kind} rule needs '{required}'")
    severity = str(item.get("severity") or "error")
    if severity not in ("error", "warning"):
        errors.add(line, f"{where}: 'severity' must be error or warning, got '{severity}'")
    axis = str(item.get("axis") or "any")
    if axis not in ("lawful_access", "continuity", "any"):
        errors.add(line, f"{where}: 'axis' must be lawful_access, continuity or any, got '{axis}'")
    measure = str(item.get("measure") or "applications")
    if measure not in ("applications", "criticality"):
        errors.add(line, f"{where}: 'measure' must be applications or criticality, got '{measure}'")
    allowed = tuple(str(a) for a in item.get("allowed") or ())
    for a in allowed:
        if a not in _BLOCS and not (len(a) == 2 and a.isupper()):
            errors.add(
                line, f"{where}: 'allowed' takes blocs (eu, eea, adequacy) or country codes, got '{a}'"
            )

    def level(key: str) -> int | None:
        value = _number(item.get(key), f"{where}: '{key}'", line, errors, low=0, high=4)
        return None if value is None else int(value)

    return Rule(
        id=rule_id,
        kind=kind,
        severity=severity,
        explanation=str(item.get("explanation") or "").strip(),
        applies_to=_selector(item.get("applies_to"), where, line, errors),
        min_seal=level("min_seal"),
        below_seal=level("below_seal"),
        allowed=allowed,
        countries=tuple(str(c) for c in item.get("countries") or ()),
        axis=axis,
        max_single_non_eu_share=_number(
            item.get("max_single_non_eu_share"),
            f"{where}: 'max_single_non_eu_share'",
            line,
            errors,
            low=0,
            high=100,
        ),
        max_total_non_eu_share=_number(
            item.get("max_total_non_eu_share"),
            f"{where}: 'max_total_non_eu_share'",
            line,
            errors,
            low=0,
            high=100,
        ),
        max_share=_number(item.get("max_share"), f"{where}: 'max_share'", line, errors, low=0, high=1),
        measure=measure,
        sources=_sources(item.get("sources"), where, line, errors),
    )


def load_policy(path: Path | None = None) -> Policy:
    """Load and validate a policy file (the shipped default when ``path`` is None)."""
    # The shipped policy is shown as catalogs/policies/default.yaml wherever it is installed, so that a
    # report names it the same on every machine (reports are byte-identical for identical inputs).
    shown = str(path) if path is not None else "catalogs/policies/default.yaml"
    path = path or default_policy_path()
    if not path.exists():
        raise CatalogError("policy file does not exist", location=shown)
    if path.is_dir():
        raise CatalogError("policy path is a folder, not a YAML file", location=shown)
    errors = _Errors(shown)
    document = _read_yaml(path, shown)
    if not isinstance(document, dict) or not isinstance(document.get("policy"), dict):
        raise CatalogError("a policy file needs a 'policy:' mapping and a 'rules:' list", location=shown)
    head = document["policy"]
    sets = load_weight_sets()
    weight_set = None
    if head.get("seal_weights"):
        weight_set = sets.get(str(head["seal_weights"]))
        if weight_set is None:
            errors.add(
                head.get(_LINE),
                f"policy: seal_weights '{head['seal_weights']}' is not one of {', '.join(sets)}",
            )
    criticality = CriticalityModel()
    block = document.get("criticality")
    if block is not None:
        weights = {str(k): v for k, v in (block.get("weights") or {}).items() if k != _LINE}
        unknown = sorted(set(weights) - _CRITICALITY_KEYS)
        if unknown:
            errors.add(
                block.get(_LINE),
                f"criticality: unknown weight(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(_CRITICALITY_KEYS))})",
            )

        def checked(key: str, v: Any) -> float:
            return _number(v, f"criticality: '{key}'", block.get(_LINE), errors, low=0, high=100) or 0.0

        criticality = CriticalityModel(
            base=checked("base", block.get("base", 1.0)),
            weights=tuple(
                (key, checked(key, weights.get(key, CriticalityModel().weight(key))))
                for key, _ in CriticalityModel().weights
            ),
        )
    rules = []
    seen: set[str] = set()
    for item in document.get("rules") or []:
        if not isinstance(item, dict):
            errors.add(None, "every rule must be a mapping")
            continue
        rule = _rule(item, errors)
        if rule is None:
            continue
        if rule.id in seen:
            errors.add(item.get(_LINE), f"rule '{rule.id}': duplicate id")
        seen.add(rule.id)
        rules.append(rule)
    threshold = _number(
        head.get("control_threshold", 50),
        "policy: 'control_threshold'",
        head.get(_LINE),
        errors,
        low=0,
        high=100,
    )
    if errors.items:
        raise InputErrors(errors.items)
    return Policy(
        id=str(head.get("id") or path.stem),
        name=str(head.get("name") or path.stem),
        description=str(head.get("description") or "").strip(),
        control_threshold=threshold or 50.0,
        seal_weights=weight_set,
        criticality=criticality,
        rules=tuple(rules),
        file=shown,
    )
