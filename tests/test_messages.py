"""Russian and Kazakh titles of the error kinds (issue 19, item 7): data/messages.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import osms_defects as od
from osms_defects.cli import _view, main
from osms_defects.deductions.messages import MessagesFile, error_title, messages
from osms_defects.deductions.model import ErrorKind
from osms_defects.errors import DataFileError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
KK_SOURCE = (
    Path(__file__).resolve().parents[2] / "shared/sources/monitoring-rules_2026-02-27.kk.txt"
)


def test_every_error_kind_has_an_entry_and_no_other() -> None:
    m = messages()
    assert set(m) == set(ErrorKind)
    for kind, msg in m.items():
        assert msg.ru and msg.en, kind
        assert any("а" <= c <= "я" for c in msg.ru.lower()), f"{kind}: ru is not Russian"
        assert msg.kk is not None or msg.kk_note, kind


def test_kazakh_only_from_the_sources() -> None:
    """A Kazakh title is never guessed: its text must be in the sources' Kazakh text."""
    given = [m.kk for m in messages().values() if m.kk is not None]
    if not given:
        return
    if not KK_SOURCE.exists():
        pytest.skip("the sources' Kazakh text is not beside the repository")
    text = KK_SOURCE.read_text(encoding="utf-8")
    for kk in given:
        assert kk in text


def test_unknown_field_and_missing_kind_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        MessagesFile.model_validate(
            {
                "kk_missing_note": "n",
                "messages": {"base_zero": {"ru": "р", "en": "e", "kk_note": "n", "de": "x"}},
            }
        )
    with pytest.raises(ValidationError):  # kk null without a note
        MessagesFile.model_validate(
            {"kk_missing_note": "n", "messages": {"base_zero": {"ru": "р", "en": "e"}}}
        )
    from osms_defects.deductions import messages as mod

    (tmp_path / "messages.yaml").write_text(
        "kk_missing_note: n\nmessages:\n  base_zero: {ru: р, en: e, kk_note: n}\n", encoding="utf-8"
    )
    monkeypatch.setenv("OSMS_DEFECTS_DATA", str(tmp_path))
    mod.messages_file.cache_clear()
    try:
        with pytest.raises(DataFileError, match="no entry for error kind"):
            mod.messages_file()
    finally:
        monkeypatch.delenv("OSMS_DEFECTS_DATA")
        mod.messages_file.cache_clear()


def test_error_title_falls_back_to_russian_with_a_note() -> None:
    ru = error_title(ErrorKind.BASE_ZERO, "ru")
    assert ru == "базовая сумма равна нулю, а нужна положительная"
    kk = error_title("base_zero", "kk")
    assert kk.startswith(ru) and "[kk:" in kk and "показан русский" in kk
    assert error_title("base_zero", "en").startswith("the base amount is zero")
    with pytest.raises(ValueError, match="allowed"):
        error_title("base_zero", "de")


def _error_deduction() -> od.Deduction:
    f = od.Finding(
        code="5.2", care_type="inpatient", detected_on=dt.date(2023, 5, 3), base_amount=""
    )
    d = od.deduct(f)
    assert d.error_kind is ErrorKind.BASE_MISSING
    return d


def test_explain_uses_the_titles() -> None:
    d = _error_deduction()
    assert "не указана базовая сумма" in d.explain(lang="ru")
    assert "the base amount is missing" in d.explain(lang="en")
    kk = d.explain(lang="kk")
    assert "не указана базовая сумма" in kk and "[kk:" in kk
    both = d.explain()
    assert "не указана базовая сумма" in both and "the base amount is missing" in both
    with pytest.raises(ValueError, match="kk"):
        d.explain(lang="de")


def test_explain_kk_of_a_deduction_is_russian_with_a_note() -> None:
    f = od.Finding(
        code="5.2", care_type="inpatient", detected_on=dt.date(2023, 5, 3), base_amount="1000.00"
    )
    d = od.deduct(f)
    assert d.explain(lang="kk").startswith(d.explain(lang="ru")) and "[kk:" in d.explain(lang="kk")


def test_cli_lang(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    # not a terminal: the CSV is unchanged, the summary is in Russian
    assert main(["deduct", str(EXAMPLES / "findings.csv"), "--lang", "ru"]) == 1
    got = capsys.readouterr()
    assert got.out.startswith("finding_id,provider_id") and "базовая" not in got.out
    assert "прочитано строк 36" in got.err and "ошибок 4" in got.err
    main(["deduct", str(EXAMPLES / "findings.csv"), "--lang", "kk"])
    assert "[kk:" in capsys.readouterr().err
    main(["deduct", str(EXAMPLES / "findings.csv")])
    assert "rows read 36" in capsys.readouterr().err
    # a terminal: the error reasons carry the title
    monkeypatch.setattr(_view, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("COLUMNS", "200")
    main(["deduct", str(EXAMPLES / "findings.csv"), "--lang", "ru"])
    assert "базовая сумма не является числом" in capsys.readouterr().out
