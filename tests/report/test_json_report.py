"""audit.json: every contract key with the right values and types, sorted, deterministic."""

from __future__ import annotations

import dataclasses
import io
import json
from dataclasses import replace
from typing import Any

import pytest
from builders import FullDisk

from sovereign.model import AuditResult, Portfolio
from sovereign.report import build_audit_json
from sovereign.report.json_report import render_audit_json, write_audit_json

from .conftest import HOSTILE_NAME
from .export_builders import build_export_result

CONTRACT_KEYS = {
    "tool",
    "method_version",
    "catalog_digest",
    "inputs",
    "date",
    "accounting",
    "rejected_rows",
    "applications",
    "portfolio",
}
ADDED_KEYS = {"merged_rows", "warnings", "nodes", "chains", "objective_ids"}
APPLICATION_KEYS = {
    # contract
    "id",
    "name",
    "source",
    "department",
    "match",
    "lawful_access",
    "residency",
    "continuity",
    "seal",
    "criticality",
    # added
    "vendor",
    "product_name",
    "controller",
    "hosting",
    "hosting_region",
    "biv",
    "business_critical",
    "personal_data",
    "seal_reason",
    "organisation",
}


def _path(document: dict[str, Any], ref: int, app_id: str | None) -> list[str]:
    """A path from its chain: a chain that starts with an edge continues from the application's own node."""
    chain = document["chains"][ref]
    return chain if ":" in chain[0] else [f"application:{app_id}", *chain]


def _paths(document: dict[str, Any], app: dict[str, Any], axis: str) -> list[list[str]]:
    return [_path(document, ref, app["id"]) for ref in app[axis]["chains"]]


def _by_id(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {app["id"]: app for app in document["applications"]}


def test_top_level_keys(result: AuditResult) -> None:
    document = build_audit_json(result)
    assert set(document) >= CONTRACT_KEYS | ADDED_KEYS


def test_header_values(result: AuditResult) -> None:
    document = build_audit_json(result)
    assert document["tool"] == {"name": "sovereign", "version": "0.1.0"}
    assert document["method_version"] == "2026.1"
    assert document["catalog_digest"] == "sha256:" + "c" * 64
    assert document["date"] == "2026-11-23"
    assert document["inputs"] == [{"path": "inventory.csv", "sha256": "a" * 64, "rows": 6}]
    assert document["accounting"] == {"read": 6, "applications": 4, "merged": 1, "rejected": 1}


def test_rows_accounted_for(result: AuditResult) -> None:
    document = build_audit_json(result)
    assert document["rejected_rows"] == [
        {"source": "inventory.csv:7", "reason": f"column 'name' is empty: {HOSTILE_NAME}"}
    ]
    assert document["merged_rows"] == [{"source": "inventory.csv:6", "into": "inventory.csv:2"}]
    assert document["warnings"] == [f"inventory.csv:1: unknown column 'Opmerking {HOSTILE_NAME}' kept"]


def test_applications_sorted_by_id_with_every_key(result: AuditResult) -> None:
    document = build_audit_json(result)
    applications = document["applications"]
    assert [app["id"] for app in applications] == ["a1", "a2", "a3", "a4"]
    for app in applications:
        assert set(app) >= APPLICATION_KEYS, app["id"]
        assert set(app["match"]) >= {"product", "method", "score", "suggestions"}
        for axis in ("lawful_access", "residency", "continuity"):
            assert set(app[axis]) == {"countries", "chains"}
            assert all(isinstance(c, str) for c in app[axis]["countries"])
            paths = _paths(document, app, axis)
            assert all(isinstance(p, list) and all(isinstance(s, str) for s in p) for p in paths)
            assert all(p[0] == f"application:{app['id']}" for p in paths)
        assert app["seal"] is None or isinstance(app["seal"], int)
        assert isinstance(app["criticality"], float)


def test_us_saas_application(result: AuditResult) -> None:
    document = build_audit_json(result)
    app = _by_id(document)["a1"]
    assert app["name"] == "Klantcontactsysteem"
    assert app["source"] == "inventory.csv:2"
    assert app["department"] == "Publiekszaken"
    assert app["vendor"] == "Salesforce"
    assert app["product_name"] == "Salesforce Service Cloud"
    assert app["match"] == {
        "product": "salesforce-service-cloud",
        "method": "exact",
        "score": 1.0,
        "suggestions": [],
    }
    assert app["controller"] == {"id": "salesforce-inc", "name": "Salesforce, Inc.", "country": "US"}
    assert app["lawful_access"]["countries"] == ["US"]
    assert _paths(document, app, "lawful_access") == [
        [
            "application:a1",
            "instance_of",
            "product:salesforce-service-cloud",
            "operated_by",
            "entity:salesforce-inc",
            "seated_in",
            "country:US",
        ]
    ]
    assert document["chains"][app["lawful_access"]["chains"][0]][0] == "instance_of"  # stored without a1
    assert app["residency"]["countries"] == ["US"]
    assert app["biv"] == {"availability": 2, "integrity": 2, "confidentiality": 3}
    assert (app["business_critical"], app["personal_data"]) == (True, True)
    assert (app["seal"], app["seal_reason"], app["criticality"]) == (0, "seal-0-non-eu-operator", 3.0)


def test_eu_vendor_on_azure(result: AuditResult) -> None:
    document = build_audit_json(result)
    app = _by_id(document)["a2"]
    assert app["hosting"] == "Azure West-Europa"
    assert app["hosting_region"] == "azure-westeurope"
    assert app["match"]["method"] == "fuzzy"
    assert app["match"]["score"] == 0.93
    assert app["lawful_access"]["countries"] == ["NL", "US"]
    assert len(app["lawful_access"]["chains"]) == 2
    assert _paths(document, app, "residency")[0][-1] == "country:NL"
    assert app["seal"] == 2
    assert app["biv"] is None
    assert app["personal_data"] is None


def test_unmatched_application_is_unknown(result: AuditResult) -> None:
    app = _by_id(build_audit_json(result))["a4"]
    assert app["name"] == HOSTILE_NAME  # as written: JSON is data, escaping is the HTML's job
    assert app["match"] == {
        "product": None,
        "method": "none",
        "score": 0.0,
        "suggestions": [
            {"product": "salesforce-service-cloud", "score": 0.41},
            {"product": "acme-zaaksysteem", "score": 0.38},
        ],
    }
    assert app["product_name"] is None
    assert app["controller"] is None
    assert app["seal"] is None
    for axis in ("lawful_access", "residency", "continuity"):
        assert app[axis]["countries"] == ["unknown"]


def test_portfolio_has_every_field(result: AuditResult) -> None:
    portfolio = build_audit_json(result)["portfolio"]
    assert set(portfolio) == {f.name for f in dataclasses.fields(Portfolio)}
    assert portfolio["applications"] == 4
    assert portfolio["us_lawful_access_share"] == 0.5
    assert portfolio["us_lawful_access_weighted"] == 0.6875
    assert portfolio["seal_distribution"] == {"0": 1, "1": 0, "2": 1, "3": 0, "4": 1, "unknown": 1}
    assert portfolio["hhi"] == 1875.0


def test_concentration_largest_first_with_unknown_country_as_string(result: AuditResult) -> None:
    concentration = build_audit_json(result)["portfolio"]["concentration"]
    # All at one application: ties go by criticality share (3.0, 2.5, 2.0, 0.5 of 8).
    assert [(c["controller"]["id"], c["applications"], c["criticality_share"]) for c in concentration] == [
        ("salesforce-inc", 1, 0.375),
        ("acme-zaak", 1, 0.3125),
        ("self", 1, 0.25),
        ("unknown", 1, 0.0625),
    ]
    assert concentration[0] == {
        "controller": {"id": "salesforce-inc", "name": "Salesforce, Inc.", "country": "US"},
        "applications": 1,
        "share": 0.25,
        "criticality_share": 0.375,
    }
    assert concentration[-1]["controller"]["country"] == "unknown"


def test_nodes_label_every_path_node(result: AuditResult) -> None:
    document = build_audit_json(result)
    in_paths = {
        node
        for app in document["applications"]
        for axis in ("lawful_access", "residency", "continuity")
        for path in _paths(document, app, axis)
        for node in path[0::2]
    }
    in_paths |= {node for s in document["scenarios"] for node in s["cut"]}
    in_paths |= {n for p in document["single_points_of_failure"] for n in (p["node"], *p["equivalent"])}
    in_paths |= {n for p in document["single_points_of_failure"] for n in p["example"][0::2]}
    assert set(document["nodes"]) == in_paths
    assert document["nodes"]["entity:microsoft-corp"] == "Microsoft Corporation"
    assert document["nodes"]["organisation:self"] == "Gemeente Voorbeeld"
    # Edge kinds sit at odd positions and are not nodes.
    assert "runs_on" not in document["nodes"]


def test_node_without_label_falls_back_to_its_id(make_result: Any) -> None:
    labels = dict(make_result().labels)
    del labels["entity:microsoft-corp"]
    document = build_audit_json(make_result(labels=labels))
    assert document["nodes"]["entity:microsoft-corp"] == "entity:microsoft-corp"


def test_rendered_text_is_compact_sorted_utf8_with_trailing_newline(make_result: Any) -> None:
    for result in (make_result(), build_export_result(), make_result(plan=None, scenarios=(), findings=())):
        data = render_audit_json(result)
        text = data.decode("utf-8")
        assert text.endswith("}\n")
        assert text.startswith('{"accounting":{')  # keys sorted, no indentation
        # Exactly what json's own encoder writes for the same data: valid, sorted keys, no spaces.
        canonical = json.dumps(json.loads(data), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        assert text == canonical + "\n"
        assert json.loads(data) == build_audit_json(result)
    assert "Súdwest" in render_audit_json(make_result()).decode("utf-8")  # ensure_ascii=False


def test_written_in_chunks_is_the_same_text(result: AuditResult) -> None:
    buffer = io.BytesIO()
    write_audit_json(result, buffer)
    assert buffer.getvalue() == render_audit_json(result)


def test_every_application_finding_and_stopped_application_is_present(make_result: Any) -> None:
    result = build_export_result()
    document = build_audit_json(result)
    assert [a["id"] for a in document["applications"]] == sorted(
        a.application.app_id for a in result.assessments
    )
    assert [
        (
            v["rule"],
            v["application"],
            v["message"],
            [_path(document, ref, v["application"]) for ref in v["chains"]],
        )
        for v in document["violations"]
    ] == [(f.rule_id, f.app_id, f.message, [list(p) for p in f.evidence]) for f in result.findings]
    for scenario, outcome in zip(document["scenarios"], result.scenarios, strict=True):
        assert [
            (s["id"], s["direct"], _path(document, s["chain"], s["id"])) for s in scenario["stopped"]
        ] == [(s.app_id, s.direct, list(s.via)) for s in outcome.stopped]


def test_plan_describes_each_alternative_once_and_options_refer_to_outcomes() -> None:
    result = build_export_result()
    plan = build_audit_json(result)["plan"]
    assert plan["alternatives"] == {
        "open-klant-alt": {
            "product": "open-klant",
            "name": "Open Klant",
            "maturity": "established",
            "effort": "low",
            "hosting_options": ["self-hosted", "dutch-cloud"],
            "open_standards": ["ZGW API", "=formula"],
        }
    }
    assert [(o["application"], o["outcomes"]) for o in plan["options"]] == [("a1", [0]), ("a4", [])]
    [outcome] = plan["outcomes"]
    assert (outcome["alternative"], outcome["seal_after"], outcome["lawful_access_after"]) == (
        "open-klant-alt",
        4,
        ["NL"],
    )
    assert outcome["controller"] == {"id": "self", "name": "Gemeente Voorbeeld", "country": "NL"}
    assert plan["stop_lists"] == [["a1"]]
    assert plan["exits"][0]["stops_if_vendor_withdraws"] == 0
    assert plan["waves"][0]["moves"] == [{"application": "a1", "to": "open-klant-alt"}]


def test_options_with_the_same_outcome_share_it(make_result: Any) -> None:
    result = build_export_result()
    assert result.plan is not None
    first = result.plan.options[0]
    twin = replace(first, before=result.plan.options[1].before)
    plan = replace(result.plan, options=(first, twin))
    document = build_audit_json(replace(result, plan=plan))
    assert [o["outcomes"] for o in document["plan"]["options"]] == [[0], [0]]
    assert len(document["plan"]["outcomes"]) == 1


def test_options_sharing_one_tuple_or_an_equal_one_refer_to_the_same_outcomes() -> None:
    # The plan shares equal options among applications; the file numbers the choices once per sequence of
    # option objects, and equal but distinct options and tuples as any other.
    result = build_export_result()
    assert result.plan is not None
    first, other = result.plan.options
    [option] = first.options
    different = replace(other, options=(replace(option, explanation="another explanation"),))
    shared = replace(other, options=first.options)
    equal = replace(other, options=tuple(list(first.options)))
    copied = replace(other, options=(replace(option),))  # an equal option, another object
    twice = replace(other, options=(*different.options, option))
    plan = replace(result.plan, options=(first, shared, different, equal, copied, twice, other))
    document = build_audit_json(replace(result, plan=plan))
    assert [o["outcomes"] for o in document["plan"]["options"]] == [[0], [0], [1], [0], [0], [1, 0], []]
    assert [o["explanation"] for o in document["plan"]["outcomes"]] == [
        option.explanation,
        "another explanation",
    ]


def test_stopped_applications_are_numbered_as_any_path(make_result: Any) -> None:
    # The scenarios' paths are registered by a loop of their own (a scenario can stop 100,000 applications):
    # the same numbers and the same table as the general registration, for paths from the application
    # itself, from elsewhere, and of the application's node alone.
    from sovereign.report.json_report import _Chains

    result = make_result()
    stopped = [s for scenario in result.scenarios for s in scenario.stopped]
    assert stopped
    elsewhere = replace(stopped[0], via=("entity:microsoft-corp", "seated_in", "country:US"))
    alone = replace(stopped[0], via=(f"application:{stopped[0].app_id}",))
    applications = [*stopped, elsewhere, alone, *reversed(stopped), elsewhere]
    fast, general = _Chains(result), _Chains(result)
    numbers = fast._register_stopped(applications)
    assert numbers == [general.register((s.via,), f"application:{s.app_id}") for s in applications]
    assert (fast.index, fast.owners, fast.continuing, fast.whole) == (
        general.index,
        general.owners,
        general.continuing,
        general.whole,
    )
    assert len(set(numbers)) == len({s.via for s in applications})


def test_rendering_does_not_depend_on_input_order(make_result: Any) -> None:
    result = make_result()
    shuffled = make_result(assessments=tuple(reversed(result.assessments)))
    assert render_audit_json(shuffled) == render_audit_json(result)


def test_nodes_label_the_example_of_every_single_point(make_result: Any) -> None:
    result = make_result()
    labels = {**result.labels, "entity:only-here": "Only in an example"}
    point = replace(result.single_points[0], example=("application:a4", "depends_on", "entity:only-here"))
    document = build_audit_json(
        replace(result, labels=labels, single_points=(point, *result.single_points[1:]))
    )
    assert document["nodes"]["entity:only-here"] == "Only in an example"


def test_findings_without_single_points(make_result: Any) -> None:
    document = build_audit_json(make_result(single_points=()))
    assert document["single_points_of_failure"] == []
    assert len(document["violations"]) == len(make_result().findings)


def test_rows_written_in_small_batches_are_the_same_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from sovereign.report import json_report

    whole = render_audit_json(build_export_result())
    monkeypatch.setattr(json_report, "_BATCH", 1)
    assert render_audit_json(build_export_result()) == whole


def test_small_chunks_written_on_another_thread_keep_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    from sovereign.report import json_report

    whole = render_audit_json(build_export_result())
    # Hundreds of chunks, each waiting for the one before it: the file is written by a second thread.
    monkeypatch.setattr(json_report, "_CHUNK", 64)
    monkeypatch.setattr(json_report, "_PENDING_FILE", 1)
    assert render_audit_json(build_export_result()) == whole


def test_an_error_while_writing_is_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    from sovereign.report import json_report

    monkeypatch.setattr(json_report, "_CHUNK", 64)
    with pytest.raises(OSError, match="No space left on device"):
        write_audit_json(build_export_result(), FullDisk(1_000))


def test_shared_and_equal_parts_are_written_alike(make_result: Any) -> None:
    # The pipeline shares one match and one objectives tuple among applications of the same shape; equal but
    # distinct ones give the same text.
    result = make_result()
    first = result.assessments[0]

    def twin(app_id: str, *, shared: bool) -> Any:
        match = first.match if shared else replace(first.match, suggestions=tuple(first.match.suggestions))
        objectives = first.objectives if shared else tuple((k, v) for k, v in first.objectives)
        application = replace(first.application, app_id=app_id)
        return replace(first, application=application, match=match, objectives=objectives)

    twins = (twin("z-shared", shared=True), twin("z-equal", shared=False))
    document = build_audit_json(replace(result, assessments=(*result.assessments, *twins)))
    by_id = {a["id"]: a for a in document["applications"]}
    for key in ("match", "objectives"):
        assert by_id["z-shared"][key] == by_id["z-equal"][key] == by_id[first.application.app_id][key]


def test_exits_with_the_same_stop_list_share_it() -> None:
    result = build_export_result()
    assert result.plan is not None
    [exit_] = result.plan.exits
    # One tuple handed to two exits (as the plan does per vendor), and an equal but distinct one.
    stops = ("a1", "a2")
    exits = (
        replace(exit_, stops_if_cut=stops),
        replace(exit_, stops_if_cut=stops),
        replace(exit_, stops_if_cut=tuple(list(stops))),
        replace(exit_, stops_if_cut=("a3",)),
    )
    plan = build_audit_json(replace(result, plan=replace(result.plan, exits=exits)))["plan"]
    assert plan["stop_lists"] == [["a1", "a2"], ["a3"]]
    assert [e["stops_if_vendor_withdraws"] for e in plan["exits"]] == [0, 0, 0, 1]


def test_findings_citing_an_axis_as_it_is_refer_to_its_chains(make_result: Any) -> None:
    # A finding cites the very tuple of paths of its application's axis; another application's finding citing
    # that tuple gets chains that read back as the same paths.
    result = make_result()
    first, second = result.assessments[0], result.assessments[1]
    paths = first.lawful_access.paths
    template = result.findings[0]
    findings = (
        replace(template, app_id=first.application.app_id, evidence=paths),
        replace(template, app_id=second.application.app_id, evidence=paths),
    )
    document = build_audit_json(replace(result, findings=findings))
    own, other = document["violations"]
    assert own["chains"] == _by_id(document)[first.application.app_id]["lawful_access"]["chains"]
    for violation in (own, other):
        read = [_path(document, ref, violation["application"]) for ref in violation["chains"]]
        assert read == [list(p) for p in paths]


def test_findings_numbered_beside_their_applications_as_after_them(
    make_result: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A finding citing one of its application's axes as it is gets that axis's numbers while the application
    # is written; every other finding is numbered after the applications. Both give the same file as
    # numbering every finding afterwards.
    from sovereign.report.json_report import _Chains

    result = make_result()
    first, second = result.assessments[0], result.assessments[1]
    template = result.findings[0]
    findings = (
        *result.findings,
        replace(template, app_id=second.application.app_id, evidence=second.continuity.paths),
        replace(template, app_id=first.application.app_id, evidence=first.residency.paths),  # out of order
        replace(template, app_id=first.application.app_id, evidence=tuple(list(first.lawful_access.paths))),
        replace(template, app_id=second.application.app_id, evidence=first.lawful_access.paths),
        replace(template, app_id="not-an-application", evidence=first.continuity.paths),
        replace(template, app_id=None, evidence=second.residency.paths),
        replace(template, app_id=second.application.app_id, evidence=()),
    )
    result = replace(result, findings=findings)
    written = render_audit_json(result)
    monkeypatch.setattr(_Chains, "cite", lambda *args: None)
    assert render_audit_json(result) == written
    document = build_audit_json(result)
    for violation, finding in zip(document["violations"], findings, strict=True):
        read = [_path(document, ref, violation["application"]) for ref in violation["chains"]]
        assert read == [list(p) for p in finding.evidence]
