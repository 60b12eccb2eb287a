"""One law, one plan: every key of every edition — (code, care type, kind of monitoring, defect
class, unremedied) — through the scalar engine (``deduct_many``), the columnar engine
(``deduct_frame``) and ``penalty_table`` gives the same status, amount, basis, factor,
edition, reference and error kind. All three take the plan from ``deductions/plan.py``; this
test is what keeps them from drifting apart again (issue 16)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl
import pytest

from osms_defects.classifier import load_classifier
from osms_defects.deductions import (
    DefectClass,
    MonitoringKind,
    Resolver,
    deduct_frame,
    deduct_many,
    penalty_table,
    record,
)
from osms_defects.deductions.plan import deduction_rules

COMPARED = ("status", "amount", "basis", "factor", "edition", "reference")
CLF = load_classifier()


def _date_inside(edition_id: str) -> dt.date:
    """A day the edition governs with no mark (30 days after its start)."""
    return CLF.edition(id=edition_id).in_force.from_ + dt.timedelta(days=30)


def _rows(edition_id: str) -> list[dict[str, Any]]:
    ed = CLF.edition(id=edition_id)
    on = _date_inside(edition_id).isoformat()
    signed = (_date_inside(edition_id) + dt.timedelta(days=3)).isoformat()
    rows = []
    for d in ed.defects:
        for c in ed.care_types:
            for kind in MonitoringKind:
                for cls in (None, *DefectClass):
                    rows.append({
                        "code": d.id, "care_type": c.id, "base_amount": "1000.05",
                        "documented_amount": "500.00", "monitoring_kind": kind.value,
                        "detected_on": on, "conclusion_signed_on": signed,
                        "defect_class": cls.value if cls else "",
                    })  # fmt: skip
    return rows


def _error_kind(error: str) -> str:
    return error.split(":", 1)[0]


@pytest.mark.slow
@pytest.mark.parametrize("accept_doubtful", [False, True])
@pytest.mark.parametrize("unremedied", [False, True])
@pytest.mark.parametrize("edition_id", [e.id for e in CLF.editions])
def test_every_key_scalar_equals_columnar(
    edition_id: str, unremedied: bool, accept_doubtful: bool
) -> None:
    rows = _rows(edition_id)
    res = Resolver(CLF, accept_doubtful=accept_doubtful)
    scalar = [record(d) for d in deduct_many(rows, res, unremedied=unremedied)]
    frame = deduct_frame(
        pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String)),
        Resolver(CLF, accept_doubtful=accept_doubtful),
        unremedied=unremedied,
    ).to_dicts()
    assert len(scalar) == len(frame) == len(rows)
    statuses = set()
    for i, (s, f) in enumerate(zip(scalar, frame, strict=True)):
        for col in COMPARED:
            assert s[col] == f[col], (rows[i], col, s[col], f[col])
        assert _error_kind(s["error"]) == _error_kind(f["error"]), (rows[i], s["error"], f["error"])
        statuses.add(s["status"])
    # the keys reach every outcome the edition has (a test that could not fail otherwise)
    assert {"deducted", "error"} <= statuses


@pytest.mark.slow
@pytest.mark.parametrize("edition_id", [e.id for e in CLF.editions])
def test_penalty_table_is_the_plan(edition_id: str) -> None:
    table = penalty_table(CLF).filter(pl.col("edition") == edition_id)
    ed = CLF.edition(id=edition_id)
    assert table.height == len(ed.defects) * len(ed.care_types)  # every key, not a sample
    on = _date_inside(edition_id).isoformat()
    signed = (_date_inside(edition_id) + dt.timedelta(days=3)).isoformat()
    proactive = deduction_rules(edition_id).proactive is not None
    first_kind = next(k for k in ("current", "unplanned") if k)

    def one(code: str, care: str, kind: str, unremedied: bool = False) -> dict[str, Any]:
        row = {"code": code, "care_type": care, "base_amount": "1000.05",
               "documented_amount": "500.00", "monitoring_kind": kind, "detected_on": on,
               "conclusion_signed_on": signed}  # fmt: skip
        return record(next(deduct_many([row], CLF, unremedied=unremedied)))

    for t in table.iter_rows(named=True):
        d = one(t["code"], t["care_type"], first_kind)
        if t["error_kind"] is not None:
            assert _error_kind(d["error"]) == t["error_kind"], t
            continue
        assert (d["basis"], d["factor"], d["reference"]) == (
            t["basis"], t["factor"], t["ref_current"]
        ), t
        if not proactive:
            assert t["ref_warning"] is t["ref_exempt"] is t["ref_unremedied"] is None
            continue
        warned = one(t["code"], t["care_type"], "proactive")
        late = one(t["code"], t["care_type"], "proactive", unremedied=True)
        if t["exempt"]:
            assert warned["reference"] == late["reference"] == t["ref_exempt"], t
        else:
            assert warned["reference"] == t["ref_warning"], t
            assert late["reference"] == t["ref_unremedied"], t


def test_penalty_table_cites_each_editions_own_ground() -> None:
    """The drift issue 16 found: penalty_table gave every 2026 row the 2022 paragraphs
    (п. 12, 30). п. 10 of the Rules as rewritten by order No. 68 grounds a deduction under
    the editions of 2025 and 2026; п. 12, 30 under the 2022 edition."""
    t = penalty_table(CLF).filter(pl.col("error_kind").is_null())
    ground = {e: deduction_rules(e).reference for e in t.get_column("edition").unique()}
    assert ground["2026"] == "п. 10 Правил в ред. приказа № 68"
    assert ground["2022-10-16"] == "п. 12, 30"
    for r in t.iter_rows(named=True):
        assert ground[r["edition"]] in r["ref_current"], r
        if r["edition"] != "2022-10-16":
            assert "п. 12, 30" not in r["ref_current"], r
