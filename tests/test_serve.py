"""``osms-defects serve`` for real: a uvicorn server in a subprocess on a free localhost port,
talked to with httpx. Every answer is compared with the library's (or the CLI's) own answer to
the same input, field for field; every conformance vector of every edition goes through HTTP."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pytest

from osms_defects.classifier import load_classifier
from osms_defects.classifier.export import to_resolved_dict
from osms_defects.cli import main
from osms_defects.deductions.conformance import (
    VECTOR_FILES,
    Batch,
    Expect,
    Vector,
    VectorFile,
    check,
    load_vectors,
    resolver_for,
)
from osms_defects.deductions.engine import REQUIRED_COLUMNS, Resolver, deduct_many, deduct_row
from osms_defects.deductions.frame import RESULT_COLUMNS, deduct_frame, record
from osms_defects.deductions.io import jsonl_record, read_findings
from osms_defects.resources import data_path
from osms_defects.screening import screen

from .serve_server import running_server

REPO = Path(__file__).resolve().parents[1]
FILES: dict[str, VectorFile] = {name: load_vectors(data_path(name)) for name in VECTOR_FILES}
BATCHES = [(name, b) for name, vf in FILES.items() for b in vf.batches]
_CACHE: dict[object, Resolver] = {}


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with running_server() as url, httpx.Client(base_url=url, timeout=60) as c:
        yield c


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The CLI's stdout for ``argv`` (in this process: ``osms_defects.cli.main``)."""
    capsys.readouterr()
    code = main(list(argv))
    assert code in (0, 1)
    return capsys.readouterr().out


def as_csv_record(row: dict[str, Any]) -> dict[str, object]:
    """An HTTP deduction row back in the CSV's text form (what ``check`` reads)."""
    out: dict[str, object] = {k: ("" if v is None else v) for k, v in row.items()}
    out["calendar_provisional"] = "true" if row["calendar_provisional"] else ""
    return out


def options(v: Vector | Batch) -> dict[str, Any]:
    return {
        "unremedied": v.unremedied,
        "accept_reading": v.accept_reading,
        "accept_doubtful": v.accept_doubtful,
    }


# ---- service ------------------------------------------------------------------------------


def test_health_and_version(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    v = client.get("/version").json()
    import osms_defects as od

    assert v["version"] == od.__version__
    clf = load_classifier()
    assert [e["id"] for e in v["editions"]] == [e.id for e in clf.editions]
    for got, ed in zip(v["editions"], clf.editions, strict=True):
        assert got["period"] == ed.in_force.describe()
        assert got["in_force"]["from"] == ed.in_force.from_.isoformat()
    import hashlib

    digest = hashlib.sha256(data_path("classifier.yaml").read_bytes()).hexdigest()
    assert v["data"]["classifier.yaml"] == f"sha256:{digest}"
    assert v["limits"]["max_findings"] > 0 and v["limits"]["max_body_bytes"] > 0


def test_openapi_docs_and_schemas(client: httpx.Client) -> None:
    api = client.get("/openapi.json").json()
    for path in ("/health", "/version", "/classifier", "/classifier/{edition}/penalty",
                 "/deduct", "/deadline", "/timeline", "/screen"):  # fmt: skip
        assert path in api["paths"], path
    assert "DeductRequest" in api["components"]["schemas"]
    assert client.get("/docs").status_code == 200
    for name in ("deduct", "deadline", "timeline", "screen"):
        schema = client.get(f"/schemas/{name}").json()
        assert schema["type"] == "object" and schema["additionalProperties"] is False, name
    r = client.get("/schemas/..%2f..%2fetc%2fpasswd")
    assert r.status_code == 404 and r.json()["kind"] == "not_found"


# ---- classifier ---------------------------------------------------------------------------


def test_classifier_is_the_cli_json(client: httpx.Client, capsys: pytest.CaptureFixture[str]) -> None:
    clf = load_classifier()
    for ed in clf.editions:
        got = client.get("/classifier", params={"edition": ed.id}).json()
        assert got == to_resolved_dict(ed)
    on = client.get("/classifier", params={"on": "2023-05-01"}).json()
    assert on["edition"]["id"] == clf.edition(dt.date(2023, 5, 1)).id
    assert on == json.loads(cli_json(capsys, "classifier", "--on", "2023-05-01", "--format", "json"))
    gap = client.get("/classifier", params={"on": "2024-06-01"})
    assert gap.status_code == 422 and gap.json()["kind"] == "edition_gap"
    bad = client.get("/classifier", params={"on": "2024-13-01"})
    assert bad.status_code == 422 and bad.json()["kind"] == "invalid_request"


def test_penalty(client: httpx.Client) -> None:
    ed = load_classifier().edition(id="2022-10-16")
    p = ed.penalty("5.2", "inpatient")
    got = client.get(
        "/classifier/2022-10-16/penalty", params={"code": "5.2", "care_type": "inpatient"}
    ).json()
    assert got["status"] == "penalty" and got["basis"] == p.basis.value
    assert got["factor"] == str(p.factor) and got["reference"] == p.reference
    na = client.get(
        "/classifier/2022-10-16/penalty", params={"code": "5.4", "care_type": "inpatient"}
    ).json()
    assert na["status"] == "not_applicable"
    unknown = client.get(
        "/classifier/2022-10-16/penalty", params={"code": "99.9", "care_type": "inpatient"}
    )
    assert unknown.status_code == 422 and unknown.json()["kind"] == "unknown_code"
    assert client.get("/classifier/2022-10-16/penalty").status_code == 422


# ---- deductions: every conformance vector of every edition --------------------------------


def _groups(vf: VectorFile) -> dict[tuple[object, ...], list[Vector]]:
    groups: dict[tuple[object, ...], list[Vector]] = {}
    for v in vf.vectors:
        groups.setdefault((v.unremedied, v.accept_reading, v.accept_doubtful), []).append(v)
    return groups


@pytest.mark.parametrize("name", VECTOR_FILES)
def test_conformance_vectors_over_http(client: httpx.Client, name: str) -> None:
    """Every vector of a file posted to /deduct (one request per set of options, as
    test_vectors_columnar makes one frame), each answer equal to the library's."""
    vf = FILES[name]
    posted = 0
    for vs in _groups(vf).values():
        rows = [vf.row(v) for v in vs]
        r = client.post("/deduct", json={"findings": rows, **options(vs[0])})
        assert r.status_code == 200, r.text
        got = r.json()["deductions"]
        assert len(got) == len(vs)
        # the library's answer: the columnar engine as `deduct --format jsonl` writes it (a
        # key a finding leaves out is an empty cell: the column is there, null) …
        res = resolver_for(vs[0], cache=_CACHE)
        fields = list(dict.fromkeys([*(k for row in rows for k in row), *REQUIRED_COLUMNS]))
        df = pl.DataFrame([{k: row.get(k) for k in fields} for row in rows],
                          schema=dict.fromkeys(fields, pl.String))  # fmt: skip
        want = [jsonl_record(x) for x in deduct_frame(df, res, unremedied=vs[0].unremedied).iter_rows(named=True)]
        for i, (v, g, w, row) in enumerate(zip(vs, got, want, rows, strict=True), start=1):
            assert g == w, v.id
            # … which is the scalar engine's, field for field, and what the vector expects
            d = deduct_row(row, res, unremedied=v.unremedied, row_number=i)
            assert {k: g[k] for k in RESULT_COLUMNS} == jsonl_record(record(d)), v.id
            assert check(v, as_csv_record(g), notes=False) == [], v.id
            posted += 1
    assert posted == len(vf.vectors)


@pytest.mark.parametrize(("name", "b"), BATCHES, ids=[f"{n}:{b.id}" for n, b in BATCHES])
def test_conformance_batch_over_http(client: httpx.Client, name: str, b: Batch) -> None:
    vf = FILES[name]
    rows = [vf.row(r) for r in b.rows]
    r = client.post("/deduct", json={"findings": rows, "case_policy": b.case_policy, **options(b)})
    assert r.status_code == 200, r.text
    got = r.json()["deductions"]
    res = resolver_for(b, cache=_CACHE)
    scalar = [
        jsonl_record(record(d))
        for d in deduct_many(rows, res, case_policy=b.case_policy, unremedied=b.unremedied)
    ]
    assert [{k: g[k] for k in RESULT_COLUMNS} for g in got] == scalar
    for e, g in zip(b.expect, got, strict=True):
        assert isinstance(e, Expect)
        assert check(e, as_csv_record(g), notes=False) == [], b.id


def test_deduct_is_the_cli_jsonl(client: httpx.Client, capsys: pytest.CaptureFixture[str]) -> None:
    """examples/findings.csv (with its four error rows) through HTTP and through
    `osms-defects deduct --format jsonl`: the same objects, the same summary."""
    path = REPO / "examples" / "findings.csv"
    rows = read_findings(path).to_dicts()
    r = client.post("/deduct", json={"findings": rows})
    assert r.status_code == 200, r.text
    body = r.json()
    cli = [json.loads(line) for line in cli_json(capsys, "deduct", str(path), "--format", "jsonl").splitlines()]
    assert body["deductions"] == cli
    assert body["summary"]["errors"] == 4 and body["summary"]["rows"] == len(rows)
    errors = [d for d in body["deductions"] if d["status"] == "error"]
    assert len(errors) == 4 and all(d["amount"] is None and d["error"] for d in errors)
    # amounts are text with two decimals, never JSON numbers
    for d in body["deductions"]:
        assert d["amount"] is None or (isinstance(d["amount"], str) and d["amount"][-3] == ".")
    assert isinstance(body["summary"]["total"], str) and body["summary"]["total"][-3] == "."
    raw = r.text
    assert '"amount":8' not in raw and '"total":"' in raw


def test_deduct_max_per_case_and_masking(client: httpx.Client) -> None:
    base = {"care_type": "inpatient", "base_amount": "1000.00", "monitoring_kind": "current",
            "detected_on": "2023-05-03", "provider_id": "P", "case_id": "C"}  # fmt: skip
    rows = [{**base, "code": "5.2", "patient_iin": "900101300019"}, {**base, "code": "6.1"}]
    each = client.post("/deduct", json={"findings": rows}).json()
    best = client.post("/deduct", json={"findings": rows, "case_policy": "max_per_case"}).json()
    assert [d["status"] for d in each["deductions"]] == ["deducted", "deducted"]
    assert [d["status"] for d in best["deductions"]] == ["deducted", "recorded"]
    assert best["deductions"][1]["amount"] == "0.00"
    assert each["deductions"][0]["patient_iin"] == "********0019"
    full = client.post("/deduct", json={"findings": rows, "mask": False}).json()
    assert full["deductions"][0]["patient_iin"] == "900101300019"


def test_deduct_in_the_gap_takes_an_edition_as_the_cli(client: httpx.Client) -> None:
    """POST /deduct {"edition": ...} is `deduct --edition` (reading E20): a finding of the gap
    14.01.2024–31.07.2025 is an error row without it and computed, marked, with it."""
    finding = {"finding_id": "F1", "code": "5.2", "care_type": "inpatient",
               "base_amount": "1000.00", "monitoring_kind": "current", "detected_on": "2024-06-01"}
    (row,) = client.post("/deduct", json={"findings": [finding]}).json()["deductions"]
    assert row["status"] == "error" and "174" in row["error"]
    r = client.post("/deduct", json={"findings": [finding], "edition": "2022"})
    assert r.status_code == 200, r.text
    (row,) = r.json()["deductions"]
    # Прил. 1 (2022), код 5.2, inpatient: 3 × the cost (сумма группы 5.0): 3 × 1000.00
    assert (row["status"], row["amount"], row["edition"]) == ("deducted", "3000.00", "2022-10-16")
    assert "chosen by the caller" in row["edition_note"]
    bad = client.post("/deduct", json={"findings": [finding], "edition": "1999"})
    assert bad.status_code in (400, 422) and "1999" in bad.text


def test_deduct_malformed_requests(client: httpx.Client) -> None:
    def post(body: object) -> httpx.Response:
        return client.post("/deduct", json=body)

    cases: list[tuple[object, str]] = [
        ({}, "invalid_request"),
        ({"findings": []}, "invalid_request"),
        ({"findings": [{"code": 5.2}]}, "invalid_request"),  # a number, never a float amount
        ({"findings": [{"code": "5.2"}], "case_policy": "sum"}, "invalid_request"),
        ({"findings": [{"code": "5.2"}], "bogus": 1}, "invalid_request"),
        ({"findings": [{"code": "5.2", "status": "x"}]}, "findings_input"),
        ([1, 2], "invalid_request"),
    ]
    for body, kind in cases:
        r = post(body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["kind"] == kind, (body, r.text)
        assert r.json()["message"]
    # a key left out of a finding is an empty cell: a row error, as in a file
    r = post({"findings": [{"code": "5.2"}, {"code": "5.2", "care_type": "inpatient"}]})
    assert r.status_code == 200
    assert [d["status"] for d in r.json()["deductions"]] == ["error", "error"]
    assert r.json()["deductions"][0]["error"].startswith("invalid_field:")
    r = client.post(
        "/deduct", content=b'{"findings": [', headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and r.json()["kind"] == "invalid_json"


# ---- deadlines ----------------------------------------------------------------------------


def test_deadline_is_the_cli_json(client: httpx.Client, capsys: pytest.CaptureFixture[str]) -> None:
    for term, date, extra in (
        ("provider_objection", "2023-05-05", []),
        ("potential_defect_objection", "2026-03-18", []),
        ("potential_defect_objection", "2026-06-01", ["--lang", "kk"]),
        ("monitoring_report", "2023-H1", []),
    ):
        body: dict[str, Any] = {"term": term, "date": date}
        if extra:
            body["lang"] = extra[1]
        got = client.post("/deadline", json=body)
        assert got.status_code == 200, got.text
        assert got.json() == json.loads(cli_json(capsys, "deadline", term, date, "--json", *extra))
        assert "calendar_provisional" in got.json()
    bad = client.post("/deadline", json={"term": "no_such_term", "date": "2023-05-05"})
    assert bad.status_code == 422 and bad.json()["kind"] == "unknown_deadline"
    nt = client.post("/deadline", json={"term": "proactive_remedy", "date": "2026-06-01"})
    assert nt.status_code == 422 and nt.json()["kind"] == "term_not_in_edition"


def test_timeline_is_the_cli_json(client: httpx.Client, capsys: pytest.CaptureFixture[str]) -> None:
    got = client.post("/timeline", json={"start": "2026-03-18", "lang": "kk"})
    assert got.status_code == 200, got.text
    want = json.loads(cli_json(capsys, "deadline", "--timeline", "2026-03-18", "--lang", "kk", "--json"))
    assert got.json() == want
    body = {"start": "2026-03-18", "done": {"potential_defect_objection": "2026-03-27"},
            "today": "2026-05-01"}  # fmt: skip
    got = client.post("/timeline", json=body)
    want = json.loads(cli_json(capsys, "deadline", "--timeline", "2026-03-18", "--done",
                               "potential_defect_objection=2026-03-27", "--today", "2026-05-01",
                               "--json"))  # fmt: skip
    assert got.json() == want
    bad = client.post("/timeline", json={"start": "2026-03-18", "decisions": {"x": "maybe"}})
    assert bad.status_code == 422 and bad.json()["kind"] == "invalid_request"


# ---- screening ----------------------------------------------------------------------------


def test_screen_is_the_library(client: httpx.Client) -> None:
    path = REPO / "examples" / "register.csv"
    df = pl.read_csv(path, infer_schema=False)
    records = df.to_dicts()
    r = client.post(
        "/screen", json={"records": records, "detected_on": "2023-05-01", "mask": False}
    )
    assert r.status_code == 200, r.text
    got = r.json()
    want = screen(df, detected_on=dt.date(2023, 5, 1))
    assert got["edition"] == want.rules.edition and got["records"] == want.n_records
    assert len(got["defects"]) == want.defects.height > 0
    assert len(got["errors"]) == want.errors.height
    expected = json.loads(want.defects.write_json())
    assert got["defects"] == expected
    masked = client.post("/screen", json={"records": records, "detected_on": "2023-05-01"}).json()
    assert len(masked["defects"]) == len(expected)


def test_screen_limits_and_errors(client: httpx.Client) -> None:
    r = client.post("/screen", json={"records": [{"record_id": "1"}], "detected_on": "2023-05-01"})
    assert r.status_code == 422 and r.json()["kind"] == "register"
    r = client.post("/screen", json={"records": [], "detected_on": "2023-05-01"})
    assert r.status_code == 422
