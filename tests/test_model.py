"""The model's records are built through a quicker ``__init__`` (``model._quick_init``); it must behave exactly as
the one ``dataclasses`` generates."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from sovereign import model

RECORDS = [
    cls
    for cls in vars(model).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
]
QUICK = [
    cls for cls in RECORDS if any(name.startswith("_set_") for name in cls.__init__.__code__.co_freevars)
]


def test_the_hot_records_get_the_quick_init() -> None:
    names = {cls.__name__ for cls in QUICK}
    assert {"Application", "ApplicationAssessment", "AxisResult", "Finding", "Location", "Match"} <= names
    # A record with a default factory keeps the generated one (the factory must run per instance).
    assert "Catalog" not in names and "Rule" not in names


@pytest.mark.parametrize("cls", QUICK, ids=lambda cls: cls.__name__)
def test_quick_init_keeps_the_generated_signature_and_values(cls: type) -> None:
    fields = dataclasses.fields(cls)
    parameters = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters)
    for parameter, field in zip(parameters, fields, strict=True):
        expected = inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        assert parameter.default == expected, field.name

    given = {f.name: f"value of {f.name}" for f in fields}  # unlike any default
    record = cls(**given)
    assert {f.name: getattr(record, f.name) for f in fields} == given
    assert record == cls(**given) and hash(record) == hash(cls(**given))
    assert pickle.loads(pickle.dumps(record)) == record
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(record, fields[0].name, "changed")

    changed = dataclasses.replace(record, **{fields[-1].name: "other"})
    assert getattr(changed, fields[-1].name) == "other"
    assert all(getattr(changed, f.name) == given[f.name] for f in fields[:-1])

    required = {f.name: given[f.name] for f in fields if f.default is dataclasses.MISSING}
    defaulted = cls(**required)
    for f in fields:
        if f.default is not dataclasses.MISSING:
            assert getattr(defaulted, f.name) == f.default, f.name
    if required:
        missing = next(iter(required))
        with pytest.raises(TypeError, match=missing):
            cls(**{k: v for k, v in required.items() if k != missing})
    with pytest.raises(TypeError, match="no_such_field"):
        cls(**required, no_such_field=1)
    with pytest.raises(TypeError):
        cls(*given.values())  # keyword-only, as generated with kw_only=True
