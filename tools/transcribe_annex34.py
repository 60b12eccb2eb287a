"""Write data/reports/annex3.yaml and annex4.yaml: the report forms of Прил. 3 and Прил. 4.

Headers are transcribed verbatim from the printed forms (seeds/001_98e3829c3dd618e7.txt, lines
928–1184), typos included («подвтержденных», «ресупбликанский», «нарушении»); the column numbers
are as printed (there is no column 5). The two forms differ only in the program name and in the
header of column 40. Run once; the YAML files are the data, this script documents how they
were made.
"""

from __future__ import annotations

from pathlib import Path

import yaml

RES = "Результаты по видам мониторинга качества и объема медицинских услуг (помощи) и исполнения условий договора"
KIND = ["Количество выявленных дефектов", "Сумма выявленных дефектов",
        "Количество выявленных нарушений условий договора", "Сумма выставленной неустойки",
        "Сумма оплаченной неустойки"]
KIND_IDS = ["defects", "defects_sum", "violations", "penalty_assessed", "penalty_paid"]


def columns(program: str, col40: str) -> list[dict[str, object]]:
    direct = f"Показатели прямых результатов по договорам {program}"
    cols: list[dict[str, object]] = [
        {"number": 1, "id": "row_no", "header": "№ пп", "groups": []},
        {"number": 2, "id": "provider", "header": "Поставщик", "groups": []},
        {"number": 3, "id": "contracts", "groups": [],
         "header": f"Количество договоров, заключенных фондом в рамках {program} (по МО указывается номер договора)"},
        {"number": 4, "id": "contract_sum", "header": "Сумма договора", "groups": []},
        {"number": 6, "id": "contracts_monitored", "groups": [direct],
         "header": "Количество договоров, охваченных мониторингом качества"},
        {"number": 7, "id": "coverage_pct", "groups": [direct],
         "header": "% охвата мониторингом исполнения условии договора"},
        {"number": 8, "id": "contracts_with_violations", "groups": [direct],
         "header": "Количество договоров из охваченных мониторингом, где выявлено нарушения условий договора"},
        {"number": 9, "id": "violations_pct", "groups": [direct], "header": "% договоров с нарушением"},
    ]
    n = 10
    for kind, name in (("current", "Текущий (плановый)"), ("targeted", "Целевой"),
                       ("unplanned", "Внеплановый")):
        for cid, header in zip(KIND_IDS, KIND, strict=True):
            cols.append({"number": n, "id": f"{kind}_{cid}", "header": header, "groups": [RES, name]})
            n += 1
    pro = "Проактивный"
    for cid, header in (
        ("proactive_defects_visit1", "Количество выявленных дефектов при первом посещении"),
        ("proactive_defects_visit2", "Количество выявленных дефектов при втором посещении"),
        ("proactive_deducted", "Количество снятых дефектов"),
        ("proactive_deducted_sum", "Сумма снятия"),
        ("proactive_violations", "Количество выявленных нарушений условий договора"),
        ("proactive_penalty_assessed", "Сумма выставленной неустойки"),
        ("proactive_penalty_paid", "Сумма оплаченной неустойки"),
    ):
        cols.append({"number": n, "id": cid, "header": header, "groups": [RES, pro]})
        n += 1
    mort_headers = list(KIND)
    mort_headers[2] = "Количество выявленных нарушении условий договора"  # sic, as printed
    for cid, header in zip(KIND_IDS, mort_headers, strict=True):
        cols.append({"number": n, "id": f"mortality_{cid}", "header": header,
                     "groups": [RES, "Экспертиза летальных случаев"]})
        n += 1
    tot_d, tot_p = "Всего сумма дефектов", "Всего сумма неустойки"
    cols += [
        {"number": 37, "id": "total_defects", "groups": [tot_d],
         "header": "Количество подвтержденных дефектов (графы 10, 15, 19, 24, 28)"},
        {"number": 38, "id": "total_defects_sum", "groups": [tot_d],
         "header": "Сумма снятия по дефектам (графы 11,15, 19, 25, 29)"},
        {"number": 39, "id": "total_penalty_assessed", "groups": [tot_p],
         "header": "Сумма выставленной неустойки (графы 13, 17, 27, 31)"},
        {"number": 40, "id": "penalty_transferred", "groups": [tot_p], "header": col40},
        {"number": 41, "id": "total_penalty_paid", "groups": [tot_p],
         "header": "Сумма оплаченной неустойки (графы 14, 19, 24, 31, 36)"},
        {"number": 42, "id": "sanctions_pct", "groups": [],
         "header": "% финансовых воздействии к общей сумме договора (суммы граф 33 и 34 к графе 4)"},
        {"number": 43, "id": "accession_violations", "groups": [],
         "header": "Выявленные нарушения условий договора присоединения"},
        {"number": 44, "id": "note", "groups": [], "header": "Примечание"},
    ]
    assert n == 37, n
    return cols


def main() -> None:
    out = Path(__file__).resolve().parents[1] / "data" / "reports"
    out.mkdir(parents=True, exist_ok=True)
    forms = {
        "annex3": ("ГОБМП", "Сумма перечисленной неустойки в ресупбликанский бюджет", "Прил. 3",
                   "928–1054", "ГОБМП – гарантированный объем бесплатной медицинской помощи;"),
        "annex4": ("ОСМС", "Сумма перечисленной неустойки в активы Фонда", "Прил. 4",
                   "1055–1184", "ОСМС – обязательное социальное медицинское страхование;"),
    }
    for name, (program, col40, annex, lines, abbr) in forms.items():
        doc = {
            "form": name,
            "program": program,
            "reference": f"{annex} к Правилам мониторинга (приказ ҚР ДСМ-321/2020 в ред. ҚР ДСМ-105 от 29.09.2022), п. 32",
            "source_lines": lines,
            "title": (
                "Отчет о результатах проведенного мониторинга качества и объема медицинских услуг "
                "(помощи) и исполнения условий договора закупа услуг "
                + ("в рамках ГОБМП" if program == "ГОБМП" else "в системе ОСМС")
                + " за ____ (квартал/полугодие/год) 202__ года"
            ),
            "notes": ["* суммы в графах указаны в тенге"],
            "abbreviations": [abbr, "МО – медицинская организация;", "% - процент."],
            "columns": columns(program, col40),
        }
        path = out / f"{name}.yaml"
        path.write_text(
            "# generated by tools/transcribe_annex34.py from the printed form; headers verbatim\n"
            + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=200),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
