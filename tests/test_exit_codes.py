"""The exit-code contract of every command (README, "Exit codes"; issue 18): 0 done; 1 done,
some rows are errors; 2 the input or options cannot be used; 3 an internal error, a short
message and a hint to report it, the traceback only with ``--debug``.

Every YAML loader (classifier, ``--rules``, overrides, conclusions) turns what a document can
do wrong into a library error: a byte that is not UTF-8, a recursive alias, a list as a key, a
5,000-digit integer, a "billion laughs" alias bomb (refused before anything is expanded)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import osms_defects as od
from osms_defects._yaml import MAX_YAML_NODES, load_yaml
from osms_defects.cli import main
from osms_defects.errors import DataFileError, FindingError, OsmsDefectsError

from .conftest import REPO

EXAMPLES = REPO / "examples"

# nine levels of nine: 9**9 = 387,420,489 leaves once expanded (never built: refused first)
LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)

BAD_YAML: dict[str, bytes] = {
    "not_utf8": b"schema_version: 1\nname: " + b"\xff\xfe caf\xe9\n",
    "recursive_alias": b"a: &a [1, *a]\n",
    "list_as_key": b"? [1, 2]\n: x\n",
    "huge_integer": b"schema_version: " + b"9" * 5000 + b"\n",
    "billion_laughs": LAUGHS.encode(),
    "deep_nesting": b"a: " + b"[" * 500 + b"]" * 500 + b"\n",
}


@pytest.mark.parametrize("name", sorted(BAD_YAML))
def test_every_yaml_loader_refuses_with_a_library_error(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(BAD_YAML[name])
    with pytest.raises(DataFileError) as info:
        od.load_classifier(path)
    assert str(path) in str(info.value)
    with pytest.raises(DataFileError):
        od.load_classifier(overrides=path)
    from osms_defects.screening.rules import load_rules

    with pytest.raises(DataFileError):
        load_rules(path)
    findings = str(EXAMPLES / "findings_clean.csv")
    assert main(["deduct", findings, "--classifier", str(path)]) == 2
    assert main(["screen", str(EXAMPLES / "register.csv"), "--rules", str(path)]) == 2
    assert main(["lint", str(path)]) == 2
    assert main(["conclusion", "annex2", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err


def test_the_alias_bomb_is_refused_by_its_count_naming_the_limit() -> None:
    with pytest.raises(DataFileError) as info:
        load_yaml(LAUGHS, "laughs.yaml")
    assert f"{MAX_YAML_NODES:,}" in str(info.value)
    # aliases within the limit are fine: 3 uses of a 4-node list
    data, _ = load_yaml("a: &a [1, 2, 3]\nb: [*a, *a, *a]\n", "ok.yaml")
    assert data == {"a": [1, 2, 3], "b": [[1, 2, 3]] * 3}


def test_the_located_messages(tmp_path: Path) -> None:
    from osms_defects._yaml import read_text

    for name, line, words in [
        ("not_utf8", 2, "not UTF-8 text: byte 0xff"),
        ("recursive_alias", 1, "recursive alias"),
        ("list_as_key", 1, "a key must be a single value"),
        ("huge_integer", 1, "a value that cannot be read"),
        ("deep_nesting", 1, "nested deeper than"),
    ]:
        path = tmp_path / "x.yaml"
        path.write_bytes(BAD_YAML[name])
        with pytest.raises(DataFileError) as info:
            load_yaml(read_text(path), str(path))
        assert info.value.problems[0].location == f"{path}:{line}", name
        assert words in str(info.value), name


def test_unwritable_output_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no" / "such" / "dir" / "x.csv"
    assert main(["deduct", str(EXAMPLES / "findings_clean.csv"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert str(out) in err and "Traceback" not in err
    assert main(["screen", str(EXAMPLES / "register.csv"), "-o", str(out),
                 "--detected-on", "2023-06-01"]) == 2  # fmt: skip


def test_an_internal_error_is_exit_3_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from osms_defects.cli import deduct_cmd

    def boom(*args: object, **kwargs: object) -> None:
        raise KeyError("a bug")

    monkeypatch.setattr(deduct_cmd, "read_findings_input", boom)
    assert main(["deduct", str(EXAMPLES / "findings_clean.csv")]) == 3
    err = capsys.readouterr().err
    assert "internal error: KeyError" in err and "report" in err and "--debug" in err
    assert "Traceback" not in err
    with pytest.raises(KeyError):
        main(["--debug", "deduct", str(EXAMPLES / "findings_clean.csv")])


def test_the_finding_model_raises_a_library_error() -> None:
    with pytest.raises(FindingError) as info:
        od.Finding(code="5.2", care_type="inpatient", detected_on=dt.date(2023, 5, 3),
                   base_amount=287450.0)  # type: ignore[arg-type]  # fmt: skip
    assert isinstance(info.value, OsmsDefectsError) and isinstance(info.value, ValueError)
    assert info.value.errors[0]["loc"] == ("base_amount",)
    assert "287450.0" in str(info.value) and "float" in str(info.value)
    with pytest.raises(FindingError):
        od.Finding.model_validate({"code": "5.2", "care_type": "inpatient"})
    with pytest.raises(FindingError) as info:
        od.deduct(None)  # type: ignore[arg-type]
    assert "Finding" in str(info.value) and "None" in str(info.value)
    with pytest.raises(FindingError) as info:
        list(od.deduct_many([42]))  # type: ignore[list-item]
    assert "item 1" in str(info.value)


def test_report_and_conclusion_exit_1_when_error_rows_are_set_aside(tmp_path: Path) -> None:
    # README «Exit codes»: 1 = done, but some rows are errors (all rows still written) — as
    # `deduct` and `escalations` (docs/escalations.md) do. The README's main job has 4 error
    # rows (33–36): the report lists them in «Ошибки» and must not exit 0 as if all counted.
    ded = tmp_path / "d.csv"
    assert main(["deduct", str(EXAMPLES / "findings.csv"), "-o", str(ded)]) == 1
    report = ["report", "annex4", "--period", "2023-Q2", "--deductions", str(ded),
              "--contracts", str(EXAMPLES / "contracts.csv")]
    for out in ("r.xlsx", "r.html", "r.csv"):
        assert main([*report, "-o", str(tmp_path / out)]) == 1
    # the same findings without them: done, nothing wrong
    clean = tmp_path / "clean.csv"
    assert main(["deduct", str(EXAMPLES / "findings_clean.csv"), "-o", str(clean)]) == 0
    assert main([*report[:4], "--deductions", str(clean), "--contracts",
                 str(EXAMPLES / "contracts.csv"), "-o", str(tmp_path / "c.xlsx")]) == 0
    # a conclusion whose section 9 sets an error row aside (P-AST-007, unplanned, 17.11.2026,
    # in item 8's dates; base «1 820,50»): its annex lists it, exit 1; the example exits 0
    findings = (EXAMPLES / "conclusion_2026_findings.csv").read_text(encoding="utf-8")
    (tmp_path / "conclusion_2026_findings.csv").write_text(
        findings + 'F-BAD,P-AST-007,PC-50101,3.1,phc_capitation,"1 820,50",,unplanned,'
        "2026-11-17,,additional,x\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text(
        (EXAMPLES / "conclusion_2026_annex4.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert main(["conclusion", "2026-annex4", str(tmp_path / "c.yaml"), "-o",
                 str(tmp_path / "c.html")]) == 1
    assert "F-BAD" in (tmp_path / "c.html").read_text(encoding="utf-8")
    assert main(["conclusion", "2026-annex4", str(EXAMPLES / "conclusion_2026_annex4.yaml"),
                 "-o", str(tmp_path / "ok.html")]) == 0
