"""``osms-defects serve``: the reference over HTTP, for fund systems not written in Python.

A JSON service on FastAPI and uvicorn (the optional extra ``serve``:
``pip install "osms-defects[serve]"``). ``create_app(settings)`` builds the application;
``osms-defects serve`` runs it (docs/serve.md). This package's ``__init__`` and
:mod:`.settings` import neither FastAPI nor uvicorn, so that the CLI and the library do not
pay for them; :mod:`.app` does.

Nothing a client sends names a file: the classifier, the procedure, the calendar and the
screening rules are the packaged data (or the files the operator names through the
environment variables the library already reads), loaded by the server, never by a request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import EXTRA_HINT, ServeSettings, serve_unavailable

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["EXTRA_HINT", "ServeSettings", "create_app", "serve_unavailable"]


def create_app(settings: ServeSettings | None = None, **kwargs: Any) -> FastAPI:
    """The FastAPI application (imports FastAPI: needs the ``serve`` extra)."""
    from .app import create_app as _create

    return _create(settings, **kwargs)
