"""The shipped screening rules: for each, its parameter model and the function building its
potential defects, columnar (polars), registered under its id (``registry.rule``).

Each function takes the register's records (a ``LazyFrame`` with the typed columns of
``register.REGISTER_COLUMNS`` and ``row``) and the rule's parameters under the edition in force,
and returns a ``LazyFrame`` of potential defects (any columns of ``engine.DEFECT_SCHEMA``; the
engine adds the code, reference, edition and note). They use sorts, as-of joins, shifts and
group counts by patient — no Python loop per record — so the same plan runs in memory or on the
polars streaming engine. The order of registration below is the order of the output.

Every flagged record is a *potential* defect (п. 11, 45 Правил: дефекты, «установленные
автоматизированным способом», которые фонд подтверждает или отклоняет), never a deduction.
The boundaries are in ``docs/readings.md`` (S1–S6) and ``docs/screening.md``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl
from pydantic import Field

from .register import ROW
from .registry import Rule, WorkdayCounter, rule

EVIDENCE_SEPARATOR = ";"


# --------------------------------------------------------------------------- parameter models
class RepeatHospitalization(Rule):
    """Прил. 1, код 4.0 (2022 and 2026): readmission within 30 calendar days of the end of
    inpatient care."""

    window_days: int = Field(ge=1)
    include_same_day: bool = False  # reading S1: day 0 (same-day transfer) off by default
    same_provider: bool = False
    # 2026, код 4.0 «…, кроме поставщиков, оказывающих услуги паллиативной медицинской помощи»:
    # the register does not say which providers those are; the Fund lists them (reading S7)
    exempt_provider_ids: tuple[str, ...] = ()


class RepeatEmergencyCall(Rule):
    """Прил. 1 (2022), код 6.12: a repeat emergency call to the same patient within 24 hours."""

    window_hours: int = Field(ge=1)
    same_provider: bool = False


class LateDeathRegistration(Rule):
    """Прил. 1 (2022), код 2.3: death registered later than 10 days after it."""

    max_days: int = Field(ge=0)


class LongWaitKdu(Rule):
    """Прил. 1 (2022), код 7.1: waiting for a КДУ service more than 10 working days; (2026),
    код 7.0: waiting for services more than 15 working days."""

    max_workdays: int = Field(ge=0)
    service_code_prefixes: tuple[str, ...] | None = None


class DuplicateService(Rule):
    """Protocol item 13: the same service to the same patient by one provider the same day."""


class PcrOverLimit(Rule):
    """Protocol item 13: more than 2 PCR services to a patient within 30 calendar days."""

    max_count: int = Field(ge=1)
    window_days: int = Field(ge=1)
    service_codes: tuple[str, ...] = Field(min_length=1)


# --------------------------------------------------------------------------- helpers
def _of_type(records: pl.LazyFrame, record_type: str) -> pl.LazyFrame:
    return records.filter(pl.col("record_type") == record_type)


def _join_ids(ids: pl.Expr) -> pl.Expr:
    return ids.list.sort().list.join(EVIDENCE_SEPARATOR)


def _with_others(lf: pl.LazyFrame, ids: str, out: str) -> pl.LazyFrame:
    """``lf`` plus list column ``out``: the ids of list column ``ids`` other than the row's own
    ``record_id`` (a null list stays null).

    An explode, a filter and a join back by ``row`` rather than ``list.set_difference``
    against ``concat_list(record_id)``, which panicked in polars 2.1's streaming engine on a
    10M-record CSV register when the id lists came from a window (an index out of bounds in
    list set operations, depending on the chunking)."""
    others = (
        lf.select(ROW, "record_id", pl.col(ids).alias(out))
        .filter(pl.col(out).is_not_null())
        .explode(out)
        .group_by(ROW)
        .agg(pl.col(out).filter(pl.col(out) != pl.col("record_id")).unique().sort())
    )
    return lf.join(others, on=ROW, how="left")


# --------------------------------------------------------------------------- 4.0
@rule("repeat_hospitalization", params=RepeatHospitalization)
def repeat_hospitalization(records: pl.LazyFrame, p: RepeatHospitalization) -> pl.LazyFrame:
    """Прил. 1, код 4.0 «Необоснованная повторная госпитализация (30 календарных дней со дня
    завершения лечения в стационаре)».

    A hospitalization is flagged when an earlier hospitalization of the same patient was
    discharged 1..``window_days`` calendar days before its admission (0..window_days with
    ``include_same_day``; reading S1). Evidence: the earlier hospitalization(s) with the latest
    such discharge date; ``days`` = admission − that discharge.

    2026 edition, код 4.0: «…, кроме поставщиков, оказывающих услуги паллиативной медицинской
    помощи» — a readmission BY a provider of ``exempt_provider_ids`` is not flagged (the
    register does not say which providers give palliative care: the Fund lists them; reading
    S7). Their stays still count as earlier stays of other providers' readmissions.
    """
    by = ["patient_id", "provider_id"] if p.same_provider else ["patient_id"]
    h = _of_type(records, "hospitalization")
    if p.exempt_provider_ids:
        exempt = pl.col("provider_id").is_in(list(p.exempt_provider_ids))
        return _repeat_hospitalization(h, by, p).filter(~exempt)
    return _repeat_hospitalization(h, by, p)


def _repeat_hospitalization(
    h: pl.LazyFrame, by: list[str], p: RepeatHospitalization
) -> pl.LazyFrame:
    if not p.include_same_day:
        return _repeat_hospitalization_after_day0(h, by, p.window_days)
    # candidates: per patient and discharge date, the ids discharged that day
    ends = (
        h.group_by(*by, "discharged_on")
        .agg(pl.col("record_id").alias("_ids"))
        .rename({"discharged_on": "_ev_date"})
        .with_columns(pl.col("_ev_date").alias("_key"))
        .sort("_key")
    )

    def asof(left: pl.LazyFrame, gap: int, suffix: str) -> pl.LazyFrame:
        # п. 4.0: the term runs from the day after the discharge (gap 1) — the latest discharge
        # on or before admission − gap
        keyed = left.with_columns((pl.col("admitted_on") - pl.duration(days=gap)).alias("_key"))
        joined = keyed.sort("_key").join_asof(
            ends, on="_key", by=by, strategy="backward", check_sortedness=False
        )
        return joined.drop("_key").rename({"_ev_date": f"_d{suffix}", "_ids": f"_ids{suffix}"})

    j = asof(h, 1, "1")
    if p.include_same_day:
        j = asof(j, 0, "0")
        # a same-day candidate group may hold the record itself (admitted and discharged the
        # same day): it is not its own evidence
        j = _with_others(j, "_ids0", "_others0")
        others = pl.col("_others0")
        use0 = (pl.col("_d0") == pl.col("admitted_on")) & (others.list.len() > 0)
        j = j.with_columns(
            _ev_date=pl.when(use0).then(pl.col("_d0")).otherwise(pl.col("_d1")),
            _ev_ids=pl.when(use0).then(others).otherwise(pl.col("_ids1")),
        )
    else:
        j = j.with_columns(_ev_date=pl.col("_d1"), _ev_ids=pl.col("_ids1"))
    days = (pl.col("admitted_on") - pl.col("_ev_date")).dt.total_days()
    hits = j.filter(pl.col("_ev_date").is_not_null()).with_columns(days=days)
    hits = hits.filter(pl.col("days") <= p.window_days).with_columns(
        evidence_ids=_join_ids(pl.col("_ev_ids")), event_date=pl.col("admitted_on")
    )
    return hits


def _repeat_hospitalization_after_day0(
    h: pl.LazyFrame, by: list[str], window_days: int
) -> pl.LazyFrame:
    """Код 4.0 with the default reading S1 (day 0 not counted): the same result as the general
    plan, cheaper. For each admission, the latest discharge date of the patient's other stays
    that is before the admission day (on or before admission − 1); every stay discharged that
    day is evidence. A record is never its own evidence here: its own discharge is not before
    its admission (an order check of the register)."""
    h = h.cache()  # used three times below (polars 2.1 would otherwise run it three times)
    latest = _latest_earlier_discharge(h, by)
    days = (pl.col("admitted_on") - pl.col("_ev_date")).dt.total_days()
    hits = (
        h.join(latest, on=ROW, how="inner")
        .with_columns(days=days)
        .filter(pl.col("days") <= window_days)
    ).cache()
    # п. 4.0: every earlier hospitalization discharged on that latest date is evidence
    evidence = (
        hits.select(ROW, *by, "_ev_date")
        .join(
            h.select(*by, pl.col("discharged_on").alias("_ev_date"), pl.col("record_id").alias("_ev")),
            on=[*by, "_ev_date"],
            how="inner",
        )
        .group_by(ROW)
        .agg(evidence_ids=_join_ids(pl.col("_ev").implode()))
    )
    return hits.join(evidence, on=ROW, how="left").with_columns(event_date=pl.col("admitted_on"))


#: a polars Date is a signed 32-bit day count: plus 2³¹ it is a number in [0, 2³²), so a
#: group number times 2³² plus it orders by group, then by date (and fits in 64 bits)
_DAY_OFFSET = 1 << 31
_GROUP_SCALE = 1 << 32


def _latest_earlier_discharge(h: pl.LazyFrame, by: list[str]) -> pl.LazyFrame:
    """``(row, _ev_date)`` for each hospitalization that has one: the latest discharge date of
    the same patient's (``by``'s) stays that is before its admission day.

    A patient's stays in order of admission: stays admitted the same day or later are
    discharged no earlier than this admission, so the answer lies among the stays before it.
    When the latest discharge among them (a running maximum) is before this admission, it is
    the answer. When it is not (an earlier stay still open on this admission day: overlapping
    stays, rare), the answer is found exactly by an as-of join over that patient's stays only.
    The running maximum runs over the whole sorted frame at once, the group number packed
    above the date (group · 2³² + day), so it never carries a date into the next patient.
    Measured at 10M records (1M hospitalizations): about 2x cheaper than the as-of join by
    patient over every stay."""
    stays = h.select(ROW, *by, "admitted_on", "discharged_on").sort(
        _key_hash(by), *by, "admitted_on"
    )
    new_group = pl.any_horizontal([pl.col(k) != pl.col(k).shift(1) for k in by]).fill_null(True)
    day = pl.col("discharged_on").cast(pl.Int64) + _DAY_OFFSET
    stays = stays.with_columns(_g=new_group.cast(pl.Int64).cum_sum())
    stays = stays.with_columns(
        _prev=(pl.col("_g") * _GROUP_SCALE + day).cum_max().shift(1)
    ).with_columns(
        _same=(pl.col("_prev") // _GROUP_SCALE == pl.col("_g")).fill_null(False),
        _max=(pl.col("_prev") % _GROUP_SCALE - _DAY_OFFSET).cast(pl.Int32).cast(pl.Date),
    ).cache()
    simple = stays.filter(pl.col("_same") & (pl.col("_max") < pl.col("admitted_on"))).select(
        ROW, _ev_date=pl.col("_max")
    )
    overlapped = stays.filter(pl.col("_same") & (pl.col("_max") >= pl.col("admitted_on")))
    patients = overlapped.select(by).unique()
    sub = h.join(patients, on=by, how="semi")
    ends = sub.select(*by, pl.col("discharged_on").alias("_key")).sort("_key")
    keyed = overlapped.select(
        ROW, *by, (pl.col("admitted_on") - pl.duration(days=1)).alias("_key")
    )
    exact = (
        keyed.sort("_key")
        .join_asof(
            ends.with_columns(pl.col("_key").alias("_ev_date")),
            on="_key",
            by=by,
            strategy="backward",
            check_sortedness=False,
        )
        .filter(pl.col("_ev_date").is_not_null())
        .select(ROW, "_ev_date")
    )
    return pl.concat([simple, exact])


# --------------------------------------------------------------------------- 6.12
@rule("repeat_emergency_call", params=RepeatEmergencyCall)
def repeat_emergency_call(records: pl.LazyFrame, p: RepeatEmergencyCall) -> pl.LazyFrame:
    """Прил. 1, код 6.12 «Повторный вызов скорой помощи в течение 24 часов к одному и тому же
    пациенту».

    Calls of a patient in order of (call_at, record_id); a call at most ``window_hours`` after
    the previous one (exactly 24 h 00 min included; reading S2) is flagged, citing it.
    """
    by = ["patient_id", "provider_id"] if p.same_provider else ["patient_id"]
    # first by a hash of the patient (a sort on integers; the ids themselves follow, so a
    # patient's calls stay together even if two patients' hashes were equal): ~3x cheaper
    # than sorting on the id strings first, measured at 10M records
    c = _of_type(records, "emergency_call").sort(_key_hash(by), *by, "call_at", "record_id")
    same = pl.all_horizontal([pl.col(k) == pl.col(k).shift(1) for k in by])
    seconds = (pl.col("call_at") - pl.col("call_at").shift(1)).dt.total_seconds()
    hits = (
        c.with_columns(
            _same=same,
            _seconds=seconds,
            evidence_ids=pl.col("record_id").shift(1),
        )
        .filter(pl.col("_same") & (pl.col("_seconds") <= p.window_hours * 3600))
        .with_columns(
            hours=pl.col("_seconds").cast(pl.Float64) / 3600.0,
            event_date=pl.col("call_at").dt.date(),
        )
    )
    return hits


# --------------------------------------------------------------------------- 2.3
@rule("late_death_registration", params=LateDeathRegistration)
def late_death_registration(records: pl.LazyFrame, p: LateDeathRegistration) -> pl.LazyFrame:
    """Прил. 1, код 2.3 «Несвоевременная регистрация сведений смерти, позднее 10 дней с момента
    смерти больного …».

    ``days`` = death_registered_on − died_on; more than ``max_days`` is late (10 on time,
    11 late; reading S3). No evidence record: the death record is its own evidence.
    """
    days = (pl.col("death_registered_on") - pl.col("died_on")).dt.total_days()
    return (
        _of_type(records, "death")
        .with_columns(days=days, event_date=pl.col("died_on"))
        .filter(pl.col("days") > p.max_days)
    )


# --------------------------------------------------------------------------- 7.1
def kdu_services(records: pl.LazyFrame, p: LongWaitKdu) -> pl.LazyFrame:
    """The services ``long_wait_kdu`` looks at: a referral date and (optionally) a КДУ code."""
    s = _of_type(records, "service").filter(pl.col("referred_on").is_not_null())
    if p.service_code_prefixes is not None:
        s = s.filter(
            pl.any_horizontal(
                [pl.col("service_code").str.starts_with(x) for x in p.service_code_prefixes]
            )
        )
    return s


def outside_calendar(col: str, calendar: WorkdayCounter) -> pl.Expr:
    return (pl.col(col) < calendar.first) | (pl.col(col) > calendar.last)


def _waited(calendar: WorkdayCounter) -> Callable[[pl.Series], pl.Series]:
    def fn(s: pl.Series) -> pl.Series:
        ref = s.struct.field("referred_on").to_numpy().astype("datetime64[D]")
        svc = s.struct.field("service_date").to_numpy().astype("datetime64[D]")
        # working days after the referral day up to the service day, both counted:
        # count(ref..svc) minus the referral day itself when it is a working day
        n = calendar.count_workdays_array(ref, svc) - calendar.count_workdays_array(ref, ref)
        return pl.Series(s.name, n, dtype=pl.Int64)

    return fn


def long_wait_kdu_errors(
    records: pl.LazyFrame, p: LongWaitKdu, calendar: WorkdayCounter
) -> pl.LazyFrame:
    """Data errors: КДУ services with a date outside the calendar's covered range."""
    rng = f"{calendar.first.isoformat()} .. {calendar.last.isoformat()}"
    s = kdu_services(records, p)
    parts = [
        s.filter(outside_calendar(col, calendar)).select(
            pl.col(ROW),
            pl.col("record_id"),
            pl.lit(col).alias("field"),
            pl.col(col).cast(pl.String).alias("value"),
            pl.lit(
                f"outside the working-day calendar ({rng}); long_wait_kdu (код {p.code}) cannot "
                "count working days there"
            ).alias("message"),
        )
        for col in ("referred_on", "service_date")
    ]
    return pl.concat(parts)


@rule("long_wait_kdu", params=LongWaitKdu, errors=long_wait_kdu_errors, needs_calendar=True)
def long_wait_kdu(
    records: pl.LazyFrame, p: LongWaitKdu, calendar: WorkdayCounter
) -> pl.LazyFrame:
    """Прил. 1 (2022), код 7.1 «Длительность ожидания КДУ услуг более 10 рабочих дней»;
    Прил. 1 (2026), код 7.0 «Длительность ожидания услуг более 15 рабочих дней».

    ``workdays`` = working days after the referral day up to and including the service day,
    on the Kazakhstan working-day calendar; more than ``max_workdays`` of the edition in force
    (10 in 2022, 15 in 2026) is a long wait (the last allowed working day is on time, a later
    day is not; readings S4, S7). Services whose dates the
    calendar does not cover are data errors (``long_wait_kdu_errors``), not screened here.
    """
    s = kdu_services(records, p).filter(
        ~outside_calendar("referred_on", calendar) & ~outside_calendar("service_date", calendar)
    )
    waited = pl.struct("referred_on", "service_date").map_batches(
        _waited(calendar), return_dtype=pl.Int64, is_elementwise=True
    )
    # a count that reaches into a provisional calendar year is marked with its note
    final_last = calendar.final_last
    notes = {
        y: "; ".join(calendar.provisional_notes(dt.date(y, 12, 31)))
        for y in range(final_last.year + 1, calendar.last.year + 1)
    }
    provisional = pl.col("service_date") > pl.lit(final_last)
    return (
        s.with_columns(workdays=waited, event_date=pl.col("service_date"))
        .filter(pl.col("workdays") > p.max_workdays)
        .with_columns(
            calendar_provisional=provisional,
            calendar_note=pl.when(provisional).then(
                pl.col("service_date")
                .dt.year()
                .replace_strict(notes, default=None, return_dtype=pl.String)
            ),
        )
    )



# --------------------------------------------------------------------------- item 13
def _key_hash(columns: list[str]) -> pl.Expr:
    """A 64-bit hash of the columns together, for a pre-filter only (equal keys → equal
    hashes; distinct keys may collide, so an exact step follows): the XOR of each column's
    hash with its own seed, measured about 2x cheaper than hashing a struct of them."""
    return pl.reduce(
        lambda acc, x: acc ^ x, [pl.col(c).hash(seed=i + 1) for i, c in enumerate(columns)]
    )


@rule("duplicate_service", params=DuplicateService)
def duplicate_service(records: pl.LazyFrame, p: DuplicateService) -> pl.LazyFrame:
    """Protocol item 13: the same service code to the same patient by the same provider on the
    same day more than once. Every record of such a group is flagged, citing the others;
    ``count`` = the group's size (reading S5)."""
    key = ["patient_id", "provider_id", "service_code", "service_date"]
    # a cheap pre-filter on a 64-bit hash of the key (equal keys have equal hashes, so no
    # duplicate is lost), then the exact window over the few candidates: the exact window over
    # every service was the costliest step at 10M records (time and memory). The repeated
    # hashes are found by a sort of the hashes alone (a window count per hash, or
    # is_duplicated, took 3-4x longer at 10M), and the candidates are fetched by their rows:
    # filtering the services first made polars copy every column of 8M records.
    # .cache(): each of these plans is used twice below; without it polars 2.1 ran them twice
    # (the common-subplan elimination did not merge them; the hash was computed 4 times).
    # Every record is hashed, whatever its type (a when/then on the type cost a third of the
    # hash): other records with equal keys (code and date both null) are candidates too, and
    # are dropped with the type before the exact window.
    hashed = records.select(ROW, _h=_key_hash(key)).cache()
    repeated = (
        hashed.select("_h")
        .sort("_h")
        .filter(pl.col("_h") == pl.col("_h").shift(1))
        .unique()
    )
    rows = hashed.join(repeated, on="_h", how="semi").select(ROW)
    candidates = _of_type(records.join(rows, on=ROW, how="semi"), "service")
    dups = candidates.filter(pl.len().over(key) > 1)
    # the group's ids by a window over the (few) duplicates: no group_by + join back
    dups = dups.with_columns(
        _ids=pl.col("record_id").over(key, mapping_strategy="join"), count=pl.len().over(key)
    ).cache()
    return _with_others(dups, "_ids", "_others").with_columns(
        evidence_ids=_join_ids(pl.col("_others")), event_date=pl.col("service_date")
    )


@rule("pcr_over_limit", params=PcrOverLimit)
def pcr_over_limit(records: pl.LazyFrame, p: PcrOverLimit) -> pl.LazyFrame:
    """Protocol item 13: more than ``max_count`` PCR services (codes ``service_codes``) to one
    patient within any ``window_days`` calendar days.

    A patient's PCR services in order of (service_date, record_id): a service is flagged when
    the ``max_count``-th service before it is at most ``window_days − 1`` days earlier (three
    services whose first and last dates are ≤ 29 days apart flag the third; reading S6). Its
    evidence: those ``max_count`` previous services; ``days`` = the span.
    """
    k = p.max_count
    s = (
        _of_type(records, "service")
        .filter(pl.col("service_code").is_in(p.service_codes))
        # by a hash of the patient first, as repeat_emergency_call
        .sort(_key_hash(["patient_id"]), "patient_id", "service_date", "record_id")
    )
    prev_ids = pl.concat_list([pl.col("record_id").shift(i) for i in range(1, k + 1)])
    span = (pl.col("service_date") - pl.col("service_date").shift(k)).dt.total_days()
    return (
        s.with_columns(
            _same=pl.col("patient_id") == pl.col("patient_id").shift(k),
            days=span,
            _ev=prev_ids,
        )
        .filter(pl.col("_same").fill_null(False) & (pl.col("days") <= p.window_days - 1))
        .with_columns(evidence_ids=_join_ids(pl.col("_ev")), event_date=pl.col("service_date"))
    )
