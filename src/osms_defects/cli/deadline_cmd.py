"""``osms-defects deadline NAME DATE [--edition ID] [--lang ru|kk|en]``: a term of the Rules
applied to a date; ``osms-defects deadline --list [--edition ID]``: the terms of each edition;
``osms-defects deadline --timeline START [--chain NAME] [--done STEP=DATE …] [--decision
STEP=rejected|confirmed …] [--today DATE]``: an objection procedure laid out step by step.

``--lang`` picks the descriptions: ru (the law's text), kk (the Kazakh text; the 2022 edition
has none in the sources, so Russian with a note, reading E15), en (a gloss, not law).

The term is that of the edition in force on DATE (data/procedure.yaml with the periods of
data/classifier.yaml); ``--edition`` names another. A term the edition does not have, or a date
with no edition in the data, exits 2 with the reason.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from ..classifier import load_classifier
from ..deadlines import (
    LANGS,
    TERMS,
    TIMELINES,
    Deadline,
    ObjectionTimeline,
    deadline,
    load_procedure,
    timeline,
)
from ..errors import TimelineInputError
from ._calendar import add_calendar_options, calendar_from_args, warn_provisional
from ._view import show_rows, wants_view

NAMES = TERMS  # every term of every edition (data/procedure.yaml)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "deadline",
        help="the due date of a term of the Rules, by the edition in force (or --edition)",
        description=(
            "Apply a term of the Rules to a date and print the due date, the paragraph, the "
            "edition and the counting rule. The edition is the one in force on DATE unless "
            "--edition names one (an id or alias: 2022, 2026). NAME is one of: "
            + ", ".join(NAMES)
            + ". DATE is YYYY-MM-DD (for monitoring_report: a period YYYY, YYYY-H1/H2 or "
            "YYYY-Q1..Q4). --list prints the terms of each edition."
        ),
    )
    p.add_argument("name", metavar="NAME", nargs="?", help="the term: " + ", ".join(NAMES))
    p.add_argument("date", metavar="DATE", nargs="?", help="the event date (or period)")
    p.add_argument("--edition", metavar="ID", help="the edition of the Rules (default: in force)")
    p.add_argument("--list", action="store_true", help="list the terms of each edition")
    p.add_argument(
        "--lang",
        choices=LANGS,
        default="ru",
        help="language of the descriptions: ru (verbatim), kk (Kazakh text; 2026 only, 2022 "
        "falls back to Russian with a note), en (English gloss, not law)",
    )
    p.add_argument(
        "--timeline",
        metavar="START",
        help="lay out an objection procedure from START (YYYY-MM-DD): by default the one of "
        "the edition in force (2022: conclusion, п. 36; 2026: potential_defect, п. 23–38)",
    )
    p.add_argument("--chain", metavar="NAME", help="the procedure: " + ", ".join(TIMELINES))
    p.add_argument(
        "--done",
        metavar="STEP=DATE",
        action="append",
        default=[],
        help="the day a step's act was done (repeatable), e.g. potential_defect_objection=2026-03-27",
    )
    p.add_argument(
        "--decision",
        metavar="STEP=DECISION",
        action="append",
        default=[],
        help="a review's decision on the potential defect: rejected or confirmed (repeatable)",
    )
    p.add_argument(
        "--start",
        metavar="STEP=DATE",
        action="append",
        default=[],
        help="the day a step's term runs from, when not the previous act's day (e.g. the day a "
        "confirmation was received, п. 32)",
    )
    p.add_argument("--today", metavar="DATE", help="mark acts not done by this day as overdue")
    p.add_argument("--json", action="store_true", help="print as JSON")
    add_calendar_options(p)
    p.set_defaults(func=run)


def _list(args: argparse.Namespace) -> int:
    proc, clf = load_procedure(), load_classifier()
    ids = [clf.edition(id=args.edition).id] if args.edition else [e.id for e in proc.editions]
    rows: list[dict[str, object]] = []
    out: list[str] = []
    for ed_id in ids:
        ped = proc.edition(ed_id)
        if ped is None:
            sys.stderr.write(f"osms-defects deadline: edition {ed_id} has no procedure data\n")
            return 2
        period = clf.edition(id=ed_id).in_force.describe()
        out.append(
            f"# edition {ed_id} ({period}); kinds of monitoring ({ped.kinds.reference}): "
            + ", ".join(ped.kinds.ids)
        )
        for t in ped.terms:
            sign = "-" if t.direction == "before" else "+"
            label = ped.label(t.name, args.lang)
            if label.note and args.lang == "kk" and f"# note: {label.note}" not in out:
                out.append(f"# note: {label.note}")
            out.append(
                f"{ed_id}\t{t.name}\t{sign}{t.amount} {t.unit.value}\t{t.reference}\t{label.text}"
            )
            rows.append(
                {
                    "edition": ed_id,
                    "name": t.name,
                    "amount": t.amount,
                    "unit": t.unit.value,
                    "direction": t.direction,
                    "counted_from": t.counted_from,
                    "reference": t.reference,
                    "description": label.text,
                    "lang": label.lang,
                    "note": label.note,
                    "quote": t.quote,
                }
            )
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif wants_view(None, None):
        show_rows(
            "terms of the Rules",
            ["edition", "term", "amount", "reference", "description"],
            [line.split("\t") for line in out if not line.startswith("# ")],
            notes=[line for line in out if line.startswith("# ")],
        )
    else:
        sys.stdout.write("\n".join(out) + "\n")
    return 0


def _date(text: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise TimelineInputError(
            f"{what}: {text!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-20"
        ) from None


def _pairs(items: list[str], option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        step, sep, value = item.partition("=")
        if not sep or not step.strip() or not value.strip():
            raise TimelineInputError(f"{option} {item!r}: write STEP=VALUE")
        if step.strip() in out:
            raise TimelineInputError(f"{option}: step {step.strip()} given twice")
        out[step.strip()] = value.strip()
    return out


def _timeline(args: argparse.Namespace) -> int:
    start = _date(args.timeline, "--timeline")
    done = {k: _date(v, f"--done {k}") for k, v in _pairs(args.done, "--done").items()}
    starts = {k: _date(v, f"--start {k}") for k, v in _pairs(args.start, "--start").items()}
    decisions: dict[str, str] = _pairs(args.decision, "--decision")
    today = _date(args.today, "--today") if args.today else None
    tl = timeline(
        start, args.chain, done=done, decisions=decisions, starts=starts, today=today,
        edition=args.edition, lang=args.lang, cal=calendar_from_args(args),
    )  # fmt: skip
    warn_provisional("deadline", tl.calendar_notes)
    if args.json:
        sys.stdout.write(json.dumps(timeline_json(tl, start), ensure_ascii=False, indent=2) + "\n")
        return 0
    spec = load_procedure().edition(tl.edition)
    ref = spec.timeline(tl.name).reference if spec and spec.timeline(tl.name) else ""  # type: ignore[union-attr]
    out = [f"# timeline {tl.name} ({ref}), edition {tl.edition}, from {start.isoformat()}"]
    out.append("step\tdue\tstatus\tdone_on\tdecision\treference\tdescription")
    for st in tl.steps:
        out.append(
            f"{st.name}\t{st.due.isoformat() if st.due else '-'}\t{st.status.value}\t"
            f"{st.done_on.isoformat() if st.done_on else '-'}\t{st.decision or '-'}\t"
            f"{st.reference} (ред. {tl.edition})\t{st.description}"
        )
    out.append(f"# outcome: {tl.outcome}")
    out += [f"# note: {n}" for n in tl.notes]
    if wants_view(None, None):
        show_rows(
            out[0].removeprefix("# "),
            out[1].split("\t"),
            [line.split("\t") for line in out[2:] if not line.startswith("# ")],
            notes=[line.removeprefix("# ") for line in out[2:] if line.startswith("# ")],
            style_of={},
        )
        return 0
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def timeline_json(tl: ObjectionTimeline, start: dt.date) -> dict[str, object]:
    return {
        "timeline": tl.name,
        "edition": tl.edition,
        "start": start.isoformat(),
        "steps": [
            {
                "name": st.name,
                "due": st.due.isoformat() if st.due else None,
                "status": st.status.value,
                "done_on": st.done_on.isoformat() if st.done_on else None,
                "decision": st.decision,
                "reference": st.reference,
                "description": st.description,
                "rule": st.deadline.rule if st.deadline else None,
                "calendar_provisional": bool(st.deadline and st.deadline.calendar_provisional),
            }
            for st in tl.steps
        ],
        "calendar_provisional": tl.calendar_provisional,
        "calendar_notes": list(tl.calendar_notes),
        "outcome": tl.outcome,
        "accepted_by_silence": tl.accepted_by_silence,
        "result": tl.result.value if tl.result else None,
        "notes": list(tl.notes),
    }


def run(args: argparse.Namespace) -> int:
    if args.timeline is not None:
        if args.list or args.name is not None:
            sys.stderr.write("osms-defects deadline: --timeline takes no NAME, DATE or --list\n")
            return 2
        return _timeline(args)
    if args.done or args.decision or args.start or args.today or args.chain:
        sys.stderr.write(
            "osms-defects deadline: --chain, --done, --decision, --start and --today go with "
            "--timeline START\n"
        )
        return 2
    if args.list:
        if args.name is not None:
            sys.stderr.write("osms-defects deadline: --list takes no NAME or DATE\n")
            return 2
        return _list(args)
    if args.name is None or args.date is None:
        sys.stderr.write(
            "osms-defects deadline: give NAME and DATE (or --list); NAME is one of: "
            + ", ".join(NAMES)
            + "\n"
        )
        return 2
    d = deadline(args.name, args.date, edition=args.edition, cal=calendar_from_args(args))
    warn_provisional("deadline", [d.calendar_note])
    ped = load_procedure().edition(d.edition)
    label = ped.label(d.name, args.lang) if ped is not None else None
    description = label.text if label is not None else d.description
    note = label.note if label is not None and args.lang == "kk" else None
    if args.json:
        payload = deadline_json(d, args.lang)
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    elif wants_view(None, None):
        _view_deadline(d, description, note, args.lang)
    else:
        sys.stdout.write(f"{d.due.isoformat()}\t{d.citation}\t{description}\n# {d.rule}\n")
        if d.days_off:
            sys.stdout.write(
                "# days off: "
                + "; ".join(f"{n.date.isoformat()} {n.label(args.lang)}" for n in d.days_off)
                + "\n"
            )
        if d.calendar_provisional:
            sys.stdout.write(f"# PROVISIONAL: {d.calendar_note}\n")
        if d.edition_note:
            sys.stdout.write(f"# EDITION: {d.edition_note}\n")
        if note:
            sys.stdout.write(f"# note: {note}\n")
    return 0


def _view_deadline(d: Deadline, description: str, note: str | None, lang: str) -> None:
    """The terminal view of one deadline: the due date, the paragraph, the rule and the notes."""
    rows = [
        ["due", d.due.isoformat()],
        ["paragraph", d.citation],
        ["term", description],
        ["rule", d.rule],
    ]
    if d.days_off:
        rows.append(
            ["days off", "; ".join(f"{n.date.isoformat()} {n.label(lang)}" for n in d.days_off)]
        )
    if d.calendar_provisional:
        rows.append(["PROVISIONAL", str(d.calendar_note)])
    if d.edition_note:
        rows.append(["EDITION", d.edition_note])
    if note:
        rows.append(["note", note])
    show_rows(f"deadline {d.name}", ["", ""], rows, style_of={"due": "bold"})


def deadline_json(d: Deadline, lang: str = "ru") -> dict[str, object]:
    """A Deadline as ``deadline --json`` prints it (and ``POST /deadline`` of ``serve``)."""
    ped = load_procedure().edition(d.edition)
    label = ped.label(d.name, lang) if ped is not None else None
    description = label.text if label is not None else d.description
    note = label.note if label is not None and lang == "kk" else None
    return {
        "name": d.name,
        "due": d.due.isoformat(),
        "reference": d.reference,
        "edition": d.edition,
        "citation": d.citation,
        "description": description,
        "lang": label.lang if label is not None else "ru",
        "note": note,
        "counted_from": d.counted_from.isoformat(),
        "term": d.term,
        "unit": d.unit.value,
        "rule": d.rule,
        "rolled": d.rolled,
        "days_off": [{"date": n.date.isoformat(), "name": n.label(lang)} for n in d.days_off],
        "calendar_provisional": d.calendar_provisional,
        "calendar_note": d.calendar_note or None,
        "edition_note": d.edition_note or None,
    }
