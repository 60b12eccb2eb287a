"""``osms-defects serve [--host 127.0.0.1] [--port 8080] [--workers N]``: the reference over
HTTP (FastAPI on uvicorn; the optional extra ``serve``). docs/serve.md lists the endpoints
and the limits. FastAPI and uvicorn are imported only when the command runs: without them
the command says which extra to install and exits 2."""

from __future__ import annotations

import argparse
import ipaddress
import sys

from ..serve.settings import SETTINGS_ENV, ServeSettings, parse_size, serve_unavailable

_D = ServeSettings()


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="run the HTTP JSON service (needs the extra: pip install \"osms-defects[serve]\")",
        description=(
            "Serve the library over HTTP: GET /health, /version, /classifier, "
            "/classifier/{edition}/penalty; POST /deduct, /deadline, /timeline, /screen; "
            "OpenAPI at /openapi.json, docs at /docs (docs/serve.md). Bound to 127.0.0.1 by "
            "default; the service has no authentication and no TLS: put it behind the fund's "
            "own gateway before opening it to a network."
        ),
    )
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0: any free)")
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="worker processes (default 1)"
    )
    p.add_argument(
        "--max-body",
        type=_size,
        default=_D.max_body_bytes,
        metavar="SIZE",
        help=f"largest request body, e.g. 8MiB (default {_D.max_body_bytes} bytes; 413 above)",
    )
    p.add_argument(
        "--max-findings",
        type=int,
        default=_D.max_findings,
        metavar="N",
        help=f"most findings per POST /deduct (default {_D.max_findings})",
    )
    p.add_argument(
        "--max-register-rows",
        type=int,
        default=_D.max_register_rows,
        metavar="N",
        help=f"most register rows per POST /screen (default {_D.max_register_rows})",
    )
    p.add_argument(
        "--body-timeout",
        type=float,
        default=_D.body_timeout,
        metavar="S",
        help=f"seconds to receive a request body (default {_D.body_timeout:g}; 408 after)",
    )
    p.add_argument(
        "--queue-timeout",
        type=float,
        default=_D.queue_timeout,
        metavar="S",
        help=f"seconds a request waits to be computed (default {_D.queue_timeout:g}; 503 after)",
    )
    p.add_argument(
        "--limit-concurrency",
        type=int,
        default=_D.limit_concurrency,
        metavar="N",
        help=f"open connections per worker before 503 (default {_D.limit_concurrency})",
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn's log level (default info)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    missing = serve_unavailable()
    if missing:
        sys.stderr.write(f"osms-defects serve: error: {missing}\n")
        return 2
    if args.workers < 1:
        sys.stderr.write("osms-defects serve: error: --workers must be 1 or more\n")
        return 2
    try:
        settings = ServeSettings(
            max_body_bytes=args.max_body,
            max_findings=args.max_findings,
            max_register_rows=args.max_register_rows,
            body_timeout=args.body_timeout,
            queue_timeout=args.queue_timeout,
            limit_concurrency=args.limit_concurrency,
        )
    except ValueError as exc:
        sys.stderr.write(f"osms-defects serve: error: {exc}\n")
        return 2
    if not _loopback(args.host):
        sys.stderr.write(
            f"osms-defects serve: warning: binding {args.host}, not localhost: the service has "
            "no authentication and no TLS\n"
        )
    import os

    import uvicorn

    os.environ[SETTINGS_ENV] = settings.to_env()
    common = {
        "host": args.host,
        "port": args.port,
        "log_level": args.log_level,
        "limit_concurrency": settings.limit_concurrency,
        "timeout_keep_alive": int(settings.keep_alive),
        "server_header": False,
    }
    if args.workers > 1:
        uvicorn.run(
            "osms_defects.serve.app:app_from_env", factory=True, workers=args.workers, **common
        )
    else:
        from ..serve.app import create_app

        uvicorn.run(create_app(settings), **common)
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
