"""``audit.json``: the complete, machine-readable result of one audit, for other tools and for next year's diff.

The key names are a contract (DESIGN.md section 7): keep them, add freely. The file must stay small and quick to
write at 150,000 applications, so what repeats is written once and referred to:

- ``chains``: every evidence path of the audit once, numbered in the order the file first needs it (the
  applications' paths, then the findings', then the scenarios'). Records refer to a path by its index. A path that
  starts at the application the record belongs to is stored without that first node, so it begins with an
  edge kind (``["instance_of", "product:x", ...]``) and the full path is ``["application:<id>", *chain]``; any
  other path is stored whole and begins with a node id (node ids always hold a colon, edge kinds never do).
  ``applications[].<axis>.chains``, ``violations[].chains`` and ``scenarios[].stopped[].chain`` refer to it.
- ``nodes``: the label of every node id on any path.
- ``objective_ids``: the EU Cloud Sovereignty Framework objectives, in the order of every application's
  ``objectives`` list (null where an application has no score for one).
- ``plan.alternatives`` (by id) describes each alternative once; ``plan.outcomes`` lists each distinct result of
  moving to one (controller, SEAL and countries after, adopters with a source, the ranking explanation); every
  ``plan.options[]`` names its application and the indexes of its outcomes, best first. ``plan.stop_lists``
  holds the distinct lists of applications that stop when a vendor withdraws; ``plan.exits[]`` refer to one.
- ``scenarios[].stopped[]`` holds the application id, its chain and whether it stops directly; its name,
  department and criticality are those of ``applications``.

Every application, finding and stopped application is present. ``sovereign plan --json`` and ``sovereign
scenario --json`` keep their own, self-contained shapes (``plan_json.plan_json``, ``scenario_json``).

Content is deterministic: lists are sorted by stable keys (applications by id, rows by file and line) or keep
the pipeline's deterministic order, and the text is written with sorted keys, ``ensure_ascii=False``, no
indentation or spaces (json's C encoder) and a trailing newline, so two runs over the same inputs and date give
the same bytes. ``write_audit_json`` streams the large arrays element by element, so the file is never held
whole in memory. This module turns an ``AuditResult`` into JSON; it does no formatting for humans (no
translations, no rounding) and writes only to the handle it is given.
"""

from __future__ import annotations

import io
import itertools
import json
import math
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from operator import attrgetter, itemgetter
from typing import Any, BinaryIO

from sovereign.model import (
    UNKNOWN,
    ApplicationAssessment,
    AuditResult,
    Biv,
    ControllerRef,
    ControllerShare,
    Finding,
    Location,
    MigrationOption,
    Portfolio,
    ScenarioOutcome,
    StoppedApplication,
)
from sovereign.report.plan_json import projected_json

__all__ = [
    "build_audit_json",
    "location_key",
    "render_audit_json",
    "scenario_json",
    "sort_concentration",
    "write_audit_json",
]

TOOL_NAME = "sovereign"

_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
#: A string as json writes it with ``ensure_ascii=False`` (the C function when there is one).
_encode_string: Callable[[str], str] = json.encoder.encode_basestring
#: Characters gathered before they are encoded and handed to the file.
_CHUNK = 1 << 20
#: Calls (chunks, mostly) that may wait for the writing thread by default, see ``_written_behind``.
_PENDING = 16
#: Chunks of this file that may wait for it: writing to a file keeps up, so a few overlap enough.
_PENDING_FILE = 4
#: Rows of a ``_Rows`` array joined into one text before it goes to the sink.
_BATCH = 1_000
#: The odd and the even places of a path (its node ids are at the even places).
_ODD = itemgetter(slice(1, None, 2))
_EVEN = itemgetter(slice(0, None, 2))
#: A yes/no/unknown field as json writes it.
_FLAGS: dict[bool | None, str] = {None: "null", True: "true", False: "false"}

Path = tuple[str, ...]


class _Rows:
    """A JSON array written element by element: ``items`` yields each element's JSON text."""

    __slots__ = ("items",)

    def __init__(self, items: Callable[[], Iterable[str]]) -> None:
        self.items = items


class _Later:
    """A value computed when the writer reaches it (after the records it depends on were written)."""

    __slots__ = ("value",)

    def __init__(self, value: Callable[[], Any]) -> None:
        self.value = value


class _Json(str):
    """Text that is JSON already, written as it is."""


class _Object(dict[str, Any]):
    """A JSON object with a ``_Rows`` somewhere inside; every other object is encoded in one go."""


class _Array(list[Any]):
    """A JSON array with a ``_Rows`` somewhere inside."""


def build_audit_json(result: AuditResult) -> dict[str, Any]:
    """The ``audit.json`` document as plain data (dicts, lists, str, int, float, bool, None): the file, read back."""
    document: dict[str, Any] = json.loads(render_audit_json(result))
    return document


def render_audit_json(result: AuditResult) -> bytes:
    """``audit.json`` as UTF-8 bytes (for tests and small audits; the report folder streams it)."""
    buffer = io.BytesIO()
    write_audit_json(result, buffer)
    return buffer.getvalue()


def write_audit_json(result: AuditResult, handle: BinaryIO) -> None:
    """Write ``audit.json`` to a binary file: compact, sorted keys, non-ASCII kept, trailing newline."""
    with _written_behind(_PENDING_FILE) as submit:  # the file is written while the next chunk is encoded
        sink = _Sink(lambda data: submit(partial(handle.write, data)))
        _emit(_document(result), sink)
        sink.write("\n")
        sink.flush()


def location_key(location: Location) -> tuple[str, str, int, str]:
    """Sort key for a location: by file, sheet, line number (numerically) and element."""
    return (location.path, location.sheet or "", location.line or 0, location.element or "")


# ---------------------------------------------------------------------------------------------------------
# Writing


class _Sink:
    """Gathers text and hands it to ``out`` as UTF-8 in chunks of about ``_CHUNK`` characters."""

    def __init__(self, out: Callable[[bytes], None]) -> None:
        self.out = out
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
        if self.size >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.parts:
            self.out("".join(self.parts).encode("utf-8"))
            self.parts, self.size = [], 0


def _emit(value: Any, sink: _Sink) -> None:
    """Write ``value`` exactly as ``json.dumps(..., sort_keys=True, separators=(",", ":"))`` would."""
    if isinstance(value, _Rows):
        # Joined in batches: one write per _BATCH rows instead of two per row (1.4 million at 150,000 rows).
        rows = iter(value.items())
        sink.write("[" + ",".join(itertools.islice(rows, _BATCH)))
        while batch := ",".join(itertools.islice(rows, _BATCH)):
            sink.write("," + batch)
        sink.write("]")
    elif isinstance(value, _Later):
        _emit(value.value(), sink)
    elif isinstance(value, _Object):
        sink.write("{")
        for index, (key, item) in enumerate(sorted(value.items())):
            sink.write(("," if index else "") + _encode_string(key) + ":")
            _emit(item, sink)
        sink.write("}")
    elif isinstance(value, _Json):
        sink.write(value)
    elif isinstance(value, _Array):
        sink.write("[")
        for index, item in enumerate(value):
            if index:
                sink.write(",")
            _emit(item, sink)
        sink.write("]")
    else:
        sink.write(_ENCODER.encode(value))


@contextmanager
def _written_behind(waiting: int = _PENDING) -> Iterator[Callable[[Callable[[], object]], None]]:
    """A ``submit`` that returns at once: another thread makes the calls given, one at a time, in order.

    For writing large files (this one, and ``findings.xlsx``, whose every call on its archive goes through
    it): writing to a file, deflating and the CRC release the GIL, so they overlap encoding the next chunk on a
    second core, and one thread keeps the bytes in order. Only once ``waiting`` calls wait does the next
    wait for the oldest, so memory stays bounded and a failed write is raised soon.
    """
    pending: deque[Future[object]] = deque()
    with ThreadPoolExecutor(max_workers=1) as worker:  # on leaving, even by an error, every call has ended

        def submit(call: Callable[[], object]) -> None:
            pending.append(worker.submit(call))
            if len(pending) > waiting:
                pending.popleft().result()

        try:
            yield submit
            for future in pending:
                future.result()
        finally:
            # A failed call's traceback can lead back here through its caller: let go of the futures, so
            # that no cycle keeps the caller's file or archive alive after an error.
            pending.clear()


# ---------------------------------------------------------------------------------------------------------
# The document


def _document(result: AuditResult) -> _Object:
    assessments = sorted(result.assessments, key=attrgetter("application.app_id"))
    chains = _Chains(result)  # numbered while the applications are written
    # Every objective some application has a score for: one pass in C over the (objective, score) pairs.
    pairs = itertools.chain.from_iterable(map(attrgetter("objectives"), assessments))
    objective_ids = sorted(set(map(itemgetter(0), pairs)))
    texts = _Texts(result, chains, objective_ids)
    return _Object(
        {
            "tool": {"name": TOOL_NAME, "version": result.tool_version},
            "method_version": result.method_version,
            "catalog_digest": result.catalog_digest,
            "inputs": [{"path": f.path, "sha256": f.sha256, "rows": f.rows} for f in result.inputs],
            "date": result.date,
            "accounting": {
                "read": result.accounting.read,
                "applications": result.accounting.applications,
                "merged": result.accounting.merged,
                "rejected": result.accounting.rejected,
            },
            "rejected_rows": [
                {"source": str(row.source), "reason": row.reason}
                for row in sorted(result.inventory.rejected, key=lambda r: location_key(r.source))
            ],
            "merged_rows": [
                {"source": str(row.source), "into": str(row.into)}
                for row in sorted(result.inventory.merged, key=lambda r: location_key(r.source))
            ],
            # Warnings keep the order they were raised in (file order); that order is itself deterministic.
            "warnings": list(result.inventory.warnings),
            "applications": _Rows(lambda: map(texts.application, assessments)),
            "objective_ids": objective_ids,
            "chains": _Rows(chains.listed),
            "portfolio": _portfolio(result.portfolio),
            "nodes": _Later(chains.nodes),
            "graph": {"nodes": result.graph_size[0], "edges": result.graph_size[1]},
            "scenarios": _Array(
                _scenario(s, position, chains) for position, s in enumerate(result.scenarios)
            ),
            "plan": _plan(result),
            "policy": _policy(result),
            "violations": _Rows(
                lambda: itertools.starmap(texts.violation, zip(result.findings, chains.evidence, strict=True))
            ),
            "single_points_of_failure": [
                {
                    "node": p.node,
                    "kind": p.kind,
                    "label": result.labels.get(p.node, p.node),
                    "applications": list(p.applications),
                    "criticality": p.criticality,
                    "criticality_share": p.criticality_share,
                    "example": list(p.example),
                    "equivalent": list(p.equivalent),
                }
                for p in result.single_points
            ],
            "local_knowledge": [
                {
                    "kind": f.kind,
                    "id": f.id,
                    "name": f.name,
                    "reason": f.reason,
                    "file": f.file,
                    "overrides": f.overrides,
                    "applications": list(f.applications),
                }
                for f in result.local_knowledge
            ],
        }
    )


class _Chains:
    """Every path of the audit once, numbered in the order the document first needs it.

    The applications come first in the file and register their paths as they are written; ``listed`` then
    registers the findings' evidence and the scenarios' paths before it writes the table, and keeps their
    numbers for the violations and scenarios written after it. Applications are sorted by id and the rest keep
    the pipeline's order, so the numbers are the same for the same result. A number is kept as the text it is
    written as: at 150,000 applications a million references are written, and few distinct numbers.
    """

    def __init__(self, result: AuditResult) -> None:
        self.result = result
        self.index: dict[Path, str] = {}  # chain -> its number
        self.owners: set[str] = set()  # application nodes that some chain continues from
        # The chains that continue from their application (an edge kind first), and those stored whole.
        self.continuing: list[Path] = []
        self.whole: list[Path] = []
        # Per finding, the numbers of its evidence. Most findings cite one of their application's axes as it is
        # (the very tuple of paths): ``cite`` gives those the numbers the application got while it is written,
        # ``listed`` registers the rest. The findings, by application id, are walked beside the applications.
        findings = result.findings
        self.evidence = [""] * len(findings)  # "": not yet (or no evidence, which registers nothing)
        cited_by = [finding.app_id or "" for finding in findings]
        self.citing = sorted(range(len(findings)), key=cited_by.__getitem__)  # finding positions by app id
        self.cited = list(map(cited_by.__getitem__, self.citing))  # their application ids, in that order
        self.cursor = 0
        #: The application id of the next finding ``cite`` looks at (None: none left).
        self.following = self.cited[0] if self.cited else None
        self.stopped: list[list[str]] = []  # per scenario, per stopped application: the number of its path

    def register(self, paths: Iterable[Path], own: str) -> str:
        """The numbers of ``paths`` (belonging to the application node ``own``), comma-separated; new paths
        get the next numbers."""
        index, numbers, continued = self.index, [], False
        for path in paths:
            key = path
            if len(path) > 1 and path[0] == own:
                key = path[1:]
                continued = True
            number = index.get(key)
            if number is None:
                number = index[key] = str(len(index))
                (self.whole if key is path else self.continuing).append(key)
            numbers.append(number)
        if continued:
            self.owners.add(own)
        return ",".join(numbers)

    def cite(self, app_id: str, paths: tuple[tuple[Path, ...], ...], numbers: tuple[str, ...]) -> None:
        """Give the findings of application ``app_id`` that cite the ``paths`` of one of its axes as they are
        the numbers of that axis (as ``register`` would: its paths are in the table already). Applications
        come in id order, each once."""
        cited, cursor = self.cited, self.cursor
        end = len(cited)
        while cursor < end and cited[cursor] < app_id:  # of no application written: ``listed`` numbers them
            cursor += 1
        findings, evidence, citing = self.result.findings, self.evidence, self.citing
        while cursor < end and cited[cursor] == app_id:
            position = citing[cursor]
            evidence_paths = findings[position].evidence
            for axis, text in zip(paths, numbers, strict=True):
                if evidence_paths is axis:
                    evidence[position] = text
                    break
            cursor += 1
        self.cursor = cursor
        self.following = cited[cursor] if cursor < end else None

    def listed(self) -> Iterator[str]:
        register, result = self.register, self.result
        evidence = self.evidence
        for position, finding in enumerate(result.findings):
            if not evidence[position]:
                evidence[position] = register(
                    finding.evidence, f"application:{finding.app_id}" if finding.app_id else ""
                )
        self.cited, self.citing = [], []  # done with
        self.stopped = [self._register_stopped(scenario.stopped) for scenario in result.scenarios]
        # Encoded a batch of chains at a time by json's C encoder (a chain is a tuple of strings, written as a
        # list), each batch without its brackets: its chains, comma-separated.
        chains = iter(self.index)
        return (
            _ENCODER.encode(batch)[1:-1] for batch in iter(lambda: list(itertools.islice(chains, _BATCH)), [])
        )

    def _register_stopped(self, stopped: Iterable[StoppedApplication]) -> list[str]:
        """``register`` of each stopped application's one path, inlined: a scenario can stop 100,000."""
        index, owners, continuing, whole = self.index, self.owners, self.continuing, self.whole
        numbers = []
        for application in stopped:
            own, key = "application:" + application.app_id, application.via
            if len(key) > 1 and key[0] == own:
                key = key[1:]
                owners.add(own)
                number = index.get(key)
                if number is None:
                    number = index[key] = str(len(index))
                    continuing.append(key)
            else:
                number = index.get(key)
                if number is None:
                    number = index[key] = str(len(index))
                    whole.append(key)
            numbers.append(number)
        return numbers

    def nodes(self) -> _Json:
        """Label of every node id on any path, as JSON text: an object with its keys sorted.

        Node ids sit at the even places of a path, so at the odd places of a chain that continues from its
        application. Worked out by C loops: a national audit names some 150,000 nodes.
        """
        result = self.result
        ids = set(self.owners)
        for scenario in result.scenarios:
            ids.update(scenario.cut)
        for point in result.single_points:
            ids.update((point.node, *point.equivalent))
            ids.update(point.example[0::2])
        ids.update(itertools.chain.from_iterable(map(_ODD, self.continuing)))
        ids.update(itertools.chain.from_iterable(map(_EVEN, self.whole)))
        labels = result.labels
        keys = sorted(ids)
        # Keys sorted as the encoder sorts them, then each key and its label written as json writes a string.
        texts = zip(map(_encode_string, keys), map(_encode_string, map(labels.get, keys, keys)), strict=True)
        return _Json("{" + ",".join(map(":".join, texts)) + "}")


class _Encoded(dict[Any, str]):
    """Value -> its JSON text, built by ``encode`` the first time the value is looked up (``texts[value]``)."""

    def __init__(self, encode: Callable[[Any], str]) -> None:
        super().__init__()
        self.encode = encode

    def __missing__(self, key: Any) -> str:
        text = self[key] = self.encode(key)
        return text


class _Texts:
    """JSON text of the records that repeat per application, built by hand for speed; parts that repeat
    (a BIV, a match, a controller, a list of countries) are encoded once and reused.

    Keys are written in sorted order and values as json's C encoder writes them; the tests compare every
    rendering with ``json.dumps(json.loads(text), sort_keys=True, ...)``.
    """

    def __init__(self, result: AuditResult, chains: _Chains, objective_ids: list[str]) -> None:
        self.result = result
        self.chains = chains
        self.objective_ids = objective_ids
        self.products = {pid: _encode_string(p.name) for pid, p in result.catalog.products.items()}
        # Caches keyed by plain tuples (hashed in C): the same parts come back on thousands of applications.
        self.bivs: dict[tuple[int | None, ...], str] = {(): "null"}
        self.controllers: dict[tuple[str | None, ...], str] = {(): "null"}
        self.matches: dict[tuple[Any, ...], str] = {}
        self.countries = _Encoded(lambda countries: _ENCODER.encode(sorted(countries)))
        self.objective_lists = _Encoded(self._objectives)
        self.details = _Encoded(lambda detail: _ENCODER.encode(dict(detail)))
        # Short texts that repeat (a department, a hosting text, a rule id).
        self.strings = _Encoded(lambda value: "null" if value is None else _encode_string(value))

    def _objectives(self, objectives: tuple[tuple[str, float], ...]) -> str:
        scores = dict(objectives)
        return _ENCODER.encode([scores.get(key) for key in self.objective_ids])

    def application(self, assessment: ApplicationAssessment) -> str:
        app, match, strings = assessment.application, assessment.match, self.strings
        own = "application:" + app.app_id
        biv, controller = app.biv, assessment.controller
        biv_key = () if biv is None else (biv.availability, biv.integrity, biv.confidentiality)
        biv_text = self.bivs.get(biv_key)
        if biv_text is None:
            biv_text = self.bivs[biv_key] = _ENCODER.encode(_biv(biv))
        controller_key = () if controller is None else (controller.id, controller.name, controller.country)
        controller_text = self.controllers.get(controller_key)
        if controller_text is None:
            controller_text = self.controllers[controller_key] = _ENCODER.encode(_controller(controller))
        match_key = (match.product, match.method, match.score, match.suggestions)
        match_text = self.matches.get(match_key)
        if match_text is None:
            match_text = self.matches[match_key] = _ENCODER.encode(_match(assessment))
        objectives = self.objective_lists[assessment.objectives]
        product = self.products.get(match.product, "null") if match.product else "null"
        register, countries = self.chains.register, self.countries
        access, continuity, residency = assessment.lawful_access, assessment.continuity, assessment.residency
        numbers = (
            register(continuity.paths, own),
            register(access.paths, own),
            register(residency.paths, own),
        )
        following = self.chains.following
        if following is not None and following <= app.app_id:  # some finding of this application (or before)
            self.chains.cite(app.app_id, (continuity.paths, access.paths, residency.paths), numbers)
        return (
            f'{{"biv":{biv_text},"business_critical":{_FLAGS[app.business_critical]}'
            f',"continuity":{{"chains":[{numbers[0]}]'
            f',"countries":{countries[continuity.countries]}}}'
            f',"controller":{controller_text}'
            f',"criticality":{_number(assessment.criticality)},"department":{strings[app.department]}'
            f',"hosting":{strings[app.hosting]},"hosting_kind":{strings[assessment.hosting_kind]}'
            f',"hosting_region":{strings[assessment.hosting_region]},"id":{_encode_string(app.app_id)}'
            f',"inventory_product":{strings[app.product]}'
            f',"lawful_access":{{"chains":[{numbers[1]}]'
            f',"countries":{countries[access.countries]}}}'
            f',"match":{match_text}'
            f',"name":{_encode_string(app.name)},"objectives":{objectives}'
            f',"organisation":{strings[app.organisation]},"personal_data":{_FLAGS[app.personal_data]}'
            f',"product_name":{product}'
            f',"residency":{{"chains":[{numbers[2]}]'
            f',"countries":{countries[residency.countries]}}}'
            f',"seal":{"null" if assessment.seal is None else int(assessment.seal)}'
            f',"seal_reason":{strings[assessment.seal_reason]},"source":{_encode_string(str(app.source))}'
            f',"vendor":{strings[app.vendor]},"weighted_score":{_number(assessment.weighted_score)}}}'
        )

    def violation(self, finding: Finding, refs: str) -> str:
        """A finding, with the numbers of its evidence (``_Chains.evidence``)."""
        strings = self.strings
        application = "null" if finding.app_id is None else _encode_string(finding.app_id)
        applications = _ENCODER.encode(list(finding.applications)) if finding.applications else "[]"
        return (
            f'{{"application":{application},"applications":{applications}'
            f',"chains":[{refs}],"detail":{self.details[finding.detail]}'
            f',"kind":{strings[finding.kind]},"message":{_encode_string(finding.message)}'
            f',"rule":{strings[finding.rule_id]},"severity":{strings[finding.severity]}}}'
        )


def _match(assessment: ApplicationAssessment) -> dict[str, Any]:
    match = assessment.match
    return {
        "product": match.product,
        "method": match.method.value,
        "score": match.score,
        "suggestions": [{"product": pid, "score": score} for pid, score in match.suggestions],
    }


def _flag(value: bool | None) -> str:
    return _FLAGS[value]


def _number(value: float | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, int):
        return int.__repr__(value)
    if not math.isfinite(value):
        raise ValueError(f"audit.json holds no NaN or infinite numbers, not {value!r}")
    return float.__repr__(value)


def _value(value: str | float | bool | None) -> str:
    """A scalar as json writes it: null, true, false, a number (never NaN or infinite) or a string."""
    if value is None:
        return "null"
    if isinstance(value, str):
        return _encode_string(value)
    if isinstance(value, bool):
        return _flag(value)
    return _number(value)


def _scenario(scenario: ScenarioOutcome, position: int, chains: _Chains) -> _Object:
    def stopped() -> Iterator[str]:
        for s, chain in zip(scenario.stopped, chains.stopped[position], strict=True):
            yield f'{{"chain":{chain},"direct":{_FLAGS[s.direct]},"id":{_encode_string(s.app_id)}}}'

    return _Object(
        {
            "id": scenario.id,
            "cut": list(scenario.cut),
            "stopped": _Rows(stopped),
            **_scenario_figures(scenario),
        }
    )


def _scenario_figures(scenario: ScenarioOutcome) -> dict[str, Any]:
    """What both scenario forms (audit.json, ``sovereign scenario --json``) say after the stopped list."""
    return {
        "uncertain": list(scenario.uncertain),
        "unaffected": scenario.unaffected,
        "criticality_stopped": scenario.criticality_stopped,
        "criticality_share": scenario.criticality_share,
        "by_department": [
            {"department": d, "applications": n, "criticality": c} for d, n, c in scenario.by_department
        ],
    }


def _plan(result: AuditResult) -> _Object | None:
    """The migration plan with alternatives, outcomes and stop lists written once (see the module docstring)."""
    plan = result.plan
    if plan is None:
        return None
    products = result.catalog.products
    alternatives: dict[str, dict[str, Any]] = {}
    outcomes: dict[tuple[Any, ...], int] = {}
    listed: list[dict[str, Any]] = []
    refs: list[str] = []  # per application of plan.options: the indexes of its outcomes, as written
    # The plan shares equal options among applications (5,000 options for 226,000 choices at 150,000 rows):
    # the choices of an application are numbered once per sequence of option objects, found by their ids in
    # C. The options live in the plan, so their ids stay theirs while this runs; equal but distinct options
    # are numbered by their outcome, as before, to the same numbers.
    texts: dict[tuple[int, ...], str] = {}  # ids of options -> the numbers of their outcomes, as written
    for application in plan.options:
        choices = application.options
        identities = tuple(map(id, choices))
        text = texts.get(identities)
        if text is None:
            numbers = []
            for option in choices:
                alternative = option.alternative
                if alternative.id not in alternatives:
                    product = products.get(alternative.product)
                    alternatives[alternative.id] = {
                        "product": alternative.product,
                        "name": product.name if product else alternative.product,
                        "maturity": alternative.maturity,
                        "effort": alternative.effort,
                        "hosting_options": list(alternative.hosting_options),
                        "open_standards": list(alternative.open_standards),
                    }
                key = _outcome_key(option)
                number = outcomes.get(key)
                if number is None:
                    number = outcomes[key] = len(listed)
                    listed.append(_outcome(option))
                numbers.append(number)
            text = texts[identities] = ",".join(map(str, numbers))
        refs.append(text)
    stop_lists: dict[tuple[str, ...], int] = {}
    stop_numbers: list[int] = []  # per exit of plan.exits
    # The plan hands every exit of one vendor the same tuple, which at national scale holds tens of thousands
    # of ids: numbered by identity first, each tuple is hashed once instead of once per exit (a second at
    # 150,000 applications). The tuples live in the plan, so their ids stay theirs while this runs.
    stops_by_identity: dict[int, int] = {}
    for outline in plan.exits:
        stops = outline.stops_if_cut
        number = stops_by_identity.get(id(stops))
        if number is None:
            number = stops_by_identity[id(stops)] = stop_lists.setdefault(stops, len(stop_lists))
        stop_numbers.append(number)

    def options() -> Iterator[str]:
        rules: dict[tuple[str, ...], str] = {}
        for application, outcome_refs in zip(plan.options, refs, strict=True):
            broken = rules.get(application.findings)
            if broken is None:
                broken = rules[application.findings] = _ENCODER.encode(list(application.findings))
            yield (
                f'{{"application":{_encode_string(application.before.application.app_id)}'
                f',"dependants":{len(application.dependants)},"outcomes":[{outcome_refs}]'
                f',"rules_broken":{broken},"seal_before":{_value(application.before.seal)}}}'
            )

    return _Object(
        {
            "max_effort": plan.max_effort,
            "baseline": projected_json(plan.baseline),
            "alternatives": alternatives,
            "outcomes": listed,
            "options": _Rows(options),
            "quick_wins": list(plan.quick_wins),
            "waves": [
                {
                    "number": w.number,
                    "applications": [a for a, _ in w.moves],
                    "moves": [{"application": a, "to": alternative} for a, alternative in w.moves],
                    "projected": projected_json(w.projected),
                }
                for w in plan.waves
            ],
            "stop_lists": [list(stops) for stops in stop_lists],
            "exits": [
                {
                    "application": e.app_id,
                    "open_standards": list(e.open_standards),
                    "target": e.target,
                    "dependants": list(e.dependants),
                    "stops_if_vendor_withdraws": stops,
                    "secure_now": list(e.secure_now),
                }
                for e, stops in zip(plan.exits, stop_numbers, strict=True)
            ],
        }
    )


def _outcome_key(option: MigrationOption) -> tuple[Any, ...]:
    """What makes two outcomes the same, as a tuple of plain values (hashed in C, unlike a dataclass)."""
    after = option.after
    controller = after.controller
    return (
        option.alternative.id,
        None if controller is None else (controller.id, controller.name, controller.country),
        after.seal,
        after.lawful_access.countries,
        after.continuity.countries,
        after.residency.countries,
        option.adopters_with_source,
        option.explanation,
    )


def _outcome(option: MigrationOption) -> dict[str, Any]:
    after = option.after
    return {
        "alternative": option.alternative.id,
        "controller": _controller(after.controller),
        "seal_after": after.seal,
        "lawful_access_after": list(after.lawful_access.countries),
        "continuity_after": list(after.continuity.countries),
        "residency_after": list(after.residency.countries),
        "adopters_with_source": option.adopters_with_source,
        "explanation": option.explanation,
    }


def _controller(controller: ControllerRef | None) -> dict[str, Any] | None:
    if controller is None:
        return None
    return {"id": controller.id, "name": controller.name, "country": controller.country or UNKNOWN}


def _biv(biv: Biv | None) -> dict[str, Any] | None:
    if biv is None:
        return None
    return {
        "availability": biv.availability,
        "integrity": biv.integrity,
        "confidentiality": biv.confidentiality,
    }


def _portfolio(portfolio: Portfolio) -> dict[str, Any]:
    return {
        "applications": portfolio.applications,
        "matched_share": portfolio.matched_share,
        "unknown_share": portfolio.unknown_share,
        "us_lawful_access_share": portfolio.us_lawful_access_share,
        "us_residency_share": portfolio.us_residency_share,
        "us_continuity_share": portfolio.us_continuity_share,
        "us_lawful_access_weighted": portfolio.us_lawful_access_weighted,
        "us_residency_weighted": portfolio.us_residency_weighted,
        "us_continuity_weighted": portfolio.us_continuity_weighted,
        "non_eu_lawful_access_share": portfolio.non_eu_lawful_access_share,
        "seal_distribution": dict(portfolio.seal_distribution),
        "concentration": [_share(s) for s in sort_concentration(portfolio.concentration)],
        "hhi": portfolio.hhi,
    }


def sort_concentration(shares: tuple[ControllerShare, ...]) -> list[ControllerShare]:
    """Largest controller first; ties by criticality share, then by id so the order never depends on input."""
    return sorted(shares, key=lambda s: (-s.applications, -s.criticality_share, s.controller.id))


def _share(share: ControllerShare) -> dict[str, Any]:
    return {
        "controller": _controller(share.controller),
        "applications": share.applications,
        "share": share.share,
        "criticality_share": share.criticality_share,
    }


def _policy(result: AuditResult) -> dict[str, Any] | None:
    """The policy the audit applied: its id, criticality model, weight set and rules with their sources."""
    policy = result.policy
    if policy is None:
        return None
    return {
        "id": policy.id,
        "name": policy.name,
        "file": policy.file,
        "criticality": {"base": policy.criticality.base, "weights": dict(policy.criticality.weights)},
        "seal_weights": None
        if policy.seal_weights is None
        else {
            "id": policy.seal_weights.id,
            "name": policy.seal_weights.name,
            "weights": dict(policy.seal_weights.weights),
        },
        "rules": [
            {
                "id": r.id,
                "kind": r.kind,
                "severity": r.severity,
                "explanation": r.explanation,
                "sources": [{"url": s.url, "title": s.title, "checked": s.checked} for s in r.sources],
            }
            for r in policy.rules
        ],
    }


def scenario_json(scenario: ScenarioOutcome) -> dict[str, Any]:
    """One scenario in the shape ``sovereign scenario --json`` prints."""
    return {
        "id": scenario.id,
        "cut": list(scenario.cut),
        "stopped": [
            {
                "id": s.app_id,
                "name": s.name,
                "department": s.department,
                "criticality": s.criticality,
                "via": list(s.via),
                "direct": s.direct,
            }
            for s in scenario.stopped
        ],
        **_scenario_figures(scenario),
    }
