"""Migration planning on a small hand-built landscape with a known best alternative and a known wave order."""

from __future__ import annotations

import pytest
from builders import make_app

from sovereign.catalog import load_policy
from sovereign.model import Inventory
from sovereign.pipeline import assess_inventory

POLICY = """\
policy: {id: test, name: Test}
rules:
  - {id: min-seal-3, kind: min-seal, min_seal: 3, severity: error, explanation: Everything SEAL 3.}
"""

APPS = (
    make_app("Identity", product="MegaSoft Identity", hosting="SaaS", business_critical=True),
    make_app("Mail", product="MegaSoft Mail Online", hosting="SaaS", depends_on=("Identity",), line=3),
    make_app("Zaken", product="PolderZaken", depends_on=("Identity", "Mail"), line=4),
    make_app("Kaart", product="MapView", hosting="MegaCloud West Europe", line=5),
    make_app("Formulieren", product="CloudCo Forms", hosting="SaaS", line=6),
)


@pytest.fixture(scope="module")
def plan(mini_catalog, tmp_path_factory):
    path = tmp_path_factory.mktemp("policy") / "policy.yaml"
    path.write_text(POLICY, encoding="utf-8")
    result = assess_inventory(
        Inventory(applications=APPS, rows_read=len(APPS)),
        mini_catalog,
        date="2026-11-23",
        policy=load_policy(path),
        plan_effort="high",
    )
    assert result.plan is not None
    return result


def options_of(result, app_id):
    return next(o for o in result.plan.options if o.before.application.app_id == app_id)


def test_only_applications_below_the_bar_get_options(plan):
    assert [o.before.application.app_id for o in plan.plan.options] == [
        "formulieren",
        "identity",
        "kaart",
        "mail",
    ]


def test_known_best_alternative_with_gain_and_explanation(plan):
    mail = options_of(plan, "mail")
    best = mail.options[0]
    # Polder Mail names MegaSoft Mail as what it replaces, is Dutch-controlled on a German hoster.
    assert best.alternative.id == "polder-mail-alt"
    assert (mail.before.seal, best.after.seal) == (1, 3)  # 3: it still depends on the US identity provider
    assert best.explanation.startswith("Ranked 1: SEAL 1 -> 3, established")


def test_rehost_is_an_option_for_own_software_on_a_us_cloud(plan):
    kaart = options_of(plan, "kaart")
    assert kaart.options[0].alternative.id == "rehost-mapview"
    assert kaart.options[0].after.seal == 4 and kaart.before.seal == 2


def test_waves_follow_the_dependency_graph(plan):
    waves = {w.number: [a for a, _ in w.moves] for w in plan.plan.waves}
    # Mail is a quick win (low effort, SEAL 1 -> 3 is a gain of 2, one dependant); the identity provider that
    # Mail and Zaken stand on moves before anything else in the ordered waves.
    assert waves[0] == ["mail"]
    assert waves[1] == ["formulieren", "identity", "kaart"]


def test_projected_figures_come_from_reassessment(plan):
    baseline = plan.plan.baseline
    shares = [w.projected.us_lawful_access_share for w in plan.plan.waves]
    assert baseline.us_lawful_access_share == 0.8  # all but Zaken: three US SaaS and Kaart on a US cloud
    assert shares == sorted(shares, reverse=True) and shares[-1] < baseline.us_lawful_access_share
    last = plan.plan.waves[-1].projected
    assert sum(last.seal_distribution.values()) == len(APPS)


def test_exit_outline_for_business_critical_low_seal(plan):
    [outline] = plan.plan.exits
    assert outline.app_id == "identity"
    assert outline.target == "open-id-alt"
    assert outline.dependants == ("mail", "zaken")
    assert {"identity", "mail", "zaken"} <= set(outline.stops_if_cut)
    assert "open-export-format" in outline.secure_now  # the catalog knows no open standard for it


def test_max_effort_leaves_out_heavy_moves(mini_catalog, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(POLICY, encoding="utf-8")
    result = assess_inventory(
        Inventory(applications=APPS, rows_read=len(APPS)),
        mini_catalog,
        date="2026-11-23",
        policy=load_policy(path),
        plan_effort="low",
    )
    moved = {a for w in result.plan.waves for a, _ in w.moves}
    assert moved == {"mail"}  # identity's alternative is high effort, rehosting is medium
