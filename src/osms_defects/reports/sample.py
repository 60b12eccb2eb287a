"""The proactive monitoring sample (п. 61 Правил).

п. 61: «При посещении поставщиков, запланированных для проведения проактивного мониторинга в
первом полугодии, проводится мониторинг не менее 10 процентов услуг, при посещении поставщиков,
запланированных для проведения проактивного мониторинга во втором полугодии, проводится
мониторинг не менее 5 (пяти) процентов услуг, от предъявленных на оплату.»

Reading P7 (docs/readings.md): the half-year is that of the visit date; the sample is
stratified by care type (the register's ``care_type``) and «не менее» is met in every stratum
by rounding up: size = ceil(rate × n) (95 services at 10 % → 10, not 9). The draw is
reproducible: numpy's PCG64 generator seeded with ``seed`` draws from each stratum's records
sorted by ``record_id``, so neither the order of the input rows nor other strata change it.
п. 55: a provider with a valid international accreditation is not monitored proactively unless
one of the three exceptions applies (``osms_defects.monitoring.check_proactive``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from ..classifier import load_classifier
from ..deadlines.procedure import SampleRules, load_procedure
from ..errors import SampleError
from ..monitoring import check_proactive

__all__ = [
    "ProactiveSample", "StratumPlan", "draw_sample", "sample_rate_percent", "sample_rules",
    "sample_size",
]  # fmt: skip

#: register record types that are services presented for payment; ``death`` rows are not
SERVICE_RECORD_TYPES = ("service", "hospitalization", "emergency_call")


def sample_rules(visit_on: date, edition: str | None = None) -> SampleRules:
    """The sampling rules of the edition in force on the visit (or ``edition``): 2022, п. 61.

    An edition without proactive monitoring (the Rules as set out by order No. 68, п. 4: only
    current and unplanned) raises ``SampleError`` naming its kinds; a date no edition covers
    raises ``EditionGapError`` / ``NoEditionError``, as every other command does."""
    clf = load_classifier()
    ed = clf.edition(id=edition) if edition is not None else clf.edition(on=visit_on)
    ped = load_procedure().edition(ed.id)
    pro = ped.deduction.proactive if ped is not None else None
    if ped is None or pro is None:
        having = [e.id for e in load_procedure().editions if e.deduction.proactive is not None]
        kinds = f"{ped.kinds.reference}: {', '.join(ped.kinds.ids)}" if ped else "no data"
        raise SampleError(
            f"edition {ed.id} of the Rules (in force on {visit_on.isoformat()}) has no proactive "
            f"monitoring ({kinds}), so no proactive sample; editions with one: "
            + (", ".join(having) or "none")
        )
    return pro.sample


def sample_rate_percent(visit_on: date, edition: str | None = None) -> int:
    """The share of services for a visit (2022, п. 61: 10 % in the first half-year, 5 % in the
    second), from the edition's data."""
    rules = sample_rules(visit_on, edition)
    return rules.first_half_percent if visit_on.month <= 6 else rules.second_half_percent


def sample_size(n: int, rate_percent: int) -> int:
    """ceil(rate × n) in integers (п. 61 «не менее»): 95 at 10 % → 10; 0 → 0."""
    if n < 0 or rate_percent < 0:
        raise ValueError("n and rate must be ≥ 0")
    return -(-n * rate_percent // 100)


@dataclass(frozen=True, slots=True)
class StratumPlan:
    """One stratum (care type): how many services were presented and how many are drawn."""

    stratum: str
    population: int
    size: int


@dataclass(frozen=True)
class ProactiveSample:
    """The drawn sample: ``frame`` has ``record_id, stratum``, sorted by stratum and record."""

    visit_on: date
    seed: int
    rate_percent: int
    strata: tuple[StratumPlan, ...]
    frame: pl.DataFrame
    provider_id: str | None
    reference: str = ""  # the paragraph of the edition's sampling rules (2022: п. 61, 55)

    def write(self, path: str | Path, fmt: str = "csv") -> None:
        if fmt == "csv":
            self.frame.write_csv(path)
        elif fmt == "jsonl":
            self.frame.write_ndjson(path)
        else:
            raise SampleError(f"format {fmt!r}: allowed csv, jsonl")

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(s.stratum)}</td><td>{s.population}</td><td>{s.size}</td></tr>"
            for s in self.strata
        )
        return (
            f"<div><b>Выборка проактивного мониторинга</b> на {self.visit_on:%d.%m.%Y}: "
            f"{self.rate_percent} % ({html.escape(self.reference)}), seed {self.seed}"
            "<table><tr><th>stratum</th><th>services</th><th>sample</th></tr>"
            f"{rows}</table></div>"
        )


def draw_sample(
    services: pl.DataFrame,
    visit_on: date,
    seed: int,
    *,
    accreditations: Iterable[str] = (),
    exception: str | None = None,
    provider_id: str | None = None,
    source: str = "services",
    edition: str | None = None,
) -> ProactiveSample:
    """Draw the sample of п. 61 from register rows (``record_id, record_type, provider_id,
    care_type, …``); refuse an exempt provider (п. 55) unless ``exception`` is given. The rules
    are those of the edition in force on ``visit_on`` (or ``edition``); an edition without
    proactive monitoring, or a date in a gap, is refused."""
    rules = sample_rules(visit_on, edition)
    check_proactive(list(accreditations), exception)  # п. 55
    frame = services.with_columns(pl.all().cast(pl.String).fill_null(""))
    missing = [c for c in ("record_id", "record_type", "provider_id", "care_type") if c not in frame.columns]
    if missing:
        raise SampleError(f"{source}: missing column(s) {', '.join(missing)} (register format)")
    frame = frame.with_row_index("_row", offset=1)
    problems: list[str] = []
    for rec in frame.iter_rows(named=True):
        if rec["record_type"] not in (*SERVICE_RECORD_TYPES, "death"):
            problems.append(
                f"row {rec['_row']}, record_type: {rec['record_type']!r} (allowed: "
                "service, hospitalization, emergency_call, death)"
            )
        for col in ("record_id", "care_type", "provider_id"):
            if not rec[col].strip():
                problems.append(f"row {rec['_row']}, {col}: empty")
    dups = frame.filter(pl.col("record_id").is_duplicated())["record_id"].unique().sort().to_list()
    if dups:
        problems.append(f"record_id listed more than once: {', '.join(dups[:10])}")
    if problems:
        raise SampleError(f"{source}: {len(problems)} problem(s):\n" + "\n".join(f"  - {p}" for p in problems[:10]))
    frame = frame.filter(pl.col("record_type").is_in(SERVICE_RECORD_TYPES))
    providers = frame["provider_id"].unique().sort().to_list()
    if provider_id is not None:
        frame = frame.filter(pl.col("provider_id") == provider_id)
        if frame.height == 0:
            raise SampleError(f"{source}: no services of provider {provider_id!r} (found: {', '.join(providers[:10])})")
    elif len(providers) > 1:
        raise SampleError(
            f"{source}: services of {len(providers)} providers ({', '.join(providers[:10])}); "
            "a proactive visit is to one provider — choose it with provider_id / --provider"
        )
    rate = rules.first_half_percent if visit_on.month <= 6 else rules.second_half_percent
    rng = np.random.Generator(np.random.PCG64(seed))
    plans: list[StratumPlan] = []
    chosen_ids: list[str] = []
    chosen_strata: list[str] = []
    for stratum in sorted(frame["care_type"].unique().to_list()):
        ids = frame.filter(pl.col("care_type") == stratum)["record_id"].sort().to_list()
        k = sample_size(len(ids), rate)
        picks = rng.choice(len(ids), size=k, replace=False)
        plans.append(StratumPlan(stratum, len(ids), k))
        chosen = sorted(ids[int(i)] for i in picks)
        chosen_ids += chosen
        chosen_strata += [stratum] * k
    out = pl.DataFrame({"record_id": chosen_ids, "stratum": chosen_strata}, schema={"record_id": pl.String, "stratum": pl.String})
    return ProactiveSample(
        visit_on, seed, rate, tuple(plans), out,
        provider_id or (providers[0] if providers else None), rules.reference,
    )  # fmt: skip


def read_services(path: str | Path) -> pl.DataFrame:
    try:
        return pl.read_csv(path, infer_schema=False)
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise SampleError(f"{path}: cannot read the CSV file: {exc}") from None
