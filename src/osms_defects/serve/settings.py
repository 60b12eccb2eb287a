"""The limits of ``osms-defects serve`` (docs/serve.md, "Limits"), without FastAPI.

Every limit has a default sized for the 2-core machines the project runs on and a CLI option;
``GET /version`` reports the limits in force so that a client can size its batches.
"""

from __future__ import annotations

import importlib
import json
import os
import re
from dataclasses import asdict, dataclass, fields

#: what to install when FastAPI or uvicorn is missing (the CLI's message names it)
EXTRA_HINT = 'pip install "osms-defects[serve]"'
#: the environment variable that carries the settings to each uvicorn worker (--workers N)
SETTINGS_ENV = "OSMS_DEFECTS_SERVE_SETTINGS"

_SIZE = re.compile(r"^\s*(\d+)\s*([KMG]i?B?|B)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "ki": 1024,
          "m": 1000**2, "mb": 1000**2, "mib": 1024**2, "mi": 1024**2,
          "g": 1000**3, "gb": 1000**3, "gib": 1024**3, "gi": 1024**3}  # fmt: skip


@dataclass(frozen=True, slots=True)
class ServeSettings:
    """The server's limits.

    * ``max_body_bytes`` — the largest request body (HTTP 413 above it; a Content-Length
      above it is refused before the body is read);
    * ``max_findings`` — the most findings in one ``POST /deduct`` (HTTP 422 above it);
    * ``max_register_rows`` — the most rows in one ``POST /screen``;
    * ``body_timeout`` — seconds a client has to send the whole body (HTTP 408 after; a slow
      client does not hold the server);
    * ``queue_timeout`` — seconds a request waits for a computation slot (HTTP 503 after: the
      server sheds load instead of queueing without end). Each worker computes one request at
      a time; ``--workers N`` runs N processes;
    * ``limit_concurrency`` — open connections per worker beyond which uvicorn answers 503;
    * ``keep_alive`` — seconds an idle keep-alive connection stays open.
    """

    max_body_bytes: int = 16 * 1024 * 1024
    max_findings: int = 20_000
    max_register_rows: int = 10_000
    body_timeout: float = 15.0  # float-ok: seconds
    queue_timeout: float = 30.0  # float-ok: seconds
    limit_concurrency: int = 200
    keep_alive: float = 5.0  # float-ok: seconds

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not value > 0:
                raise ValueError(f"{f.name} must be positive, got {value!r}")

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> ServeSettings:
        raw = os.environ.get(SETTINGS_ENV)
        return cls(**json.loads(raw)) if raw else cls()


def parse_size(text: str) -> int:
    """A size such as ``8MiB``, ``500kB``, ``1048576``."""
    m = _SIZE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a size; write e.g. 8MiB, 500kB or 1048576")
    unit = (m.group(2) or "").lower()
    return int(m.group(1)) * _UNITS[unit]


def serve_unavailable() -> str | None:
    """None when FastAPI and uvicorn can be imported; else what is missing and how to get it."""
    missing = []
    for name in ("fastapi", "uvicorn"):
        try:
            importlib.import_module(name)
        except ImportError:
            missing.append(name)
    if not missing:
        return None
    return (
        f"{' and '.join(missing)} not installed: the server is in the optional extra 'serve'; "
        f"install it with: {EXTRA_HINT}"
    )
