"""``osms-defects conclusion annex2|annex5``: the conclusions of Прил. 2 (п. 13, 31) and
Прил. 5 (п. 74) from a YAML input, as a printable HTML page or XLSX."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..reports.conclusion import load_conclusion, load_death_conclusion
from ..reports.render import conclusion_html, death_html, write_conclusion_xlsx


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "conclusion",
        help="the conclusion of Прил. 2 (monitoring) or Прил. 5 (death case) as HTML or XLSX",
        description=(
            "Render the conclusion of Прил. 2 (annex2: sections 1–13, the table of section 9 "
            "built from the provider's deductions) or Прил. 5 (annex5: items 1–7) from a YAML "
            "input (see examples/conclusion_annex2.yaml, examples/conclusion_annex5.yaml). "
            "ИИН are validated and shown masked (last 4 digits) unless --show-iin."
        ),
    )
    p.add_argument("form", choices=("annex2", "annex5"), help="annex2 = monitoring (Прил. 2), annex5 = death case (Прил. 5)")
    p.add_argument("input", metavar="INPUT", help="the YAML input")
    p.add_argument("-o", "--output", metavar="OUT", help="OUT.html or OUT.xlsx (default: HTML to stdout)")
    p.add_argument("--show-iin", action="store_true", help="print ИИН in full (personal data!)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    doc = load_conclusion(args.input) if args.form == "annex2" else load_death_conclusion(args.input)
    outside = getattr(doc, "rows_outside_dates", 0)
    if outside:
        # reading P10: said, never dropped unseen
        print(
            f"osms-defects conclusion: {outside} row(s) of the provider and kind of monitoring "
            "were detected outside item 8's dates and are not in section 9 "
            "(section9_rows: all takes them)",
            file=sys.stderr,
        )
    out: str | None = args.output
    if out is not None and out.lower().endswith(".xlsx"):
        write_conclusion_xlsx(doc, out, show_iin=args.show_iin)
        return 0
    if out is not None and not out.lower().endswith((".html", ".htm")):
        print(f"osms-defects conclusion: error: output {out!r} must end in .html or .xlsx", file=sys.stderr)
        return 2
    from ..reports.conclusion import Conclusion

    page = (
        conclusion_html(doc, show_iin=args.show_iin)
        if isinstance(doc, Conclusion)
        else death_html(doc, show_iin=args.show_iin)
    )
    if out is None:
        sys.stdout.write(page + "\n")
    else:
        Path(out).write_text(page, encoding="utf-8")
    return 0
