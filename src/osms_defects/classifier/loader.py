"""Loading the classifier file: every problem at once, each with its file, line and key path."""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._yaml import (
    KeyPath,
    format_path,
    line_of,
    load_model,
    load_yaml,
    problems_from_validation,
    read_text,
)
from ..errors import ClassifierFileError, DataFileError, OverrideFileError, Problem
from ..resources import data_path
from .lint import LintFinding
from .model import Classifier, Edition, InForce

DEFAULT_FILE = "classifier.yaml"
#: A fund's own override file, applied to the packaged classifier when set (docs/edition_2026.md).
OVERRIDES_ENV = "OSMS_DEFECTS_CLASSIFIER_OVERRIDES"


class InForceOverride(BaseModel):
    """A fund's correction of an edition's period in force (e.g. the verified 2026 start date)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    edition: str  # id or alias
    from_: dt.date | None = Field(default=None, alias="from")
    to: dt.date | None = None
    effective_from_verified: bool
    reference: str = Field(min_length=1)  # where the corrected date comes from


class Overrides(BaseModel):
    """The override file: ``schema_version: 1`` and a list of ``in_force`` corrections."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[1]
    in_force: list[InForceOverride] = Field(min_length=1)


def apply_overrides(clf: Classifier, overrides: Overrides, file: str = "<overrides>") -> Classifier:
    """A new classifier with the corrected periods; raises OverrideFileError naming the entry."""
    editions = {e.id: e for e in clf.editions}
    problems: list[Problem] = []
    for i, o in enumerate(overrides.in_force):
        try:
            ed = clf.edition(id=o.edition)
        except LookupError as exc:
            problems.append(Problem(file, f"in_force[{i}].edition", str(exc)))
            continue
        old = ed.in_force
        new = InForce.model_validate(
            {
                "from": o.from_ or old.from_,
                "to": o.to if o.to is not None else old.to,
                "reference": f"{o.reference} (override {file}; data: {old.reference})",
                "effective_from_verified": o.effective_from_verified,
                "effective_from_earliest": None
                if o.effective_from_verified
                else old.effective_from_earliest,
                "effective_from_latest": None
                if o.effective_from_verified
                else old.effective_from_latest,
            }
        )
        editions[ed.id] = ed.model_copy(update={"in_force": new})
    if problems:
        raise OverrideFileError(file, problems)
    try:
        return Classifier(
            schema_version=clf.schema_version,
            editions=[editions[e.id] for e in clf.editions],
            gaps=clf.gaps,
            correspondences=clf.correspondences,
        )
    except ClassifierFileError as exc:
        raise OverrideFileError(
            file, [Problem(file, format_path(p), m) for p, m in exc.raw]
        ) from None


def load_overrides(path: str | Path) -> Overrides:
    """Load a fund's override file; raise OverrideFileError listing every problem by line."""
    try:
        model, _ = load_model(Overrides, path)
    except DataFileError as exc:
        raise OverrideFileError(exc.file, exc.problems) from None
    return model


def _locate(
    file: str, lines: dict[KeyPath, int], raw: tuple[tuple[KeyPath, str], ...]
) -> list[Problem]:
    out = []
    for path, message in raw:
        line = line_of(lines, path)
        out.append(Problem(f"{file}:{line}" if line else file, format_path(path), message))
    return out


def _edition_problems(data: Any, file: str, lines: dict[KeyPath, int]) -> list[Problem]:
    """When the whole file fails, still check each edition on its own to report more."""
    problems: list[Problem] = []
    editions = data.get("editions") if isinstance(data, dict) else None
    if not isinstance(editions, list):
        return problems
    for i, raw in enumerate(editions):
        try:
            ed = Edition.model_validate(raw)
        except ValidationError:
            continue  # already reported by the whole-file validation
        problems += _locate(
            file, lines, tuple((("editions", i, *p), m) for p, m in ed.structural_problems())
        )
    return problems


def parse_classifier(text: str, file: str = "<classifier>") -> Classifier:
    """Validate classifier YAML text; raise ClassifierFileError listing every problem."""
    try:
        data, lines = load_yaml(text, file)
    except DataFileError as exc:
        raise ClassifierFileError(file, exc.problems) from None
    try:
        return Classifier.model_validate(data)
    except ValidationError as exc:
        problems = problems_from_validation(exc, file, lines)
        problems += _edition_problems(data, file, lines)
        raise ClassifierFileError(file, problems) from None
    except ClassifierFileError as exc:
        raise ClassifierFileError(file, _locate(file, lines, exc.raw)) from None


def load_classifier(
    path: str | Path | None = None, *, overrides: str | Path | None = None
) -> Classifier:
    """Load a classifier file; with no path, the packaged ``data/classifier.yaml``.

    ``overrides``: a fund's own file correcting periods in force (e.g. the verified start of
    the 2026 edition, docs/edition_2026.md); with none, the file named by the environment
    variable ``OSMS_DEFECTS_CLASSIFIER_OVERRIDES`` if set. Raises ClassifierFileError listing
    every problem (file, line, key path, message), OverrideFileError for the override file.
    """
    if overrides is None and os.environ.get(OVERRIDES_ENV):
        overrides = os.environ[OVERRIDES_ENV]
    clf = _load(path)
    if overrides is None:
        return clf
    return _with_overrides(clf, str(overrides))


def _with_overrides(clf: Classifier, file: str) -> Classifier:
    return apply_overrides(clf, load_overrides(file), file)


def _load(path: str | Path | None) -> Classifier:
    if path is None:
        return _default()
    return parse_classifier(read_text(path, ClassifierFileError), str(path))


@lru_cache(maxsize=1)
def _default() -> Classifier:
    path = data_path(DEFAULT_FILE)
    return parse_classifier(path.read_text(encoding="utf-8"), str(path))


def lint_file(
    path: str | Path | None = None, *, overrides: str | Path | None = None
) -> tuple[list[Problem], list[tuple[str, LintFinding]]]:
    """Lint a file that may be broken: (problems that stop loading, lint findings by edition)."""
    try:
        clf = load_classifier(path, overrides=overrides)
    except DataFileError as exc:
        return list(exc.problems), []
    return [], [(ed.id, f) for ed in clf.editions for f in ed.lint()]
