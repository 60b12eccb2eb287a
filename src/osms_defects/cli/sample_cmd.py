"""``osms-defects sample``: the proactive monitoring sample of п. 61 (refused under п. 55)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..errors import SampleError
from ..monitoring import ProactiveException
from ..outputs import guard_csv_frame
from ..reports.sample import draw_sample, read_services
from ._calendar import add_calendar_options, calendar_from_args
from ._output import add_output_options, mask_note, mask_output


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sample",
        help="draw the proactive monitoring sample (п. 61: ≥10 %% / ≥5 %% of services)",
        description=(
            "Draw the services to monitor at a proactive visit (п. 61): at least 10 % of the "
            "services presented for payment for a visit in the first half-year, 5 % in the "
            "second, per care type, rounded up; reproducible for a seed. Refuses a provider "
            "with a valid JCI/EFQM/HAS/NSQHS/ACSA accreditation unless an exception of п. 55 "
            "is given."
        ),
    )
    p.add_argument("--services", required=True, metavar="S", help="services CSV in the register format")
    p.add_argument("--visit-on", required=True, type=_date, metavar="DATE", help="date of the visit (YYYY-MM-DD)")
    p.add_argument("--seed", required=True, type=int, metavar="N", help="seed of the random draw")
    p.add_argument("--provider", help="provider_id, when the file holds several providers")
    p.add_argument("--accreditation", action="append", default=[], metavar="NAME",
                   help="a valid accreditation of the provider (JCI, EFQM, HAS, NSQHS, ACSA …); repeatable")
    p.add_argument("--exception", choices=[e.value for e in ProactiveException],
                   help="the case of п. 55 that allows monitoring an accredited provider")
    p.add_argument("--edition", metavar="ID",
                   help="the edition of the Rules whose sampling rules apply (default: the one in "
                        "force on the visit; an edition without proactive monitoring is refused)")
    p.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="output format")
    p.add_argument("-o", "--output", metavar="OUT", help="output file (default: stdout)")
    add_calendar_options(p)
    add_output_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # this command counts no working days; the calendar options are checked like everywhere
    calendar_from_args(args)
    s = draw_sample(
        read_services(args.services), args.visit_on, args.seed,
        accreditations=args.accreditation, exception=args.exception,
        provider_id=args.provider, source=args.services, edition=args.edition,
    )
    frame, masked = mask_output(s.frame, args)
    if args.format == "csv" and args.csv_guard:
        frame = guard_csv_frame(frame)
    if args.output:
        if args.format == "csv":
            frame.write_csv(args.output)
        else:
            frame.write_ndjson(args.output)
    elif args.format == "csv":
        sys.stdout.write(frame.write_csv())
    elif args.format == "jsonl":
        sys.stdout.write(frame.write_ndjson())
    else:  # pragma: no cover - argparse restricts the choices
        raise SampleError(args.format)
    plan = ", ".join(f"{p.stratum}: {p.size}/{p.population}" for p in s.strata)
    print(f"п. 61: {s.rate_percent} % per care type, rounded up (seed {s.seed}): {plan}", file=sys.stderr)
    sys.stderr.write(mask_note(args, masked))
    return 0
