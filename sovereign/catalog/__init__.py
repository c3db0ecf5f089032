"""The catalog: loading and validating the YAML facts, deriving control, and matching names to records.

``load_catalog`` is the one way in; everything it returns is validated. Matching and control derivation are
pure functions over a loaded ``Catalog``. No network, no printing.
"""

from ._control import CONTROL_THRESHOLD, control_chain, controlling_owner, ultimate_controller
from ._load import catalog_root, load_catalog
from ._policy_load import default_policy_path, load_policy, load_weight_sets
from ._query import CatalogRecord, catalog_stats, describe_record, find_record, search_catalog, stale_facts
from .matching import HostingMatch, ProductMatcher, match_hosting, normalise, parse_countries

__all__ = [
    "CONTROL_THRESHOLD",
    "CatalogRecord",
    "HostingMatch",
    "ProductMatcher",
    "catalog_root",
    "catalog_stats",
    "control_chain",
    "controlling_owner",
    "default_policy_path",
    "describe_record",
    "find_record",
    "load_catalog",
    "load_policy",
    "load_weight_sets",
    "match_hosting",
    "normalise",
    "parse_countries",
    "search_catalog",
    "stale_facts",
    "ultimate_controller",
]
