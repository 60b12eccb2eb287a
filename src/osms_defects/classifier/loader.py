"""Loading the classifier file: every problem at once, each with its file, line and key path."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._yaml import KeyPath, format_path, line_of, load_yaml, problems_from_validation
from ..errors import ClassifierFileError, DataFileError, Problem
from ..resources import data_path
from .lint import LintFinding
from .model import Classifier, Edition

DEFAULT_FILE = "classifier.yaml"


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


def load_classifier(path: str | Path | None = None) -> Classifier:
    """Load a classifier file; with no path, the packaged ``data/classifier.yaml``.

    Raises ClassifierFileError listing every problem (file, line, key path, message).
    """
    if path is None:
        return _default()
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ClassifierFileError(
            file, [Problem(file, "", f"cannot read the file: {exc}")]
        ) from None
    return parse_classifier(text, file)


@lru_cache(maxsize=1)
def _default() -> Classifier:
    path = data_path(DEFAULT_FILE)
    return parse_classifier(path.read_text(encoding="utf-8"), str(path))


def lint_file(
    path: str | Path | None = None,
) -> tuple[list[Problem], list[tuple[str, LintFinding]]]:
    """Lint a file that may be broken: (problems that stop loading, lint findings by edition)."""
    try:
        clf = load_classifier(path)
    except ClassifierFileError as exc:
        return list(exc.problems), []
    return [], [(ed.id, f) for ed in clf.editions for f in ed.lint()]
