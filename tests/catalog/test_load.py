"""Loading and validating catalog YAML: every problem named with file, line and record."""

from __future__ import annotations

from pathlib import Path

import pytest

from sovereign.catalog import control_chain, load_catalog, ultimate_controller
from sovereign.errors import InputErrors

J = """jurisdictions:
  - {code: NL, name: Netherlands, bloc: eu, confidence: inferred}
  - {code: US, name: United States, bloc: other, confidence: inferred}
  - {code: "NO", name: Norway, bloc: eea, confidence: inferred}
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def errors_of(root: Path, overlays: tuple[Path, ...] = ()) -> list[str]:
    with pytest.raises(InputErrors) as info:
        load_catalog(overlays, root=root)
    return [str(e) for e in info.value.errors]


def test_mini_catalog_loads(mini_catalog):
    assert mini_catalog.products["megasoft-mail"].operator == "megasoft-ireland"
    assert mini_catalog.digest.startswith("sha256:")


def test_norway_stays_a_country(tmp_path):
    root = write(
        tmp_path,
        {
            "jurisdictions.yaml": J,
            "entities/e.yaml": "entities:\n  - {id: fjord, name: Fjord AS, country: NO, confidence: inferred}\n",
        },
    )
    assert load_catalog(root=root).entities["fjord"].country == "NO"


def test_unknown_reference_names_file_line_and_record(tmp_path):
    root = write(
        tmp_path,
        {
            "jurisdictions.yaml": J,
            "entities/e.yaml": "entities:\n  - {id: acme, name: Acme, country: NL, confidence: inferred}\n",
            "products/p.yaml": "products:\n  - id: widget\n    name: Widget\n    vendor: acmee\n"
            "    delivery: saas\n    confidence: inferred\n",
        },
    )
    assert errors_of(root) == [
        f"{root}/products/p.yaml:2: product 'widget': vendor 'acmee' is not a known entity"
    ]


def test_every_problem_is_reported_at_once(tmp_path):
    root = write(
        tmp_path,
        {
            "jurisdictions.yaml": J,
            "entities/e.yaml": (
                "entities:\n"
                "  - {id: a, name: A, country: XX, confidence: inferred}\n"
                "  - {id: b, name: B, country: NL, owners: [{entity: c, share: 120}], confidence: inferred}\n"
                "  - {id: c, name: C, country: NL, owners: [{entity: b, share: 60}], confidence: verified}\n"
                "  - {id: a, name: A again, country: NL, confidence: inferred}\n"
            ),
        },
    )
    assert errors_of(root) == [
        f"{root}/entities/e.yaml:2: entity 'a': field 'country' is 'XX', which jurisdictions.yaml does not define",
        f"{root}/entities/e.yaml:3: entity 'b': owner 'c': share must be a number from 0 to 100, got '120'",
        f"{root}/entities/e.yaml:3: entity 'b': ownership cycle: b -> c -> b",
        f"{root}/entities/e.yaml:4: entity 'c': has no sources, so its confidence must be 'inferred', not 'verified'",
        f"{root}/entities/e.yaml:5: entity 'a': duplicate id (first defined at {root}/entities/e.yaml:2)",
    ]


def test_ambiguous_alias_is_rejected(tmp_path):
    root = write(
        tmp_path,
        {
            "jurisdictions.yaml": J,
            "entities/e.yaml": "entities:\n  - {id: acme, name: Acme, country: NL, confidence: inferred}\n",
            "products/p.yaml": (
                "products:\n"
                "  - {id: one, name: One, aliases: [Office], vendor: acme, delivery: saas, confidence: inferred}\n"
                "  - {id: two, name: Two, aliases: [office], vendor: acme, delivery: saas, confidence: inferred}\n"
            ),
        },
    )
    assert errors_of(root) == [
        f"{root}/products/p.yaml:3: product 'two': name or alias 'office' also means product 'one'"
    ]


def test_unknown_field_and_bad_yaml(tmp_path):
    root = write(
        tmp_path,
        {
            "jurisdictions.yaml": J,
            "entities/e.yaml": "entities:\n  - {id: acme, name: Acme, contry: NL, confidence: inferred}\n",
            "products/p.yaml": "products:\n  - id: [unclosed\n",
        },
    )
    unknown_field, bad_yaml = errors_of(root)
    assert unknown_field == f"{root}/entities/e.yaml:2: entity 'acme': unknown field 'contry'"
    # libyaml says "did not find expected ',' or ']'", the pure-Python parser "expected ',' or ']', but got ..."
    assert bad_yaml.startswith(f"{root}/products/p.yaml:3: invalid YAML: ")
    assert "expected ',' or ']'" in bad_yaml


def test_local_overlay_overrides_and_needs_a_reason(tmp_path, mini_catalog):
    overlay = write(
        tmp_path / "local",
        {
            "products/p.yaml": (
                "products:\n"
                "  - id: polder-zaken\n    name: PolderZaken\n    vendor: polder-software\n    delivery: on-premise\n"
                "    confidence: inferred\n    reason: We run it in our own data centre (contract 2024-17).\n"
                "  - {id: extra, name: Extra, vendor: polder-software, delivery: saas, confidence: inferred}\n"
            )
        },
    )
    root = Path(__file__).parents[1] / "fixtures" / "catalog" / "mini"
    assert errors_of(root, (overlay,)) == [
        f"{overlay}/products/p.yaml:8: product 'extra': a local overlay record needs a 'reason' (why you know better)"
    ]
    (overlay / "products" / "p.yaml").write_text(
        (overlay / "products" / "p.yaml")
        .read_text()
        .replace("confidence: inferred}", "confidence: inferred, reason: our own tool}")
    )
    catalog = load_catalog((overlay,), root=root)
    assert catalog.products["polder-zaken"].origin == "local"
    assert catalog.products["polder-zaken"].delivery == "on-premise"
    assert catalog.digest != mini_catalog.digest


def test_control_chain_follows_control_flag(mini_catalog):
    assert control_chain(mini_catalog, "fjord-nl") == ("fjord-nl", "fjord-group", "bigfund-lp")
    assert ultimate_controller(mini_catalog, "megasoft-ireland").id == "megasoft-corp"
    assert ultimate_controller(mini_catalog, "nobody") is None


def test_shipped_catalog_is_valid():
    catalog = load_catalog()
    assert catalog.digest.startswith("sha256:")


def test_shipped_catalog_is_cached_by_content(tmp_path, monkeypatch):
    """The second load comes from the cache and equals the first; a damaged cache file is ignored."""
    monkeypatch.setenv("SOVEREIGN_CACHE_DIR", str(tmp_path))
    first = load_catalog()
    (cached,) = tmp_path.glob("catalog-*.pickle")
    second = load_catalog()
    assert second == first and second is not first
    cached.write_bytes(b"not a pickle")
    assert load_catalog() == first


def test_no_cache_in_a_folder_others_can_write(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setenv("SOVEREIGN_CACHE_DIR", str(shared))
    load_catalog()
    assert not list(shared.glob("catalog-*.pickle"))
