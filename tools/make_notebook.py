"""Write examples/analysis.ipynb (unexecuted) from the cells below; run once after editing."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CELLS: list[tuple[str, str]] = [
    ("md", "# A month of monitoring for a Fund branch\n\n"
           "Load the classifier (Annex 1), deduct a month's findings, explain one deduction, build "
           "the report of Annex 4 (ОСМС, п. 32), the conclusion of Annex 2 and plot the "
           "deductions by code and by provider. Run from the repository's top folder."),
    ("code", "import polars as pl\n"
             "import matplotlib\n"
             "matplotlib.use('Agg')\n"
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
    ("code", "# the same rows as a polars frame (strings as in the CSV) and in pandas (Decimal amounts)\n"
             "deductions = batch.frame\n"
             "batch.to_pandas()[['finding_id', 'code', 'status', 'amount']].head()"),
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
]


def main() -> None:
    nb = new_notebook()
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = Path(__file__).resolve().parents[1] / "examples" / "analysis.ipynb"
    nbformat.write(nb, out)


if __name__ == "__main__":
    main()
