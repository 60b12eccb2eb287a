"""``WorkCalendar``: a working-day calendar fed by data, with O(1)/O(log n) arithmetic.

The Rules count most of their terms in working days (рабочие дни). A calendar here is the
explicit list of working days of a covered range (a sorted ``datetime64[D]`` array) plus, for
every day that differs from the plain Monday–Friday week, the reason and its legal source. It
never guesses: a date outside the covered range raises ``CalendarRangeError``.

Arithmetic uses a rank table: ``_rank_lt[i]`` is the number of working days strictly before
``first + i``. Adding *n* working days is then one table look-up and one index into the sorted
array of working days (what ``np.searchsorted`` would find, precomputed for every day of the
range), so the scalar and the vectorised forms cost O(1) per date and never loop day by day.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..errors import CalendarRangeError

if TYPE_CHECKING:  # pragma: no cover
    import polars as pl

_EPOCH = dt.date(1970, 1, 1)
DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class DayNote:
    """Why a day differs from the plain five-day week, and the legal source of that.

    ``name`` is the name as the data gives it (English for the ``holidays`` package's days);
    ``name_ru`` and ``name_kk`` the Russian and Kazakh names where known (:meth:`label`)."""

    date: dt.date
    working: bool  # True: a Saturday/Sunday made a working day; False: a weekday off
    name: str
    reference: str
    name_ru: str = ""
    name_kk: str = ""

    def label(self, lang: str = "ru") -> str:
        """The day's name in ``lang`` ("ru", "kk" or "en"), falling back to ``name``."""
        if lang == "ru" and self.name_ru:
            return self.name_ru
        if lang == "kk" and self.name_kk:
            return self.name_kk
        return self.name


@dataclass(frozen=True, slots=True)
class ProvisionalYear:
    """A year the calendar computes without its transfer act: results are marked (never
    silently final). ``note_ru`` / ``note_en`` name the missing act."""

    year: int
    note_ru: str
    note_en: str
    reference: str = ""

    def note(self, lang: str = "ru") -> str:
        return self.note_en if lang == "en" else self.note_ru


def _ord(d: dt.date) -> int:
    return (d - _EPOCH).days


def _as_date(value: Any) -> dt.date:
    # a datetime is a date subclass: refused, so a time of day never slips into a term
    if isinstance(value, dt.datetime):
        raise TypeError(f"expected a date, got a datetime {value!r}; pass value.date()")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, np.datetime64):
        return dt.date.fromisoformat(str(value.astype("datetime64[D]")))
    raise TypeError(f"expected a datetime.date, got {type(value).__name__} {value!r}")


class WorkCalendar:
    """A working-day calendar over an explicit covered range ``first .. last`` (inclusive).

    Parameters
    ----------
    first, last:
        The covered range. Every method raises ``CalendarRangeError`` for a date (or a result)
        outside it.
    days_off:
        Days that are not working days although they are not on the weekend (holidays,
        transferred days off), mapped to a ``DayNote`` or a plain name. Weekend dates listed
        here are allowed and only annotate (e.g. a holiday falling on a Saturday).
    working_weekend_days:
        Weekend days declared working days (перенос выходного дня), mapped like ``days_off``.
    weekend:
        ISO weekdays of the weekly rest (default Saturday 6 and Sunday 7: the five-day week).
    name:
        A short description shown in errors and reports.
    provisional:
        Years of the range computed without their transfer act (the last years of the range):
        every result that uses one of their days is marked (:meth:`provisional_notes`).
    """

    def __init__(
        self,
        first: dt.date,
        last: dt.date,
        days_off: Mapping[dt.date, DayNote | str] | Iterable[dt.date] = (),
        working_weekend_days: Mapping[dt.date, DayNote | str] | Iterable[dt.date] = (),
        *,
        weekend: Iterable[int] = (6, 7),
        name: str = "working-day calendar",
        provisional: Iterable[ProvisionalYear] = (),
    ) -> None:
        if first > last:
            raise ValueError(f"calendar range is empty: first {first} is after last {last}")
        self.first = first
        self.last = last
        self.name = name
        self.weekend = frozenset(weekend)
        bad_wd = sorted(w for w in self.weekend if not 1 <= w <= 7)
        if bad_wd:
            raise ValueError(f"weekend days must be ISO weekdays 1..7, got {bad_wd}")
        notes: dict[dt.date, DayNote] = {}
        off = self._notes(days_off, working=False)
        on = self._notes(working_weekend_days, working=True)
        both = sorted(set(off) & set(on))
        if both:
            raise ValueError(f"dates both off and working: {[d.isoformat() for d in both]}")
        for d in on:
            if d.isoweekday() not in self.weekend:
                raise ValueError(
                    f"{d} ({d:%A}) is listed as a working weekend day but is not on the weekend"
                )
        notes.update(off)
        notes.update(on)
        outside = sorted(d for d in notes if not first <= d <= last)
        if outside:
            raise ValueError(
                f"days listed outside the covered range {first}..{last}: "
                f"{[d.isoformat() for d in outside]}"
            )
        self._notes_by_date = dict(sorted(notes.items()))
        self._provisional = {p.year: p for p in provisional}
        years = sorted(self._provisional)
        if years and (years != list(range(years[0], last.year + 1)) or years[0] <= first.year):
            raise ValueError(
                f"provisional years {years} must be the last years of the range "
                f"{first}..{last}, after its first year"
            )
        #: the last day of the final coverage (holidays and transfer acts in the data)
        self.final_last = dt.date(years[0] - 1, 12, 31) if years else last

        self._first_ord = _ord(first)
        size = _ord(last) - self._first_ord + 1
        days = np.arange(size, dtype=np.int64)
        # 1970-01-01 was a Thursday (ISO 4).
        iso_wd = (days + self._first_ord + 3) % 7 + 1
        working = ~np.isin(iso_wd, np.array(sorted(self.weekend), dtype=np.int64))
        for d, note in self._notes_by_date.items():
            working[_ord(d) - self._first_ord] = note.working
        self._working: npt.NDArray[np.bool_] = working
        #: the working days of the covered range, sorted, as int days since 1970-01-01
        self._workdays: IntArray = (np.flatnonzero(working) + self._first_ord).astype(np.int64)
        rank_lt = np.zeros(size, dtype=np.int64)
        np.cumsum(working[:-1], out=rank_lt[1:])
        self._rank_lt: IntArray = rank_lt  # working days strictly before day i
        self._rank_le: IntArray = rank_lt + working  # working days up to and including day i

    @staticmethod
    def _notes(
        source: Mapping[dt.date, DayNote | str] | Iterable[dt.date], *, working: bool
    ) -> dict[dt.date, DayNote]:
        out: dict[dt.date, DayNote] = {}
        items: Iterable[tuple[dt.date, DayNote | str]]
        items = source.items() if isinstance(source, Mapping) else ((d, "") for d in source)
        for d, v in items:
            d = _as_date(d)
            if isinstance(v, DayNote):
                out[d] = DayNote(d, working, v.name, v.reference, v.name_ru, v.name_kk)
            else:
                out[d] = DayNote(d, working, v, "")
        return out

    # ------------------------------------------------------------------ helpers
    def __repr__(self) -> str:
        return f"WorkCalendar({self.name!r}, {self.first}..{self.last})"

    def _index(self, d: dt.date, what: str = "date") -> int:
        d = _as_date(d)
        i = _ord(d) - self._first_ord
        if not 0 <= i < self._working.size:
            raise CalendarRangeError(
                f"{what} {d.isoformat()} is outside the covered range of the {self.name} "
                f"({self.first.isoformat()} .. {self.last.isoformat()}); add the year's days off "
                "and transfers to the calendar data (--calendar-file FILE, OSMS_DEFECTS_CALENDAR "
                "or kazakhstan(extra_file=...); docs/calendar.md) before computing terms in it"
            )
        return i

    def _workday_at(self, k: int, start: dt.date, n: int) -> dt.date:
        if not 0 <= k < self._workdays.size:
            raise CalendarRangeError(
                f"{start.isoformat()} {'+' if n >= 0 else '-'} {abs(n)} working days falls "
                f"outside the covered range of the {self.name} "
                f"({self.first.isoformat()} .. {self.last.isoformat()})"
            )
        return _EPOCH + dt.timedelta(days=int(self._workdays[k]))

    # ------------------------------------------------------------------ provisional years
    @property
    def provisional_years(self) -> tuple[ProvisionalYear, ...]:
        """The years computed without their transfer act, in order (empty: all final)."""
        return tuple(self._provisional[y] for y in sorted(self._provisional))

    def is_provisional(self, d: dt.date) -> bool:
        """Whether ``d`` (inside the range) is a day of a provisional year."""
        self._index(d)
        return _as_date(d) > self.final_last

    def provisional_notes(self, *dates: dt.date | None, lang: str = "ru") -> tuple[str, ...]:
        """The notes of the provisional years a result spanning ``dates`` relies on: every
        provisional year from the earliest to the latest of ``dates`` (a term counted across
        a year uses each day between). Empty when all of them are final; ``None`` is skipped."""
        known = [_as_date(d) for d in dates if d is not None]
        if not known or max(known) <= self.final_last:
            return ()
        lo = max(min(known).year, self.final_last.year + 1)
        return tuple(
            self._provisional[y].note(lang)
            for y in range(lo, max(known).year + 1)
            if y in self._provisional
        )

    def strict(self) -> WorkCalendar:
        """This calendar without its provisional years: a date in them is refused with
        ``CalendarRangeError`` (the ``strict_calendar`` option)."""
        if not self._provisional:
            return self
        last = self.final_last
        notes = {d: n for d, n in self._notes_by_date.items() if d <= last}
        return WorkCalendar(
            self.first,
            last,
            {d: n for d, n in notes.items() if not n.working},
            {d: n for d, n in notes.items() if n.working},
            weekend=self.weekend,
            name=self.name,
        )

    # ------------------------------------------------------------------ scalar API
    def covers(self, d: dt.date) -> bool:
        """Whether ``d`` is inside the covered range."""
        return self.first <= _as_date(d) <= self.last

    def is_workday(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day (рабочий день)."""
        return bool(self._working[self._index(d)])

    def note(self, d: dt.date) -> DayNote | None:
        """Why ``d`` differs from the plain week (holiday, transfer…), or None."""
        self._index(d)
        return self._notes_by_date.get(_as_date(d))

    def notes(self, start: dt.date | None = None, end: dt.date | None = None) -> list[DayNote]:
        """Every annotated day in ``start .. end`` (default: the whole covered range)."""
        lo = start or self.first
        hi = end or self.last
        self._index(lo)
        self._index(hi)
        return [n for d, n in self._notes_by_date.items() if lo <= d <= hi]

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``d`` (``d`` itself not counted).

        Negative ``n`` counts back: the ``|n|``-th working day before ``d``. ``n == 0``
        returns ``d`` unchanged (even when it is not a working day).
        """
        d = _as_date(d)
        i = self._index(d)
        n = operator.index(n)  # an int (numpy's too); 2.5 working days is a TypeError
        if n == 0:
            return d
        k = int(self._rank_le[i]) + n - 1 if n > 0 else int(self._rank_lt[i]) + n
        return self._workday_at(k, d, n)

    def count_workdays(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``start .. end``, both ends included; 0 if ``start > end``."""
        i = self._index(start, "start")
        j = self._index(end, "end")
        if i > j:
            return 0
        return int(self._rank_le[j] - self._rank_lt[i])

    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        return self.add_workdays(d, 1)

    def previous_workday(self, d: dt.date) -> dt.date:
        """The last working day strictly before ``d``."""
        return self.add_workdays(d, -1)

    def roll_forward(self, d: dt.date) -> dt.date:
        """``d`` if it is a working day, else the next working day."""
        return d if self.is_workday(d) else self.next_workday(d)

    def workdays(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """The working days of ``start .. end`` (both included), in order."""
        i = self._index(start, "start")
        j = self._index(end, "end")
        if i > j:
            return iter(())
        lo = int(self._rank_lt[i])
        hi = int(self._rank_le[j])
        return (_EPOCH + dt.timedelta(days=int(x)) for x in self._workdays[lo:hi])

    def days_off(self, start: dt.date, end: dt.date) -> Iterator[dt.date]:
        """The non-working days (weekends and holidays) of ``start .. end``."""
        i = self._index(start, "start")
        j = self._index(end, "end")
        idx = np.flatnonzero(~self._working[i : j + 1]) + i + self._first_ord
        return (_EPOCH + dt.timedelta(days=int(x)) for x in idx)

    # ------------------------------------------------------------------ vectorised API
    def _offsets(self, dates: DateArray, what: str) -> IntArray:
        arr = np.asarray(dates)
        if arr.dtype.kind != "M":
            raise TypeError(f"{what}: expected a numpy datetime64 array, got dtype {arr.dtype}")
        days = arr.astype("datetime64[D]")
        if np.isnat(days).any():
            pos = int(np.flatnonzero(np.isnat(days))[0])
            raise CalendarRangeError(f"{what}: missing date (NaT) at position {pos}")
        off = days.astype(np.int64) - self._first_ord
        bad = (off < 0) | (off >= self._working.size)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise CalendarRangeError(
                f"{what}: {int(bad.sum())} date(s) outside the covered range of the {self.name} "
                f"({self.first.isoformat()} .. {self.last.isoformat()}); first at position "
                f"{pos}: {days.reshape(-1)[pos] if days.ndim else days}"
            )
        return off

    def is_workday_array(self, dates: DateArray) -> npt.NDArray[np.bool_]:
        """Vectorised ``is_workday``."""
        return self._working[self._offsets(dates, "dates")]

    def add_workdays_array(self, dates: DateArray, n: int | npt.ArrayLike) -> DateArray:
        """Vectorised ``add_workdays`` over a ``datetime64[D]`` array; ``n`` scalar or array."""
        off = self._offsets(dates, "dates")
        steps = np.asarray(n, dtype=np.int64)
        if steps.ndim == 0:
            s = int(steps)
            if s == 0:
                return (off + self._first_ord).astype("datetime64[D]")
            k = self._rank_le[off] + (s - 1) if s > 0 else self._rank_lt[off] + s
        else:
            steps = np.broadcast_to(steps, off.shape)
            k = np.where(steps > 0, self._rank_le[off] + steps - 1, self._rank_lt[off] + steps)
            k = np.where(steps == 0, 0, k)  # n == 0 returns the date itself: no look-up
        bad = (k < 0) | (k >= self._workdays.size)
        if bad.any():
            pos = int(np.flatnonzero(bad.reshape(-1))[0])
            raise CalendarRangeError(
                f"{int(bad.sum())} result(s) fall outside the covered range of the {self.name} "
                f"({self.first.isoformat()} .. {self.last.isoformat()}); first at position {pos}"
            )
        out = self._workdays[k]
        if steps.ndim:
            out = np.where(steps == 0, off + self._first_ord, out)
        return out.astype("datetime64[D]")

    def count_workdays_array(self, start: DateArray, end: DateArray) -> IntArray:
        """Vectorised ``count_workdays`` (both ends included; 0 where start > end)."""
        i = self._offsets(start, "start")
        j = self._offsets(end, "end")
        counts = self._rank_le[j] - self._rank_lt[i]
        return np.where(i > j, 0, counts).astype(np.int64)

    # ------------------------------------------------------------------ polars helpers
    def add_workdays_series(self, dates: pl.Series, n: int | pl.Series) -> pl.Series:
        """``add_workdays`` over a polars Date column; nulls stay null."""
        import polars as pl

        mask = dates.is_not_null().to_numpy()
        values = dates.filter(pl.Series(mask)).to_numpy().astype("datetime64[D]")
        if isinstance(n, pl.Series):
            steps: int | npt.NDArray[np.int64] = n.to_numpy()[mask].astype(np.int64)
        else:
            steps = n
        result = self.add_workdays_array(values, steps)
        return _scatter(dates.name, mask, result)

    def count_workdays_series(self, start: pl.Series, end: pl.Series) -> pl.Series:
        """``count_workdays`` over two polars Date columns; null where either is null."""
        import polars as pl

        mask = (start.is_not_null() & end.is_not_null()).to_numpy()
        keep = pl.Series(mask)
        counts = self.count_workdays_array(
            start.filter(keep).to_numpy().astype("datetime64[D]"),
            end.filter(keep).to_numpy().astype("datetime64[D]"),
        )
        out = np.zeros(mask.size, dtype=np.int64)
        out[mask] = counts
        return pl.Series("workdays", out, dtype=pl.Int64).scatter(
            np.flatnonzero(~mask).tolist(), None
        )

    def is_workday_series(self, dates: pl.Series) -> pl.Series:
        """``is_workday`` over a polars Date column; nulls stay null."""
        import polars as pl

        mask = dates.is_not_null().to_numpy()
        values = dates.filter(pl.Series(mask)).to_numpy().astype("datetime64[D]")
        out = np.zeros(mask.size, dtype=bool)
        out[mask] = self.is_workday_array(values)
        return pl.Series(dates.name, out, dtype=pl.Boolean).scatter(
            np.flatnonzero(~mask).tolist(), None
        )


def _scatter(name: str, mask: npt.NDArray[np.bool_], values: DateArray) -> pl.Series:
    import polars as pl

    out = np.zeros(mask.size, dtype="datetime64[D]")
    out[mask] = values
    series = pl.Series(name, out).cast(pl.Date)
    missing = np.flatnonzero(~mask).tolist()
    return series.scatter(missing, None) if missing else series
