"""Faults against a real ``osms-defects serve`` (small limits so that the test is quick):
malformed JSON, huge bodies (declared and chunked), wrong types, too many findings, slow
clients that trickle a body or never finish their headers, a client that disconnects — and
after each, the server still answers, and answers right. Localhost only, bounded in time."""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from osms_defects.cli import main

from .serve_server import HOST, running_server

MAX_BODY = 64 * 1024
MAX_FINDINGS = 50
BODY_TIMEOUT = 2.0

FINDING = {"code": "5.2", "care_type": "inpatient", "base_amount": "287450.00",
           "monitoring_kind": "current", "detected_on": "2023-05-03"}  # fmt: skip


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running_server(
        "--max-body", str(MAX_BODY), "--max-findings", str(MAX_FINDINGS),
        "--body-timeout", str(BODY_TIMEOUT), "--max-register-rows", "20",
    ) as u:  # fmt: skip
        yield u


@pytest.fixture()
def client(url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=url, timeout=30) as c:
        yield c


def still_serving(client: httpx.Client) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    r = client.post("/deduct", json={"findings": [FINDING]})
    assert r.status_code == 200 and r.json()["deductions"][0]["amount"] == "862350.00"


def raw(url: str) -> socket.socket:
    port = int(url.rsplit(":", 1)[1])
    return socket.create_connection((HOST, port), timeout=10)


def test_malformed_json(client: httpx.Client) -> None:
    for body in (b"{", b'{"findings": [}', b"\xff\xfe\x00", b"null", b"[]", b'"x"',
                 b'{"findings": [' * 2000, b"{" * 100_000):  # fmt: skip
        r = client.post("/deduct", content=body, headers={"content-type": "application/json"})
        assert r.status_code in (413, 422), (body[:30], r.status_code, r.text[:300])
        assert r.json()["kind"] in ("invalid_json", "invalid_request", "body_too_large")
    still_serving(client)


def test_wrong_types(client: httpx.Client) -> None:
    bodies: list[object] = [
        {"findings": "F"},
        {"findings": [1]},
        {"findings": [{"code": ["5.2"]}]},
        {"findings": [{**FINDING, "base_amount": 287450.0}]},  # a float amount: refused
        {"findings": [{**FINDING, "base_amount": 287450}]},
        {"findings": [FINDING], "unremedied": "maybe"},
        {"findings": [FINDING], "case_policy": None},
    ]
    for body in bodies:
        r = client.post("/deduct", json=body)
        assert r.status_code == 422 and r.json()["kind"] == "invalid_request", (body, r.text)
    for path, body in (("/deadline", {"term": 1, "date": "2023-05-05"}),
                       ("/deadline", {"term": "provider_objection", "date": "05.05.2023"}),
                       ("/timeline", {"start": "someday"}),
                       ("/screen", {"records": {"a": 1}})):  # fmt: skip
        r = client.post(path, json=body)
        assert r.status_code == 422, (path, body, r.text)
        assert r.json()["kind"] in ("invalid_request", "bad_period", "timeline_input"), r.text
    r = client.get("/classifier", params={"on": "not-a-date"})
    assert r.status_code == 422
    r = client.get("/classifier", params={"edition": "no-such"})
    assert r.status_code == 422 and r.json()["kind"] == "no_edition"
    assert client.get("/no/such/path").status_code == 404
    assert client.delete("/deduct").status_code == 405
    still_serving(client)


def test_huge_bodies(client: httpx.Client, url: str) -> None:
    # declared too large: refused before the body is read
    big = b'{"findings": [' + b'{"code": "5.2"},' * (MAX_BODY // 10) + b"{}]}"
    r = client.post("/deduct", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["kind"] == "body_too_large"

    # chunked (no Content-Length): refused once the bytes read pass the limit
    def chunks() -> Iterator[bytes]:
        yield b'{"findings": ['
        for _ in range(MAX_BODY // 1000 + 10):
            yield b'{"code": "5.2", "x": "' + b"a" * 1000 + b'"},'
        yield b"{}]}"

    with contextlib.suppress(httpx.TransportError):  # the server may close while we send
        r = client.post("/deduct", content=chunks(), headers={"content-type": "application/json"})
        assert r.status_code == 413
    # too many findings within the body limit
    r = client.post("/deduct", json={"findings": [FINDING] * (MAX_FINDINGS + 1)})
    assert r.status_code == 422 and r.json()["kind"] == "too_many_findings"
    assert client.post("/deduct", json={"findings": [FINDING] * MAX_FINDINGS}).status_code == 200
    r = client.post("/screen", json={"records": [{"record_id": str(i)} for i in range(21)]})
    assert r.status_code == 422 and "max_register_rows" in r.json()["message"]
    still_serving(client)


def test_slow_clients(client: httpx.Client, url: str) -> None:
    """Clients that never finish their headers, or trickle a body: the others are served
    meanwhile, and a trickled body is cut off after body_timeout (408)."""
    stalled = []
    for _ in range(20):  # headers never finished
        s = raw(url)
        s.sendall(b"POST /deduct HTTP/1.1\r\nHost: x\r\n")
        stalled.append(s)
    trickler = raw(url)
    body = b'{"findings": [{"code": "5.2"}]}'
    trickler.sendall(
        b"POST /deduct HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    result: dict[str, bytes] = {}

    def trickle() -> None:
        t0 = time.monotonic()
        with contextlib.suppress(OSError):
            for b in body:  # one byte every 0.25 s: the whole body would take ~8 s
                trickler.sendall(bytes([b]))
                time.sleep(0.25)
                if time.monotonic() - t0 > BODY_TIMEOUT + 3:
                    break
        with contextlib.suppress(OSError):
            trickler.settimeout(10)
            result["answer"] = trickler.recv(4096)

    t = threading.Thread(target=trickle)
    t.start()
    t0 = time.monotonic()
    still_serving(client)  # while 20 stalled and 1 trickling connections are open
    assert time.monotonic() - t0 < BODY_TIMEOUT
    t.join(timeout=20)
    assert not t.is_alive()
    assert result.get("answer", b"").startswith(b"HTTP/1.1 408"), result
    for s in stalled:
        s.close()
    trickler.close()
    still_serving(client)


def test_disconnects_mid_request(client: httpx.Client, url: str) -> None:
    for _ in range(10):
        s = raw(url)
        s.sendall(b"POST /deduct HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"fin")
        s.close()
        s = raw(url)
        s.sendall(b"GARBAGE\r\n\r\n")
        s.close()
    still_serving(client)


def test_cli_without_fastapi_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "fastapi", None)  # import fastapi → ImportError
    assert main(["serve", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "osms-defects[serve]" in err and "fastapi" in err


def test_library_and_cli_do_not_import_fastapi() -> None:
    import subprocess

    code = (
        "import sys, osms_defects, osms_defects.cli, osms_defects.serve; "
        "osms_defects.cli.build_parser(); "
        "assert 'fastapi' not in sys.modules and 'uvicorn' not in sys.modules, "
        "sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn'))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
