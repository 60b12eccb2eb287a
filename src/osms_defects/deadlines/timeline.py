"""The objection procedures of the Rules laid out as timelines (chains of terms).

The chains are data (``data/procedure.yaml``, ``timelines`` of an edition): each step is a term
of the edition (its amount, unit and paragraph come from the data), the act its term runs from,
who acts, and what follows. The 2026 edition has two:

* ``potential_defect`` (п. 23–38 Правил): the potential defect detected and notified (п. 23) →
  the provider's objection within five working days after the day of detection (п. 26; silence:
  confirmed, п. 27) → its review within five working days after the day of detection (п. 30,
  reading E8) → if confirmed (п. 31), a repeat objection within three working days after the
  confirmation was received (п. 32) → its review in three working days (п. 34, E9) → if the
  repeat objection is upheld, the central office in three working days (п. 36, 37, E16);
  if dismissed, the ИСФ reduces the amount (п. 35);
* ``death_case`` (п. 40–47 Правил): the branch's confirmation reaches the provider (п. 43) →
  objection within five working days (п. 44) → its review in three (п. 45) → the case sent to
  the central office within three working days after the confirmation (п. 46) → the central
  office decides in three (п. 47).

The 2022 edition lays out one, ``conclusion`` (п. 36 Правил, with п. 13, 31 for the delivery):
the conclusion delivered within two working days → the provider's objections within three
working days of receipt (silence: the conclusion counts as agreed and accepted) → the branch's
review and the expert council in three → the council's decision sent in three.

One engine (:func:`chain_timeline`) runs every chain of every edition from the data; the
functions :func:`objection_timeline` (2022), :func:`potential_defect_timeline` and
:func:`death_case_timeline` (2026) only name the acts of their chain as keywords. The whole
chain follows the edition in force on its first event (reading E11); a chain asked of an
edition that does not lay it out raises ``TimelineNotInEditionError`` naming the editions that
do; :func:`timeline` picks the edition's own procedure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from ..calendar import WorkCalendar
from ..classifier import load_classifier
from ..errors import (
    EditionGapError,
    NoEditionError,
    TimelineInputError,
    TimelineNotInEditionError,
)
from .deadline import Deadline
from .procedure import (
    LANGS,
    Decision,
    DecisionOutcome,
    ProcedureEdition,
    TimelineSpec,
    editions_with_timeline,
    load_procedure,
)
from .terms import term

__all__ = [
    "TIMELINES",
    "ObjectionStep",
    "ObjectionTimeline",
    "StepStatus",
    "chain_timeline",
    "death_case_timeline",
    "objection_timeline",
    "parse_decision",
    "potential_defect_timeline",
    "timeline",
    "timeline_spec",
]


class StepStatus(StrEnum):
    MET = "met"  # done on or before the due date
    LATE = "late"  # done after the due date
    PENDING = "pending"  # not done yet, still in time (or no "today" given)
    OVERDUE = "overdue"  # not done and the due date has passed
    WAITING = "waiting"  # the event that starts the term has not happened yet
    NOT_NEEDED = "not_needed"  # the step does not arise (e.g. no objection was made)


@dataclass(frozen=True, slots=True)
class ObjectionStep:
    name: str
    reference: str
    description: str
    due: dt.date | None
    done_on: dt.date | None
    status: StepStatus
    deadline: Deadline | None = None
    decision: str | None = None  # a review's decision on the potential defect (2026 chains)


@dataclass(frozen=True, slots=True)
class ObjectionTimeline:
    """An objection procedure (п. 36 of 2022; п. 23–38 or 40–47 of 2026) laid out from the
    events known so far."""

    steps: tuple[ObjectionStep, ...]
    outcome: str
    accepted_by_silence: bool
    notes: tuple[str, ...] = field(default=())
    edition: str = ""  # the edition whose procedure this is (in force on the first event, E11)
    name: str = ""  # the procedure: conclusion (2022, п. 36), potential_defect, death_case (2026)
    result: Decision | None = None  # 2026: what became of the potential defect, once decided

    @property
    def calendar_provisional(self) -> bool:
        """Whether a step's term used a day of a provisional calendar year."""
        return any(st.deadline is not None and st.deadline.calendar_provisional for st in self.steps)

    @property
    def calendar_notes(self) -> tuple[str, ...]:
        """The provisional-calendar notes of the steps, each once."""
        return tuple(
            dict.fromkeys(
                st.deadline.calendar_note
                for st in self.steps
                if st.deadline is not None and st.deadline.calendar_provisional
            )
        )


def step_of(
    name: str,
    d: Deadline | None,
    done_on: dt.date | None,
    today: dt.date | None,
    reference: str,
    description: str,
) -> ObjectionStep:
    if d is None:
        return ObjectionStep(name, reference, description, None, done_on, StepStatus.WAITING)
    if done_on is not None:
        status = StepStatus.MET if d.met_by(done_on) else StepStatus.LATE
    elif today is not None and today > d.due:
        status = StepStatus.OVERDUE
    else:
        status = StepStatus.PENDING
    return ObjectionStep(name, d.reference, d.description, d.due, done_on, status, d)


#: the names of the objection procedures in the data, every edition
TIMELINES: tuple[str, ...] = tuple(
    dict.fromkeys(tl.name for e in load_procedure().editions for tl in e.timelines)
)

_SHORT = {"rejected": Decision.DEFECT_REJECTED, "confirmed": Decision.DEFECT_CONFIRMED}


def parse_decision(value: Decision | str) -> Decision:
    """``defect_rejected`` / ``defect_confirmed`` (or ``rejected`` / ``confirmed``)."""
    if isinstance(value, Decision):
        return value
    key = value.strip().lower()
    if key in _SHORT:
        return _SHORT[key]
    try:
        return Decision(key)
    except ValueError:
        raise TimelineInputError(
            f"decision {value!r} is not understood; allowed: "
            + ", ".join([*(d.value for d in Decision), *_SHORT])
        ) from None


def _edition_on(name: str, start: dt.date, edition: str | None) -> str:
    clf = load_classifier()
    if edition is not None:
        return clf.edition(id=edition).id
    try:
        return clf.edition(start).id
    except EditionGapError as exc:
        raise EditionGapError(
            f"timeline {name} from {start.isoformat()}: {exc}", exc.orders
        ) from None
    except NoEditionError as exc:
        raise NoEditionError(f"timeline {name} from {start.isoformat()}: {exc}") from None


def timeline_spec(
    name: str, start: dt.date, edition: str | None = None
) -> tuple[ProcedureEdition, TimelineSpec]:
    """The edition in force on ``start`` (or ``edition``) and its chain ``name``.

    Raises TimelineNotInEditionError naming the editions that lay the chain out (and the
    chains the edition has), TimelineInputError for a name no edition has."""
    proc = load_procedure()
    if name not in TIMELINES:
        raise TimelineInputError(
            f"unknown timeline {name!r}; allowed: {', '.join(TIMELINES)}"
        )
    ed_id = _edition_on(name, start, edition)
    ped = proc.edition(ed_id)
    if ped is None:
        raise NoEditionError(f"edition {ed_id} has no procedure in data/procedure.yaml")
    spec = ped.timeline(name)
    if spec is not None:
        return ped, spec
    clf = load_classifier()
    having = editions_with_timeline(name, proc)
    ref = next(e.timeline(name) for e in having).reference  # type: ignore[union-attr]
    where = "; ".join(f"edition {e.id} ({clf.edition(id=e.id).in_force.describe()})" for e in having)
    own = ", ".join(f"{t.name} ({t.reference})" for t in ped.timelines) or "none"
    msg = (
        f"the {name} timeline ({ref}) exists in {where}; edition {ed_id} has no such procedure "
        f"(its timelines: {own})"
    )
    if edition is None:
        msg += f" (edition {ed_id} is in force on {start.isoformat()}; choose another with --edition ID, edition= in Python)"
    raise TimelineNotInEditionError(msg, name, ed_id, [e.id for e in having])


def _check_keys(spec: TimelineSpec, what: str, keys: Mapping[str, object]) -> None:
    names = [s.term for s in spec.steps]
    bad = [k for k in keys if k not in names]
    if bad:
        raise TimelineInputError(
            f"timeline {spec.name}: {what} for unknown step(s) {', '.join(bad)}; its steps are: "
            + ", ".join(names)
        )


def chain_timeline(
    name: str,
    start: dt.date,
    *,
    done: Mapping[str, dt.date] | None = None,
    decisions: Mapping[str, Decision | str] | None = None,
    starts: Mapping[str, dt.date] | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """Lay out the chain ``name`` of the edition in force on ``start`` (or ``edition``).

    ``done`` maps a step (a term name) to the day its act was done (the objection sent, the
    decision taken); ``decisions`` maps a review step to its decision on the potential defect
    (``defect_rejected`` / ``defect_confirmed``); ``starts`` overrides the day a step's term
    runs from when it is not the day of the act named in the data (e.g. the day the provider
    actually received a confirmation, п. 32). ``today`` marks acts not done as overdue.
    ``lang`` (ru, kk, en) picks the steps' descriptions (reading E15).

    Each step carries its due date, paragraph and status: ``met`` / ``late`` (done on or
    before / after the due date), ``pending`` (not done, still in time), ``overdue`` (not done,
    due date passed), ``waiting`` (its term has not started), ``not_needed`` (the procedure
    ended before it). A provider's act not done in time ends the procedure with the data's
    ``silence`` outcome (п. 27, 44: later objections are not considered); a late act of the
    Fund is marked ``late`` and the chain goes on (the Rules set no consequence).
    """
    if lang not in LANGS:
        raise TimelineInputError(f"unknown language {lang!r}; allowed: {', '.join(LANGS)}")
    ped, spec = timeline_spec(name, start, edition)
    done = dict(done or {})
    starts = dict(starts or {})
    decided = {k: parse_decision(v) for k, v in (decisions or {}).items()}
    for what, keys in (("dates", done), ("decisions", decided), ("start dates", starts)):
        _check_keys(spec, what, keys)
    for k in decided:
        st = spec.step(k)
        if st is not None and st.decisions is None:
            raise TimelineInputError(
                f"timeline {name}: step {k} decides nothing; decisions are for: "
                + ", ".join(s.term for s in spec.steps if s.decisions)
            )
        if k not in done:
            raise TimelineInputError(f"timeline {name}: decision for {k} without the day it was taken")

    notes: list[str] = []
    steps: list[ObjectionStep] = []
    acted: dict[str, dt.date] = {"start": start}
    nxt: str | None = spec.steps[0].term
    ended: DecisionOutcome | None = None
    result: Decision | None = None
    by_silence = False
    outcome = ""
    stopped = False  # the chain waits at a step not done yet
    for i, st in enumerate(spec.steps):
        label = ped.label(st.term, lang)
        if label.note and label.note not in notes:
            notes.append(label.note)
        t = ped.term(st.term)
        assert t is not None  # checked when the data is loaded
        if stopped or st.term != nxt:
            status = StepStatus.WAITING if stopped else StepStatus.NOT_NEEDED
            steps.append(ObjectionStep(st.term, t.reference, label.text, None, None, status))
            continue
        event = starts.get(st.term, acted.get(st.from_))
        if event is None:  # pragma: no cover - the previous step on the path was done
            stopped = True
            steps.append(ObjectionStep(st.term, t.reference, label.text, None, None, StepStatus.WAITING))
            continue
        d = term(st.term, event, edition=ped.id, cal=cal)
        done_on = done.get(st.term)
        if done_on is not None and done_on < event:
            raise TimelineInputError(
                f"timeline {name}: {st.term} done on {done_on.isoformat()}, before its term "
                f"starts ({event.isoformat()}, the day of {st.from_})"
            )
        step = step_of(st.term, d, done_on, today, t.reference, label.text)
        step = dataclasses.replace(step, description=label.text, decision=decided.get(st.term))
        steps.append(step)
        following = spec.steps[i + 1].term if i + 1 < len(spec.steps) else None
        if st.actor == "provider":
            if step.status in (StepStatus.LATE, StepStatus.OVERDUE):
                assert st.silence is not None
                ended, by_silence, nxt = st.silence, True, None
                result = st.silence.result
                continue
            if step.status is StepStatus.PENDING:
                stopped = True
                outcome = (
                    f"{st.term}: the provider may act until {d.due.isoformat()} "
                    f"({d.citation}); otherwise: {st.silence.outcome_en if st.silence else ''} "
                    f"({st.silence.reference if st.silence else ''})"
                )
                continue
        else:
            if done_on is None:
                stopped = True
                late = step.status is StepStatus.OVERDUE
                outcome = (
                    f"{st.term}: {'overdue since' if late else 'due by'} {d.due.isoformat()} "
                    f"({d.citation})"
                )
                continue
            if step.status is StepStatus.LATE:
                notes.append(
                    f"{st.term} was done after its term ({d.citation}); the Rules state no "
                    "consequence, so the procedure goes on"
                )
            if st.decisions is not None:
                dec = decided.get(st.term)
                if dec is None:
                    raise TimelineInputError(
                        f"timeline {name}: {st.term} done on {done_on.isoformat()}: give its "
                        "decision (defect_rejected or defect_confirmed)"
                    )
                o = st.decisions[dec]
                if o.next is None:
                    ended, result, nxt = o, dec, None
                else:
                    nxt = o.next
                    outcome = f"{o.outcome_en} ({o.reference})"
                acted[st.term] = done_on
                continue
        acted[st.term] = d.counted_from if done_on is None else done_on
        if st.then is not None:
            ended, nxt = st.then, None
        else:
            nxt = following
    if ended is not None:
        outcome = f"{ended.outcome_en} ({ended.reference})"
    # every date and decision given must belong to a step the procedure reached
    for k in [*done, *decided, *starts]:
        s = next(x for x in steps if x.name == k)
        if s.status in (StepStatus.WAITING, StepStatus.NOT_NEEDED):
            raise TimelineInputError(
                f"timeline {name}: an act is given for {k}, but the procedure did not reach "
                f"that step ({s.status.value}); outcome so far: {outcome}"
            )
    return ObjectionTimeline(
        tuple(steps), outcome, by_silence, tuple(notes), edition=ped.id, name=spec.name,
        result=result,
    )  # fmt: skip


_T = TypeVar("_T")


def _given(**acts: _T | None) -> dict[str, _T]:
    """The steps whose act (a date, a decision) was given, by step name."""
    return {step: value for step, value in acts.items() if value is not None}


def potential_defect_timeline(
    detected_on: dt.date,
    *,
    objection_on: dt.date | None = None,
    review_decided_on: dt.date | None = None,
    review_decision: Decision | str | None = None,
    confirmation_received_on: dt.date | None = None,
    repeat_objection_on: dt.date | None = None,
    repeat_review_decided_on: dt.date | None = None,
    repeat_review_decision: Decision | str | None = None,
    central_sent_on: dt.date | None = None,
    central_decided_on: dt.date | None = None,
    central_decision: Decision | str | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The 2026 procedure for a potential defect of current monitoring (п. 23–38 Правил).

    Steps (terms of data/procedure.yaml): п. 26 objection, five working days after the day of
    detection (silence: confirmed, п. 27); п. 30 its review, five working days after the day of
    detection (E8), deciding per п. 31; п. 32 repeat objection, three working days after the
    confirmation was received (``confirmation_received_on``, by default the review's day: the
    decision «доводится до поставщика посредством ИСФ», п. 31); п. 34 its review, three working
    days from the repeat objection (E9); п. 37 the central office, three working days from the
    referral (``central_sent_on``, by default the repeat review's day: the ИСФ sends it, п. 36;
    reading E16). Decisions: ``defect_rejected`` / ``defect_confirmed`` (or ``rejected`` /
    ``confirmed``). See :func:`osms_defects.deadlines.timeline.chain_timeline` for the statuses.
    """
    return chain_timeline(
        "potential_defect", detected_on,
        done=_given(
            potential_defect_objection=objection_on,
            potential_objection_review=review_decided_on,
            repeat_objection=repeat_objection_on,
            repeat_objection_review=repeat_review_decided_on,
            central_review=central_decided_on,
        ),
        decisions=_given(
            potential_objection_review=review_decision,
            repeat_objection_review=repeat_review_decision,
            central_review=central_decision,
        ),
        starts=_given(repeat_objection=confirmation_received_on, central_review=central_sent_on),
        today=today, edition=edition, lang=lang, cal=cal,
    )  # fmt: skip


def death_case_timeline(
    decision_received_on: dt.date,
    *,
    objection_on: dt.date | None = None,
    review_decided_on: dt.date | None = None,
    review_decision: Decision | str | None = None,
    confirmation_received_on: dt.date | None = None,
    sent_to_central_on: dt.date | None = None,
    central_decided_on: dt.date | None = None,
    central_decision: Decision | str | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The 2026 procedure for deaths in hospital and infant deaths (п. 40–47 Правил).

    Starts on the day the branch's decision confirming the potential defect (п. 43) reached the
    provider. Steps: п. 44 objection, five working days (silence: confirmed, п. 44 ч. 2); п. 45
    its review, three working days from the objection (E9); п. 46 the case sent to the central
    office, three working days after the confirmation was received (by default the review's
    day); п. 47 the central office, three working days from the sending (E9).
    """
    return chain_timeline(
        "death_case", decision_received_on,
        done=_given(
            death_case_objection=objection_on,
            death_case_objection_review=review_decided_on,
            death_case_repeat_objection=sent_to_central_on,
            death_case_central_review=central_decided_on,
        ),
        decisions=_given(
            death_case_objection_review=review_decision,
            death_case_central_review=central_decision,
        ),
        starts=_given(death_case_repeat_objection=confirmation_received_on),
        today=today, edition=edition, lang=lang, cal=cal,
    )  # fmt: skip


def objection_timeline(
    signed_on: dt.date,
    *,
    delivered_on: dt.date | None = None,
    objection_on: dt.date | None = None,
    council_decided_on: dt.date | None = None,
    decision_sent_on: dt.date | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The objection procedure of п. 36 (with п. 13/31 for the delivery): the ``conclusion``
    chain of the data, run by :func:`chain_timeline`.

    Events (each optional except ``signed_on``): the conclusion signed; delivered to (received
    by) the provider; the provider's objection (``objection_on``: the day it was sent, which
    is also taken as the day the branch received it, reading C6); the expert council's
    decision (judged as the review step's act, C6); the decision sent to the provider.
    ``today`` lets steps not done yet be marked overdue. On silence the conclusion counts as
    accepted: «При непредоставлении поставщиком возражений в установленный срок, заключение
    считается согласованным и принятым поставщиком» (п. 36). Under an edition that does not lay
    this chain out (2026: objections run from the signing, п. 56–58) it raises
    TimelineNotInEditionError naming the editions that have it."""
    acts = {
        "conclusion_delivery": delivered_on,
        "provider_objection": objection_on,
        "objection_review": council_decided_on,
        "council_decision_notice": decision_sent_on,
    }
    return chain_timeline(
        "conclusion", signed_on, done=_given(**acts), today=today, edition=edition, lang=lang,
        cal=cal,
    )  # fmt: skip


def timeline(
    start: dt.date,
    name: str | None = None,
    *,
    done: Mapping[str, dt.date] | None = None,
    decisions: Mapping[str, Decision | str] | None = None,
    starts: Mapping[str, dt.date] | None = None,
    today: dt.date | None = None,
    edition: str | None = None,
    lang: str = "ru",
    cal: WorkCalendar | None = None,
) -> ObjectionTimeline:
    """The objection procedure ``name`` from ``start`` under the edition in force on it (or
    ``edition``); without ``name``, the edition's first procedure in the data (2022:
    ``conclusion``, п. 36; 2026: ``potential_defect``, п. 23–38). ``done``, ``decisions`` and
    ``starts`` are keyed by step (term) name, as in :func:`chain_timeline`."""
    if name is None:
        ped = load_procedure().edition(_edition_on("timeline", start, edition))
        if ped is None or not ped.timelines:
            raise TimelineInputError(f"no objection procedure in the data for {start.isoformat()}")
        name = ped.timelines[0].name
    return chain_timeline(
        name, start, done=done, decisions=decisions, starts=starts, today=today,
        edition=edition, lang=lang, cal=cal,
    )  # fmt: skip
