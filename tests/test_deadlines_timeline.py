"""The 2026 objection procedures as timelines (issue 7): potential defects (п. 23–38) and death
cases (п. 40–47) of the 2026 Rules, hand-worked on the Kazakhstan calendar of 2026 (days off:
Nauryz 23–25 March, 1, 7 and 11 May, Kurban Ait 27 May)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import osms_defects.deadlines as dl
from osms_defects.cli import main
from osms_defects.deadlines import Decision, StepStatus, load_procedure
from osms_defects.errors import EditionGapError, TimelineInputError, TimelineNotInEditionError

D = dt.date


def _by_name(t: dl.ObjectionTimeline) -> dict[str, dl.ObjectionStep]:
    return {s.name: s for s in t.steps}


def test_full_chain_across_nauryz() -> None:
    # п. 26: detected Fri 20.03.2026; 21–22 weekend, 23–25 March Nauryz → days 1..5 are
    # 26, 27, 30, 31 March, 1 April. п. 30 (reading E8): the review also ends 1 April.
    # п. 32: confirmation received Wed 1.04 → 2, 3, 6 April. п. 34 (E9): repeat objection
    # sent Fri 3.04 → 6, 7, 8 April. п. 36–37: upheld on Tue 7.04, sent to the central
    # office the same day → 8, 9, 10 April; decided Mon 13.04 (late), confirmed → п. 38.
    t = dl.potential_defect_timeline(
        D(2026, 3, 20),
        objection_on=D(2026, 3, 30),
        review_decided_on=D(2026, 4, 1),
        review_decision="confirmed",
        repeat_objection_on=D(2026, 4, 3),
        repeat_review_decided_on=D(2026, 4, 7),
        repeat_review_decision=Decision.DEFECT_REJECTED,
        central_decided_on=D(2026, 4, 13),
        central_decision="defect_confirmed",
    )
    s = _by_name(t)
    assert t.edition == "2026" and t.name == "potential_defect"
    assert (s["potential_defect_objection"].due, s["potential_defect_objection"].status) == (
        D(2026, 4, 1), StepStatus.MET)  # fmt: skip
    assert s["potential_defect_objection"].reference == "п. 26 Правил"
    assert s["potential_objection_review"].due == D(2026, 4, 1)
    assert s["potential_objection_review"].reference == "п. 30 Правил"
    assert s["repeat_objection"].due == D(2026, 4, 6)
    assert s["repeat_objection"].reference == "п. 32 Правил"
    assert s["repeat_objection_review"].due == D(2026, 4, 8)
    assert s["repeat_objection_review"].reference == "п. 34 Правил"
    assert s["central_review"].due == D(2026, 4, 10)
    assert s["central_review"].status is StepStatus.LATE
    assert s["central_review"].reference == "п. 37 Правил"
    assert t.result is Decision.DEFECT_CONFIRMED and not t.accepted_by_silence
    assert "п. 37, 38" in t.outcome
    assert any("central_review was done after its term" in n for n in t.notes)


def test_silence_confirms_the_potential_defect() -> None:
    # п. 26–27: detected Wed 29.04.2026 → 30 April, (1 May off) 4, 5, 6, (7 May off) 8 May.
    # Nothing by Mon 11.05: the defect counts as confirmed; no later step arises.
    t = dl.potential_defect_timeline(D(2026, 4, 29), today=D(2026, 5, 11))
    s = _by_name(t)
    assert s["potential_defect_objection"].due == D(2026, 5, 8)
    assert s["potential_defect_objection"].status is StepStatus.OVERDUE
    assert t.accepted_by_silence and t.result is Decision.DEFECT_CONFIRMED
    assert "п. 27" in t.outcome
    assert {s[n].status for n in ("potential_objection_review", "repeat_objection",
                                  "repeat_objection_review", "central_review")} == {
        StepStatus.NOT_NEEDED}  # fmt: skip
    # on the due day itself it is still pending, the review waiting
    p = dl.potential_defect_timeline(D(2026, 4, 29), today=D(2026, 5, 8))
    assert _by_name(p)["potential_defect_objection"].status is StepStatus.PENDING
    assert _by_name(p)["potential_objection_review"].status is StepStatus.WAITING
    assert "2026-05-08" in p.outcome and not p.accepted_by_silence


def test_branches_of_the_reviews() -> None:
    # п. 31, 1): the branch upholds the objection — paid without reduction, the chain ends
    ok = dl.potential_defect_timeline(
        D(2026, 4, 29), objection_on=D(2026, 5, 4), review_decided_on=D(2026, 5, 6),
        review_decision="rejected",
    )  # fmt: skip
    assert ok.result is Decision.DEFECT_REJECTED and "п. 31" in ok.outcome
    assert _by_name(ok)["repeat_objection"].status is StepStatus.NOT_NEEDED
    # п. 34, 35: the repeat objection dismissed — the ИСФ reduces the amount; no central office.
    # п. 32 from the confirmation received Fri 8.05 (not the decision day): 12, 13, 14 May.
    red = dl.potential_defect_timeline(
        D(2026, 4, 29), objection_on=D(2026, 5, 4), review_decided_on=D(2026, 5, 6),
        review_decision="confirmed", confirmation_received_on=D(2026, 5, 8),
        repeat_objection_on=D(2026, 5, 14), repeat_review_decided_on=D(2026, 5, 15),
        repeat_review_decision="confirmed",
    )  # fmt: skip
    s = _by_name(red)
    assert s["repeat_objection"].due == D(2026, 5, 14)
    assert s["repeat_objection"].status is StepStatus.MET
    assert s["central_review"].status is StepStatus.NOT_NEEDED
    assert red.result is Decision.DEFECT_CONFIRMED and "п. 35" in red.outcome


def test_death_case_chain_across_kurban_ait() -> None:
    # п. 44: the branch's confirmation (п. 43) received Mon 25.05.2026 → 26, (27 May Kurban
    # Ait) 28, 29 May, 1, 2 June. п. 45 (E9): objection Mon 1.06 → 2, 3, 4 June. п. 46:
    # confirmed on Wed 3.06 → 4, 5, 8 June; sent Fri 5.06. п. 47: 8, 9, 10 June.
    t = dl.death_case_timeline(
        D(2026, 5, 25),
        objection_on=D(2026, 6, 1),
        review_decided_on=D(2026, 6, 3),
        review_decision="confirmed",
        sent_to_central_on=D(2026, 6, 5),
        today=D(2026, 6, 9),
    )
    s = _by_name(t)
    assert (s["death_case_objection"].due, s["death_case_objection"].reference) == (
        D(2026, 6, 2), "п. 44 Правил")  # fmt: skip
    assert (s["death_case_objection_review"].due, s["death_case_objection_review"].reference) == (
        D(2026, 6, 4), "п. 45 Правил")  # fmt: skip
    assert s["death_case_repeat_objection"].due == D(2026, 6, 8)
    assert s["death_case_repeat_objection"].reference == "п. 46 Правил"
    assert s["death_case_central_review"].due == D(2026, 6, 10)
    assert s["death_case_central_review"].status is StepStatus.PENDING
    assert s["death_case_central_review"].reference == "п. 47 Правил"
    assert t.result is None and "2026-06-10" in t.outcome
    # п. 44 ч. 2: silence confirms
    quiet = dl.death_case_timeline(D(2026, 5, 25), today=D(2026, 6, 3))
    assert quiet.accepted_by_silence and quiet.result is Decision.DEFECT_CONFIRMED
    assert "п. 44" in quiet.outcome


def test_the_terms_come_from_the_data() -> None:
    # each step is a term of data/procedure.yaml: its paragraph and amount are the data's
    e26 = load_procedure().edition("2026")
    assert e26 is not None
    for name in ("potential_defect", "death_case"):
        spec = e26.timeline(name)
        assert spec is not None
        t = dl.timeline(D(2026, 6, 1), name, today=D(2026, 6, 1))
        assert [s.name for s in t.steps] == [st.term for st in spec.steps]
        for step in t.steps:
            term = e26.term(step.name)
            assert term is not None and step.reference == term.reference
    first = dl.timeline(D(2026, 6, 1)).steps[0]  # the 2026 default: potential_defect
    assert first.deadline is not None and first.deadline.term == 5  # п. 26: пяти


def test_wrong_edition_is_a_clear_error() -> None:
    # the 2026 chains on a 2023 date: the 2022 edition (п. 36) has no such procedure
    with pytest.raises(TimelineNotInEditionError) as exc:
        dl.potential_defect_timeline(D(2023, 3, 1))
    assert exc.value.editions_with == ("2025-08-01", "2026") and exc.value.edition == "2022-10-16"
    assert "п. 23–38" in str(exc.value) and "conclusion (п. 36" in str(exc.value)
    with pytest.raises(TimelineNotInEditionError, match=r"п\. 40–47"):
        dl.death_case_timeline(D(2023, 3, 1))
    # and vice versa: the п. 36 chain of 2022 on a 2026 date names 2022-10-16
    with pytest.raises(TimelineNotInEditionError) as exc2:
        dl.objection_timeline(D(2026, 4, 1))
    assert exc2.value.editions_with == ("2022-10-16",)
    assert "potential_defect" in str(exc2.value)
    # an edition named explicitly is followed; a date in the gap is the classifier's error
    assert dl.potential_defect_timeline(D(2023, 3, 1), edition="2026").edition == "2026"
    with pytest.raises(EditionGapError, match="174"):
        dl.potential_defect_timeline(D(2024, 6, 3))


def test_bad_inputs() -> None:
    start = D(2026, 4, 29)
    with pytest.raises(TimelineInputError, match="before its term starts"):
        dl.potential_defect_timeline(start, objection_on=D(2026, 4, 28))
    with pytest.raises(TimelineInputError, match="decides nothing"):
        dl.timeline(start, "potential_defect", done={"repeat_objection": D(2026, 5, 4)},
                    decisions={"repeat_objection": "confirmed"})  # fmt: skip
    with pytest.raises(TimelineInputError, match="give its decision"):
        dl.potential_defect_timeline(start, objection_on=D(2026, 5, 4),
                                     review_decided_on=D(2026, 5, 5))  # fmt: skip
    with pytest.raises(TimelineInputError, match="did not reach"):
        # the review rejected the defect: a repeat objection cannot follow
        dl.potential_defect_timeline(
            start, objection_on=D(2026, 5, 4), review_decided_on=D(2026, 5, 5),
            review_decision="rejected", repeat_objection_on=D(2026, 5, 6),
        )  # fmt: skip
    with pytest.raises(TimelineInputError, match="allowed"):
        dl.potential_defect_timeline(start, objection_on=D(2026, 5, 4),
                                     review_decided_on=D(2026, 5, 5), review_decision="maybe")  # fmt: skip
    with pytest.raises(TimelineInputError, match="unknown step"):
        dl.timeline(start, "potential_defect", done={"appeal": D(2026, 5, 4)})
    with pytest.raises(TimelineInputError, match="unknown timeline"):
        dl.timeline(start, "appeal")


def test_2022_through_the_dispatcher_and_languages() -> None:
    # п. 36 (2022): signed Wed 1.03.2023; delivery (п. 13, 31) by 2, 3 March; received Fri
    # 3.03 → objection: 6, 7, (8 March off) 9 March.
    t = dl.timeline(D(2023, 3, 1), done={"conclusion_delivery": D(2023, 3, 3)}, lang="kk")
    assert t.name == "conclusion" and t.edition == "2022-10-16"
    s = _by_name(t)
    assert s["conclusion_delivery"].due == D(2023, 3, 3)
    assert s["provider_objection"].due == D(2023, 3, 9)
    # no Kazakh text of the 2022 edition: Russian, with the note (reading E15)
    assert s["provider_objection"].description.startswith("возражения поставщика")
    assert any("E15" in n for n in t.notes)
    # the 2026 chain in Kazakh (kk.txt:179, п. 26) and English
    kk = dl.potential_defect_timeline(D(2026, 4, 29), lang="kk")
    assert "бес жұмыс күні ішінде" in kk.steps[0].description and not kk.notes
    en = dl.potential_defect_timeline(D(2026, 4, 29), lang="en")
    assert "five working days" in en.steps[0].description
    with pytest.raises(TimelineInputError, match="decisions"):
        dl.timeline(D(2023, 3, 1), decisions={"objection_review": "confirmed"})


def test_cli_timeline(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["deadline", "--timeline", "2026-03-20", "--done", "potential_defect_objection=2026-03-30",
            "--done", "potential_objection_review=2026-04-01", "--decision",
            "potential_objection_review=confirmed", "--today", "2026-04-07"]  # fmt: skip
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith("# timeline potential_defect (п. 23–38 Правил), edition 2026")
    # п. 32: 2, 3, 6 April — nothing by 7 April: overdue, the confirmation stands
    assert "repeat_objection\t2026-04-06\toverdue\t-\t-\tп. 32 Правил (ред. 2026)" in out
    assert "# outcome: no repeat objection in time" in out
    assert main([*args, "--json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["result"] == "defect_confirmed" and data["steps"][0]["due"] == "2026-04-01"
    assert "five working days" in data["steps"][0]["description"]
    # the 2026 chain on a 2023 date, a bad date, options without --timeline: exit 2
    assert main(["deadline", "--timeline", "2023-03-01", "--chain", "potential_defect"]) == 2
    assert "exists in edition 2025-08-01" in capsys.readouterr().err
    assert main(["deadline", "--timeline", "2026-13-01"]) == 2
    assert main(["deadline", "--timeline", "2026-04-01", "--done", "x"]) == 2
    assert "STEP=VALUE" in capsys.readouterr().err
    assert main(["deadline", "refund", "2026-04-01", "--today", "2026-04-02"]) == 2


def test_cli_lang(capsys: pytest.CaptureFixture[str]) -> None:
    # п. 26 (2026) in Kazakh: kk.txt:179
    assert main(["deadline", "potential_defect_objection", "2026-03-20", "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2026-04-01\tп. 26 Правил (ред. 2026)\tЫқтимал ақаумен")
    assert "# note" not in out
    # п. 36 (2022) in Kazakh: Russian with a visible note (E15)
    assert main(["deadline", "provider_objection", "2023-03-01", "--lang", "kk", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "ru" and "E15" in data["note"]
    assert main(["deadline", "--list", "--lang", "kk"]) == 0
    out = capsys.readouterr().out
    assert "# note: no Kazakh text for edition 2022-10-16" in out
    assert "2026\trefund\t+6 months\tп. 53-1 Правил\tӨнім беруші қаражатты қайтаруды" in out
    assert main(["deadline", "--list", "--lang", "en", "--edition", "2022"]) == 0
    assert "proactive_remedy\t+45 calendar_days\tп. 58 Правил\tdefects found by proactive" in (
        capsys.readouterr().out)  # fmt: skip
    with pytest.raises(SystemExit):
        main(["deadline", "--list", "--lang", "de"])
