"""Write examples/analysis.ipynb from the cells below, execute it (nbclient, the inline
matplotlib backend: plots are stored as PNG outputs) and save it with its outputs; run from
anywhere after editing the cells (``--no-execute``: write the cells only)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS: list[tuple[str, str]] = [
    ("md", "# A month of monitoring for a Fund branch\n\n"
           "Load the classifier (Annex 1), deduct a month's findings, explain one deduction, build "
           "the report of Annex 4 (ОСМС, п. 32), the conclusion of Annex 2 and plot the "
           "deductions by code and by provider. Run from the repository's top folder."),
    ("code", "%matplotlib inline\n"
             "import polars as pl\n"
             "import matplotlib.pyplot as plt\n"
             "import osms_defects as od\n"
             "from osms_defects.reports import build_report\n"
             "from osms_defects.reports.conclusion import load_conclusion"),
    ("md", "## 1. The classifier edition in force"),
    ("code", "clf = od.load_classifier()\ned = clf.edition(id='2022-10-16')\ned"),
    ("md", "## 2. Deduct the month's findings (the columnar engine)"),
    ("code", "findings = pl.read_csv('examples/findings.csv', infer_schema=False)\n"
             "batch = od.deduct_table(findings)   # a BatchResult: summary, breakdowns, explanations\n"
             "batch"),
    ("code", "print(batch.summary())\n"
             "batch.by_provider()"),
    ("code", "# the same rows as a polars frame (strings as in the CSV) and in pandas: amount as\n"
             "# float tenge for plots, amount_tiyn (Int64) beside it for exact sums, dates as dates\n"
             "deductions = batch.frame\n"
             "pdf = batch.to_pandas()\n"
             "print('exact total:', pdf.amount_tiyn.sum() / 100)\n"
             "pdf[['finding_id', 'code', 'status', 'amount', 'amount_tiyn', 'detected_on']].head()"),
    ("code", "# a plot straight from pandas\n"
             "ax = pdf.groupby('provider_id').amount.sum().plot.bar(title='Deducted by provider, tenge')"),
    ("code", "# every row is computed or an error: nothing is skipped\n"
             "assert deductions.height == findings.height\n"
             "deductions.group_by('status').len().sort('status')"),
    ("code", "# the rows the engine could not compute, with the reason\n"
             "errors = deductions.filter(pl.col('status') == 'error')\n"
             "errors.select('finding_id', 'code', 'care_type', 'base_amount', 'error')"),
    ("md", "## 3. Explain one deduction"),
    ("code", "print(batch.explain(1))"),
    ("md", "## 4. The report of Annex 4 (ОСМС) for the quarter\n\n"
           "Columns without input are empty and listed, never zero. A report refuses error rows "
           "(reading P9): until the findings above are corrected we leave them out *explicitly*."),
    ("code", "contracts = pl.read_csv('examples/contracts.csv', infer_schema=False)\n"
             "computed = deductions.filter(pl.col('status') != 'error')\n"
             "report = build_report('annex4', '2023-Q2', computed, contracts)\n"
             "report"),
    ("code", "print('due:', report.due.due, report.due.reference)\n"
             "[(e.number, e.reason) for e in report.empty_columns]"),
    ("code", "# гр. 38 of Прил. 3 and 4 together is the sum of every deduction in the quarter\n"
             "annex3 = build_report('annex3', '2023-Q2', computed, contracts)\n"
             "total = computed['amount'].cast(pl.Decimal(38, 2)).sum()\n"
             "assert report.totals['total_defects_sum'] + annex3.totals['total_defects_sum'] == total\n"
             "total"),
    ("md", "## 5. The conclusion of Annex 2 on the proactive visit to P-ALM-001 (ИИН masked)"),
    ("code", "load_conclusion('examples/conclusion_annex2.yaml')"),
    ("md", "## 6. Deductions by code and by provider\n\n"
           "Amounts are Decimal throughout; they become floats only for the plot."),
    ("code", "done = deductions.filter(pl.col('status') == 'deducted').with_columns(\n"
             "    pl.col('amount').cast(pl.Decimal(38, 2)))\n"
             "by_code = done.group_by('code').agg(pl.col('amount').sum()).sort('code')\n"
             "by_provider = done.group_by('provider_id').agg(pl.col('amount').sum()).sort('provider_id')\n"
             "fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.5))\n"
             "a.bar(by_code['code'].to_list(), [float(x) for x in by_code['amount'].to_list()])\n"
             "a.set_title('Deductions by defect code, tenge')\n"
             "b.bar(by_provider['provider_id'].to_list(), [float(x) for x in by_provider['amount'].to_list()])\n"
             "b.set_title('Deductions by provider, tenge')\n"
             "fig.tight_layout()\n"
             "by_code"),
    # ---------------------------------------------------------------- the Rules in force today
    ("md", "# The same under the Rules in force today (2026)\n\n"
           "Since order No. 68 of 18.07.2025 (Annex 1 replaced by order No. 19 of 27.02.2026) the "
           "Fund works under another edition of the Rules: its own classifier, care types, classes "
           "of defects (п. 11–14) and terms. The library picks the edition by date; the 2022 "
           "edition above still applies to 2022–2023 cases."),
    ("code", "import datetime as dt\n"
             "from osms_defects import deadlines, screening\n"
             "from osms_defects.classifier.diff import diff_editions, format_diff\n"
             "from osms_defects.deductions import Resolver"),
    ("md", "## 7. The classifier in force on 2 November 2026\n\n"
           "п. 10 Правил (ред. приказа № 68): codes of defects are assigned by the Единый "
           "классификатор дефектов и нарушений of Annex 1 (ред. приказа № 19)."),
    ("code", "ed26 = clf.edition(on=dt.date(2026, 11, 2))\ned26"),
    ("md", "What changed from 2022 to 2026 (the same as `osms-defects classifier --diff 2022 2026`; "
           "amounts are compared through corresponding care types): the counts, the names that "
           "moved to another code (2022's 12.0 is 2026's 14.0, while 12.0 now means paid care), "
           "and the codes added. `print(format_diff(diff))` gives the full text."),
    ("code", "diff = diff_editions(clf, '2022', '2026')\n"
             "kinds = {'added': diff.added, 'removed': diff.removed, 'renumbered': diff.renumbered,\n"
             "         'name moved': diff.moved_names, 'renamed': diff.renamed, 'changed cells': diff.amounts}\n"
             "print(pl.DataFrame({'change': list(kinds), 'count': [len(v) for v in kinds.values()]}))\n"
             "print(diff.moved_names)\n"
             "pl.DataFrame(diff.added, schema=['code', 'name'], orient='row')"),
    ("md", "## 8. Deduct the November 2026 findings\n\n"
           "п. 10, 12–14 Правил (ред. № 68): general defects (п. 12) are recorded, never deducted; "
           "potential (п. 13) and additional (п. 14) defects reduce payment by Annex 1. Column 4 "
           "(primary care) prints its amounts as «<n> КПН/ПН»: one number, two units. The engine "
           "refuses such a cell until the caller names the basis by the provider's payment method "
           "(reading E4 in `docs/readings.md`), as `osms-defects deduct --accept-reading KPN` does. "
           "P-AST-007 is paid per capita, so the reading is КПН (комплексный подушевой норматив); "
           "the reading chosen is named in each deduction's basis (`[E4: KPN]`)."),
    ("code", "findings26 = 'examples/conclusion_2026_findings.csv'\n"
             "print('without a reading:', od.deduct_table(findings26).summary())\n"
             "batch26 = od.deduct_table(findings26, Resolver(clf, accept_reading='KPN'))\n"
             "print('with reading E4 = KPN:', batch26.summary())\n"
             "batch26.frame.select('finding_id', 'code', 'care_type', 'defect_class', 'status', 'amount', 'basis')"),
    ("md", "One deduction explained, in Russian and in English (п. 10, 14 Правил, Прил. 1 гр. 4)."),
    ("code", "print(batch26.explain(1))"),
    ("md", "## 9. Screen the register as on 2 November 2026\n\n"
           "п. 13 Правил (ред. № 68): potential defects are found by the Fund's algorithms. Each "
           "screening rule uses the code of the edition in force on the detection date (reading "
           "S7). Two 2022 rules have **no 2026 code** — the repeat emergency call (2022: 6.12; "
           "group 6 now ends at 6.4) and the death registered late (2022: 2.3; 2.0 is a general "
           "defect with no 10-day term) — so they are NOT RUN, with the reason, rather than mapped "
           "to a guessed code."),
    ("code", "screened = screening.screen('examples/register.csv', detected_on=dt.date(2026, 11, 2))\n"
             "with pl.Config(fmt_str_lengths=60):\n"
             "    print(screened.by_rule())\n"
             "for na in screened.not_applicable:\n"
             "    print('NOT RUN', na.rule, '-', na.reason)"),
    ("md", "## 10. The objection timeline of a potential defect\n\n"
           "п. 26 Правил (ред. № 68): the provider may object within five working days after the "
           "day of detection; п. 27: without an objection in time the potential defect counts as "
           "confirmed and the ИСФ reduces the amount. Finding F-2026-11-005 (current monitoring, "
           "detected 5 November 2026), as of today:"),
    ("code", "tl = deadlines.potential_defect_timeline(dt.date(2026, 11, 5), today=dt.date(2026, 11, 23))\n"
             "print(tl.edition, '-', tl.outcome)\n"
             "pl.DataFrame([(s.name, s.due, str(s.status), s.reference) for s in tl.steps],\n"
             "             schema=['step', 'due', 'status', 'reference'], orient='row')"),
]


REPO = Path(__file__).resolve().parents[1]
NOTEBOOK = REPO / "examples" / "analysis.ipynb"


def build() -> nbformat.NotebookNode:
    """The notebook's cells, unexecuted."""
    nb = new_notebook()
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def execute(nb: nbformat.NotebookNode, *, timeout: int = 180) -> nbformat.NotebookNode:
    """Run ``nb`` in a kernel of this interpreter, from the repository's top folder, with the
    package of this checkout and matplotlib's inline backend (``MPLBACKEND`` of the caller,
    e.g. Agg, would draw nothing into the notebook)."""
    from nbclient import NotebookClient

    env = {k: os.environ.get(k) for k in ("PYTHONPATH", "MPLBACKEND")}
    src = str(REPO / "src")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (src, env["PYTHONPATH"]) if p)
    os.environ.pop("MPLBACKEND", None)
    try:
        NotebookClient(
            nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(REPO)}}
        ).execute()
    finally:
        for k, v in env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    nb = build()
    if "--no-execute" not in args:
        execute(nb)
    nbformat.write(nb, NOTEBOOK)


if __name__ == "__main__":
    main()
