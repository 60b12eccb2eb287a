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


#: The most nodes a YAML document may expand to, counting every use of an alias as a copy of
#: what it names. The largest data file of the project (data/classifier.yaml) has about 3,600;
#: a "billion laughs" document (aliases of aliases) would expand to 10^9 and exhaust memory.
#: The expanded size is computed on the node graph before anything is built, once per distinct
#: node, so such a document is refused in milliseconds.
MAX_YAML_NODES = 200_000
#: The deepest nesting of mappings and lists allowed (the project's files use fewer than 10
#: levels); also what stops a recursive alias (``&a [*a]``).
MAX_YAML_DEPTH = 100


def _expanded_size(root: yaml.Node, file: str) -> int:
    """The number of nodes of the document with every alias expanded; refuses a recursive
    alias, nesting deeper than MAX_YAML_DEPTH and more than MAX_YAML_NODES nodes."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        known = sizes.get(key)
        if known is not None:
            return known
        if key in on_path:
            raise _refuse(file, node, "a recursive alias (an anchor used inside itself)")
        if depth > MAX_YAML_DEPTH:
            raise _refuse(file, node, f"nested deeper than {MAX_YAML_DEPTH} levels")
        total = 1
        if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
            on_path.add(key)
            children = (
                [n for pair in node.value for n in pair]
                if isinstance(node, yaml.MappingNode)
                else node.value
            )
            for child in children:
                total += size(child, depth + 1)
                if total > MAX_YAML_NODES:
                    raise _refuse(
                        file,
                        node,
                        f"expands to more than {MAX_YAML_NODES:,} nodes (aliases of aliases?); "
                        "allowed: at most that many, counting each use of an alias",
                    )
            on_path.discard(key)
        sizes[key] = total
        return total

    return size(root, 0)


def _refuse(file: str, node: yaml.Node, why: str) -> DataFileError:
    return DataFileError(
        file, [Problem(f"{file}:{node.start_mark.line + 1}", "", f"not accepted YAML: {why}")]
    )


def _construct(loader: yaml.SafeLoader, node: yaml.Node, file: str) -> Any:
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. an integer of 5,000 digits (Python refuses to convert more than 4,300)
        raise DataFileError(
            file,
            [Problem(f"{file}:{node.start_mark.line + 1}", "", f"a value that cannot be read: {exc}")],
        ) from None


def _walk(
    node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], loader: yaml.SafeLoader, file: str
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _construct(loader, key_node, file)
            child = (*path, str(key))
            lines[child] = key_node.start_mark.line + 1
            if isinstance(key, list | dict | set):
                raise DataFileError(
                    file,
                    [
                        Problem(
                            f"{file}:{key_node.start_mark.line + 1}",
                            format_path(path),
                            f"a key must be a single value, got {type(key).__name__} {key!r:.60}",
                        )
                    ],
                )
            if key in out:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            out[key] = _walk(value_node, child, lines, loader, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _walk(item, (*path, i), lines, loader, file) for i, item in enumerate(node.value)
        ]
    return _construct(loader, node, file)


def load_yaml(text: str, file: str) -> tuple[Any, dict[KeyPath, int]]:
    """Parse YAML text; return the data and a map key path → 1-based line.

    Raises DataFileError for anything a document can do wrong: not YAML, an empty file, a
    recursive alias, more than MAX_YAML_NODES nodes once aliases are expanded, nesting deeper
    than MAX_YAML_DEPTH, a list or mapping as a key, a value Python cannot hold."""
    loader = _StringDateLoader(text)
    lines: dict[KeyPath, int] = {}
    try:
        node = loader.get_single_node()
        if node is None:
            raise DataFileError(file, [Problem(file, "", "the file is empty")])
        _expanded_size(node, file)
        data = _walk(node, (), lines, loader, file)
    except RecursionError:
        raise DataFileError(
            file, [Problem(file, "", "not accepted YAML: nested too deeply")]
        ) from None
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


def read_text(source: str | Path, error: type[DataFileError] = DataFileError) -> str:
    """A data file's text (UTF-8); ``error`` names an unreadable file or a byte that is not
    UTF-8 (with its line)."""
    file = str(source)
    try:
        raw = Path(source).read_bytes()
    except OSError as exc:
        raise error(file, [Problem(file, "", f"cannot read the file: {exc}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise error(
            file,
            [
                Problem(
                    f"{file}:{line}",
                    "",
                    f"not UTF-8 text: byte {raw[exc.start]:#04x} at offset {exc.start} "
                    "(save the file as UTF-8)",
                )
            ],
        ) from None


def load_model(
    model: type[M], source: str | Path, *, text: str | None = None
) -> tuple[M, dict[KeyPath, int]]:
    """Load and validate a YAML file into ``model``; raise DataFileError listing every problem."""
    file = str(source)
    if text is None:
        text = read_text(source)
    data, lines = load_yaml(text, file)
    try:
        return model.model_validate(data), lines
    except ValidationError as exc:
        raise DataFileError(file, problems_from_validation(exc, file, lines)) from None
