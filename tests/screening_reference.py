"""A slow, obviously correct pure-Python version of every screening rule (issue 5).

Written from the rules' definitions (docs/screening.md, readings S1–S7), record by record with
plain loops over all pairs, independently of the polars code it checks. It takes the rules as
they run under one edition (``EditionRules``: the edition's parameters, e.g. 15 working days
for 2026 code 7.0); a rule that edition has no code for does not run (S7).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from osms_defects.screening.rules import (
    EditionRules,
    LateDeathRegistration,
    LongWaitKdu,
    PcrOverLimit,
    RepeatEmergencyCall,
    RepeatHospitalization,
)

#: detection dates of the two editions (R4): the 2022 one and the 2026 one (order No. 19)
D2022 = dt.date(2023, 6, 1)
D2026 = dt.date(2026, 6, 1)

Rec = dict[str, Any]
# (rule, record_id, evidence_ids, days, hours, workdays, count)
Hit = tuple[str, str, str | None, int | None, float | None, int | None, int | None]


def reference_screen_extras(
    records: list[Rec], rules: EditionRules, is_workday: Any, extras: list[str]
) -> list[tuple[Any, ...]]:
    """Each hit followed by the flagged record's values of the register's ``extras`` columns
    (issue 5: «extra columns are carried through»), looked up by its record id."""
    by_id = {rec["record_id"]: rec for rec in records}
    return [
        (*hit, *(by_id[hit[1]][c] for c in extras))
        for hit in reference_screen(records, rules, is_workday)
    ]


def reference_screen(records: list[Rec], rules: EditionRules, is_workday: Any) -> list[Hit]:
    out: list[Hit] = []
    run = rules.rules  # the rules that run under the edition, with its parameters
    by_type: dict[str, list[Rec]] = {}
    for rec in records:
        by_type.setdefault(rec["record_type"], []).append(rec)
    hosp = by_type.get("hospitalization", [])
    calls = by_type.get("emergency_call", [])
    deaths = by_type.get("death", [])
    services = by_type.get("service", [])

    # 4.0: (2026: not a readmission BY an exempt, palliative provider) an earlier stay discharged 1..30 (0..30 with same-day) days before the admission
    p = run.get("repeat_hospitalization")
    if isinstance(p, RepeatHospitalization):
        low = 0 if p.include_same_day else 1
        for h2 in hosp:
            cands = [
                h1
                for h1 in hosp
                if h1 is not h2
                and h1["patient_id"] == h2["patient_id"]
                and (not p.same_provider or h1["provider_id"] == h2["provider_id"])
                and (h2["admitted_on"] - h1["discharged_on"]).days >= low
            ]
            if not cands:
                continue
            latest = max(h1["discharged_on"] for h1 in cands)
            days = (h2["admitted_on"] - latest).days
            if days <= p.window_days and h2["provider_id"] not in p.exempt_provider_ids:
                ev = sorted(h1["record_id"] for h1 in cands if h1["discharged_on"] == latest)
                out.append(("repeat_hospitalization", h2["record_id"], ";".join(ev), days, None, None, None))

    # 6.12: the previous call of the patient at most 24 h before
    q = run.get("repeat_emergency_call")
    if isinstance(q, RepeatEmergencyCall):
        for c in calls:
            earlier = [
                o
                for o in calls
                if o["patient_id"] == c["patient_id"]
                and (not q.same_provider or o["provider_id"] == c["provider_id"])
                and (o["call_at"], o["record_id"]) < (c["call_at"], c["record_id"])
            ]
            if not earlier:
                continue
            prev = max(earlier, key=lambda o: (o["call_at"], o["record_id"]))
            seconds = (c["call_at"] - prev["call_at"]).total_seconds()
            if seconds <= q.window_hours * 3600:
                out.append(("repeat_emergency_call", c["record_id"], prev["record_id"], None, seconds / 3600.0, None, None))

    # 2.3: registered more than 10 days after the death
    d = run.get("late_death_registration")
    if isinstance(d, LateDeathRegistration):
        for rec in deaths:
            days = (rec["death_registered_on"] - rec["died_on"]).days
            if days > d.max_days:
                out.append(("late_death_registration", rec["record_id"], None, days, None, None, None))

    # 7.1 (2022): > 10, 7.0 (2026): > 15 working days after the referral day up to the service day
    k = run.get("long_wait_kdu")
    if isinstance(k, LongWaitKdu):
        for rec in services:
            if rec["referred_on"] is None:
                continue
            if k.service_code_prefixes is not None and not any(
                rec["service_code"].startswith(x) for x in k.service_code_prefixes
            ):
                continue
            waited = 0
            day = rec["referred_on"] + dt.timedelta(days=1)
            while day <= rec["service_date"]:
                waited += bool(is_workday(day))
                day += dt.timedelta(days=1)
            if waited > k.max_workdays:
                out.append(("long_wait_kdu", rec["record_id"], None, None, None, waited, None))

    # item 13: same patient, provider, code and day, more than once: each cites the others
    if "duplicate_service" in run:
        for rec in services:
            group = [
                o
                for o in services
                if (o["patient_id"], o["provider_id"], o["service_code"], o["service_date"])
                == (rec["patient_id"], rec["provider_id"], rec["service_code"], rec["service_date"])
            ]
            if len(group) > 1:
                ev = sorted(o["record_id"] for o in group if o is not rec)
                out.append(("duplicate_service", rec["record_id"], ";".join(ev), None, None, None, len(group)))

    # item 13: more than 2 PCR within 30 calendar days: the 3rd within 29 days of the 1st
    pc = run.get("pcr_over_limit")
    if isinstance(pc, PcrOverLimit):
        pcr = [s for s in services if s["service_code"] in pc.service_codes]
        for s in pcr:
            prior = [
                o
                for o in pcr
                if o["patient_id"] == s["patient_id"]
                and (o["service_date"], o["record_id"]) < (s["service_date"], s["record_id"])
                and (s["service_date"] - o["service_date"]).days <= pc.window_days - 1
            ]
            if len(prior) >= pc.max_count:
                last_k = sorted(prior, key=lambda o: (o["service_date"], o["record_id"]))[-pc.max_count :]
                span = (s["service_date"] - last_k[0]["service_date"]).days
                ev = sorted(o["record_id"] for o in last_k)
                out.append(("pcr_over_limit", s["record_id"], ";".join(ev), span, None, None, None))
    return out
