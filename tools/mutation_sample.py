"""A small mutation-testing sampler (pure Python, no dependency): how many simple faults in a
module do the tests catch?

For one module it lists every *mutation site* of a few simple kinds —

* comparison operators flipped (``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``is`` ↔
  ``is not``, ``in`` ↔ ``not in``);
* ``and`` ↔ ``or``; ``not x`` → ``x``;
* arithmetic operators (``+`` ↔ ``-``, ``*`` → ``/``, ``//`` → ``/``, ``%`` → ``//``);
* integer constants ``n`` → ``n + 1``; ``True`` ↔ ``False``;
* a string constant (not a docstring) → ``"XX"`` + the string (a message changed);
* a ``return X`` → ``return None``; an ``if`` body whose first statement is a ``return`` →
  that statement deleted (``pass``) —

then applies them one at a time to a copy of ``src/`` in a temporary directory, runs the
given pytest subset against the copy (``PYTHONPATH`` first, ``-x``: the first failing test
kills the mutant) and reports killed / survived / timed out. A mutant that makes the tests fail
is *killed*; one they pass with *survived* (a hole in the tests, or an equivalent mutant). The
working tree is never modified.

Usage (from the repository root, in the project's environment)::

    python tools/mutation_sample.py src/osms_defects/deductions/engine.py \\
        --tests tests/test_deduct.py tests/test_conformance_deductions.py \\
        --sample 60 --seed 1

``--sample N`` draws N sites at random (reproducible by ``--seed``), else all; ``--list``
prints the sites without running anything; ``--timeout`` bounds one run (seconds). The score
and the surviving mutants of the last runs are in docs/testing.md.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

_CMP_SWAP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip
_BIN_SWAP: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.FloorDiv: ast.Div,
    ast.Mod: ast.FloorDiv,
}  # fmt: skip


@dataclass(frozen=True)
class Site:
    """One mutation: the n-th node (in ``ast.walk`` order) of a kind, and what is done."""

    index: int  # position of the node in ast.walk order
    kind: str
    line: int
    description: str


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _in_annotation(tree: ast.AST) -> set[int]:
    """Nodes inside annotations (mutating them changes nothing at run time)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        anns: list[ast.AST | None] = []
        if isinstance(node, ast.AnnAssign | ast.arg):
            anns.append(node.annotation)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            anns.append(node.returns)
        for a in anns:
            if a is not None:
                ids.update(id(n) for n in ast.walk(a))
    return ids


def sites(tree: ast.Module) -> list[Site]:
    docs, anns = _docstrings(tree), _in_annotation(tree)
    out: list[Site] = []
    for i, node in enumerate(ast.walk(tree)):
        if id(node) in anns:
            continue
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare) and len(node.ops) == 1:
            op = type(node.ops[0])
            if op in _CMP_SWAP:
                out.append(Site(i, "cmp", line, f"{op.__name__} → {_CMP_SWAP[op].__name__}"))
        elif isinstance(node, ast.BoolOp):
            other = "Or" if isinstance(node.op, ast.And) else "And"
            out.append(Site(i, "bool", line, f"{type(node.op).__name__} → {other}"))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            out.append(Site(i, "not", line, "not x → x"))
        elif isinstance(node, ast.BinOp) and type(node.op) in _BIN_SWAP:
            op = type(node.op)
            out.append(Site(i, "binop", line, f"{op.__name__} → {_BIN_SWAP[op].__name__}"))
        elif isinstance(node, ast.Constant) and id(node) not in docs:
            v = node.value
            if isinstance(v, bool):
                out.append(Site(i, "const", line, f"{v} → {not v}"))
            elif isinstance(v, int):
                out.append(Site(i, "const", line, f"{v} → {v + 1}"))
            elif isinstance(v, str) and v.strip():
                out.append(Site(i, "string", line, f"{v[:30]!r} → 'XX' + …"))
        elif isinstance(node, ast.Return) and node.value is not None and not (
            isinstance(node.value, ast.Constant) and node.value.value is None
        ):
            out.append(Site(i, "return", line, "return X → return None"))
        elif isinstance(node, ast.If) and node.body and isinstance(node.body[0], ast.Return):
            out.append(Site(i, "delete", line, "the if's return deleted"))
    return out


def mutate(tree: ast.Module, site: Site) -> ast.Module:
    new = copy.deepcopy(tree)
    node = next(n for i, n in enumerate(ast.walk(new)) if i == site.index)
    if site.kind == "cmp":
        assert isinstance(node, ast.Compare)
        node.ops = [_CMP_SWAP[type(node.ops[0])]()]
    elif site.kind == "bool":
        assert isinstance(node, ast.BoolOp)
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif site.kind == "not":
        assert isinstance(node, ast.UnaryOp)
        _replace(new, node, node.operand)
    elif site.kind == "binop":
        assert isinstance(node, ast.BinOp)
        node.op = _BIN_SWAP[type(node.op)]()
    elif site.kind == "const":
        assert isinstance(node, ast.Constant)
        node.value = (not node.value) if isinstance(node.value, bool) else node.value + 1
    elif site.kind == "string":
        assert isinstance(node, ast.Constant)
        node.value = "XX" + node.value
    elif site.kind == "return":
        assert isinstance(node, ast.Return)
        node.value = ast.Constant(None)
    elif site.kind == "delete":
        assert isinstance(node, ast.If)
        node.body[0] = ast.Pass()
    return ast.fix_missing_locations(new)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    for parent in ast.walk(tree):
        for field, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, field, new)
                return
            if isinstance(value, list):
                for k, item in enumerate(value):
                    if item is old:
                        value[k] = new
                        return


@dataclass
class Outcome:
    site: Site
    status: str  # killed | survived | timeout | invalid
    seconds: float


def run(module: Path, tests: list[str], chosen: list[Site], timeout: float) -> Iterator[Outcome]:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    rel = module.resolve().relative_to(REPO / "src")
    with tempfile.TemporaryDirectory(prefix="osms-mutants-") as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
        (root / "data").symlink_to(REPO / "data")  # resources.data_path: <repo>/data
        target = root / "src" / rel
        original = target.read_text(encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(root / "src"), PYTHONDONTWRITEBYTECODE="1")
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
               "--no-header", "-o", "addopts=", *tests]  # fmt: skip
        for site in chosen:
            try:
                source = ast.unparse(mutate(tree, site))
            except Exception:
                yield Outcome(site, "invalid", 0.0)
                continue
            target.write_text(source, encoding="utf-8")
            t0 = time.perf_counter()
            try:
                done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, timeout=timeout)
                status = "survived" if done.returncode == 0 else "killed"
            except subprocess.TimeoutExpired:
                status = "timeout"  # counted as killed (the tests noticed something), shown
            yield Outcome(site, status, time.perf_counter() - t0)
            target.write_text(original, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("module", type=Path, help="a module under src/, e.g. src/osms_defects/deductions/amounts.py")
    ap.add_argument("--tests", nargs="+", required=True, help="the pytest files or node ids to run")
    ap.add_argument("--sample", type=int, help="draw this many sites at random (default: all)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the draw (default 0)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds for one run (default 300)")
    ap.add_argument("--list", action="store_true", help="list the sites and stop")
    args = ap.parse_args(argv)
    module = args.module.resolve()
    all_sites = sites(ast.parse(module.read_text(encoding="utf-8")))
    chosen = all_sites
    if args.sample is not None and args.sample < len(all_sites):
        chosen = sorted(random.Random(args.seed).sample(all_sites, args.sample), key=lambda s: s.index)
    print(f"{args.module}: {len(all_sites)} mutation sites, running {len(chosen)}", flush=True)
    if args.list:
        for s in chosen:
            print(f"  line {s.line:>4}  {s.kind:<7} {s.description}")
        return 0
    counts = {"killed": 0, "survived": 0, "timeout": 0, "invalid": 0}
    survivors: list[Site] = []
    for o in run(module, args.tests, chosen, args.timeout):
        counts[o.status] += 1
        if o.status == "survived":
            survivors.append(o.site)
        print(f"  {o.status:<8} line {o.site.line:>4}  {o.site.kind:<7} {o.site.description}"
              f"  ({o.seconds:.1f}s)", flush=True)  # fmt: skip
    valid = counts["killed"] + counts["survived"] + counts["timeout"]
    score = 100.0 * (counts["killed"] + counts["timeout"]) / valid if valid else 0.0
    print(
        f"{args.module}: {counts['killed']} killed, {counts['timeout']} timed out, "
        f"{counts['survived']} survived, {counts['invalid']} not applicable: "
        f"score {score:.1f} % of {valid}"
    )
    for s in survivors:
        print(f"  SURVIVED line {s.line}: {s.kind} {s.description}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
