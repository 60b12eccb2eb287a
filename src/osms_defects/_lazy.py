"""Names of a package imported on first use (PEP 562), so that importing the package does not
import polars, numpy or openpyxl (issue 19: start-up within 3x ``import pydantic``)."""

from __future__ import annotations

import importlib
import sys
from typing import Any


def lazy_attribute(package: str, table: dict[str, str], name: str) -> Any:
    """The attribute ``name`` of ``package``, imported from the module ``table`` names (relative
    to the package) and kept in the package, so that the next access costs nothing."""
    module = table.get(name)
    if module is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, package), name)
    setattr(sys.modules[package], name, value)
    return value
