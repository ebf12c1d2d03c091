"""Records are not tuples (issue 20): a record of the core is a frozen dataclass, so it
never equals a bare tuple and JSON refuses it rather than writing an array. Only the hot
rows made by the thousand in the loops of one estimate or batch stay NamedTuples."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import pkgutil
from decimal import Decimal as D

import pytest

import ketacost
from ketacost.report.model import Labels
from ketacost.sheet.model import PriceRange

# module.Class: each is made in a loop, per claim, session, line, month or batch row
HOT_ROWS = {
    "ketacost.coverage.shares.Claim",
    "ketacost.coverage.shares.Share",
    "ketacost.months.Month",
    "ketacost.schedule.sessions.Session",
    "ketacost.charges.Line",
    "ketacost.batch.Request",
    "ketacost.batch.Quoted",
}


def _core_classes() -> list[tuple[str, type]]:
    found = []
    for info in pkgutil.walk_packages(ketacost.__path__, "ketacost."):
        face = info.name.split(".")[1] in {"cli", "render", "store", "__main__"}
        if info.ispkg or face:
            continue  # the faces, the renderers and the store are not the core
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and cls.__module__ == module.__name__:
                found.append((f"{module.__name__}.{name}", cls))
    return found


def test_a_price_range_is_not_a_tuple() -> None:
    price: object = PriceRange(low=D(400), typical=D(600), high=D(800))
    assert (price == (400, 600, 800)) is False
    assert (price == (D(400), D(600), D(800))) is False
    assert price == PriceRange.between(D(400), D(800))


def test_json_refuses_a_record_rather_than_writing_an_array() -> None:
    labels = Labels(treatment="Ketamine infusion", maintenance="every 4 weeks", interval="4w")
    with pytest.raises(TypeError):
        json.dumps(labels)


def test_every_record_of_the_core_is_a_frozen_dataclass_but_the_hot_rows() -> None:
    tuples = {name for name, cls in _core_classes() if issubclass(cls, tuple)}
    assert tuples == HOT_ROWS
    records = [(name, cls) for name, cls in _core_classes() if dataclasses.is_dataclass(cls)]
    assert len(records) > 40
    for name, cls in records:
        if name == "ketacost.entries.Entry":
            continue  # the stores copy a saved entry through its __dict__: no slots
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen, name
        assert "__slots__" in vars(cls), name


def test_every_record_of_the_core_is_made_by_name() -> None:
    """``kw_only``: a record is made with its fields named, never by position, so adding or
    reordering a field cannot shift the others. The web desk (a face, like the command
    line) is not the core."""
    records = [
        (name, cls)
        for name, cls in _core_classes()
        if dataclasses.is_dataclass(cls) and not name.startswith("ketacost.web.")
    ]
    assert "ketacost.entries.Unreadable" in dict(records)
    positional = [
        name for name, cls in records if not all(field.kw_only for field in dataclasses.fields(cls))
    ]
    assert positional == []
