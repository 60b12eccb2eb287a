"""Where the shipped data files are.

In an installed wheel the files of the repository's ``data/`` folder sit inside the package
(``osms_defects/data``); in a source checkout (editable install, tests) they are read from
``data/`` at the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "data"
_CHECKOUT = Path(__file__).resolve().parents[2] / "data"


def data_path(name: str) -> Path:
    """The path of a shipped data file, e.g. ``data_path("classifier.yaml")``."""
    for base in (_PACKAGED, _CHECKOUT):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        f"shipped data file {name!r} not found in {_PACKAGED} or {_CHECKOUT}; "
        "is the package installed correctly?"
    )
