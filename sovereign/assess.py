"""Pure scoring: criticality, the approximate SEAL level, and the portfolio figures.

Criticality starts at the model's base and adds the weight of each rule in ``CRITICALITY_RULES`` that fires.
The weights come from the policy (``criticality:``); the defaults give 1.0 to 5.0: business-critical +1.5,
personal data +0.5, each BIV letter rated 3 (high) +0.5 or rated 2 +0.25, more than 100 users +0.25 or more
than 500 users +0.5. What the inventory leaves empty adds nothing and is not guessed.

SEAL (after the EU Cloud Sovereignty Framework's assurance levels; an approximation from the control chain,
not a certification). "EU" means an EU or EEA country. The weakest link sets the level:
  0  the party that runs the application for us (the SaaS operator, a managed hoster) is seated outside the
     EU and controlled from outside it (a US SaaS);
  1  that party is seated in the EU but its ultimate controller is not (an EU subsidiary of a US parent);
  2  the operator is EU-controlled, but the infrastructure under it is run by a non-EU-controlled party (an EU
     vendor on a US hyperscaler's EU region), or the software or platform technology comes from a
     non-EU-controlled vendor whose withdrawal would stop it (EU operator of licensed US technology), or the
     data is stored outside the EU;
  3  the application's own chain is EU-controlled, but an application it depends on is not (or is unknown);
  4  EU-controlled and operated throughout, dependencies included.
Unknown is never counted as sovereign: a level is only given when no unknown link could take it lower. An
unmatched application or an unknown operator could be 0, so it gets ``None`` unless a known link already
gives 0; an unknown vendor, platform or data location could be 2, so a known level 1 stands but a 3 or 4
becomes ``None``; an unknown dependency caps the level at 3.
Open-source software a party merely licenses does not count as a vendor dependency: its licence cannot be
withdrawn.

Portfolio figures are shares over all applications (plain, and weighted by criticality) of those whose axis
reaches the US; the SEAL distribution; concentration per ultimate controller (share of applications and of
criticality, and the Herfindahl-Hirschman index over application shares, 0-10,000); and the share of
applications with anything unknown. No I/O, no logging, no clock.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pandas as pd

from .graph import DATA_ROLES, OPERATOR, PLATFORM_OPERATOR, SELF, CutCandidate, CutResult, Exposure, Party
from .model import (
    UNKNOWN,
    Application,
    ApplicationAssessment,
    Biv,
    Bloc,
    ControllerRef,
    ControllerShare,
    CriticalityModel,
    Location,
    Portfolio,
    ScenarioOutcome,
    SinglePoint,
    StoppedApplication,
)

__all__ = [
    "CRITICALITY_RULES",
    "DEFAULT_CRITICALITY",
    "METHOD_VERSION",
    "OBJECTIVES",
    "is_eu",
    "score_criticality",
    "score_objectives",
    "score_portfolio",
    "score_seal",
    "score_weighted",
]

#: The criticality model when no policy says otherwise (the weights in catalogs/policies/README.md).
DEFAULT_CRITICALITY = CriticalityModel()

#: Bump when a change to the rules would change a result for the same inputs and catalog.
METHOD_VERSION = "2026.11-2"


class CriticalityRule(NamedTuple):
    id: str
    condition: Callable[[Application], bool]
    weight_key: str  # the key in the policy's criticality weights
    explanation: str


def _biv_level(app: Application, letter: str, level: int) -> bool:
    if app.biv is None:
        return False
    value = {"B": app.biv.availability, "I": app.biv.integrity, "V": app.biv.confidentiality}[letter]
    return value == level


# fmt: off
CRITICALITY_RULES: tuple[CriticalityRule, ...] = (
    CriticalityRule("business-critical", lambda a: a.business_critical is True, "business_critical", "business-critical"),
    CriticalityRule("personal-data",     lambda a: a.personal_data is True,     "personal_data",     "personal data"),
    CriticalityRule("biv-b-high",        lambda a: _biv_level(a, "B", 3),       "biv_high",          "availability high"),
    CriticalityRule("biv-b-medium",      lambda a: _biv_level(a, "B", 2),       "biv_medium",        "availability mid"),
    CriticalityRule("biv-i-high",        lambda a: _biv_level(a, "I", 3),       "biv_high",          "integrity high"),
    CriticalityRule("biv-i-medium",      lambda a: _biv_level(a, "I", 2),       "biv_medium",        "integrity mid"),
    CriticalityRule("biv-v-high",        lambda a: _biv_level(a, "V", 3),       "biv_high",          "confidentiality high"),
    CriticalityRule("biv-v-medium",      lambda a: _biv_level(a, "V", 2),       "biv_medium",        "confidentiality mid"),
    CriticalityRule("users-over-500",    lambda a: (a.users or 0) > 500,        "users_over_500",    "over 500 users"),
    CriticalityRule("users-over-100",    lambda a: 100 < (a.users or 0) <= 500, "users_over_100",    "over 100 users"),
)
# fmt: on


def score_criticality(
    app: Application, model: CriticalityModel = DEFAULT_CRITICALITY
) -> tuple[float, tuple[str, ...]]:
    """Criticality of one application under a criticality model, and the ids of the rules that fired.

    >>> from sovereign.model import Application, Location, Biv
    >>> score_criticality(Application(app_id="a", name="a", source=Location(path="x"), business_critical=True,
    ...                               biv=Biv(availability=3, integrity=2, confidentiality=1)))
    (3.25, ('business-critical', 'biv-b-high', 'biv-i-medium'))
    """
    # The rules read only these four fields: score each distinct combination once (a national inventory
    # has a few dozen of them in 150,000 rows).
    users = app.users or 0
    band = 501 if users > 500 else 101 if users > 100 else 0  # the rules only ask above 100, above 500
    return _criticality(app.business_critical, app.personal_data, app.biv, band, model)


@lru_cache(maxsize=4096)
def _criticality(
    business_critical: bool | None,
    personal_data: bool | None,
    biv: Biv | None,
    users: int,
    model: CriticalityModel,
) -> tuple[float, tuple[str, ...]]:
    probe = Application(
        app_id="",
        name="",
        source=_PROBE_SOURCE,
        business_critical=business_critical,
        personal_data=personal_data,
        biv=biv,
        users=users,
    )
    fired = tuple(r for r in CRITICALITY_RULES if r.condition(probe))
    return model.base + sum(model.weight(r.weight_key) for r in fired), tuple(r.id for r in fired)


_PROBE_SOURCE = Location(path="")


def is_eu(code: str, blocs: Mapping[str, Bloc]) -> bool | None:
    """True for an EU/EEA country (or the code EU), False for any other known country, None when unknown."""
    if code == "EU":
        return True
    bloc = blocs.get(code)
    if bloc is None:
        return None
    return bloc in (Bloc.EU, Bloc.EEA)


def score_seal(exposure: Exposure, blocs: Mapping[str, Bloc], *, matched: bool) -> tuple[int | None, str]:
    """The approximate SEAL level (0-4, None when it cannot be derived) and the id of the deciding rule.

    Each link either caps the level (a known non-EU party) or, when unknown, could cap it: an unknown
    operator could mean 0, an unknown vendor, platform or data location 2. The level is only given when no
    unknown could take it lower than the known links already do.
    """
    level, reason = 4, "seal-4-eu-controlled"
    could_be = 4  # the lowest level that the unknown links could imply

    def cap(new: int, rule: str) -> None:
        nonlocal level, reason
        if new < level:
            level, reason = new, rule

    if not matched or not any(p.role in DATA_ROLES for p in exposure.parties):
        could_be = 0
    for party in exposure.parties:
        seat, controller = is_eu(party.seat, blocs), is_eu(party.controller_country, blocs)
        if party.role == OPERATOR:
            if controller is False and seat is False:
                return 0, "seal-0-non-eu-operator"
            if controller is False:
                cap(1, "seal-1-eu-entity-non-eu-controller")
            if controller is None or seat is None:
                could_be = 0
        elif party.open_source and party.role != PLATFORM_OPERATOR:
            continue  # a licence that cannot be withdrawn is no dependence on its vendor
        elif controller is False:
            cap(
                2,
                "seal-2-non-eu-infrastructure"
                if party.role == PLATFORM_OPERATOR
                else "seal-2-non-eu-technology",
            )
        elif controller is None:
            could_be = min(could_be, 2)
    for country in exposure.residency.countries:
        located = is_eu(country, blocs)
        if located is False:
            cap(2, "seal-2-data-outside-eu")
        elif located is None:
            could_be = min(could_be, 2)
    for country in exposure.dependency_countries:
        if is_eu(country, blocs) is False:
            cap(3, "seal-3-non-eu-dependency")
        elif is_eu(country, blocs) is None:
            cap(3, "seal-3-unknown-dependency")
    if could_be < level:
        return None, "seal-unknown-unmatched" if not matched else "seal-unknown-chain"
    return level, reason


# ---------------------------------------------------------------------------------------------------------
# EU Cloud Sovereignty Framework objectives (ranking within a SEAL level)

OBJECTIVES = ("SOV-1", "SOV-2", "SOV-3", "SOV-4", "SOV-5", "SOV-6", "SOV-7", "SOV-8")
#: What the graph cannot tell (security certification, energy use) scores neutral, and says so.
NEUTRAL = 0.5


def _eu_share(codes: Sequence[str], blocs: Mapping[str, Bloc]) -> float:
    """1.0 when every code is EU/EEA, 0.0 when any is non-EU or unknown (unknown is never sovereign)."""
    if not codes:
        return 0.0
    return 1.0 if all(is_eu(c, blocs) for c in codes) else 0.0


def score_objectives(
    exposure: Exposure, blocs: Mapping[str, Bloc], *, open_source: bool | None, open_standards: int
) -> tuple[tuple[str, float], ...]:
    """A 0..1 score per framework objective, derived from what the graph knows about one application.

    SOV-1 strategic: the ultimate controllers of its operators are EU. SOV-2 legal: every lawful-access
    country is EU. SOV-3 data: every residency country is EU. SOV-4 operational: its operators are seated and
    controlled in the EU (0.5 for an EU entity of a non-EU parent). SOV-5 supply chain: the share of its
    platform and technology suppliers that are EU-controlled. SOV-6 technology: open source 1, two or more
    open standards 0.5. SOV-7 security and SOV-8 sustainability: not derivable here, neutral 0.5.
    """
    operators = [p for p in exposure.parties if p.role == OPERATOR]
    suppliers = [p for p in exposure.parties if p.role != OPERATOR and not p.open_source]
    operational = 0.0
    if operators:
        levels = [
            1.0 if is_eu(p.controller_country, blocs) else 0.5 if is_eu(p.seat, blocs) else 0.0
            for p in operators
        ]
        operational = min(levels)
    supply = (
        (sum(1.0 for p in suppliers if is_eu(p.controller_country, blocs)) / len(suppliers))
        if suppliers
        else (1.0 if operators else 0.0)
    )
    technology = 1.0 if open_source else 0.5 if open_standards >= 2 else 0.0
    scores = (
        _eu_share([p.controller_country for p in operators], blocs),
        _eu_share(exposure.lawful_access.countries, blocs),
        _eu_share(exposure.residency.countries, blocs),
        operational,
        round(supply, 4),
        technology,
        NEUTRAL,
        NEUTRAL,
    )
    return _objective_pairs(scores)


@lru_cache(maxsize=4096)
def _objective_pairs(scores: tuple[float, ...]) -> tuple[tuple[str, float], ...]:
    """(objective, score) pairs, one tuple per distinct set of scores: every walked application and option
    holds one, and a national inventory has few distinct ones."""
    return tuple(zip(OBJECTIVES, scores, strict=True))


def score_weighted(objectives: Sequence[tuple[str, float]], weights: Sequence[tuple[str, float]]) -> float:
    """The weighted sum (0..100) of objective scores with percent weights.

    >>> score_weighted([("SOV-1", 1.0), ("SOV-2", 0.5)], [("SOV-1", 60), ("SOV-2", 40)])
    80.0
    """
    w = dict(weights)
    return round(sum(score * w.get(objective, 0.0) for objective, score in objectives), 2)


# ---------------------------------------------------------------------------------------------------------
# Portfolio


def assessment_frame(assessments: Sequence[ApplicationAssessment]) -> pd.DataFrame:
    """One row per application with the columns the portfolio figures need, as a pandas frame for analysis.

    pandas is imported here, not at the top: the audit itself counts in plain Python.
    """
    import pandas as pd

    rows = []
    for a in assessments:
        controller = a.controller
        rows.append(
            {
                "app_id": a.application.app_id,
                "criticality": a.criticality,
                "matched": a.match.product is not None,
                "seal": "unknown" if a.seal is None else str(a.seal),
                "us_lawful_access": "US" in a.lawful_access.countries,
                "us_residency": "US" in a.residency.countries,
                "us_continuity": "US" in a.continuity.countries,
                "non_eu_lawful_access": a.seal is not None and a.seal <= 1,
                "any_unknown": a.seal is None
                or any(UNKNOWN in axis.countries for axis in (a.lawful_access, a.residency, a.continuity)),
                "controller_id": controller.id if controller else UNKNOWN,
                "controller_name": controller.name if controller else UNKNOWN,
                "controller_country": (controller.country or UNKNOWN) if controller else UNKNOWN,
            }
        )
    columns = [
        "app_id",
        "criticality",
        "matched",
        "seal",
        "us_lawful_access",
        "us_residency",
        "us_continuity",
        "non_eu_lawful_access",
        "any_unknown",
        "controller_id",
        "controller_name",
        "controller_country",
    ]
    return pd.DataFrame(rows, columns=columns)


#: What a portfolio flag depends on: matched, SEAL, the three axes' countries, the controller (id, name, country).
_Combination = tuple[
    bool, int | None, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, str, str]
]


def _combination(a: ApplicationAssessment) -> _Combination:
    c = a.controller
    return (
        a.match.product is not None,
        a.seal,
        a.lawful_access.countries,
        a.residency.countries,
        a.continuity.countries,
        (c.id, c.name, c.country or UNKNOWN) if c else (UNKNOWN, UNKNOWN, UNKNOWN),
    )


def score_portfolio(assessments: Sequence[ApplicationAssessment]) -> Portfolio:
    """Portfolio figures over all assessed applications.

    One pass in plain Python: linear, and no pandas import for a command that only needs counts and sums
    (the figures equal those of ``assessment_frame`` grouped with pandas; see the tests).
    """
    # The flags follow from a few shared values (matched or not, SEAL, the three axes' countries, the
    # controller), so they are worked out once per distinct combination; the weights are kept per
    # combination and summed with fsum at the end, which gives the same sums in any order.
    combinations: dict[_Combination, list[float]] = {}
    for a in assessments:
        key = _combination(a)
        found = combinations.get(key)
        if found is None:
            combinations[key] = [a.criticality]
        else:
            found.append(a.criticality)
    return _portfolio_of(combinations)


class PortfolioTally:
    """Portfolio figures kept up to date while assessments change: the plan's waves re-assess some
    applications at a time, and counting every application again after each wave was most of a wave.
    ``portfolio()`` equals ``score_portfolio`` over the current assessments (one per application id)."""

    def __init__(self, assessments: Iterable[ApplicationAssessment]) -> None:
        self._members: dict[_Combination, dict[str, float]] = {}
        self._key_of: dict[str, _Combination] = {}
        for a in assessments:
            self.update(a)

    def update(self, a: ApplicationAssessment) -> None:
        """``a`` is now the assessment of its application (added, or in place of the one before)."""
        self._place(a.application.app_id, _combination(a), a.criticality)

    def refigure(self, app_id: str, figures: ApplicationAssessment) -> None:
        """Application ``app_id`` (already counted) now has the flags of ``figures`` (matched, SEAL, axes,
        controller); its criticality is kept, as a move to another product does not change it. For
        ``ShapeAssessor.figures``, whose application and criticality are another's."""
        self._place(app_id, _combination(figures), self._members[self._key_of[app_id]][app_id])

    def _place(self, app_id: str, key: _Combination, criticality: float) -> None:
        old = self._key_of.get(app_id)
        if old is not None and old != key:
            members = self._members[old]
            del members[app_id]
            if not members:
                del self._members[old]
        self._key_of[app_id] = key
        self._members.setdefault(key, {})[app_id] = criticality

    def portfolio(self) -> Portfolio:
        return _portfolio_of({key: members.values() for key, members in self._members.items()})


def _portfolio_of(combinations: Mapping[_Combination, Collection[float]]) -> Portfolio:
    """The figures from the criticality weights of each combination's applications."""
    n = sum(map(len, combinations.values()))
    total = math.fsum(chain.from_iterable(combinations.values()))
    columns = (
        "matched",
        "any_unknown",
        "us_lawful_access",
        "us_residency",
        "us_continuity",
        "non_eu_lawful_access",
    )
    counts = dict.fromkeys(columns, 0)
    hits: dict[str, list[Collection[float]]] = {column: [] for column in columns}
    seal_counts: dict[str, int] = {}
    groups: dict[tuple[str, str, str], list[Collection[float]]] = {}
    for (matched, seal, lawful, residency, continuity, controller), values in combinations.items():
        flags = {
            "matched": matched,
            "any_unknown": seal is None or any(UNKNOWN in axis for axis in (lawful, residency, continuity)),
            "us_lawful_access": "US" in lawful,
            "us_residency": "US" in residency,
            "us_continuity": "US" in continuity,
            "non_eu_lawful_access": seal is not None and seal <= 1,
        }
        for column, hit in flags.items():
            if hit:
                counts[column] += len(values)
                hits[column].append(values)
        level = "unknown" if seal is None else str(seal)
        seal_counts[level] = seal_counts.get(level, 0) + len(values)
        groups.setdefault(controller, []).append(values)

    def share(column: str) -> float:
        return round(counts[column] / n, 4) if n else 0.0

    def weighted(column: str) -> float:
        if not total:
            return 0.0
        return round(math.fsum(chain.from_iterable(hits[column])) / total, 4)

    distribution = {level: seal_counts.get(level, 0) for level in ("0", "1", "2", "3", "4", "unknown")}
    grouped = sorted(
        ((key, sum(map(len, lists)), math.fsum(chain.from_iterable(lists))) for key, lists in groups.items()),
        key=lambda row: (-row[1], -row[2], *row[0]),
    )
    concentration = tuple(
        ControllerShare(
            controller=ControllerRef(id=cid, name=name, country=None if country == UNKNOWN else country),
            applications=count,
            share=round(count / n, 4),
            criticality_share=round(weight / total, 4) if total else 0.0,
        )
        for (cid, name, country), count, weight in grouped
    )
    known = [c for c in concentration if c.controller.id != UNKNOWN]
    hhi = round(sum((c.share * 100) ** 2 for c in known), 1)

    return Portfolio(
        applications=n,
        matched_share=share("matched"),
        unknown_share=share("any_unknown"),
        us_lawful_access_share=share("us_lawful_access"),
        us_residency_share=share("us_residency"),
        us_continuity_share=share("us_continuity"),
        us_lawful_access_weighted=weighted("us_lawful_access"),
        us_residency_weighted=weighted("us_residency"),
        us_continuity_weighted=weighted("us_continuity"),
        non_eu_lawful_access_share=share("non_eu_lawful_access"),
        seal_distribution=distribution,
        concentration=concentration,
        hhi=hhi,
    )


def controller_ref(
    node: str | None, labels: Mapping[str, str], seats: Mapping[str, str]
) -> ControllerRef | None:
    """A ControllerRef for an entity node id (``entity:x`` or the organisation itself)."""
    if node is None:
        return None
    ident = "self" if node == SELF else node.removeprefix("entity:")
    country = seats.get(node)
    return ControllerRef(
        id=ident, name=labels.get(node, ident), country=None if country in (None, UNKNOWN) else country
    )


def party_seats(parties: Sequence[Party]) -> dict[str, str]:
    """Entity node -> seat country for every entity on the parties' control chains."""
    seats: dict[str, str] = {}
    for party in parties:
        for entity, country in zip(party.chain, party.countries, strict=True):
            seats[entity] = country
    return seats


# ---------------------------------------------------------------------------------------------------------
# Scenarios and single points of failure


def score_scenario(
    scenario_id: str, cut: CutResult, assessments: Mapping[str, ApplicationAssessment]
) -> ScenarioOutcome:
    """Turn a graph cut into a scenario outcome with names, departments and criticality."""
    total = sum(a.criticality for a in assessments.values())
    stopped = tuple(
        StoppedApplication(
            app_id=s.app_id,
            name=a.application.name,
            department=a.application.department,
            criticality=a.criticality,
            via=s.via,
            direct=s.direct,
        )
        for s in cut.stopped
        if (a := assessments.get(s.app_id)) is not None
    )
    lost = sum(s.criticality for s in stopped)
    return ScenarioOutcome(
        id=scenario_id,
        cut=cut.cut,
        stopped=stopped,
        uncertain=cut.uncertain,
        unaffected=len(assessments) - len(stopped) - len(cut.uncertain),
        criticality_stopped=round(lost, 4),
        criticality_share=round(lost / total, 4) if total else 0.0,
    )


def score_single_points(
    candidates: Sequence[CutCandidate], assessments: Mapping[str, ApplicationAssessment]
) -> tuple[SinglePoint, ...]:
    """Single points of failure with their share of the portfolio's criticality and an example path."""
    total = sum(a.criticality for a in assessments.values())
    points = []
    for c in candidates:
        points.append(
            SinglePoint(
                node=c.node,
                kind=c.kind,
                applications=c.applications,
                criticality=c.weight,
                criticality_share=round(c.weight / total, 4) if total else 0.0,
                example=c.example,
                equivalent=c.equivalent,
            )
        )
    return tuple(points)
