"""Where the data files are.

In an installed wheel the files of the repository's ``data/`` folder sit inside the package
(``osms_defects/data``); in a source checkout (editable install, tests) they are read from
``data/`` at the top of the repository.

A fund (or a contributor preparing a new edition) can put its own copies of data files in a
directory named by the environment variable ``OSMS_DEFECTS_DATA``: a file found there replaces
the shipped file of the same name (``classifier.yaml``, ``procedure.yaml``, ``screening.yaml``,
``calendar_kz.yaml`` …); the others stay the shipped ones. That is how an edition of the Rules
is added without a release (docs/editions.md, "Adding an edition").
"""

from __future__ import annotations

import os
from pathlib import Path

#: the environment variable naming a directory of data files that replace the shipped ones
DATA_ENV = "OSMS_DEFECTS_DATA"

_PACKAGED = Path(__file__).resolve().parent / "data"
_CHECKOUT = Path(__file__).resolve().parents[2] / "data"


def shipped_data_path(name: str) -> Path:
    """The path of a shipped data file, e.g. ``shipped_data_path("classifier.yaml")``."""
    for base in (_PACKAGED, _CHECKOUT):
        candidate = base / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(
        f"shipped data file {name!r} not found in {_PACKAGED} or {_CHECKOUT}; "
        "is the package installed correctly?"
    )


def data_path(name: str) -> Path:
    """The data file ``name``: the one in ``$OSMS_DEFECTS_DATA`` if that directory has it,
    else the shipped one."""
    override = os.environ.get(DATA_ENV)
    if override:
        candidate = Path(override) / name
        if candidate.exists():
            return candidate
    return shipped_data_path(name)
