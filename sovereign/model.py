"""Domain dataclasses shared by every stage: inventory rows, catalog records, assessment results.

Plain frozen data with no behaviour beyond small derived properties. Must not import pandas, networkx,
click or any other stage; every other module may import this one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "UNKNOWN",
    "Accounting",
    "Adopter",
    "Alternative",
    "AlternativeOption",
    "Application",
    "ApplicationAssessment",
    "ApplicationOptions",
    "AuditResult",
    "AxisResult",
    "Biv",
    "Bloc",
    "Catalog",
    "CheckOutcome",
    "Confidence",
    "ControllerRef",
    "ControllerShare",
    "CriticalityModel",
    "Delivery",
    "Entity",
    "ExitOutline",
    "Finding",
    "HostingRegion",
    "InputFile",
    "Inventory",
    "Jurisdiction",
    "Law",
    "LocalFact",
    "Location",
    "Match",
    "MatchMethod",
    "MergedRow",
    "MigrationOption",
    "Owner",
    "Plan",
    "Policy",
    "Portfolio",
    "PortfolioDelta",
    "Product",
    "RejectedRow",
    "Rule",
    "ScenarioOutcome",
    "Selector",
    "SinglePoint",
    "Source",
    "StoppedApplication",
    "Wave",
    "WeightSet",
]

#: The value that stands where a chain ends without a country (audit.json contract).
UNKNOWN = "unknown"


class Delivery(StrEnum):
    SAAS = "saas"
    ON_PREMISE = "on-premise"
    PAAS = "paas"
    IAAS = "iaas"
    HYBRID = "hybrid"


class Confidence(StrEnum):
    VERIFIED = "verified"
    REPORTED = "reported"
    INFERRED = "inferred"


class Bloc(StrEnum):
    """Where a country stands towards EU data-protection law."""

    EU = "eu"
    EEA = "eea"  # EEA but not EU: Norway, Iceland, Liechtenstein
    ADEQUACY = "adequacy"  # third country with an EU adequacy decision
    OTHER = "other"


class MatchMethod(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    LOCAL = "local"
    NONE = "none"


# ---------------------------------------------------------------------------------------------------------
# Inventory


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where a record came from: ``file.csv:14``, ``file.xlsx:Blad1:14`` or ``model.xml#id-123``."""

    path: str
    line: int | None = None
    sheet: str | None = None
    element: str | None = None

    def __str__(self) -> str:
        text = self.path
        if self.sheet is not None:
            text += f":{self.sheet}"
        if self.line is not None:
            text += f":{self.line}"
        if self.element is not None:
            text += f"#{self.element}"
        return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Biv:
    """Beschikbaarheid, Integriteit, Vertrouwelijkheid, each 1 (low) to 3 (high), None when not given."""

    availability: int | None = None
    integrity: int | None = None
    confidentiality: int | None = None

    def __str__(self) -> str:
        return "/".join(
            "?" if v is None else str(v) for v in (self.availability, self.integrity, self.confidentiality)
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Application:
    """One application in use, as the inventory describes it. Text fields keep what the user wrote."""

    app_id: str
    name: str
    source: Location
    vendor: str | None = None
    product: str | None = None
    version: str | None = None
    category: str | None = None
    gemma_component: str | None = None
    hosting: str | None = None
    hosting_provider: str | None = None
    data_location: str | None = None
    department: str | None = None
    owner: str | None = None
    biv: Biv | None = None
    business_critical: bool | None = None
    personal_data: bool | None = None
    users: int | None = None
    depends_on: tuple[str, ...] = ()
    exit_plan: str | None = None
    organisation: str | None = None
    notes: str | None = None
    #: Columns we do not know, as (header, value) in file order; carried to the XLSX output.
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectedRow:
    source: Location
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MergedRow:
    """A row that repeated another row exactly and was merged into it."""

    source: Location
    into: Location


@dataclass(frozen=True, slots=True, kw_only=True)
class Inventory:
    """The result of reading one or more inventory files. ``rows_read`` = applications + merged + rejected."""

    applications: tuple[Application, ...] = ()
    merged: tuple[MergedRow, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    rows_read: int = 0
    warnings: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------------------
# Catalog


@dataclass(frozen=True, slots=True, kw_only=True)
class Source:
    url: str
    title: str
    checked: str  # YYYY-MM-DD


@dataclass(frozen=True, slots=True, kw_only=True)
class Owner:
    """A share in an entity. ``share`` is a percentage of control (votes), None when not known."""

    entity: str
    share: float | None = None
    as_of: str | None = None
    #: True/False overrides the >50 % rule (dual-class shares, a PE fund's general partner, golden shares).
    control: bool | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    id: str
    name: str
    country: str | None = None  # ISO 3166 alpha-2 of the legal seat; None = unknown
    aliases: tuple[str, ...] = ()
    lei: str | None = None
    kind: str = (
        "company"  # company | listed | private-equity | holding | foundation | public-body | cooperative
    )
    owners: tuple[Owner, ...] = ()
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED
    origin: str = "catalog"  # "catalog" or "local"; where the record was read from is in ``file``
    reason: str | None = None  # required for local overrides
    file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Product:
    id: str
    name: str
    vendor: str  # entity id
    delivery: Delivery
    aliases: tuple[str, ...] = ()
    category: str | None = None
    gemma_component: str | None = None
    operator: str | None = None  # entity id of who runs it; None = whoever hosts it (on-premise: the user)
    runs_on: tuple[str, ...] = ()  # product ids (a platform) or hosting region ids
    data_locations: tuple[str, ...] = ()  # ISO alpha-2; empty = unknown
    open_source: bool | None = None
    license: str | None = None
    open_standards: tuple[str, ...] = ()
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED
    origin: str = "catalog"
    reason: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class HostingRegion:
    """A place where things run: a hyperscaler region, a data centre, a provider's cloud location."""

    id: str
    name: str
    operator: str  # entity id
    country: str | None = None
    city: str | None = None
    provider: str | None = None  # product id of the platform, e.g. microsoft-azure
    aliases: tuple[str, ...] = ()
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED
    origin: str = "catalog"
    reason: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Law:
    id: str
    name: str
    country: str
    summary: str
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED


@dataclass(frozen=True, slots=True, kw_only=True)
class Jurisdiction:
    code: str  # ISO 3166 alpha-2
    name: str
    bloc: Bloc
    laws: tuple[str, ...] = ()  # law ids
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED


@dataclass(frozen=True, slots=True, kw_only=True)
class Adopter:
    """A public body that uses an alternative, with the source that says so."""

    name: str
    country: str | None = None
    kind: str = "public-body"  # public-body | government | municipality | other
    source: Source | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Alternative:
    """A migration target: a catalog product, what it replaces and what moving to it involves."""

    id: str
    product: str  # catalog product id; its vendor, operator, runs_on and licence are the product's
    replaces_categories: tuple[str, ...] = ()
    replaces_products: tuple[str, ...] = ()
    hosting_options: tuple[str, ...] = ()  # self-hosted | dutch-cloud | european-cloud | vendor-saas
    maturity: str = "growing"  # emerging | growing | established
    effort: str = "medium"  # low | medium | high
    adopters: tuple[Adopter, ...] = ()
    open_standards: tuple[str, ...] = ()
    notes: str | None = None
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED
    origin: str = "catalog"
    reason: str | None = None
    file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Catalog:
    entities: dict[str, Entity] = field(default_factory=dict)
    products: dict[str, Product] = field(default_factory=dict)
    hosting: dict[str, HostingRegion] = field(default_factory=dict)
    jurisdictions: dict[str, Jurisdiction] = field(default_factory=dict)
    laws: dict[str, Law] = field(default_factory=dict)
    alternatives: dict[str, Alternative] = field(default_factory=dict)
    #: "kind:id" of shipped records that a local overlay replaced, sorted.
    overridden: tuple[str, ...] = ()
    digest: str = ""  # "sha256:..." over the files read, in a stable order


# ---------------------------------------------------------------------------------------------------------
# Assessment


@dataclass(frozen=True, slots=True, kw_only=True)
class Match:
    product: str | None  # catalog product id, None when unmatched
    method: MatchMethod
    score: float  # 0..1
    #: Up to three near misses (product id, score) for the data-quality section of the report.
    suggestions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AxisResult:
    """Countries reached on one axis, sorted, ``unknown`` included; and one justifying path per country.

    A path alternates node ids and edge kinds: ("application:a1", "instance_of", "product:x", ...,
    "seated_in", "country:US").
    """

    countries: tuple[str, ...] = ()
    paths: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class ControllerRef:
    id: str
    name: str
    country: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationAssessment:
    application: Application
    match: Match
    lawful_access: AxisResult
    residency: AxisResult
    continuity: AxisResult
    seal: int | None
    seal_reason: str  # a rule id, e.g. "seal-0-non-eu-operator"
    criticality: float
    controller: ControllerRef | None  # ultimate controller of whoever operates it
    #: Score 0..1 per EU Cloud Sovereignty Framework objective (SOV-1 .. SOV-8), derived from the graph.
    objectives: tuple[tuple[str, float], ...] = ()
    weighted_score: float | None = None  # 0..100 with the policy's weight set; ranks within a SEAL level
    hosting_region: str | None = None  # hosting region id understood from the hosting text
    hosting_kind: str = UNKNOWN  # self-hosted | region | platform | provider | saas | unknown


@dataclass(frozen=True, slots=True, kw_only=True)
class ControllerShare:
    controller: ControllerRef
    applications: int
    share: float  # of applications, 0..1
    criticality_share: float  # of total criticality, 0..1


@dataclass(frozen=True, slots=True, kw_only=True)
class Portfolio:
    applications: int
    matched_share: float
    unknown_share: float  # applications with `unknown` on any axis, or no SEAL
    us_lawful_access_share: float
    us_residency_share: float
    us_continuity_share: float
    us_lawful_access_weighted: float
    us_residency_weighted: float
    us_continuity_weighted: float
    non_eu_lawful_access_share: float
    seal_distribution: dict[str, int]  # "0".."4" and "unknown"
    concentration: tuple[ControllerShare, ...]
    hhi: float  # 0..10000 over application shares per ultimate controller


@dataclass(frozen=True, slots=True, kw_only=True)
class InputFile:
    path: str
    sha256: str
    rows: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Accounting:
    read: int
    applications: int
    merged: int
    rejected: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Selector:
    """Which applications a policy rule applies to; every condition given must hold."""

    business_critical: bool | None = None
    personal_data: bool | None = None
    criticality_at_least: float | None = None
    confidentiality_at_least: int | None = None
    availability_at_least: int | None = None
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    id: str
    kind: str  # min-seal | residency | forbidden-jurisdiction | exit-plan | ownership | controller-share
    severity: str  # error | warning
    explanation: str
    applies_to: Selector = field(default_factory=Selector)
    min_seal: int | None = None
    allowed: tuple[str, ...] = ()  # blocs (eu, eea, adequacy) and/or country codes
    countries: tuple[str, ...] = ()
    axis: str = "any"  # lawful_access | continuity | any
    below_seal: int | None = None
    max_single_non_eu_share: float | None = None
    max_total_non_eu_share: float | None = None
    max_share: float | None = None
    measure: str = "applications"  # applications | criticality
    sources: tuple[Source, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class CriticalityModel:
    base: float = 1.0
    weights: tuple[tuple[str, float], ...] = (
        ("business_critical", 1.5),
        ("personal_data", 0.5),
        ("biv_high", 0.5),
        ("biv_medium", 0.25),
        ("users_over_500", 0.5),
        ("users_over_100", 0.25),
    )

    def weight(self, key: str) -> float:
        return dict(self.weights).get(key, 0.0)


@dataclass(frozen=True, slots=True, kw_only=True)
class WeightSet:
    """Objective weights of the EU Cloud Sovereignty Framework (percent per SOV-1 .. SOV-8)."""

    id: str
    name: str
    weights: tuple[tuple[str, float], ...]
    sources: tuple[Source, ...] = ()
    confidence: Confidence = Confidence.INFERRED
    notes: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy:
    id: str
    name: str
    description: str = ""
    control_threshold: float = 50.0
    seal_weights: WeightSet | None = None
    criticality: CriticalityModel = field(default_factory=CriticalityModel)
    rules: tuple[Rule, ...] = ()
    file: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A policy rule that an application (or the portfolio) breaks, with the evidence paths behind it."""

    rule_id: str
    kind: str
    severity: str
    message: str  # English; reports render their own text from the fields
    app_id: str | None = None  # None for portfolio rules
    applications: tuple[str, ...] = ()  # for portfolio rules: every application concerned
    evidence: tuple[tuple[str, ...], ...] = ()
    detail: tuple[tuple[str, str], ...] = ()  # values the message was built from (countries, levels, shares)


@dataclass(frozen=True, slots=True, kw_only=True)
class PortfolioDelta:
    """One portfolio figure before and after a candidate joins the landscape."""

    figure: str  # stable key, e.g. "us_lawful_access_share", "controller_share_business_critical"
    before: float
    after: float
    subject: str | None = None  # e.g. the controller's name for controller shares


@dataclass(frozen=True, slots=True, kw_only=True)
class AlternativeOption:
    alternative: Alternative
    assessment: ApplicationAssessment  # the alternative assessed in the candidate's place
    adopters_with_source: int


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckOutcome:
    """Everything ``sovereign check`` reports about one candidate purchase."""

    candidate: ApplicationAssessment
    product: Product
    verdict: str  # pass | warn | fail
    findings: tuple[Finding, ...]
    deltas: tuple[PortfolioDelta, ...]
    alternatives: tuple[AlternativeOption, ...]  # best first
    questions: tuple[tuple[str, dict[str, str]], ...]  # (question key, parameters)
    result: AuditResult  # the landscape with the candidate
    landscape_size: int  # applications in the current landscape, without the candidate
    date: str


@dataclass(frozen=True, slots=True, kw_only=True)
class MigrationOption:
    """One alternative for one application, assessed in its place."""

    alternative: Alternative
    #: The application as it would be on the alternative: its figures (SEAL, countries, controller). Shared by
    #: every application of the same shape moving to the same alternative, so its evidence paths and its
    #: ``application`` are those of the first such application (no report shows them).
    after: ApplicationAssessment
    adopters_with_source: int
    explanation: str  # why it ranks where it does (English; reports build their own text from the fields)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplicationOptions:
    before: ApplicationAssessment
    findings: tuple[str, ...]  # rule ids the application breaks now
    options: tuple[MigrationOption, ...]  # best first
    dependants: tuple[str, ...]  # app ids that depend on it, directly or indirectly


@dataclass(frozen=True, slots=True, kw_only=True)
class Wave:
    number: int  # 0 = quick wins
    moves: tuple[tuple[str, str], ...]  # (app id, alternative id)
    projected: Portfolio  # the whole portfolio after this wave and all before it, re-assessed


@dataclass(frozen=True, slots=True, kw_only=True)
class ExitOutline:
    """How to leave a business-critical application at SEAL 0 or 1: in good order, or in a hurry."""

    app_id: str
    open_standards: tuple[str, ...]  # export routes the catalog knows for its product
    target: str | None  # alternative id of the best option, if any
    dependants: tuple[str, ...]  # applications that must move or be re-pointed with it
    stops_if_cut: tuple[str, ...]  # applications that stop at once if the vendor withdraws
    secure_now: tuple[str, ...]  # keys of contract clauses to secure now (reports translate them)


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    baseline: Portfolio
    options: tuple[ApplicationOptions, ...]  # every application below the policy's bar
    quick_wins: tuple[str, ...]  # app ids
    waves: tuple[Wave, ...]
    exits: tuple[ExitOutline, ...]
    max_effort: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StoppedApplication:
    app_id: str
    name: str
    department: str | None
    criticality: float
    via: tuple[str, ...]  # path from the application to the node that was cut
    direct: bool  # False: stops only because an application it depends on stops


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioOutcome:
    """What stops when some nodes of the graph (a country, an entity, a product or region) are cut."""

    id: str  # e.g. "us-services-stop", "custom"
    cut: tuple[str, ...]  # node ids, e.g. "country:US", "entity:microsoft-corp"
    stopped: tuple[StoppedApplication, ...]
    uncertain: tuple[str, ...]  # app ids not stopped but whose chain is partly unknown
    unaffected: int
    criticality_stopped: float
    criticality_share: float  # of the portfolio's total criticality, 0..1

    @property
    def by_department(self) -> tuple[tuple[str, int, float], ...]:
        """(department, applications stopped, criticality stopped), most criticality first."""
        by: dict[str, list[float]] = {}
        for s in self.stopped:
            by.setdefault(s.department or UNKNOWN, []).append(s.criticality)
        rows = ((d, len(v), round(sum(v), 4)) for d, v in by.items())
        return tuple(sorted(rows, key=lambda r: (-r[2], r[0])))


@dataclass(frozen=True, slots=True, kw_only=True)
class SinglePoint:
    """A node whose loss alone stops applications: an identity provider, a platform, a controller."""

    node: str
    kind: str
    applications: tuple[str, ...]  # app ids that stop
    criticality: float
    criticality_share: float
    example: tuple[str, ...]  # the path of the most critical application that stops
    equivalent: tuple[str, ...] = ()  # other nodes whose loss stops exactly the same applications


@dataclass(frozen=True, slots=True, kw_only=True)
class LocalFact:
    """A record from a local overlay: what the municipality knows better, and which applications it touches."""

    kind: str  # entity | product | hosting | alternative
    id: str
    name: str
    reason: str
    file: str
    overrides: bool  # replaces a shipped record (False: adds a new one)
    applications: tuple[str, ...] = ()  # app ids whose match or evidence paths use the record


@dataclass(frozen=True, slots=True, kw_only=True)
class AuditResult:
    tool_version: str
    method_version: str
    catalog_digest: str
    date: str
    inputs: tuple[InputFile, ...]
    accounting: Accounting
    inventory: Inventory
    assessments: tuple[ApplicationAssessment, ...]
    portfolio: Portfolio
    #: node id -> human label, for every node that appears in a path ("entity:microsoft-corp" -> "Microsoft Corporation")
    labels: dict[str, str]
    catalog: Catalog
    local_knowledge: tuple[LocalFact, ...] = ()
    scenarios: tuple[ScenarioOutcome, ...] = ()
    single_points: tuple[SinglePoint, ...] = ()
    policy: Policy | None = None
    findings: tuple[Finding, ...] = ()
    plan: Plan | None = None
    #: The size of the dependency graph the audit walked (nodes, edges), for the benchmark and audit.json.
    graph_size: tuple[int, int] = (0, 0)


def _quick_init(cls: type) -> None:
    """Give a frozen, slotted, keyword-only dataclass an ``__init__`` that fills each slot through its descriptor.

    The generated ``__init__`` of a frozen dataclass sets every field with ``object.__setattr__``, looked up
    per field: a national audit builds millions of these records, and that look-up is a third of their cost.
    This one takes the same keyword arguments and defaults and stores the same values, so the instances,
    their equality, hashing, ``dataclasses.replace`` and pickling are unchanged; a class with a default
    factory keeps the generated one. The source is made from the class's own field names, never from data.
    """
    fields = dataclasses.fields(cls)
    if any(f.default_factory is not dataclasses.MISSING or not f.init for f in fields):
        return
    setters = {f"_set_{f.name}": getattr(cls, f.name).__set__ for f in fields}
    defaults = {f"_default_{f.name}": f.default for f in fields if f.default is not dataclasses.MISSING}
    params = ", ".join(
        f.name if f.default is dataclasses.MISSING else f"{f.name}=_default_{f.name}" for f in fields
    )
    body = "".join(f"        _set_{f.name}(self, {f.name})\n" for f in fields) or "        pass\n"
    names = ", ".join([*setters, *defaults])
    source = f"def _make({names}):\n    def __init__(self, *, {params}):\n{body}    return __init__\n"
    namespace: dict[str, object] = {}
    exec(source, namespace)  # field names of our own classes, as dataclasses itself does
    make: Callable[..., Callable[..., None]] = namespace["_make"]  # type: ignore[assignment]
    init = make(**setters, **defaults)
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    type.__setattr__(cls, "__init__", init)


for _cls in list(globals().values()):
    if isinstance(_cls, type) and dataclasses.is_dataclass(_cls) and _cls.__module__ == __name__:
        _quick_init(_cls)
del _cls
