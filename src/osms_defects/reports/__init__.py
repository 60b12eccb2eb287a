"""Monitoring documents and reports: Прил. 2–5 and the proactive sample (п. 61).

* ``build_report`` — the reports of Прил. 3 (ГОБМП) and Прил. 4 (ОСМС), п. 32;
* ``load_form`` — the printed report forms (headers and column numbers 1–44);
* ``parse_period`` / ``report_due`` — the periods of п. 32 and the due date.
"""

from __future__ import annotations

from .annex34 import EmptyColumn, MonitoringReport, build_report, build_report_files
from .forms import ColumnSpec, ReportForm, load_form
from .period import Period, ReportDue, parse_period, report_due

__all__ = [
    "ColumnSpec",
    "EmptyColumn",
    "MonitoringReport",
    "Period",
    "ReportDue",
    "ReportForm",
    "build_report",
    "build_report_files",
    "load_form",
    "parse_period",
    "report_due",
]
