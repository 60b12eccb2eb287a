"""Conformance vectors (``data/conformance/deductions.yaml`` for the 2022 edition,
``data/conformance/deductions_2025.yaml`` for the edition of order No. 68 (2025-08-01) and
``data/conformance/deductions_2026.yaml`` for the 2026 edition): the schema and a runner.

Other fund systems run the same vectors against their own implementation; this module runs them
against osms-defects (scalar and columnar paths). Schema in docs/deductions.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .._yaml import load_model
from ..classifier import Classifier
from ..resources import data_path
from .engine import InputField, Resolver, deduct_row
from .frame import record
from .model import Deduction, ErrorKind, Status

_FROZEN = ConfigDict(extra="forbid", frozen=True)

#: the packaged vector files, by the edition they test
VECTOR_FILES: tuple[str, ...] = (
    "conformance/deductions.yaml",
    "conformance/deductions_2026.yaml",
    "conformance/deductions_2025.yaml",
)


class Expect(BaseModel):
    """What a vector expects; a field left out is not checked."""

    model_config = _FROZEN
    status: Status
    amount: str | None = Field(default=None, pattern=r"^-?\d+\.\d{2}$")
    basis: str | None = None
    factor: str | None = None
    remedy_due: str | None = Field(default=None, pattern=r"^(\d{4}-\d{2}-\d{2})?$")
    error_kind: ErrorKind | None = None
    #: text the reference column must contain, e.g. "п. 12" for a general defect (D10)
    reference_contains: str | None = None
    #: the edition the result was computed under (the ``edition`` column; "" for none)
    edition: str | None = None
    #: text the result's note must contain (readings E18, E19, E20), e.g. the window of order
    #: No. 19; ``no_note: true``: the result carries no note. The note is an attribute of the
    #: scalar path's ``Deduction``; the columnar path and the CSV have no note column, so only
    #: the scalar runner checks these two keys.
    note_contains: str | None = None
    no_note: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Expect:
        if self.no_note and self.note_contains is not None:
            raise ValueError("no_note and note_contains exclude each other")
        if self.status is Status.ERROR:
            if self.error_kind is None or self.amount is not None:
                raise ValueError("an error vector gives error_kind and no amount")
        elif self.error_kind is not None or self.amount is None:
            raise ValueError("a non-error vector gives an amount and no error_kind")
        return self


class Vector(BaseModel):
    model_config = _FROZEN
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    paragraph: str = Field(min_length=3)
    input: dict[InputField, str]
    unremedied: bool = False
    #: the caller's options for the doubtful and two-reading cells of 2026 (readings E3, E4)
    accept_reading: Literal["KPN", "PN", "KT", "COST"] | None = None
    accept_doubtful: bool = False
    expect: Expect
    work: str


class Batch(BaseModel):
    """Several findings deducted together (the case policy, reading D3)."""

    model_config = _FROZEN
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$")
    paragraph: str = Field(min_length=3)
    case_policy: Literal["each", "max_per_case"]
    unremedied: bool = False
    accept_reading: Literal["KPN", "PN", "KT", "COST"] | None = None
    accept_doubtful: bool = False
    rows: list[dict[InputField, str]] = Field(min_length=1)
    expect: list[Expect]
    work: str

    @model_validator(mode="after")
    def _same_length(self) -> Batch:
        if len(self.rows) != len(self.expect):
            raise ValueError(f"{len(self.rows)} rows but {len(self.expect)} expectations")
        return self


class VectorFile(BaseModel):
    model_config = _FROZEN
    schema_version: Literal[1]
    edition: str
    defaults: dict[InputField, str] = Field(default_factory=dict)
    vectors: list[Vector] = Field(min_length=1)
    batches: list[Batch] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> VectorFile:
        ids = [v.id for v in self.vectors] + [b.id for b in self.batches]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"duplicate vector ids: {', '.join(dup)}")
        return self

    def row(self, v: Vector | dict[InputField, str]) -> dict[str, str]:
        """A findings row: the defaults, then the vector's (or batch row's) own input."""
        row: dict[str, str] = {str(k): x for k, x in self.defaults.items()}
        given = v.input if isinstance(v, Vector) else v
        row.update((str(k), x) for k, x in given.items())
        return row


def load_vectors(path: str | Path | None = None) -> VectorFile:
    """A vector file; by default the 2022 one (``VECTOR_FILES`` names both packaged files)."""
    model, _lines = load_model(VectorFile, Path(path) if path else data_path(VECTOR_FILES[0]))
    return model


def resolver_for(
    v: Vector | Batch, classifier: Classifier | None = None, cache: dict[object, Resolver] | None = None
) -> Resolver:
    """The resolver with a vector's options (accept_reading, accept_doubtful; E3, E4)."""
    from ..classifier import load_classifier

    clf = classifier if classifier is not None else load_classifier()
    key = (id(clf), v.accept_reading, v.accept_doubtful)
    if cache is not None and key in cache:
        return cache[key]
    res = Resolver(clf, accept_reading=v.accept_reading, accept_doubtful=v.accept_doubtful)
    if cache is not None:
        cache[key] = res
    return res


def check(v: Vector | Expect, got: dict[str, object], *, notes: bool = True) -> list[str]:
    """Differences between a result record (the CSV columns) and what is expected.

    ``notes``: also check ``note_contains`` / ``no_note`` against the edition's mark (the
    ``edition_note`` column, both paths)."""
    e = v.expect if isinstance(v, Vector) else v
    out = []
    want: dict[str, str | None] = {
        "status": e.status.value,
        "amount": e.amount if e.status is not Status.ERROR else "",
        "basis": e.basis,
        "factor": e.factor,
        "remedy_due": e.remedy_due,
        "edition": e.edition,
    }
    for key, value in want.items():
        if value is not None and got[key] != value:
            out.append(f"{key}: expected {value!r}, got {got[key]!r}")
    if e.reference_contains is not None and e.reference_contains not in str(got["reference"]):
        out.append(f"reference: expected to contain {e.reference_contains!r}, got {got['reference']!r}")
    if e.error_kind is not None and not str(got["error"]).startswith(e.error_kind.value + ":"):
        out.append(f"error: expected kind {e.error_kind.value!r}, got {got['error']!r}")
    if notes and (e.note_contains is not None or e.no_note):
        note = got.get("edition_note")
        if note is None:
            out.append("note: expected, but the result has no edition_note column")
        elif e.no_note and note:
            out.append(f"note: expected none, got {note!r}")
        elif e.note_contains is not None and e.note_contains not in str(note):
            out.append(f"note: expected to contain {e.note_contains!r}, got {note!r}")
    return out


def scalar_record(d: Deduction) -> dict[str, object]:
    """The result columns of one deduction (what the scalar runner checks)."""
    return record(d)


def run_scalar(vf: VectorFile, classifier: Classifier | None = None) -> dict[str, list[str]]:
    """Every vector through the scalar path; {vector id: differences} for the failing ones."""
    failures = {}
    cache: dict[object, Resolver] = {}
    for v in vf.vectors:
        res = resolver_for(v, classifier, cache)
        d = deduct_row(vf.row(v), res, unremedied=v.unremedied, row_number=1)
        diff = check(v, scalar_record(d))
        if diff:
            failures[v.id] = diff
    return failures
