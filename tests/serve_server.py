"""A real ``osms-defects serve`` for the tests and the load test: uvicorn in a subprocess on a
free localhost port (never another address), stopped when the block ends."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(*options: str, startup: float = 60.0, log: Path | None = None) -> Iterator[str]:
    """Start ``osms-defects serve --host 127.0.0.1 --port P OPTIONS`` and yield its base URL
    once ``GET /health`` answers; terminate it (and wait) at the end."""
    port = free_port()
    cmd = [sys.executable, "-m", "osms_defects", "serve", "--host", HOST, "--port", str(port),
           "--log-level", "warning", *options]  # fmt: skip
    out = log.open("wb") if log is not None else subprocess.DEVNULL
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + startup
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"the server exited with {proc.returncode}: {' '.join(cmd)}")
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not answer within {startup:g} s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
        if log is not None and out is not subprocess.DEVNULL:
            out.close()  # type: ignore[union-attr]
