"""Policy loading and evaluation on small hand-built landscapes with known answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import make_app

from sovereign.catalog import load_catalog, load_policy
from sovereign.errors import InputErrors
from sovereign.model import Inventory
from sovereign.pipeline import assess_inventory
from sovereign.policy import has_exit_plan

POLICY = """\
policy: {id: test, name: Test policy, seal_weights: eu-csf-2025}
criticality:
  base: 1
  weights: {business_critical: 2}
rules:
  - {id: min-seal-3, kind: min-seal, applies_to: {business_critical: true}, min_seal: 3, severity: error,
     explanation: Critical needs SEAL 3.}
  - {id: eea-only, kind: residency, applies_to: {personal_data: true}, allowed: [eu, eea], severity: error,
     explanation: Personal data stays in the EEA.}
  - {id: no-gb, kind: forbidden-jurisdiction, countries: [GB], axis: lawful_access, severity: error,
     explanation: No British control.}
  - {id: exit, kind: exit-plan, below_seal: 2, severity: warning, explanation: Exit plan below SEAL 2.}
  - {id: owners, kind: ownership, max_single_non_eu_share: 24, max_total_non_eu_share: 39, severity: warning,
     explanation: SecNumCloud limits.}
  - {id: concentration, kind: controller-share, max_share: 0.5, measure: applications, severity: warning,
     explanation: No controller above half.}
"""


@pytest.fixture
def policy(tmp_path):
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return load_policy(path)


def findings(catalog, policy, *apps):
    result = assess_inventory(
        Inventory(applications=apps, rows_read=len(apps)), catalog, date="2026-11-23", policy=policy
    )
    return [(f.rule_id, f.app_id) for f in result.findings], result


def test_policy_criticality_weights_are_used(mini_catalog, policy):
    _, result = findings(
        mini_catalog, policy, make_app("Mail", product="MegaSoft Mail Online", business_critical=True)
    )
    # base 1 + business-critical 2 (the policy's weight, not the default 1.5)
    assert result.assessments[0].criticality == 3.0


def test_each_rule_kind(mini_catalog, policy):
    flat, result = findings(
        mini_catalog,
        policy,
        make_app("Mail", product="MegaSoft Mail Online", business_critical=True, hosting="SaaS"),  # SEAL 1
        make_app("Salaris", product="Fjord HR", personal_data=True, line=3),  # GB-controlled, data NL
        make_app("Forms", product="CloudCo Forms", personal_data=True, exit_plan="Ja, in contract", line=4),
        make_app("Zaken", product="PolderZaken", business_critical=True, line=5),  # SEAL 4
    )
    assert flat == [
        ("min-seal-3", "mail"),
        ("eea-only", "forms"),  # data in the US
        ("no-gb", "salaris"),
        ("exit", "mail"),  # SEAL 1 and no exit plan; Forms (SEAL 0) has one
        ("exit", "salaris"),
        ("owners", "mail"),  # MegaSoft Ireland is 100 % held by its US parent
        ("owners", "salaris"),  # Fjord Group AS is 40 % held by a UK fund (> 24 %)
    ]
    owner = next(f for f in result.findings if f.rule_id == "owners" and f.app_id == "salaris")
    assert owner.evidence[0][-3:] == ("entity:fjord-group", "owned_by", "entity:bigfund-lp")


def test_same_product_different_exit_plans(mini_catalog, policy):
    """A rule is decided once per distinct value it reads; applications of one product (one SEAL) with
    different exit-plan answers still each get their own verdict and detail."""
    apps = [
        make_app(f"Mail {i}", product="MegaSoft Mail Online", hosting="SaaS", exit_plan=plan, line=2 + i)
        for i, plan in enumerate([None, "Ja, in contract", "Nee", "-", "Ja, in contract", "Nee"])
    ]
    _, result = findings(mini_catalog, policy, *apps)
    exits = [(f.app_id, dict(f.detail)["exit_plan"]) for f in result.findings if f.rule_id == "exit"]
    assert exits == [("mail-0", ""), ("mail-2", "Nee"), ("mail-3", "-"), ("mail-5", "Nee")]


def test_unknown_fails_rules_that_need_knowledge(mini_catalog, policy):
    flat, _ = findings(
        mini_catalog,
        policy,
        make_app("Onbekend", vendor="Tiny", business_critical=True, personal_data=True, hosting="SaaS"),
    )
    assert flat == [("min-seal-3", "onbekend"), ("eea-only", "onbekend"), ("exit", "onbekend")]


def test_concentration_names_every_application(mini_catalog, policy):
    _, result = findings(
        mini_catalog,
        policy,
        make_app("Mail", product="MegaSoft Mail Online", exit_plan="ja"),
        make_app("Id", product="MegaSoft Identity", exit_plan="ja", line=3),
        make_app("Zaken", product="PolderZaken", line=4),
    )
    [share] = [f for f in result.findings if f.rule_id == "concentration"]
    assert share.applications == ("id", "mail") and share.app_id is None
    assert "MegaSoft Corporation (US) holds 66.7% of the applications" in share.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ja, vastgelegd in contract", True),
        ("Nee", False),
        ("", False),
        (None, False),
        ("In ontwikkeling", False),
    ],
)
def test_exit_plan_answers(text, expected):
    assert has_exit_plan(text) is expected


def test_bad_policy_lists_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "policy: {id: bad, seal_weights: nope}\nrules:\n"
        "  - {id: a, kind: min-seal, severity: fatal}\n"
        "  - {id: b, kind: teleport}\n"
        "  - {id: c, kind: residency, allowed: [mars], applies_to: {colour: red}}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as info:
        load_policy(path)
    assert [str(e) for e in info.value.errors] == [
        f"{path}:1: policy: seal_weights 'nope' is not one of eu-csf-2025, eu-csf-2026-guidance",
        f"{path}:3: rule 'a': a min-seal rule needs 'min_seal'",
        f"{path}:3: rule 'a': 'severity' must be error or warning, got 'fatal'",
        f"{path}:4: rule 'b': 'kind' must be one of min-seal, residency, forbidden-jurisdiction, exit-plan, "
        "ownership, controller-share, got 'teleport'",
        f"{path}:5: rule 'c': 'allowed' takes blocs (eu, eea, adequacy) or country codes, got 'mars'",
        f"{path}:5: rule 'c': 'applies_to' has unknown condition(s) colour",
    ]


# The default policy on the shipped catalog: the two anchor cases.


@pytest.fixture(scope="module")
def shipped():
    return load_catalog(), load_policy()


def test_default_policy_fails_us_saas_for_critical_personal_data(shipped):
    catalog, policy = shipped
    flat, _ = findings(
        catalog,
        policy,
        make_app(
            "Klantcontact",
            product="Salesforce Service Cloud",
            hosting="SaaS",
            business_critical=True,
            personal_data=True,
        ),
    )
    assert ("min-seal-critical-personal-data", "klantcontact") in flat
    assert ("exit-plan-critical-below-seal-3", "klantcontact") in flat


def test_default_policy_passes_dutch_owned_dutch_hosted(shipped):
    catalog, policy = shipped
    flat, result = findings(
        catalog,
        policy,
        make_app(
            "Afval",
            product="Ximmio",
            hosting="SaaS",
            business_critical=True,
            personal_data=True,
            data_location="Nederland",
        ),
        make_app(
            "Burgerzaken",
            product="Key2Burgerzaken",
            hosting="Centric datacenter",
            business_critical=True,
            personal_data=True,
            line=3,
        ),
    )
    per_app = [f for f in flat if f[1] is not None]
    assert per_app == [], per_app
    assert {a.seal for a in result.assessments} == {4}


def test_shipped_policies_load(shipped):
    _, policy = shipped
    assert policy.seal_weights is not None and sum(w for _, w in policy.seal_weights.weights) == 100
    assert all(rule.sources for rule in policy.rules), "every default rule cites its source"
    assert Path(policy.file or "").name == "default.yaml"
