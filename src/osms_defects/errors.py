"""The library's errors.

Every error the library raises on purpose is an ``OsmsDefectsError``. Each message names what
was asked and what is allowed, so that a fund analyst can correct the input without reading
the code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class OsmsDefectsError(Exception):
    """Base class of every error raised by osms-defects."""


class UnknownDefectCodeError(OsmsDefectsError, LookupError):
    """A defect code that the edition's classifier (Annex 1) does not contain."""


class UnknownCareTypeError(OsmsDefectsError, LookupError):
    """A care type (column of Annex 1) that the edition does not have."""


class NotApplicableError(OsmsDefectsError):
    """The table prints "-" for this code and care type: the defect does not apply there."""


class PenaltyUndefinedError(OsmsDefectsError):
    """The table marks the code applicable ("+") but its group has no amount in that column.

    The printed Annex 1 has such cells; the library refuses to turn them into a silent zero.
    """


class GroupCodeNotAssignableError(OsmsDefectsError):
    """A group code (x.0) that has sub-codes was given where a defect must be assigned.

    Annex 1 prints the amount on the group row and the applicability ("+"/"-") on its
    sub-codes; a finding names the sub-code. See ``docs/readings.md`` (reading R1).
    """


class NoEditionError(OsmsDefectsError, LookupError):
    """No edition of the classifier was in force on the date asked for."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem found in a data file: where it is and what is wrong."""

    location: str  # "data/classifier.yaml:123" or "row 5"
    path: str  # key path such as "editions[0].defects[3].cells.inpatient"; may be ""
    message: str

    def __str__(self) -> str:
        where = self.location + (f" ({self.path})" if self.path else "")
        return f"{where}: {self.message}"


class DataFileError(OsmsDefectsError):
    """A data file (classifier, screening rules, calendar corrections …) is malformed.

    Carries every problem found, not only the first one. (Deliberately not a ValueError:
    pydantic would swallow it into a ValidationError when raised from a model validator.)
    """

    def __init__(self, file: str | Path, problems: Sequence[Problem]) -> None:
        self.file = str(file)
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{self.file}: {len(self.problems)} problem(s):\n{lines}")


class ClassifierFileError(DataFileError):
    """The classifier file cannot be loaded: every problem is listed with its location."""

    #: the problems as (key path, message), for the loader to locate them by line
    raw: tuple[tuple[tuple[str | int, ...], str], ...] = ()

    def with_paths(self, raw: Sequence[tuple[tuple[str | int, ...], str]]) -> ClassifierFileError:
        self.raw = tuple(raw)
        return self


# ---- 2026 edition (classifier of order No. 19 of 27.02.2026) ----


class DoubtfulCellError(OsmsDefectsError):
    """A cell the data marks doubtful (the secondary copy of the 2026 table is not sure of it).

    Raised unless the caller accepts the documented reading (``accept_doubtful=True``, or
    ``accept_reading=`` for a two-reading cell); a cell the copy does not print at all is
    refused always. See docs/edition_2026.md and readings E3–E4.
    """


class ReadingRequiredError(OsmsDefectsError):
    """A cell printed with two readings ("20 КПН/ПН") was used without choosing one.

    Pass ``accept_reading=`` with the basis of the reading (e.g. "KPN" or "PN"); reading E4.
    """


class OverrideFileError(DataFileError):
    """A fund's override file for the classifier (corrected start dates) is malformed."""


class EditionGapError(NoEditionError):
    """The date falls in a period whose edition's text is not in the sources (``gaps:``).

    ``orders`` names the orders whose texts are missing (e.g. No. 174 of 27.12.2023).
    """

    def __init__(self, message: str, orders: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.orders: tuple[str, ...] = tuple(orders)
# --- reports helper: ИИН, reports (Прил. 3, 4), conclusions (Прил. 2, 5), samples (п. 61) ---


class InvalidIINError(OsmsDefectsError, ValueError):
    """An ИИН that is not 12 digits or whose check digit is wrong."""


class ReportInputError(OsmsDefectsError):
    """A deductions or contracts file that a report (Прил. 3, 4) cannot use.

    The message names the file, the row, the field, the bad value and what is allowed.
    """


class SampleError(OsmsDefectsError):
    """A proactive sample (п. 61) cannot be drawn: bad services file, date or exemption (п. 55)."""

# --- calendar and deadlines (calendar helper) ---------------------------------------------


class CalendarRangeError(OsmsDefectsError, LookupError):
    """A date (or a computed term) outside the covered range of a working-day calendar.

    The library never guesses working days from the weekday alone: a year whose holidays and
    transfers are not in the calendar data is an error. Extend the calendar with
    ``kazakhstan(extra_file=...)`` (see ``docs/calendar.md``).
    """


class UnknownDeadlineError(OsmsDefectsError, LookupError):
    """A deadline (term of the Rules) name that ``osms_defects.deadlines`` does not define."""


class BadPeriodError(OsmsDefectsError, ValueError):
    """A reporting period that is not "YYYY", "YYYY-H1|H2" or "YYYY-Q1..Q4"."""


# --- screening (automated screening of service registers; п. 11, 45 Правил) -----------------


class RegisterError(OsmsDefectsError):
    """A register cannot be screened at all: unreadable file, unknown format, missing key
    columns (record_id, record_type, patient_id, provider_id) or a column of a wrong type.

    Problems of single records are not raised: they are data errors reported with their row.
    """
# ---- deductions (deduct helper) ------------------------------------------------------------


class AmountSyntaxError(OsmsDefectsError, ValueError):
    """Text that is not an amount in the grammar of the input files ('12345.67')."""


class FindingsInputError(OsmsDefectsError):
    """A findings file or frame that cannot be used at all (unreadable, a required column
    missing, a result column already present, a float money column)."""


class MonitoringNotAllowedError(OsmsDefectsError):
    """A monitoring that the Rules say is not carried out (п. 53, 55, 57)."""


# --- deadlines by edition (deadlines-by-edition helper; data/procedure.yaml) ----------------


class TermNotInEditionError(OsmsDefectsError, LookupError):
    """A term (срок) asked of an edition of the Rules that does not have it, e.g. the proactive
    remedy of п. 58 (2022) under the 2026 edition, which has no proactive monitoring (п. 4).

    ``term`` is the name asked for, ``edition`` the edition that lacks it, ``editions_with``
    the ids of the editions that have it.
    """

    def __init__(
        self, message: str, term: str = "", edition: str = "", editions_with: Sequence[str] = ()
    ) -> None:
        super().__init__(message)
        self.term = term
        self.edition = edition
        self.editions_with: tuple[str, ...] = tuple(editions_with)


# --- deadlines: timelines and labels by language (dl26 helper; data/procedure.yaml) --------


class UnknownLanguageError(OsmsDefectsError, ValueError):
    """A language of labels other than ru, kk, en."""


class TimelineNotInEditionError(TermNotInEditionError):
    """An objection procedure (timeline) asked of an edition that does not have it, e.g. the
    potential-defect chain of 2026 (п. 23–38) on a 2023 date. ``term`` is the timeline's name,
    ``editions_with`` the editions whose data lays it out."""


class TimelineInputError(OsmsDefectsError, ValueError):
    """Dates or decisions given to a timeline that do not fit it: an unknown step, a done date
    before the step's term starts, a decision for a step that decides nothing, or an act given
    for a step the procedure never reached."""


# --- screening of a register larger than memory (screening helper; screening/sharded.py) ----


class ShardingError(OsmsDefectsError, ValueError):
    """A bad request for the out-of-core screening: a shard count or a memory limit outside
    what is allowed (the message says what is)."""


# --- screening per edition (screening helper; screening/rules.py, screening/findings.py) ----


class ScreeningEditionError(OsmsDefectsError, LookupError):
    """A screening asked for under an edition its rules file says nothing about, or confirmed
    potential defects turned into findings under a detection date of another edition than the
    one they were screened under (reading S7)."""


# --- conclusions by edition (forms26 helper; reports/editions.py, reading P11) --------------


class FormEditionError(OsmsDefectsError):
    """A conclusion form of one edition of the Rules given for a date under another (e.g. the
    2022 Прил. 2 signed in 2026). The message names the forms of the edition in force."""


# --- robustness (issue 18): model input, dates, duplicates ----------------------------------


class ModelInputError(OsmsDefectsError, ValueError):
    """Invalid input to one of the library's public models (e.g. :class:`Finding`).

    ``errors`` holds pydantic's details (``ValidationError.errors()``: loc, msg, type, input),
    so a caller can locate every problem; the message lists them."""

    def __init__(self, message: str, errors: Sequence[dict[str, object]] = ()) -> None:
        super().__init__(message)
        self.errors: tuple[dict[str, object], ...] = tuple(errors)


class FindingError(ModelInputError):
    """A :class:`Finding` built from invalid values (a float amount, a datetime, an unknown
    kind …), or something that is not a Finding given where one is needed."""


class ImplausibleDateError(NoEditionError):
    """A date outside the plausible range of ``osms_defects.dates`` (before the earliest date
    the library accepts, or too far in the future): a typing error, never a date to look an
    edition up for."""
