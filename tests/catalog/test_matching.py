"""Matching inventory names and hosting texts to catalog records."""

from __future__ import annotations

import pytest
from builders import make_app

from sovereign.catalog import ProductMatcher, match_hosting, normalise, parse_countries


@pytest.fixture
def matcher(mini_catalog) -> ProductMatcher:
    return ProductMatcher(mini_catalog)


def flat(match):
    return (match.product, str(match.method))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"name": "Mail", "product": "MegaSoft Mail Online"}, ("megasoft-mail", "exact")),
        ({"name": "megasoft mail online"}, ("megasoft-mail", "exact")),
        ({"name": "Mail", "product": "MS Mail"}, ("megasoft-mail", "alias")),
        ({"name": "Zaken", "product": "Zaaksysteem", "vendor": "Polder"}, ("polder-zaken", "alias")),
        ({"name": "Zaken", "product": "Zaaksysteem", "vendor": "Fjord"}, (None, "none")),
        ({"name": "Zaken", "product": "Polder Zaaksysteem"}, ("polder-zaken", "alias")),
        ({"name": "HR", "product": "HR", "vendor": "Fjord"}, ("fjord-hr", "exact")),  # vendor + product
        ({"name": "Salaris", "product": "Fjord HRM"}, ("fjord-hr", "fuzzy")),
        ({"name": "Kaarten", "product": "MapVeiw"}, ("mapview", "fuzzy")),
        ({"name": "Subsidieregister (Access)"}, (None, "none")),
        ({"name": "Zaken", "product": "PolderZaken 2024"}, ("polder-zaken", "exact")),  # version dropped
        ({"name": "Zaken", "product": "Polder Zaken"}, ("polder-zaken", "alias")),  # spacing
        ({"name": "Kaart", "product": "MapView GIS viewer"}, ("mapview", "fuzzy")),  # name inside the text
        # Sharing a generic word is no match: these are other vendors' products.
        ({"name": "Mail", "product": "Exchange Online", "vendor": "Microsoft"}, (None, "none")),
        ({"name": "Telefonie", "product": "Genesys Cloud", "vendor": "Genesys"}, (None, "none")),
        ({"name": "Register", "product": "Access-database", "vendor": "eigen ontwikkeling"}, (None, "none")),
    ],
)
def test_product_matching(matcher, fields, expected):
    assert flat(matcher.match(make_app(**fields))) == expected


def test_fuzzy_match_has_score_and_unknown_has_suggestions(matcher):
    fuzzy = matcher.match(make_app("x", product="Fjord HRM"))
    assert 0.85 <= fuzzy.score < 1.0
    miss = matcher.match(make_app("PolderZakn Belasting Extra Module"))
    assert miss.product is None or miss.method == "fuzzy"


def test_vendor_hint_breaks_a_tie(mini_catalog):
    matcher = ProductMatcher(mini_catalog)
    # "Identity" alone is close to MegaSoft Identity only; with a contradicting vendor it is penalised.
    assert matcher.match(make_app("x", product="Identity", vendor="MegaSoft")).product == "megasoft-id"
    assert matcher.match(make_app("x", product="Identity", vendor="Polder Software")).product is None


def test_unique_names_are_matched_once(matcher):
    for line in range(2, 50):
        matcher.match(make_app("Mail", product="MegaSoft Mail Online", line=line))
    matcher.match(make_app("Other", product="MapView"))
    assert matcher.distinct_lookups == 2


@pytest.mark.parametrize(
    ("hosting", "provider", "expected"),
    [
        ("MegaCloud West Europe", None, ("region", "megasoft-westeurope", None)),
        ("Cloud", "MegaCloud Amsterdam", ("region", "megasoft-westeurope", None)),
        ("Hoster Falkenstein", None, ("region", "hoster-fsn", None)),
        ("Eigen rekencentrum", None, ("self-hosted", None, None)),
        ("On-premise", "eigen beheer", ("self-hosted", None, None)),
        ("MegaCloud", None, ("platform", None, "megasoft-cloud")),
        ("SaaS", "Polder", ("saas", None, None)),
        ("", None, ("unknown", None, None)),
        ("Bij de buren", None, ("unknown", None, None)),
    ],
)
def test_hosting_texts(mini_catalog, hosting, provider, expected):
    m = match_hosting(mini_catalog, hosting, provider)
    assert (m.kind, m.region, m.platform) == expected


def test_normalise():
    assert normalise("Key2Financiën (Centric B.V.)") == "key2financien centric"
    assert normalise("Visma | Raet") == "visma raet"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nederland", ("NL",)),
        ("Ierland, Nederland", ("IE", "NL")),
        ("EU", ("EU",)),
        ("onbekend", None),
        ("", None),
        ("Nederland / Mars", ("NL", "unknown")),
    ],
)
def test_parse_countries(text, expected):
    assert parse_countries(text) == expected


def test_candidates_from_bit_sets_equal_counted_hits():
    """The fuzzy prefilter's candidates come from trigram bit sets; counting each trigram's hits (the long
    way) must give the same choices in the same order, for short and long queries alike."""
    from collections import Counter
    from itertools import chain

    from sovereign.catalog import load_catalog
    from sovereign.catalog.matching import ProductMatcher, _trigrams, normalise

    matcher = ProductMatcher(load_catalog([]))
    queries = [
        *matcher._choice_keys,
        *(key[: len(key) // 2] for key in matcher._choice_keys),
        *(" ".join(reversed(key.split())) for key in matcher._choice_keys),
        normalise("Zwembadviewer 50"),
        normalise("ms 365"),
        "x",
        "",
    ]

    def counted(query: str) -> list[str]:  # each trigram's hits counted, as the prefilter once did
        grams = _trigrams(query)
        hits = Counter(chain.from_iterable(matcher._trigrams.get(gram, ()) for gram in grams))
        needed = 1 if len(grams) < 6 else 2
        return [matcher._choice_keys[i] for i in sorted(i for i, n in hits.items() if n >= needed)]

    for query in queries:
        assert matcher._candidates(query) == counted(query), query
