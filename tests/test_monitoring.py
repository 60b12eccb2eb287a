"""Whether monitoring may happen at all: п. 53, 55, 57 Правил."""

from __future__ import annotations

import datetime as dt

import pytest

from osms_defects.errors import MonitoringNotAllowedError
from osms_defects.monitoring import (
    ProactiveException,
    check_proactive,
    check_proactive_visit,
    check_unplanned,
    international_accreditations,
    proactive_allowed,
    proactive_visit_allowed,
    unplanned_allowed,
)


@pytest.mark.parametrize(
    ("anonymous", "substance", "allowed"),
    [(False, True, True), (True, True, False), (False, False, False), (True, False, False)],
)
def test_p53_unplanned(anonymous: bool, substance: bool, allowed: bool) -> None:
    # п. 53: «не проводится в случаях: 1) анонимного обращения; 2) ... не изложена суть вопроса»
    assert unplanned_allowed(anonymous=anonymous, states_substance=substance) is allowed
    if not allowed:
        with pytest.raises(MonitoringNotAllowedError, match=r"п\. 53"):
            check_unplanned(anonymous=anonymous, states_substance=substance)
    else:
        check_unplanned(anonymous=anonymous, states_substance=substance)


@pytest.mark.parametrize("acc", ["JCI", "efqm", "HAS", "NSQHS", "ACSA", "Джи-Си-Ай", " ХАС "])
def test_p55_accredited_provider_is_not_monitored(acc: str) -> None:
    assert proactive_allowed([acc]) is False
    with pytest.raises(MonitoringNotAllowedError, match=r"п\. 55"):
        check_proactive([acc])


@pytest.mark.parametrize("exc", [*ProactiveException, "first_contract", "new_care_types", "rating"])
def test_p55_three_exceptions(exc: ProactiveException | str) -> None:
    # п. 55, пп. 1)-3): first contract, contract for new kinds of care, rating of providers
    assert proactive_allowed(["JCI"], exc) is True
    check_proactive(["JCI"], exc)


def test_p55_other_accreditations_do_not_exempt() -> None:
    assert proactive_allowed(["национальная аккредитация", "ISO 9001"]) is True
    assert proactive_allowed([]) is True
    assert international_accreditations(["ISO 9001", "jci", "JCI", "ACSA"]) == ["JCI", "ACSA"]


def test_p55_unknown_exception_is_an_error() -> None:
    with pytest.raises(MonitoringNotAllowedError, match="first_contract"):
        proactive_allowed(["JCI"], "because")


def test_p57_once_a_year() -> None:
    # п. 57: «Проактивный мониторинг с посещением поставщика проводится 1 раз в год»
    prev = [dt.date(2023, 3, 10)]
    assert proactive_visit_allowed(dt.date(2023, 11, 1), prev) is False
    assert proactive_visit_allowed(dt.date(2024, 1, 15), prev) is True  # calendar year (D5)
    assert proactive_visit_allowed(dt.date(2024, 1, 15), prev, window="rolling_year") is False
    assert proactive_visit_allowed(dt.date(2024, 3, 10), prev, window="rolling_year") is True
    assert proactive_visit_allowed(dt.date(2023, 3, 10), prev) is True  # the same visit
    with pytest.raises(MonitoringNotAllowedError, match=r"п\. 57"):
        check_proactive_visit(dt.date(2023, 11, 1), prev)
