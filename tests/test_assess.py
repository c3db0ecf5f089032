"""The three axes, SEAL levels, criticality and portfolio figures on small hand-built landscapes."""

from __future__ import annotations

import pytest
from builders import make_app

from sovereign.assess import score_criticality
from sovereign.model import ApplicationAssessment, AuditResult, Inventory
from sovereign.pipeline import assess_inventory


def audit(catalog, *apps) -> AuditResult:
    return assess_inventory(Inventory(applications=apps, rows_read=len(apps)), catalog, date="2026-11-23")


def one(catalog, app) -> ApplicationAssessment:
    return audit(catalog, app).assessments[0]


class TestLawfulAccess:
    def test_eu_subsidiary_of_us_parent_is_us_exposed(self, mini_catalog):
        a = one(mini_catalog, make_app("Mail", product="MegaSoft Mail Online", hosting="SaaS"))
        assert a.lawful_access.countries == ("IE", "US")
        us_path = a.lawful_access.paths[a.lawful_access.countries.index("US")]
        assert us_path == (
            "application:mail",
            "instance_of",
            "product:megasoft-mail",
            "operated_by",
            "entity:megasoft-ireland",
            "owned_by",
            "entity:megasoft-corp",
            "seated_in",
            "country:US",
        )

    def test_self_hosted_software_is_reached_only_through_us(self, mini_catalog):
        a = one(
            mini_catalog,
            make_app("Database", product="MegaSoft Database Server", hosting="eigen rekencentrum"),
        )
        assert a.lawful_access.countries == ("NL",)
        # ... but the vendor can still stop licences and updates.
        assert a.continuity.countries == ("NL", "US")

    def test_private_equity_control_is_followed_beyond_majority_rule(self, mini_catalog):
        # Fjord NL <- Fjord Group (NO) <- BigFund (GB) holds 40 % with control: true.
        a = one(mini_catalog, make_app("Salaris", product="Fjord HR", hosting="SaaS"))
        assert a.lawful_access.countries == ("GB", "NL", "NO")
        assert a.controller is not None and (a.controller.id, a.controller.country) == ("bigfund-lp", "GB")

    def test_hyperscaler_under_eu_saas_is_reached(self, mini_catalog):
        a = one(mini_catalog, make_app("Belastingen", product="PolderBelasting"))
        assert a.lawful_access.countries == ("LU", "NL", "US")

    def test_unmatched_saas_is_unknown_not_sovereign(self, mini_catalog):
        a = one(mini_catalog, make_app("Obscure tool", vendor="Tiny Firm", hosting="SaaS"))
        assert a.match.product is None
        assert a.lawful_access.countries == ("unknown",)
        assert a.residency.countries == ("unknown",)
        assert a.seal is None


class TestResidency:
    def test_inventory_data_location_wins(self, mini_catalog):
        a = one(mini_catalog, make_app("Mail", product="MegaSoft Mail Online", data_location="Nederland"))
        assert a.residency.countries == ("NL",)

    def test_region_country_when_hosted_in_a_region(self, mini_catalog):
        a = one(mini_catalog, make_app("Zaken", product="PolderZaken"))
        assert a.residency.countries == ("DE",)
        assert a.residency.paths[0][-3:] == ("region:hoster-fsn", "data_in", "country:DE")

    def test_product_default_locations(self, mini_catalog):
        a = one(mini_catalog, make_app("Mail", product="MegaSoft Mail Online", hosting="SaaS"))
        assert a.residency.countries == ("IE", "NL")


class TestSeal:
    @pytest.mark.parametrize(
        ("product", "hosting", "seal", "rule"),
        [
            ("MegaSoft Mail Online", "SaaS", 1, "seal-1-eu-entity-non-eu-controller"),
            ("PolderBelasting", None, 2, "seal-2-non-eu-infrastructure"),
            ("MegaSoft Database Server", "on-premise", 2, "seal-2-non-eu-technology"),
            ("PolderZaken", None, 4, "seal-4-eu-controlled"),
            ("MapView", "on-premise", 4, "seal-4-eu-controlled"),  # open source: vendor cannot withdraw it
            ("Fjord HR", "SaaS", 1, "seal-1-eu-entity-non-eu-controller"),
        ],
    )
    def test_levels(self, mini_catalog, product, hosting, seal, rule):
        a = one(mini_catalog, make_app("App", product=product, hosting=hosting))
        assert (a.seal, a.seal_reason) == (seal, rule)

    def test_us_operator_outside_eu_is_level_0(self, mini_catalog):
        # Run by CloudCo Inc. (US) itself, data in the US.
        a = one(mini_catalog, make_app("Formulieren", product="CloudCo Forms", hosting="SaaS"))
        assert (a.seal, a.seal_reason) == (0, "seal-0-non-eu-operator")
        assert a.residency.countries == ("US",)

    def test_own_software_on_us_cloud_region_is_level_2(self, mini_catalog):
        a = one(mini_catalog, make_app("Eigen app", product="MapView", hosting="MegaCloud West Europe"))
        assert a.lawful_access.countries == ("IE", "NL", "US")
        assert (a.seal, a.seal_reason) == (2, "seal-2-non-eu-infrastructure")

    def test_dependency_on_us_identity_caps_at_3(self, mini_catalog):
        result = audit(
            mini_catalog,
            make_app("Zaken", product="PolderZaken", depends_on=("Identity",)),
            make_app("Identity", product="MegaSoft Identity", line=3),
        )
        zaken = next(a for a in result.assessments if a.application.name == "Zaken")
        assert (zaken.seal, zaken.seal_reason) == (3, "seal-3-non-eu-dependency")
        assert "US" in zaken.continuity.countries and "US" not in zaken.lawful_access.countries
        us = zaken.continuity.paths[zaken.continuity.countries.index("US")]
        assert us[:3] == ("application:zaken", "depends_on", "application:identity")

    def test_unknown_residency_cannot_lower_a_level_1(self, mini_catalog):
        # Data location unknown could at worst mean 2; the EU subsidiary of a US parent already gives 1.
        a = one(mini_catalog, make_app("Tekenen", product="MegaSoft Sign"))
        assert a.residency.countries == ("unknown",)
        assert (a.seal, a.seal_reason) == (1, "seal-1-eu-entity-non-eu-controller")

    def test_unknown_residency_blocks_a_level_4(self, mini_catalog):
        a = one(mini_catalog, make_app("Heffen", product="PolderHeffen"))
        assert a.residency.countries == ("unknown",)
        assert (a.seal, a.seal_reason) == (None, "seal-unknown-chain")

    def test_supplier_data_centre_means_the_supplier_runs_it(self, mini_catalog):
        a = one(mini_catalog, make_app("Heffen", product="PolderHeffen", hosting="Polder datacenter"))
        assert a.lawful_access.paths == (
            ("application:heffen", "operated_by", "entity:polder-software", "seated_in", "country:NL"),
        )
        assert (a.seal, a.controller.id) == (4, "polder-software")

    def test_dependency_of_a_dependency_caps_at_3(self, mini_catalog):
        result = audit(
            mini_catalog,
            make_app("Zaken", product="PolderZaken", depends_on=("Portaal",)),
            make_app("Portaal", product="MapView", hosting="on-premise", depends_on=("Identity",), line=3),
            make_app("Identity", product="MegaSoft Identity", line=4),
        )
        zaken = next(a for a in result.assessments if a.application.name == "Zaken")
        assert (zaken.seal, zaken.seal_reason) == (3, "seal-3-non-eu-dependency")

    def test_unknown_beats_green(self, mini_catalog):
        # Matched, but on-premise software with no hosting stated: nobody known runs it.
        a = one(mini_catalog, make_app("Kaart", product="MapView"))
        assert a.seal is None and a.lawful_access.countries == ("unknown",)


class TestDependencies:
    def test_cycle_terminates_and_counts_both(self, mini_catalog):
        result = audit(
            mini_catalog,
            make_app("A", product="PolderZaken", depends_on=("B",)),
            make_app("B", product="MegaSoft Mail Online", depends_on=("A",), line=3),
        )
        a = next(x for x in result.assessments if x.application.name == "A")
        assert "US" in a.continuity.countries

    def test_unresolved_dependency_is_a_warning_with_location(self, mini_catalog):
        result = audit(mini_catalog, make_app("A", product="PolderZaken", depends_on=("Nergens",)))
        assert result.inventory.warnings == (
            "inventory.csv:2: depends on 'Nergens', which is not in the inventory",
        )


class TestCriticality:
    def test_empty_row_is_base(self):
        assert score_criticality(make_app("x")) == (1.0, ())

    def test_everything_high(self):
        # 1 + critical 1.5 + personal 0.5 + three BIV highs 1.5 + over 500 users 0.5 = 5.0
        app = make_app("x", business_critical=True, personal_data=True, biv="3/3/3", users=900)
        assert score_criticality(app)[0] == 5.0

    def test_medium_biv_and_users(self):
        # 1 + 0.25 * 3 + users over 100 0.25 = 2.0
        assert score_criticality(make_app("x", biv="2/2/2", users=150))[0] == 2.0


class TestPortfolio:
    def test_shares_and_concentration(self, mini_catalog):
        result = audit(
            mini_catalog,
            make_app("Mail", product="MegaSoft Mail Online", hosting="SaaS", business_critical=True),  # 2.5
            make_app("Id", product="MegaSoft Identity", line=3),  # 1.0
            make_app("Zaken", product="PolderZaken", line=4),  # 1.0
            make_app("Onbekend", vendor="Nobody", hosting="SaaS", line=5),  # 1.0
        )
        p = result.portfolio
        assert p.applications == 4
        assert p.us_lawful_access_share == 0.5
        # (2.5 + 1.0) / (2.5 + 1 + 1 + 1)
        assert p.us_lawful_access_weighted == round(3.5 / 5.5, 4)
        assert p.seal_distribution == {"0": 0, "1": 2, "2": 0, "3": 0, "4": 1, "unknown": 1}
        assert p.matched_share == 0.75
        assert p.unknown_share == 0.25
        top = p.concentration[0]
        assert (top.controller.id, top.applications, top.share) == ("megasoft-corp", 2, 0.5)
        # HHI over known controllers: MegaSoft 50 %, Polder 25 % -> 2500 + 625
        assert p.hhi == 3125.0
