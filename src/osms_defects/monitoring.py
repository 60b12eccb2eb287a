"""Whether a monitoring may be carried out at all: predicates of the Rules, with their
paragraphs, and ``check_*`` functions that raise :class:`MonitoringNotAllowedError` naming the
paragraph.

* п. 53 Правил: «Внеплановый мониторинг не проводится в случаях: 1) анонимного обращения;
  2) обращения, в котором не изложена суть вопроса.»
* п. 55: «Проактивный мониторинг не проводится у поставщиков, которые имеют действующее
  свидетельство об аккредитации или иной действующий документ на соответствие универсальным
  международным стандартам качества медицинских услуг (JCI (Джи-Си-Ай), EFQM (Еф-Кю-Эм), HAS
  (ХАС), NSQHS (Эн-Эс-Кю-Аш-Эс), ACSA (Эй-Си-Эс-Эй), за исключением следующих случаев:
  1) при заключении договора закупа услуг с поставщиком впервые;
  2) при заключении договора закупа услуг с поставщиком на новые, определенные виды медицинской
  деятельности, виды медицинской помощи;
  3) по результатам рейтинга поставщиков с применением индикаторов при проведении внешней
  экспертизы качества медицинских услуг (помощи) в порядке, определяемом уполномоченным органом
  в соответствии с пунктом 5 статьи 35 Кодекса.»
* п. 57: «Проактивный мониторинг с посещением поставщика проводится 1 раз в год.»
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Literal

from .errors import MonitoringNotAllowedError

# ---- п. 53: unplanned monitoring --------------------------------------------------------------


def unplanned_allowed(*, anonymous: bool, states_substance: bool) -> bool:
    """п. 53: no unplanned monitoring on an anonymous appeal (пп. 1) or on an appeal that does
    not state the substance of the question (пп. 2)."""
    return not anonymous and states_substance


def check_unplanned(*, anonymous: bool, states_substance: bool) -> None:
    """Raise MonitoringNotAllowedError when п. 53 forbids the unplanned monitoring."""
    if anonymous:
        raise MonitoringNotAllowedError(
            "п. 53, пп. 1) Правил: внеплановый мониторинг не проводится в случае анонимного "
            "обращения (no unplanned monitoring on an anonymous appeal)"
        )
    if not states_substance:
        raise MonitoringNotAllowedError(
            "п. 53, пп. 2) Правил: внеплановый мониторинг не проводится в случае обращения, в "
            "котором не изложена суть вопроса (no unplanned monitoring on an appeal that does "
            "not state its substance)"
        )


# ---- п. 55: proactive monitoring of accredited providers --------------------------------------

#: п. 55: the universal international quality standards whose accreditation exempts a provider
INTERNATIONAL_ACCREDITATIONS: dict[str, str] = {
    "JCI": "Джи-Си-Ай",
    "EFQM": "Еф-Кю-Эм",
    "HAS": "ХАС",
    "NSQHS": "Эн-Эс-Кю-Аш-Эс",
    "ACSA": "Эй-Си-Эс-Эй",
}
_ALIASES = {k.casefold(): k for k in INTERNATIONAL_ACCREDITATIONS} | {
    v.casefold(): k for k, v in INTERNATIONAL_ACCREDITATIONS.items()
}


class ProactiveException(StrEnum):
    """The three cases of п. 55 in which an accredited provider is still monitored."""

    FIRST_CONTRACT = "first_contract"  # пп. 1): договор закупа услуг заключается впервые
    NEW_CARE_TYPES = "new_care_types"  # пп. 2): договор на новые виды деятельности / помощи
    RATING = "rating"  # пп. 3): по результатам рейтинга поставщиков (п. 5 ст. 35 Кодекса)

    @property
    def text_ru(self) -> str:
        return _EXCEPTION_RU[self]


_EXCEPTION_RU = {
    ProactiveException.FIRST_CONTRACT: "при заключении договора закупа услуг с поставщиком впервые",
    ProactiveException.NEW_CARE_TYPES: (
        "при заключении договора закупа услуг с поставщиком на новые, определенные виды "
        "медицинской деятельности, виды медицинской помощи"
    ),
    ProactiveException.RATING: (
        "по результатам рейтинга поставщиков с применением индикаторов при проведении внешней "
        "экспертизы качества медицинских услуг (помощи) в порядке, определяемом уполномоченным "
        "органом в соответствии с пунктом 5 статьи 35 Кодекса"
    ),
}


def international_accreditations(accreditations: Iterable[str]) -> list[str]:
    """The accreditations of п. 55 among ``accreditations`` (Latin or Cyrillic names, any
    case); others (e.g. national accreditation) do not exempt a provider."""
    found = []
    for a in accreditations:
        key = _ALIASES.get(a.strip().casefold())
        if key is not None and key not in found:
            found.append(key)
    return found


def _exception(exception: ProactiveException | str | None) -> ProactiveException | None:
    if exception is None or isinstance(exception, ProactiveException):
        return exception
    try:
        return ProactiveException(exception.strip())
    except ValueError:
        raise MonitoringNotAllowedError(
            f"{exception!r} is not a case of п. 55; allowed: "
            + ", ".join(f"{e.value} (пп. {i})" for i, e in enumerate(ProactiveException, 1))
        ) from None


def proactive_allowed(
    accreditations: Iterable[str], exception: ProactiveException | str | None = None
) -> bool:
    """п. 55: may the provider be monitored proactively?

    ``accreditations``: the provider's *valid* (действующие) accreditations or other documents
    of conformity; ``exception``: one of the three cases of п. 55 (``first_contract``,
    ``new_care_types``, ``rating``) or None.
    """
    if not international_accreditations(accreditations):
        return True
    return _exception(exception) is not None


def check_proactive(
    accreditations: Iterable[str], exception: ProactiveException | str | None = None
) -> None:
    """Raise MonitoringNotAllowedError when п. 55 forbids the proactive monitoring."""
    found = international_accreditations(accreditations)
    if found and _exception(exception) is None:
        raise MonitoringNotAllowedError(
            f"п. 55 Правил: проактивный мониторинг не проводится у поставщика с действующей "
            f"аккредитацией {', '.join(found)} (no proactive monitoring of a provider accredited "
            "under JCI, EFQM, HAS, NSQHS or ACSA) except: "
            + "; ".join(
                f"{i}) {e.text_ru} [{e.value}]" for i, e in enumerate(ProactiveException, 1)
            )
        )


# ---- п. 57: one proactive monitoring with a visit a year --------------------------------------

VisitWindow = Literal["calendar_year", "rolling_year"]


def _conflicts(on: dt.date, previous: Iterable[dt.date], window: VisitWindow) -> list[dt.date]:
    if window == "calendar_year":
        return [p for p in previous if p.year == on.year and p != on]
    if window == "rolling_year":
        out = []
        for p in previous:
            if p == on:
                continue
            lo, hi = min(p, on), max(p, on)
            try:
                year_after = lo.replace(year=lo.year + 1)
            except ValueError:  # 29 February
                year_after = dt.date(lo.year + 1, 3, 1)
            if hi < year_after:
                out.append(p)
        return out
    raise ValueError(f"window {window!r}; allowed: calendar_year, rolling_year")


def proactive_visit_allowed(
    on: dt.date, previous_visits: Iterable[dt.date], *, window: VisitWindow = "calendar_year"
) -> bool:
    """п. 57: a proactive monitoring with a visit to the provider is carried out once a year.

    ``window="calendar_year"`` (default, reading D5): no other visit in the same calendar year;
    ``"rolling_year"``: none within a year before or after ``on``.
    """
    return not _conflicts(on, previous_visits, window)


def check_proactive_visit(
    on: dt.date, previous_visits: Iterable[dt.date], *, window: VisitWindow = "calendar_year"
) -> None:
    """Raise MonitoringNotAllowedError when п. 57 forbids the visit."""
    clash = _conflicts(on, previous_visits, window)
    if clash:
        raise MonitoringNotAllowedError(
            f"п. 57 Правил: проактивный мониторинг с посещением поставщика проводится 1 раз в год; "
            f"a visit on {on.isoformat()} conflicts with {', '.join(d.isoformat() for d in sorted(clash))} "
            f"(window {window}; reading D5)"
        )


__all__ = [
    "INTERNATIONAL_ACCREDITATIONS",
    "ProactiveException",
    "VisitWindow",
    "check_proactive",
    "check_proactive_visit",
    "check_unplanned",
    "international_accreditations",
    "proactive_allowed",
    "proactive_visit_allowed",
    "unplanned_allowed",
]
