"""Match inventory names to catalog products, and hosting texts to hosting regions.

Products: the inventory's product column, then its application name, are normalised (lowercase, accents and
punctuation removed, legal suffixes dropped) and looked up as an exact product name, then as an alias. Failing
that, ``_score`` (rapidfuzz's token_sort_ratio, plus whole-name containment) compares them against every
name and alias; the vendor column is a hint that adds
``VENDOR_BONUS`` points to candidates whose vendor (or its owners) it names and takes ``VENDOR_PENALTY`` from
candidates whose vendor it contradicts. A fuzzy score below ``FUZZY_THRESHOLD`` is ``none``: unknown, never a
guess. Each distinct (product, name, vendor) triple is matched once, however many rows carry it.

Hosting texts ("Azure West Europe", "eigen rekencentrum", "Hetzner Falkenstein") are understood by looking for
the longest hosting-region alias they contain, then self-hosting words, then a cloud platform's name, then
SaaS words. Pure functions: no I/O, no printing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..model import Application, Catalog, Delivery, Match, MatchMethod

__all__ = [
    "FUZZY_THRESHOLD",
    "HostingMatch",
    "ProductMatcher",
    "match_hosting",
    "normalise",
    "parse_countries",
]

# fmt: off
FUZZY_THRESHOLD = 85.0   # points (0-100, see _score) below which a name stays unmatched
VENDOR_BONUS    = 6.0    # the vendor column names the candidate's vendor or one of its owners
VENDOR_PENALTY  = 12.0   # the vendor column names some other known entity
SUGGESTION_FLOOR = 60.0  # near misses above this are offered as suggestions in the report
# fmt: on

_LEGAL_SUFFIXES = (
    r"\b(b\.?v\.?|n\.?v\.?|gmbh|ag|inc|llc|ltd|limited|corp|corporation|s\.?a\.?|s\.?a\.?r\.?l\.?|plc|se)\b"
)


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lowercase ascii words separated by single spaces, without legal suffixes.

    >>> normalise("  Key2Financiën (Centric B.V.) ")
    'key2financien centric'
    >>> normalise("Microsoft® Teams")
    'microsoft teams'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    ascii_text = ascii_text.replace("&", " and ").replace("+", " plus ")
    ascii_text = re.sub(_LEGAL_SUFFIXES, " ", ascii_text)
    ascii_text = re.sub(r"[^a-z0-9]+", " ", ascii_text)
    return " ".join(ascii_text.split())


# ---------------------------------------------------------------------------------------------------------
# Products


class ProductMatcher:
    """Matches application rows to catalog products; build once per catalog, call ``match`` per row."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._exact: dict[str, str] = {}
        self._alias: dict[str, str] = {}
        for product in sorted(catalog.products.values(), key=lambda p: p.id):
            self._exact.setdefault(normalise(product.name), product.id)
            for alias in product.aliases:
                self._alias.setdefault(normalise(alias), product.id)
        # Choices for fuzzy matching: every normalised name and alias -> product id.
        self._choices: dict[str, str] = {**self._alias, **self._exact}
        self._choice_keys = sorted(self._choices)
        # Trigram index over the choices: fuzzy matching scores only the choices that share letters with
        # the query, so a national inventory's 25,000 distinct names do not each meet every catalog name.
        self._trigrams: dict[str, list[int]] = {}
        for index, key in enumerate(self._choice_keys):
            for gram in _trigrams(key):
                self._trigrams.setdefault(gram, []).append(index)
        # The same index as bit sets (bit i: the i-th choice), so that a query's candidates are a few
        # integer ANDs and ORs instead of counting every hit of every trigram.
        self._gram_bits: dict[str, int] = {
            gram: sum(1 << i for i in indices) for gram, indices in self._trigrams.items()
        }
        self._compact = {
            key.replace(" ", ""): pid for key, pid in sorted(self._choices.items(), reverse=True)
        }
        self._vendor_names: dict[str, set[str]] = {}
        for entity in catalog.entities.values():
            names = {normalise(entity.name), *(normalise(a) for a in entity.aliases)}
            self._vendor_names[entity.id] = {n for n in names if n}
        self._all_vendor_names = set().union(*self._vendor_names.values()) if self._vendor_names else set()
        self._cache: dict[tuple[str, str, str], Match] = {}
        # The same triple as written (before normalising): a national inventory repeats it in every
        # municipality, and the plan asks again for every moved application.
        self._written: dict[tuple[str | None, str, str | None], Match] = {}
        # What rapidfuzz found for one query text: many distinct names share a variant ("Speeltuinenplanner
        # 35" and "... 36" both try "speeltuinenplanner").
        self._extracted: dict[str, list[str]] = {}
        self._fits: dict[tuple[str, str], float] = {}  # (product, vendor column) -> _vendor_fit

    # Public

    def match(self, app: Application) -> Match:
        """The best product for one application row (cached per distinct product/name/vendor)."""
        written = (app.product, app.name, app.vendor)
        found = self._written.get(written)
        if found is None:
            key = (normalise(app.product or ""), normalise(app.name), normalise(app.vendor or ""))
            found = self._cache.get(key)
            if found is None:
                found = self._cache[key] = self._match(*key)
            self._written[written] = found
        return found

    @property
    def distinct_lookups(self) -> int:
        """How many distinct names were actually matched (the rest were served from the cache)."""
        return len(self._cache)

    # Internals

    def _method(self, product_id: str, method: MatchMethod) -> MatchMethod:
        return MatchMethod.LOCAL if self.catalog.products[product_id].origin == "local" else method

    def _match(self, product: str, name: str, vendor: str) -> Match:
        # The product column is more authoritative than the local application name: it is tried first, and
        # a fuzzy hit on it wins over one on the name.
        groups = [_variants(q, vendor) for q in (product, name)]
        # "Centric" + "Key2Burgerzaken" may be how the catalog names it; only for exact look-ups, because
        # fuzzily the vendor's name would outweigh the product's.
        prefixed = [
            [f"{vendor} {q}"] if vendor and q and not q.startswith(vendor) else [] for q in (product, name)
        ]
        for query in [*groups[0], *prefixed[0], *groups[1], *prefixed[1]]:
            for table, method in (
                (self._exact, MatchMethod.EXACT),
                (self._alias, MatchMethod.ALIAS),
                (self._compact, MatchMethod.ALIAS),
            ):
                pid = table.get(query if table is not self._compact else query.replace(" ", ""))
                if pid:
                    return Match(product=pid, method=self._method(pid, method), score=1.0)
        suggestions: dict[str, float] = {}
        for group in groups:
            ranked = self._fuzzy(group, vendor)
            if ranked and ranked[0][1] >= FUZZY_THRESHOLD:
                pid, score = ranked[0]
                return Match(
                    product=pid,
                    method=self._method(pid, MatchMethod.FUZZY),
                    score=round(score / 100, 3),
                    suggestions=tuple(
                        (p, round(s / 100, 3)) for p, s in ranked[1:3] if s >= SUGGESTION_FLOOR
                    ),
                )
            for pid, score in ranked:
                if score >= SUGGESTION_FLOOR:
                    suggestions[pid] = max(suggestions.get(pid, 0.0), score)
        top = sorted(suggestions.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        return Match(
            product=None,
            method=MatchMethod.NONE,
            score=0.0,
            suggestions=tuple((p, round(s / 100, 3)) for p, s in top),
        )

    def _fuzzy(self, queries: list[str], vendor: str) -> list[tuple[str, float]]:
        """Candidate products for the queries, best first, with scores from ``_score`` (0-100)."""
        best: dict[str, float] = {}
        for query in queries:
            # token_set_ratio (fast, in C) finds candidates that share words or are spelled alike; _score then
            # judges them strictly.
            for choice in self._extract(query):
                pid = self._choices[choice]
                vendor_fit = self._vendor_fit(pid, vendor)
                score = _score(query, choice, vendor_confirms=vendor_fit > 0) + vendor_fit
                best[pid] = max(best.get(pid, 0.0), min(score, 99.0))
        return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))

    def _extract(self, query: str) -> list[str]:
        """The (at most 12) choices rapidfuzz finds for one query, best first; cached per query."""
        found = self._extracted.get(query)
        if found is None:
            found = self._extracted[query] = [
                choice
                for choice, _, _ in process.extract(
                    query, self._candidates(query), scorer=fuzz.token_set_ratio, limit=12, score_cutoff=50
                )
            ]
        return found

    def _candidates(self, query: str) -> list[str]:
        """The choices that share at least two letter trigrams with the query (one for a short query), in
        sorted order. A choice sharing fewer can still reach the token_set_ratio cut-off of 50 with the same
        letters in another order, but not a match: on a 10,000-row inventory scoring every choice instead
        matched every row to the same product, and only offered 66 rows a far-fetched suggestion just above
        the floor ("Zwembadviewer 50" -> ReadSpeaker webReader, 0.64), which this filter leaves out."""
        grams = _trigrams(query)
        bits = self._gram_bits
        once = twice = 0  # the choices that share one trigram with the query, and two or more
        for gram in grams:
            found = bits.get(gram)
            if found:
                twice |= once & found
                once |= found
        chosen = f"{once if len(grams) < 6 else twice:b}"[::-1]  # bit i is character i
        keys = self._choice_keys
        candidates = []
        i = chosen.find("1")
        while i >= 0:
            candidates.append(keys[i])
            i = chosen.find("1", i + 1)
        return candidates

    def _vendor_fit(self, product_id: str, vendor: str) -> float:
        """+VENDOR_BONUS when the vendor column names the product's vendor or an owner of it,
        -VENDOR_PENALTY when it names some other known entity, 0 when it says nothing we know."""
        if not vendor:
            return 0.0
        key = (product_id, vendor)
        found = self._fits.get(key)
        if found is None:
            found = self._fits[key] = self._judge_vendor(product_id, vendor)
        return found

    def _judge_vendor(self, product_id: str, vendor: str) -> float:
        words = set(vendor.split())
        chain = _owner_chain(self.catalog, self.catalog.products[product_id].vendor)
        for entity_id in chain:
            for name in self._vendor_names.get(entity_id, ()):
                if set(name.split()) <= words or words <= set(name.split()):
                    return VENDOR_BONUS
        if vendor in self._all_vendor_names:
            return -VENDOR_PENALTY
        return 0.0


def _trigrams(text: str) -> set[str]:
    """The letter trigrams of each word, padded so that short words and word starts count.

    >>> sorted(_trigrams("ms 365"))
    [' 36', ' ms', '365', '65 ', 'ms ']
    """
    return {padded[i : i + 3] for padded in [f" {w} " for w in text.split()] for i in range(len(padded) - 2)}


_VERSION = re.compile(r"^(v?\d+([.]\d+)*[a-z]?|19\d\d|20\d\d)$")


def _variants(text: str, vendor: str) -> list[str]:
    """The text, without the vendor's name in front, and without trailing version numbers."""
    if not text:
        return []
    variants = [text]
    stripped = _strip_vendor(text, vendor)
    if stripped:
        variants.append(stripped)
    for v in list(variants):
        words = v.split()
        while len(words) > 1 and _VERSION.match(words[-1]):
            words.pop()
        if len(words) < len(v.split()):
            variants.append(" ".join(words))
    return variants


def _score(query: str, choice: str, *, vendor_confirms: bool) -> float:
    """How well an inventory text fits a catalog name, 0-100; stricter than rapidfuzz's WRatio.

    Spelling and word order count (token_sort_ratio). A catalog name that appears whole inside the text
    ("Decos JOIN" in "Decos JOIN zaak en document") scores high; the reverse (a generic "Zaaksysteem" inside
    "Zaaksysteem.nl") only when the vendor column confirms the vendor. A shared generic word alone ("online",
    "cloud", "database") scores low.

    >>> _score("decos join zaak en document", "decos join", vendor_confirms=False)
    89.0
    >>> _score("exchange online", "megasoft mail online", vendor_confirms=False) < 60
    True
    """
    base = float(fuzz.token_sort_ratio(query, choice))
    q, c = set(query.split()), set(choice.split())
    if len(choice) >= 4 and c <= q:
        base = max(base, 95.0 - 2.0 * len(q - c))
    elif vendor_confirms and q <= c:
        base = max(base, 90.0 - 2.0 * len(c - q))
    return base


def _strip_vendor(text: str, vendor: str) -> str:
    """'microsoft teams' with vendor 'microsoft' -> 'teams'; texts without the vendor prefix -> ''."""
    if vendor and text.startswith(vendor + " "):
        return text[len(vendor) + 1 :]
    return ""


def _owner_chain(catalog: Catalog, entity_id: str) -> list[str]:
    chain = [entity_id]
    while True:
        entity = catalog.entities.get(chain[-1])
        if entity is None or not entity.owners:
            return chain
        nxt = max(entity.owners, key=lambda o: (o.control is True, o.share or 0)).entity
        if nxt in chain:
            return chain
        chain.append(nxt)


# ---------------------------------------------------------------------------------------------------------
# Hosting


@dataclass(frozen=True, slots=True, kw_only=True)
class HostingMatch:
    """What a hosting text says: ``kind`` is self-hosted, region, platform, provider, saas or unknown."""

    kind: str
    region: str | None = None  # hosting region id
    platform: str | None = None  # product id of an IaaS/PaaS platform named without a region
    provider: str | None = None  # entity id of a named hosting party (managed hosting)


_SELF_WORDS = (
    "on premise",
    "on premises",
    "onpremise",
    "on prem",
    "onprem",
    "eigen rekencentrum",
    "eigen datacenter",
    "eigen datacentrum",
    "eigen beheer",
    "eigen server",
    "lokaal",
    "intern",
    "self hosted",
    "selfhosted",
    "zelf gehost",
    "eigen serverruimte",
    "in house",
    "inhouse",
)
_SAAS_WORDS = (
    "saas",
    "software as a service",
    "cloud leverancier",
    "bij leverancier",
    "leverancier",
    "hosted by vendor",
    "vendor hosted",
    "supplier hosted",
    "cloud",
)


def _contains(text: str, phrase: str) -> bool:
    return bool(phrase) and f" {phrase} " in f" {text} "


def match_hosting(catalog: Catalog, hosting: str | None, provider: str | None) -> HostingMatch:
    """Understand the inventory's hosting and hosting-party columns."""
    text = normalise(" ".join(t for t in (hosting, provider) if t))
    if not text:
        return HostingMatch(kind="unknown")
    index = _hosting_index(catalog)
    # 1. The longest hosting-region alias that the text contains ("azure west europe" beats "azure").
    for phrase, region_id in index.regions:
        if _contains(text, phrase):
            return HostingMatch(kind="region", region=region_id)
    # 2. Self-hosting words.
    if any(_contains(text, w) for w in _SELF_WORDS):
        return HostingMatch(kind="self-hosted")
    # 3. A cloud platform named without a region ("Azure", "AWS").
    for phrase, product_id in index.platforms:
        if _contains(text, phrase):
            return HostingMatch(kind="platform", platform=product_id)
    # 4. SaaS: the product's own operator and platforms apply, whoever the hosting column names.
    if any(_contains(text, w) for w in _SAAS_WORDS):
        return HostingMatch(kind="saas")
    # 5. A named hosting party (an entity that operates hosting regions), e.g. managed hosting.
    for phrase, entity_id in index.providers:
        if _contains(text, phrase):
            return HostingMatch(kind="provider", provider=entity_id)
    return HostingMatch(kind="unknown")


@dataclass(frozen=True, slots=True)
class _HostingIndex:
    regions: tuple[tuple[str, str], ...]
    platforms: tuple[tuple[str, str], ...]
    providers: tuple[tuple[str, str], ...]


def _longest_first(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({p for p in pairs if p[0]}, key=lambda p: (-len(p[0]), p[0], p[1])))


_INDEX_CACHE: dict[int, tuple[Catalog, _HostingIndex]] = {}


def _hosting_index(catalog: Catalog) -> _HostingIndex:
    cached = _INDEX_CACHE.get(id(catalog))
    if cached is not None and cached[0] is catalog:
        return cached[1]
    regions = _longest_first(
        (normalise(n), r.id) for r in catalog.hosting.values() for n in (r.name, r.id, *r.aliases)
    )
    platforms = _longest_first(
        (normalise(n), p.id)
        for p in catalog.products.values()
        if p.delivery in (Delivery.IAAS, Delivery.PAAS)
        for n in (p.name, *p.aliases)
    )
    operators = {r.operator for r in catalog.hosting.values()}
    providers = _longest_first(
        (normalise(n), e.id)
        for e in catalog.entities.values()
        if e.id in operators
        for n in (e.name, *e.aliases)
    )
    index = _HostingIndex(regions, platforms, providers)
    _INDEX_CACHE[id(catalog)] = (catalog, index)
    return index


# ---------------------------------------------------------------------------------------------------------
# Countries

# Dutch and English names as inventories write them in a data-location column.
# fmt: off
_COUNTRY_NAMES = {
    "nederland": "NL", "netherlands": "NL", "the netherlands": "NL", "nl": "NL", "holland": "NL",
    "ierland": "IE", "ireland": "IE", "ie": "IE",
    "duitsland": "DE", "germany": "DE", "de": "DE", "deutschland": "DE",
    "belgie": "BE", "belgium": "BE", "be": "BE",
    "frankrijk": "FR", "france": "FR", "fr": "FR",
    "luxemburg": "LU", "luxembourg": "LU", "lu": "LU",
    "zweden": "SE", "sweden": "SE", "se": "SE",
    "finland": "FI", "fi": "FI", "denemarken": "DK", "denmark": "DK", "dk": "DK",
    "noorwegen": "NO", "norway": "NO", "no": "NO",
    "oostenrijk": "AT", "austria": "AT", "at": "AT",
    "spanje": "ES", "spain": "ES", "es": "ES", "italie": "IT", "italy": "IT", "it": "IT",
    "polen": "PL", "poland": "PL", "pl": "PL",
    "zwitserland": "CH", "switzerland": "CH", "ch": "CH",
    "verenigd koninkrijk": "GB", "united kingdom": "GB", "uk": "GB", "gb": "GB", "engeland": "GB",
    "verenigde staten": "US", "united states": "US", "usa": "US", "us": "US", "vs": "US", "amerika": "US",
    "canada": "CA", "ca": "CA", "india": "IN", "in": "IN", "china": "CN", "cn": "CN",
    "eu": "EU", "europa": "EU", "europe": "EU", "europese unie": "EU", "european union": "EU", "eer": "EU",
}
# fmt: on
_UNKNOWN_WORDS = {
    "onbekend",
    "unknown",
    "n b",
    "nb",
    "?",
    "nvt",
    "n v t",
    "wereldwijd",
    "global",
    "worldwide",
}


def parse_countries(text: str | None) -> tuple[str, ...] | None:
    """Country codes in a data-location cell; None when the cell is empty or says 'unknown'.

    'EU' is kept as the reserved ISO code EU: somewhere in the EU, country not stated.

    >>> parse_countries("Nederland / Ierland")
    ('IE', 'NL')
    >>> parse_countries("onbekend") is None
    True
    """
    if not text:
        return None
    found: set[str] = set()
    unknown = False
    for part in re.split(r"[,;/|+]|\ben\b|\band\b", text):
        key = normalise(part)
        if not key:
            continue
        if key in _COUNTRY_NAMES:
            found.add(_COUNTRY_NAMES[key])
        else:
            unknown = True
    if not found:
        return None
    if unknown:
        found.add("unknown")
    return tuple(sorted(found))
