"""Loading YAML data files into pydantic models with every problem located by line.

PyYAML gives each node its position; we keep a map from key path to line so that a pydantic
validation error ("editions.0.defects.3.cells.inpatient") can be reported as
``data/classifier.yaml:123``. Used by every data file of the project.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import DataFileError, Problem

M = TypeVar("M", bound=BaseModel)
KeyPath = tuple[str | int, ...]


#: libyaml's parser when PyYAML was built with it (the usual wheels are): the same nodes and
#: line marks, parsed about 5x faster (the classifier and the screening rules are loaded by
#: every run of the command line)
_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StringDateLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that keeps dates as ISO strings: pydantic parses them strictly."""


# Drop the implicit timestamp resolver so "2022-10-16" stays a str for pydantic to validate.
_StringDateLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _walk(
    node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], loader: yaml.SafeLoader
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            child = (*path, str(key))
            lines[child] = key_node.start_mark.line + 1
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            out[key] = _walk(value_node, child, lines, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, (*path, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_yaml(text: str, file: str) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML text; return the data and a map key path → 1-based line."""
    loader = _StringDateLoader(text)
    lines: dict[KeyPath, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataFileError(file, [Problem(file, "", "the file is empty")])
        data = _walk(node, (), lines, loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        raise DataFileError(file, [Problem(where, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    return data, lines


def format_path(loc: KeyPath) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(lines: dict[KeyPath, int], loc: KeyPath) -> int | None:
    """The line of the deepest known prefix of ``loc`` (pydantic adds union/validator parts)."""
    # an all-digit part is a mapping key ("2026") or a list position as text: try both
    as_index = tuple(int(p) if isinstance(p, str) and p.isdigit() else p for p in loc)
    for n in range(len(loc), -1, -1):
        for prefix in (loc[:n], as_index[:n]):
            if prefix in lines:
                return lines[prefix]
    return None


def problems_from_validation(
    exc: ValidationError, file: str, lines: dict[KeyPath, int]
) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(err["loc"])
        line = line_of(lines, loc)
        where = f"{file}:{line}" if line is not None else file
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = f"unknown key {loc[-1]!r} (unknown keys are errors)"
        elif "input" in err and not isinstance(err["input"], dict | list):
            msg = f"{msg} (got {err['input']!r})"
        problems.append(Problem(where, format_path(loc), msg))
    return problems


def load_model(
    model: type[M], source: str | Path, *, text: str | None = None
) -> tuple[M, dict[KeyPath, int]]:
    """Load and validate a YAML file into ``model``; raise DataFileError listing every problem."""
    file = str(source)
    if text is None:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except OSError as exc:
            raise DataFileError(file, [Problem(file, "", f"cannot read the file: {exc}")]) from None
    data, lines = load_yaml(text, file)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise DataFileError(file, problems_from_validation(exc, file, lines)) from None
