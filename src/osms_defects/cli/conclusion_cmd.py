"""``osms-defects conclusion FORM INPUT``: the monitoring documents of each edition of the Rules
from a YAML input, as a printable HTML page, XLSX or (the 2026 register) CSV.

2022 (order ҚР ДСМ-105): ``annex2`` (Прил. 2, п. 13, 31), ``annex5`` (Прил. 5, п. 74).
2026 (order No. 68): ``2026-annex2`` (the register of unconfirmed cases, п. 18), ``2026-annex3``
(unconfirmed cases, п. 19), ``2026-annex4`` (contract monitoring, п. 39, 54), ``2026-annex5``
(death cases, п. 49). The form must be of the edition in force on its date (reading P11).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .._yaml import load_yaml, read_text
from ..errors import OsmsDefectsError, ReportInputError
from ..outputs import mask_iin_text
from ..reports.conclusion import load_conclusion, load_death_conclusion
from ..reports.conclusion_2026 import DeathConclusion2026, UnconfirmedRegister, load_2026
from ..reports.editions import CONCLUSION_FORMS, chosen_edition
from ..reports.fill import Renderable, register_frame, to_html, to_xlsx, write_register_csv
from ..reports.layout import check_lang
from ._calendar import add_calendar_options, calendar_from_args


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "conclusion",
        help="conclusions of the 2022 (Прил. 2, 5) and 2026 Rules (Прил. 2–5) as HTML, XLSX, CSV",
        description=(
            "Render a monitoring document from a YAML input. 2022 Rules: annex2 (Прил. 2: "
            "sections 1–13, section 9 built from the provider's deductions), annex5 (Прил. 5: "
            "items 1–7). 2026 Rules: 2026-annex2 (the register of unconfirmed cases, CSV/XLSX/"
            "HTML), 2026-annex3 (conclusion on unconfirmed cases), 2026-annex4 (conclusion on "
            "the contract), 2026-annex5 (death cases, items 1–8). The form must be of the "
            "edition in force on signed_on (reading P11). Examples: examples/conclusion_*.yaml. "
            "ИИН are validated and shown masked (last 4 digits) unless --show-iin."
        ),
    )
    p.add_argument("form", choices=tuple(CONCLUSION_FORMS),
                   help="; ".join(f"{k} = {v.title_en} ({', '.join(v.editions)})"
                                  for k, v in CONCLUSION_FORMS.items()))
    p.add_argument("input", metavar="INPUT", help="the YAML input")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="OUT.html or OUT.xlsx (2026-annex2 also OUT.csv; default: HTML to stdout, "
                        "CSV for 2026-annex2)")
    p.add_argument("--show-iin", "--no-mask", dest="show_iin", action="store_true",
                   help="print ИИН in full (personal data!); by default masked, also in free text")
    p.add_argument("--no-csv-guard", dest="csv_guard", action="store_false",
                   help="2026-annex2 CSV: write cells as they are (by default a cell beginning "
                        "with =, +, -, @ gets a leading ', OWASP)")
    p.add_argument("--lang", choices=("ru", "kk"), default="ru",
                   help="the language of a 2026 form: ru (default) or kk, every label from the "
                        "Russian or Kazakh text of the Rules (data/forms/<edition>/<form>.yaml); "
                        "the 2022 forms exist in Russian only (no Kazakh text of that edition)")
    p.add_argument("--gloss", choices=("en",), default=None,
                   help="add the English gloss of each printed text beside it (HTML: in small "
                        "italics after it; XLSX: on a line of its own under it, in italics); "
                        "the printed texts stay as printed")
    p.add_argument("--edition", metavar="ID",
                   help="print the document under this edition of the Rules (an id or alias) "
                        "whatever its dates — the way to a conclusion of the gap 14.01.2024–"
                        "31.07.2025, whose Rules' texts are missing; the form must be one of "
                        "that edition's, and the document says the edition was chosen by the "
                        "caller for a date it does not govern (reading E20)")
    add_calendar_options(p)
    p.set_defaults(func=run)


def _form_in_file(path: str) -> str | None:
    try:
        data, _ = load_yaml(read_text(path), path)
    except OsmsDefectsError:
        return None  # the loader reports it with its line
    form = data.get("form") if isinstance(data, dict) else None
    return str(form) if form is not None else None


def run(args: argparse.Namespace) -> int:
    # this command counts no working days; the calendar options are checked like everywhere
    calendar_from_args(args)
    form: str = args.form
    in_file = _form_in_file(args.input)
    if in_file is not None and in_file != form:
        raise ReportInputError(
            f"{args.input}: the input is for form {in_file!r}, but the command asks for {form!r}; "
            f"run 'osms-defects conclusion {in_file} {args.input}'")
    out: str | None = args.output
    allowed = (".html", ".htm", ".xlsx") + ((".csv",) if form == "2026-annex2" else ())
    if out is not None and not out.lower().endswith(allowed):
        print(f"osms-defects conclusion: error: output {out!r} must end in "
              f"{', '.join(allowed)}", file=sys.stderr)
        return 2
    with chosen_edition(args.edition) as notes:
        args.edition_notes = notes  # filled while the document is built, printed under it
        if form.startswith("2026-"):
            return _run_2026(form, args, out)
        return _run_2022(form, args, out)


def _run_2022(form: str, args: argparse.Namespace, out: str | None) -> int:
    check_lang(form, args.lang)
    doc = load_conclusion(args.input) if form == "annex2" else load_death_conclusion(args.input)
    outside = getattr(doc, "rows_outside_dates", 0)
    if outside:
        # reading P10: said, never dropped unseen
        print(
            f"osms-defects conclusion: {outside} row(s) of the provider and kind of monitoring "
            "were detected outside item 8's dates and are not in section 9 "
            "(section9_rows: all takes them)",
            file=sys.stderr,
        )
    _say_error_rows(doc, args.show_iin)
    return _render(doc, args, out)


def _render(doc: Renderable, args: argparse.Namespace, out: str | None) -> int:
    notes: list[str] = list(args.edition_notes)
    for n in notes:
        print(f"osms-defects conclusion: note: {n}", file=sys.stderr)
    if out is not None and out.lower().endswith(".xlsx"):
        to_xlsx(doc, out, lang=args.lang, show_iin=args.show_iin, gloss=args.gloss, notes=notes)
    else:
        _write(to_html(doc, lang=args.lang, show_iin=args.show_iin, gloss=args.gloss,
                       notes=notes), out)
    return _exit_code(doc)


def _exit_code(doc: object) -> int:
    """README «Exit codes»: 1 when error rows of the deductions were set aside (listed in the
    annex, not in the tables), else 0."""
    return 1 if getattr(doc, "error_rows", ()) else 0


def _write(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text + "\n")
    else:
        Path(out).write_text(text, encoding="utf-8")


def _say_error_rows(doc: object, show_iin: bool = False) -> None:
    """Error rows of the deduct output: in the document's annex, counted here (issue 20); an
    ИИН in them masked as in the document unless --show-iin (a log keeps stderr)."""
    errors = getattr(doc, "error_rows", ())
    if errors:
        print(f"osms-defects conclusion: {len(errors)} error row(s) of the deductions are not in "
              "the tables; they are listed in the document's annex «строки с ошибками»:",
              file=sys.stderr)
        for e in errors:
            line = f"  row {e.row} ({e.finding_id or e.provider_id}): {e.error}"
            print(line if show_iin else mask_iin_text(line), file=sys.stderr)


def _run_2026(form: str, args: argparse.Namespace, out: str | None) -> int:
    doc = load_2026(form, args.input)
    _say_error_rows(doc, args.show_iin)
    if isinstance(doc, UnconfirmedRegister):
        for e in doc.empty_columns:
            print(f"osms-defects conclusion: column «{e.header}» left empty in {e.empty_rows} "
                  f"row(s): {e.reason}", file=sys.stderr)
        if doc.rows_other_codes:
            print(f"osms-defects conclusion: {doc.rows_other_codes} row(s) in the dates are not "
                  "of group 5.0 (unconfirmed cases) and are not in the register", file=sys.stderr)
        if out is None or out.lower().endswith(".csv"):
            for n in args.edition_notes:  # a CSV has no place for them: said here
                print(f"osms-defects conclusion: note: {n}", file=sys.stderr)
            if out is None:
                frame = register_frame(doc, show_iin=args.show_iin, csv_guard=args.csv_guard,
                                       lang=args.lang)
                sys.stdout.write(frame.write_csv())
            else:
                write_register_csv(doc, out, show_iin=args.show_iin, csv_guard=args.csv_guard,
                                   lang=args.lang)
            return _exit_code(doc)
        return _render(doc, args, out)
    if not isinstance(doc, DeathConclusion2026):
        if doc.rows_outside_dates:
            print(f"osms-defects conclusion: {doc.rows_outside_dates} row(s) of the provider and "
                  "kind were detected outside item 8's dates and are not in section 9 "
                  "(section9_rows: all takes them; reading P10)", file=sys.stderr)
        if doc.rows_left_out:
            what = ("are not of group 5.0 (they belong to Прил. 4)" if form == "2026-annex3"
                    else "are of group 5.0 and left to Прил. 3 (section9_unconfirmed: exclude)")
            print(f"osms-defects conclusion: {doc.rows_left_out} row(s) in the dates {what}; "
                  "reading P12", file=sys.stderr)
    return _render(doc, args, out)
