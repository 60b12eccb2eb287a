"""``Deduction.explain()``: the rule, the numbers and the paragraphs, in Russian and English."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..classifier import Basis
from .model import DefectClass

if TYPE_CHECKING:
    from .model import Deduction

_BASIS_RU = {
    Basis.KPN: "КПН",
    Basis.PN: "ПН",
    Basis.KT: "КТ",
    Basis.COST: "стоимости случая/услуги",
    Basis.NONE: "",
    Basis.PATIENT_EXPENSES: "документально подтвержденных затрат пациента",
}
_BASIS_EN = {
    Basis.KPN: "the per-capita norm (KPN)",
    Basis.PN: "the emergency per-capita norm (PN)",
    Basis.KT: "the complex tariff (KT)",
    Basis.COST: "the cost of the case or service",
    Basis.NONE: "",
    Basis.PATIENT_EXPENSES: "the patient's documented expenses",
}


def explain(d: Deduction, lang: str = "both") -> str:
    from .model import Status, format_factor

    if lang not in ("ru", "en", "both"):
        raise ValueError(f"lang {lang!r}; allowed: ru, en, both")
    where = f"код {d.code}, {d.care_type}, редакция {d.edition}"
    where_en = f"code {d.code}, {d.care_type}, edition {d.edition}"
    refs = d.reference
    if d.status is Status.ERROR:
        ru = f"Ошибка ({d.error_kind}): сумма не рассчитана. {d.error_message}"
        en = f"Error ({d.error_kind}): no amount computed. {d.error_message}"
    elif d.status is Status.WARNING:
        due = d.remedy_due.isoformat() if d.remedy_due else "?"
        ru = (
            f"Проактивный мониторинг ({where}): уменьшение суммы не проводится (п. 54); "
            f"дефект подлежит устранению до {due} — 45 календарных дней со дня подписания "
            f"заключения (п. 58); при неустранении — как при текущем мониторинге (п. 59). "
            f"Основание: {refs}."
        )
        en = (
            f"Proactive monitoring ({where_en}): nothing is deducted (п. 54); the provider must "
            f"remedy the defect by {due}, 45 calendar days after the conclusion was signed "
            f"(п. 58); if not remedied it deducts as under current monitoring (п. 59). "
            f"Basis: {refs}."
        )
    elif d.status is Status.RECORDED and d.note:
        ru = f"Учтено без снятия ({where}): в случае остается только наибольшее снятие. {d.note}. Основание: {refs}."
        en = f"Recorded, nothing deducted ({where_en}): {d.note}. Basis: {refs}."
    elif (
        d.status is Status.RECORDED
        and d.finding is not None
        and d.finding.defect_class is DefectClass.GENERAL
    ):
        # п. 12 (ред. 2026): a general defect never reduces the payment (reading D10)
        ru = (
            f"Общий дефект учтен, сумма снятия 0,00 тенге ({where}): «Применение общих дефектов "
            f"и нарушений не влияет на уменьшение суммы, подлежащей оплате» (п. 12). "
            f"Основание: {refs}."
        )
        en = (
            f"General defect recorded, 0.00 tenge deducted ({where_en}): general defects never "
            f"reduce the payment (п. 12 of the Rules as rewritten by order No. 68). Basis: {refs}."
        )
    elif d.status is Status.RECORDED:
        ru = f"Дефект учтен, сумма снятия 0,00 тенге ({where}): в Прил. 1 указано «0». Основание: {refs}."
        en = (
            f"Defect recorded, 0.00 tenge deducted ({where_en}): Annex 1 prints '0'. Basis: {refs}."
        )
    else:
        assert d.basis is not None and d.factor is not None
        f = format_factor(d.factor)
        if d.basis is Basis.PATIENT_EXPENSES:
            ru = f"Снятие {d.amount} тенге ({where}): сумма затрат, подтвержденных документально ({d.base}), в полном объеме. Основание: {refs}."
            en = f"Deducted {d.amount} tenge ({where_en}): the documented expenses ({d.base}) in full. Basis: {refs}."
        else:
            ru = f"Снятие {d.amount} тенге ({where}): {f} × {d.base} ({_BASIS_RU[d.basis]}), округление до тиына вверх от половины. Основание: {refs}."
            en = f"Deducted {d.amount} tenge ({where_en}): {f} × {d.base} ({_BASIS_EN[d.basis]}), rounded half up to the tiyn. Basis: {refs}."
    if d.edition_note:  # readings E18–E20: the edition's mark, in every language
        ru += f" Отметка о редакции: {d.edition_note}."
        en += f" Edition mark: {d.edition_note}."
    if d.calendar_provisional and d.calendar_note:
        ru += f" {d.calendar_note}."
        en += f" Provisional calendar: {d.calendar_note}."
    if lang == "ru":
        return ru
    if lang == "en":
        return en
    return f"{ru}\n{en}"
