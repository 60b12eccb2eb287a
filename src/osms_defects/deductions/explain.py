"""``Deduction.explain()``: the rule, the numbers and the paragraphs, in Russian and English;
``lang="kk"`` gives the error titles in Kazakh where the sources have the wording
(data/messages.yaml) and the Russian text, with a note, where they have not."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..classifier import Basis
from ..errors import OsmsDefectsError
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

    if lang not in ("ru", "kk", "en", "both"):
        raise ValueError(f"lang {lang!r}; allowed: ru, kk, en, both")
    where = f"код {d.code}, {d.care_type}, редакция {d.edition}"
    where_en = f"code {d.code}, {d.care_type}, edition {d.edition}"
    refs = d.reference
    kk = ""  # error rows only: the rest has no Kazakh wording in the sources
    if d.status is Status.ERROR:
        from .messages import error_title

        kind = d.error_kind
        title_ru = f" {error_title(kind, 'ru')}." if kind else ""
        title_en = f" {error_title(kind, 'en')}." if kind else ""
        title_kk = f" {error_title(kind, 'kk')}." if kind else ""
        ru = f"Ошибка ({kind}): сумма не рассчитана.{title_ru} {d.error_message}"
        en = f"Error ({kind}): no amount computed.{title_en} {d.error_message}"
        # Kazakh: the title from data/messages.yaml where the sources give it; the frame of
        # the sentence has no Kazakh wording in the sources, so it stays Russian
        kk = f"Ошибка ({kind}): сумма не рассчитана.{title_kk} {d.error_message}"
    elif d.status is Status.WARNING:
        # the edition's proactive rules (2022: п. 54, 58, 59), from data/procedure.yaml
        due = d.remedy_due.isoformat() if d.remedy_due else "?"
        no_deduction, term_ru, term_en, unremedied = _proactive_words(d.edition)
        ru = (
            f"Проактивный мониторинг ({where}): уменьшение суммы не проводится ({no_deduction}); "
            f"дефект подлежит устранению до {due} — {term_ru}; при неустранении — как при "
            f"текущем мониторинге ({unremedied}). Основание: {refs}."
        )
        en = (
            f"Proactive monitoring ({where_en}): nothing is deducted ({no_deduction}); the "
            f"provider must remedy the defect by {due}, {term_en}; if not remedied it deducts as "
            f"under current monitoring ({unremedied}). Basis: {refs}."
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
    ru_head = ru
    amended = _amendments(d)
    if amended:  # reading E19: the edition was amended by an order whose text is missing
        ru += f" Изменения редакции: {amended}."
        en += f" Amendments of the edition: {amended}."
    if d.edition_note:  # readings E18, E20: the edition's mark, in every language
        ru += f" Отметка о редакции: {d.edition_note}."
        en += f" Edition mark: {d.edition_note}."
    if d.calendar_provisional and d.calendar_note:
        ru += f" {d.calendar_note}."
        en += f" Provisional calendar: {d.calendar_note}."
    if lang == "ru":
        return ru
    if lang == "kk":
        if d.status is Status.ERROR:
            return kk + ru[len(ru_head) :]  # the edition's marks, as in Russian
        from .messages import messages_file

        return f"{ru} [kk: {messages_file().kk_missing_note}]"
    if lang == "en":
        return en
    return f"{ru}\n{en}"


def _amendments(d: Deduction) -> str:
    """The amendments of the deduction's edition in force on its detection date (E19)."""
    if d.edition is None or d.finding is None:
        return ""
    from ..classifier import load_classifier

    try:
        ed = load_classifier().edition(id=d.edition)
    except OsmsDefectsError:  # an edition of another classifier file: nothing to say here
        return ""
    return "; ".join(ed.amendment_notes(d.finding.detected_on))


def _proactive_words(edition: str | None) -> tuple[str, str, str, str]:
    """The paragraphs and the remedy term of an edition's proactive monitoring, in words."""
    from ..deadlines.procedure import load_procedure
    from .plan import deduction_rules

    pro = deduction_rules(edition).proactive if edition else None
    ped = load_procedure().edition(edition) if edition else None
    t = ped.term(pro.remedy_term) if ped is not None and pro is not None else None
    if pro is None or t is None:  # pragma: no cover - a warning comes only from such rules
        return "?", "?", "?", "?"
    first = pro.unremedied_reference.split(" (")[0]
    return (
        pro.reference,
        f"{t.description} ({t.reference})",
        f"{t.description_en} ({t.reference})",
        first,
    )
