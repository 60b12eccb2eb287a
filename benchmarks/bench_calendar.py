"""Benchmark: +10 working days on 1,000,000 random dates 2020–2026, vectorised.

Baseline measured in the same run: ``numpy.busday_offset`` with a Monday–Friday weekmask and
the list of weekday days off (a ``numpy.busdaycalendar``) — fast, but it cannot know the
Saturdays and Sundays made working days by the transfer decrees, so some of its answers are
wrong. ``roll="preceding"`` gives numpy our semantics ("the n-th working day after d, d not
counted") for a start date that is not a working day.

Target (issue 4): within 1.5× numpy's time, with zero wrong answers on our side (checked
against a day-by-day walk on a sample).

    PYTHONPATH=src python benchmarks/bench_calendar.py [N]
"""

from __future__ import annotations

import datetime as dt
import sys
import time

import numpy as np

from osms_defects.calendar import kazakhstan


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    cal = kazakhstan()
    rng = np.random.default_rng(20240616)
    first = np.datetime64(cal.first, "D")
    # leave room for +10 working days before the end of the covered range
    span = (np.datetime64(cal.last, "D") - first).astype(int) - 30
    dates = first + rng.integers(0, span, size=n).astype("timedelta64[D]")

    weekday_off = [d for d in cal.days_off(cal.first, cal.last) if d.isoweekday() <= 5]
    bcal = np.busdaycalendar(weekmask="1111100", holidays=np.array(weekday_off, dtype="M8[D]"))

    ours = cal.add_workdays_array(dates, 10)
    theirs = np.busday_offset(dates, 10, roll="preceding", busdaycal=bcal)
    t_ours = best_of(lambda: cal.add_workdays_array(dates, 10))
    t_numpy = best_of(lambda: np.busday_offset(dates, 10, roll="preceding", busdaycal=bcal))

    # our answers checked against a plain day-by-day walk on a sample
    sample = rng.choice(n, size=min(n, 3000), replace=False)
    wrong_ours = 0
    for i in sample:
        d = dates[i].astype(dt.date)
        left, cur = 10, d
        while left:
            cur += dt.timedelta(days=1)
            left -= cal.is_workday(cur)
        wrong_ours += cur != ours[i].astype(dt.date)
    differ = int((ours != theirs).sum())

    print(f"dates: {n:,} random days {cal.first}..{cal.last}, +10 working days")
    print(f"osms-defects add_workdays_array: {t_ours * 1e3:9.1f} ms")
    print(f"numpy.busday_offset (baseline):  {t_numpy * 1e3:9.1f} ms")
    print(f"time ratio ours / numpy:         {t_ours / t_numpy:9.2f}x (target <= 1.5x)")
    print(f"numpy answers differing from ours (working weekend days): {differ:,} "
          f"({differ / n:.2%})")
    print(f"our wrong answers on a {sample.size:,}-date day-by-day check: {wrong_ours}")


if __name__ == "__main__":
    main()
