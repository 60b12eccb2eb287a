"""data/classifier.yaml says exactly what the printed Annex 1 says, cell by cell.

The source is shared/seeds/001_98e3829c3dd618e7.txt (beside the checkout, as in CI);
tools/transcribe_2022.py reads its table back into rows."""

from __future__ import annotations

import importlib.util
import sys

import pytest

import osms_defects as od

from .conftest import REPO, SHARED

SEED = SHARED / "seeds" / "001_98e3829c3dd618e7.txt"
pytestmark = pytest.mark.skipif(
    not SEED.exists(), reason=f"source text not beside the checkout: {SEED}"
)


def _extract() -> list[dict[str, object]]:
    spec = importlib.util.spec_from_file_location(
        "transcribe_2022", REPO / "tools" / "transcribe_2022.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["transcribe_2022"] = module
    spec.loader.exec_module(module)
    rows: list[dict[str, object]] = module.extract(SEED)
    return rows


def test_every_row_and_cell_as_printed(ed2022: od.Edition) -> None:
    printed = _extract()
    assert len(printed) == 43
    ours = [
        {"row": d.row, "code": d.code, "name": d.name_ru, "cells": d.cells} for d in ed2022.defects
    ]
    for p, o in zip(printed, ours, strict=True):
        assert o == p, f"row {p['row']} differs from the source"


def test_edition_record_is_in_the_source(ed2022: od.Edition) -> None:
    text = SEED.read_text(encoding="utf-8")
    assert "от 29 сентября 2022 года\n№ ҚР ДСМ-105" in text
    assert (
        "Зарегистрирован в Министерстве юстиции Республики Казахстан 30 сентября 2022 года № 29920"
        in text
    )
    assert ed2022.order.title_ru in text
    for ct in ed2022.care_types:
        assert ct.name_ru in text, ct.id
