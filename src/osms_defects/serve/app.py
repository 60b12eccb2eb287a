"""The FastAPI application of ``osms-defects serve`` (docs/serve.md).

Imported only by the ``serve`` command and by :func:`osms_defects.serve.create_app`: FastAPI is
an optional extra. Every endpoint answers what the library answers for the same input — the
deductions are those of ``osms-defects deduct --format jsonl`` (the same columnar engine and the
same writer of a row), the classifier that of ``classifier --format json``, a deadline and a
timeline those of ``deadline --json`` and ``deadline --timeline --json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
import polars as pl
from fastapi import FastAPI, Query
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..calendar import WorkCalendar, kazakhstan
from ..classifier import Classifier, load_classifier
from ..classifier.export import _STATUS_OF, edition_record, to_resolved_dict
from ..cli.deadline_cmd import deadline_json, timeline_json
from ..deadlines import TERMS, TIMELINES, deadline, timeline
from ..deductions.engine import REQUIRED_COLUMNS, Resolver
from ..deductions.frame import RESULT_COLUMNS, check_columns, deduct_frame_summary
from ..deductions.io import jsonl_record
from ..deductions.plan import error_kind_of
from ..errors import FindingsInputError, OsmsDefectsError, RegisterError
from ..outputs import mask_iin_frame
from ..resources import data_path
from ..screening import screen
from ..screening.rules import ScreeningRules, load_rules
from .models import (
    INPUT_MODELS,
    DeadlineRequest,
    DeductRequest,
    DeductResponse,
    ErrorBody,
    ScreenRequest,
    ScreenResponse,
    TimelineRequest,
)
from .settings import ServeSettings

T = TypeVar("T")

#: the shipped data files whose SHA-256 ``GET /version`` reports
DATA_FILES: tuple[str, ...] = (
    "classifier.yaml",
    "procedure.yaml",
    "screening.yaml",
    "calendar_kz.yaml",
    "conformance/deductions.yaml",
    "conformance/deductions_2025.yaml",
    "conformance/deductions_2026.yaml",
)

_ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": "the body is larger than max_body_bytes"},
    422: {"model": ErrorBody, "description": "the request cannot be used (kind, message)"},
    503: {"model": ErrorBody, "description": "busy: no computation slot within queue_timeout"},
}


def json_response(payload: Any, status: int = 200) -> Response:
    """JSON as the CLI writes it (UTF-8, not ASCII-escaped); money is already text."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(body.encode(), status_code=status, media_type="application/json")


def error_response(status: int, kind: str, message: str, **extra: Any) -> Response:
    return json_response({"kind": kind, "message": message, **extra}, status)


def error_kind(exc: OsmsDefectsError) -> str:
    """The library's error kind: the deduction error kinds (``edition_gap``, ``unknown_code``
    …) where the error is one of those, else the error's class in snake case
    (``FindingsInputError`` → ``findings_input``)."""
    try:
        return error_kind_of(exc).value
    except OsmsDefectsError:
        name = type(exc).__name__.removesuffix("Error")
        return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# ---- limits: the body (size, time) -----------------------------------------------------------


class BodyLimit:
    """Pure ASGI middleware: reads the whole request body before the application sees it,
    refusing a body larger than ``max_bytes`` (413; a Content-Length above it before reading)
    and a body that does not arrive within ``timeout`` seconds (408: a slow client is cut
    off, never waited on without end)."""

    def __init__(self, app: ASGIApp, max_bytes: int, timeout: float) -> None:  # float-ok: seconds
        self.app = app
        self.max_bytes = max_bytes
        self.timeout = timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_big = (
            f"the request body is larger than {self.max_bytes} bytes (max_body_bytes); send "
            "fewer findings per request or run the CLI on a file"
        )
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    await _send(send, error_response(400, "invalid_request", "bad Content-Length"))
                    return
                if length > self.max_bytes:
                    await _send(send, error_response(413, "body_too_large", too_big))
                    return
        chunks: list[bytes] = []
        size = 0
        try:
            with anyio.fail_after(self.timeout):
                more = True
                while more:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    body = message.get("body", b"")
                    size += len(body)
                    if size > self.max_bytes:
                        await _send(send, error_response(413, "body_too_large", too_big))
                        return
                    chunks.append(body)
                    more = bool(message.get("more_body", False))
        except TimeoutError:
            await _send(
                send,
                error_response(
                    408,
                    "body_timeout",
                    f"the request body did not arrive within {self.timeout:g} s (body_timeout)",
                ),
            )
            return
        whole = b"".join(chunks)
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": whole, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _send(send: Send, response: Response) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
    headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


# ---- the state of one worker ------------------------------------------------------------------


@dataclass
class _State:
    settings: ServeSettings
    classifier: Classifier
    rules: ScreeningRules
    checksums: dict[str, str]
    resolvers: dict[tuple[object, ...], Resolver] = field(default_factory=dict)
    slot: anyio.Lock | None = None

    def calendar(self, strict: bool) -> WorkCalendar:
        return kazakhstan(strict_calendar=strict)

    def resolver(self, req: DeductRequest) -> Resolver:
        key = (req.accept_reading, req.accept_doubtful, req.strict_calendar, req.edition)
        res = self.resolvers.get(key)
        if res is None:
            res = Resolver(
                self.classifier,
                accept_reading=req.accept_reading,
                accept_doubtful=req.accept_doubtful,
                calendar=self.calendar(req.strict_calendar),
                edition=req.edition,
            )
            self.resolvers[key] = res
        return res

    async def compute(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` in a worker thread, one computation at a time per process (the library's
        caches are shared; polars uses the cores inside one computation). Waiting for the slot
        is bounded by ``queue_timeout``: past it the request is refused with 503."""
        if self.slot is None:
            self.slot = anyio.Lock()
        try:
            with anyio.fail_after(self.settings.queue_timeout):
                await self.slot.acquire()
        except TimeoutError:
            raise _Busy from None
        try:
            return await anyio.to_thread.run_sync(fn)
        finally:
            self.slot.release()


class _Busy(Exception):
    pass


def _checksums() -> dict[str, str]:
    out = {}
    for name in DATA_FILES:
        try:
            out[name] = "sha256:" + hashlib.sha256(data_path(name).read_bytes()).hexdigest()
        except FileNotFoundError:
            continue
    return out


# ---- the computations (plain functions: also what the tests compare with) ----------------------


def deduct_payload(req: DeductRequest, res: Resolver) -> dict[str, Any]:
    """``POST /deduct``: the deductions as ``deduct --format jsonl`` writes them, and the
    summary of the run (the CLI's figures; the total as text)."""
    columns: list[str] = []
    seen: set[str] = set()
    for row in req.findings:
        for k in row:
            if k not in seen:
                seen.add(k)
                columns.append(k)
    # in JSON each finding stands alone: a key it leaves out is an empty cell (a file has
    # every column in its header; an object need not repeat a column it has no value for)
    columns += [c for c in REQUIRED_COLUMNS if c not in seen]
    clash = sorted(seen & set(RESULT_COLUMNS))
    if clash:
        raise FindingsInputError(
            f"the finding key(s) {', '.join(clash)} are names of result columns; rename them"
        )
    df = pl.DataFrame(
        {c: [row.get(c) for row in req.findings] for c in columns},
        schema=dict.fromkeys(columns, pl.String),
    )
    check_columns(df.columns, df.schema)
    out, s = deduct_frame_summary(
        df, res, case_policy=req.case_policy, unremedied=req.unremedied
    )
    if req.mask:
        out, _masked = mask_iin_frame(out, RESULT_COLUMNS)
    total: Decimal = s["total"]
    return {
        "deductions": [jsonl_record(rec) for rec in out.iter_rows(named=True)],
        "summary": {
            "rows": s["rows"],
            "deducted": s["deducted"],
            "recorded": s["recorded"],
            "warnings": s["warnings"],
            "errors": s["errors"],
            "total": f"{total:.2f}",
            "case_policy": req.case_policy,
            "unremedied": req.unremedied,
        },
    }


def _rows(df: pl.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON-ready rows: dates as YYYY-MM-DD text, nulls as null."""
    rows: list[dict[str, Any]] = json.loads(df.write_json()) if df.height else []
    return rows


def screen_payload(req: ScreenRequest, rules: ScreeningRules, cal: WorkCalendar) -> dict[str, Any]:
    columns: list[str] = []
    seen: set[str] = set()
    for row in req.records:
        for k in row:
            if k not in seen:
                seen.add(k)
                columns.append(k)
    df = pl.DataFrame(
        {c: [row.get(c) for row in req.records] for c in columns},
        schema=dict.fromkeys(columns, pl.String),
    )
    result = screen(df, rules, detected_on=req.detected_on, calendar=cal, streaming=False)
    defects, errors = result.defects, result.errors
    if req.mask:
        defects, _ = mask_iin_frame(defects)
        errors, _ = mask_iin_frame(errors)
    return {
        "edition": result.rules.edition,
        "detected_on": result.rules.detected_on.isoformat(),
        "records": result.n_records,
        "bad_records": result.n_bad_records,
        "defects": _rows(defects),
        "errors": _rows(errors),
        "not_applicable": [n.model_dump(mode="json") for n in result.not_applicable],
    }


def version_payload(state: _State) -> dict[str, Any]:
    s = state.settings
    return {
        "name": "osms-defects",
        "version": __version__,
        "editions": [
            {**edition_record(ed), "period": ed.in_force.describe()}
            for ed in state.classifier.editions
        ],
        "data": state.checksums,
        "terms": list(TERMS),
        "timelines": list(TIMELINES),
        "limits": {
            "max_body_bytes": s.max_body_bytes,
            "max_findings": s.max_findings,
            "max_register_rows": s.max_register_rows,
            "body_timeout": s.body_timeout,
            "queue_timeout": s.queue_timeout,
        },
    }


# ---- the application -------------------------------------------------------------------------

DESCRIPTION = """\
The reference implementation of Kazakhstan's rules for reducing payment to health-care
providers for defects of care (order ҚР ДСМ-321/2020, Annex 1 «Единый классификатор
дефектов»), over HTTP. Same results as the library and the CLI: amounts are strings with two
decimals (never JSON numbers), a finding that cannot be computed is a row with
`status: error`, a request that cannot be used is an error object with the library's error
`kind`. Limits (body size, findings per request, register rows, timeouts): `GET /version`.
"""


def create_app(
    settings: ServeSettings | None = None, *, classifier: Classifier | None = None
) -> FastAPI:
    """The application with ``settings`` (default: the defaults of :class:`ServeSettings`).
    The classifier is the packaged one (with the operator's override file named by
    ``OSMS_DEFECTS_CLASSIFIER_OVERRIDES``, as the CLI) unless one is given."""
    settings = settings or ServeSettings()
    state = _State(
        settings=settings,
        classifier=classifier if classifier is not None else load_classifier(),
        rules=load_rules(None),
        checksums=_checksums(),
    )
    app = FastAPI(
        title="osms-defects",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "service", "description": "health, version, data checksums, schemas"},
            {"name": "classifier", "description": "Annex 1, the Unified Classifier of Defects"},
            {"name": "deductions", "description": "п. 12, 30, 34, 54, 58, 59; Annex 1"},
            {"name": "deadlines", "description": "the terms of the Rules, objection procedures"},
            {"name": "screening", "description": "potential defects of a register (п. 11, 45)"},
        ],
    )
    app.state.osms = state
    _warm(state)
    app.add_middleware(
        BodyLimit,  # a pure ASGI middleware class
        max_bytes=settings.max_body_bytes,
        timeout=settings.body_timeout,
    )
    _handlers(app)
    _routes(app, state)
    return app


def _warm(state: _State) -> None:
    """Build the default resolver's tables now (about 0.4 s), not in the first request."""
    finding: dict[str, str | None] = {
        "code": "5.2",
        "care_type": "inpatient",
        "base_amount": "1.00",
        "monitoring_kind": "current",
        "detected_on": "2023-05-03",
    }
    req = DeductRequest(findings=[finding])
    deduct_payload(req, state.resolver(req))


def _brief(errors: Iterable[Any]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        out.append({"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")),
                    "type": str(e.get("type", ""))})  # fmt: skip
    return out


def _handlers(app: FastAPI) -> None:
    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        detail = _brief(exc.errors())
        if any(d["type"] == "json_invalid" for d in detail):
            return error_response(
                422, "invalid_json", "the body is not valid JSON", detail=detail[:20]
            )
        lines = "; ".join(
            f"{'.'.join(str(x) for x in d['loc'][1:] or d['loc'])}: {d['msg']}" for d in detail[:5]
        )
        more = f" (and {len(detail) - 5} more)" if len(detail) > 5 else ""
        return error_response(
            422, "invalid_request", f"{lines}{more}", detail=detail[:100]
        )

    async def library(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, OsmsDefectsError)
        return error_response(422, error_kind(exc), str(exc))

    async def http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 400:  # FastAPI: a body that cannot be decoded (not UTF-8 …)
            return error_response(422, "invalid_json", f"the body is not valid JSON: {exc.detail}")
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http")
        return error_response(exc.status_code, kind, str(exc.detail))

    async def busy(request: Request, exc: Exception) -> Response:
        return error_response(
            503, "busy", "no computation slot free within queue_timeout; retry later"
        )

    async def internal(request: Request, exc: Exception) -> Response:
        return error_response(
            500,
            "internal",
            f"internal error: {type(exc).__name__}: {exc!s:.300}; this is a bug of "
            "osms-defects, not of your input: please report it with the request",
        )

    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(OsmsDefectsError, library)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(_Busy, busy)
    app.add_exception_handler(Exception, internal)


def _routes(app: FastAPI, state: _State) -> None:
    s = state.settings

    @app.get("/health", tags=["service"], summary="liveness: {\"status\": \"ok\"}")
    async def health() -> Response:
        return json_response({"status": "ok"})

    @app.get(
        "/version",
        tags=["service"],
        summary="library version, editions with their periods, data checksums, limits",
    )
    async def version() -> Response:
        return json_response(version_payload(state))

    @app.get(
        "/schemas/{name}",
        tags=["service"],
        summary="the JSON Schema of an input: deduct, deadline, timeline or screen",
        responses={404: {"model": ErrorBody}},
    )
    async def schema(name: str) -> Response:
        model = INPUT_MODELS.get(name)
        if model is None:
            return error_response(
                404, "not_found", f"no input {name!r}; one of: {', '.join(INPUT_MODELS)}"
            )
        out = model.model_json_schema()
        out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        return json_response(out)

    @app.get(
        "/classifier",
        tags=["classifier"],
        summary="an edition of Annex 1 as `classifier --format json`",
        responses=_ERROR_RESPONSES,
    )
    async def classifier(
        on: Annotated[dt.date | None, Query(description="the edition in force on DATE")] = None,
        edition: Annotated[str | None, Query(max_length=32, description="an edition id")] = None,
    ) -> Response:
        ed = state.classifier.edition(on, id=edition)
        return json_response(await state.compute(lambda: to_resolved_dict(ed)))

    @app.get(
        "/classifier/{edition}/penalty",
        tags=["classifier"],
        summary="the effective penalty of a code in a care type (Прил. 1, Примечание)",
        responses=_ERROR_RESPONSES,
    )
    async def penalty(
        edition: str,
        code: Annotated[str, Query(min_length=1, max_length=16)],
        care_type: Annotated[str, Query(min_length=1, max_length=64)],
        accept_reading: Annotated[str | None, Query(max_length=16)] = None,
        accept_doubtful: bool = False,
    ) -> Response:
        ed = state.classifier.edition(id=edition)
        base = {"edition": ed.id, "code": code, "care_type": care_type}
        try:
            p = ed.penalty(
                code, care_type, accept_reading=accept_reading, accept_doubtful=accept_doubtful
            )
        except tuple(_STATUS_OF) as exc:
            return json_response(
                {**base, "status": _STATUS_OF[type(exc)], "message": str(exc)}
            )
        return json_response(
            {
                **base,
                "status": "penalty",
                "basis": p.basis.value,
                "factor": str(p.factor),
                "printed": p.printed,
                "amount_code": p.amount_code,
                "reference": p.reference,
            }
        )

    @app.post(
        "/deduct",
        tags=["deductions"],
        summary="deductions of findings, as `deduct --format jsonl`, with the run's summary",
        response_model=DeductResponse,
        responses=_ERROR_RESPONSES,
    )
    async def deduct(req: DeductRequest) -> Response:
        if len(req.findings) > s.max_findings:
            return error_response(
                422,
                "too_many_findings",
                f"{len(req.findings)} findings; at most {s.max_findings} per request "
                "(max_findings): split the batch, or run the CLI on a file",
            )
        res = state.resolver(req)
        return json_response(await state.compute(lambda: deduct_payload(req, res)))

    @app.post(
        "/deadline",
        tags=["deadlines"],
        summary="a term of the Rules applied to a date, as `deadline --json`",
        responses=_ERROR_RESPONSES,
    )
    async def deadline_(req: DeadlineRequest) -> Response:
        def run() -> dict[str, object]:
            d = deadline(
                req.term, req.date, edition=req.edition, cal=state.calendar(req.strict_calendar)
            )
            return deadline_json(d, req.lang)

        return json_response(await state.compute(run))

    @app.post(
        "/timeline",
        tags=["deadlines"],
        summary="an objection procedure laid out step by step, as `deadline --timeline --json`",
        responses=_ERROR_RESPONSES,
    )
    async def timeline_(req: TimelineRequest) -> Response:
        def run() -> dict[str, object]:
            tl = timeline(
                req.start, req.chain, done=req.done, decisions=req.decisions, starts=req.starts,
                today=req.today, edition=req.edition, lang=req.lang,
                cal=state.calendar(req.strict_calendar),
            )  # fmt: skip
            return timeline_json(tl, req.start)

        return json_response(await state.compute(run))

    @app.post(
        "/screen",
        tags=["screening"],
        summary="potential defects and data errors of a small register (п. 11, 45)",
        response_model=ScreenResponse,
        responses=_ERROR_RESPONSES,
    )
    async def screen_(req: ScreenRequest) -> Response:
        if len(req.records) > s.max_register_rows:
            raise RegisterError(
                f"{len(req.records)} register rows; at most {s.max_register_rows} per request "
                "(max_register_rows): a larger register belongs to the CLI (osms-defects screen "
                "--shards) or Spark"
            )
        cal = state.calendar(req.strict_calendar)
        return json_response(await state.compute(lambda: screen_payload(req, state.rules, cal)))


def app_from_env() -> FastAPI:
    """The application with the settings the ``serve`` command put in the environment (a
    factory for uvicorn's workers)."""
    return create_app(ServeSettings.from_env())


__all__ = ["app_from_env", "create_app", "deduct_payload", "error_kind"]
