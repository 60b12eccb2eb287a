"""A fictitious third edition built purely from data (tests/fictitious/make_edition.py:
a changed factor, a renamed paragraph, its own dates, one term changed, a screening threshold
changed) works end to end — library and command line — with no Python edited (issue 16)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .fictitious.make_edition import FORM_TITLE, NEW, PARAGRAPH, write

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("fictitious"))


def _run(data_dir: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OSMS_DEFECTS_DATA": str(data_dir)}
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, input=stdin, timeout=300
    )


@pytest.mark.slow
def test_library_end_to_end(data_dir: Path) -> None:
    done = _run(data_dir, str(HERE / "fictitious" / "check_edition.py"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "OK"


@pytest.mark.slow
def test_command_line_end_to_end(data_dir: Path, tmp_path: Path) -> None:
    findings = tmp_path / "f.csv"
    findings.write_text(
        "finding_id,code,care_type,base_amount,monitoring_kind,detected_on\n"
        "F1,5.1,inpatient_case_group,1000.00,current,2027-08-02\n",
        encoding="utf-8",
    )
    out = tmp_path / "d.jsonl"
    done = _run(data_dir, "-m", "osms_defects", "deduct", str(findings), "-o", str(out))
    assert done.returncode == 0, done.stderr
    (row,) = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert (row["amount"], row["edition"]) == ("2000.00", NEW) and PARAGRAPH in row["reference"]

    done = _run(data_dir, "-m", "osms_defects", "deadline", "potential_defect_objection",
                "2027-08-02", "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert (got["due"], got["edition"], got["term"]) == ("2027-08-11", NEW, 7)

    done = _run(data_dir, "-m", "osms_defects", "classifier", "--diff", "2026", NEW)
    assert done.returncode == 0, done.stderr
    assert "5.0" in done.stdout and "200%" in done.stdout

    done = _run(data_dir, "-m", "osms_defects", "lint")
    assert done.returncode in (0, 1), done.stderr
    assert NEW in done.stdout

    services = tmp_path / "s.csv"
    services.write_text(
        "record_id,record_type,patient_id,provider_id,care_type,service_code,service_date\n"
        "R1,service,X1,P1,inpatient,A01,2027-08-02\n",
        encoding="utf-8",
    )
    done = _run(data_dir, "-m", "osms_defects", "sample", "--services", str(services),
                "--visit-on", "2027-08-02", "--seed", "1")  # fmt: skip
    # the edition (like 2026) has no proactive monitoring: refused, naming it
    assert done.returncode == 2 and NEW in done.stderr


@pytest.mark.slow
def test_a_form_of_the_new_edition_is_a_data_file(data_dir: Path, tmp_path: Path) -> None:
    """issue 20: a relabelled and reordered form of a new edition is a data file only; a
    document dated under the new edition prints it, one dated under 2026 the 2026 form."""
    import re
    import shutil

    examples = HERE.parent / "examples"
    shutil.copy(examples / "conclusion_2026_findings.csv", tmp_path)
    text = (examples / "conclusion_2026_annex4.yaml").read_text(encoding="utf-8")
    old = tmp_path / "old.yaml"
    old.write_text(text, encoding="utf-8")
    new = tmp_path / "new.yaml"
    # the same monitoring held and signed in August 2027, under the fictitious edition
    new.write_text(re.sub(r"signed_on: \S+", "signed_on: 2027-08-16",
                          re.sub(r"held_from: \S+", "held_from: 2027-08-02",
                                 re.sub(r"held_to: \S+", "held_to: 2027-08-04", text))),
                   encoding="utf-8")
    pages = {}
    for name, path in (("old", old), ("new", new)):
        out = tmp_path / f"{name}.html"
        done = _run(data_dir, "-m", "osms_defects", "conclusion", "2026-annex4", str(path),
                    "-o", str(out))
        assert done.returncode == 0, done.stderr
        pages[name] = out.read_text(encoding="utf-8")
    assert FORM_TITLE in pages["new"] and FORM_TITLE not in pages["old"]
    # the fictitious form prints item 11 before item 10; the 2026 one after it
    new_page, old_page = pages["new"], pages["old"]
    assert new_page.index("11. Выводы") < new_page.index("10. Результаты мониторинга договорных")
    assert old_page.index("11. Выводы") > old_page.index("10. Результаты мониторинга договорных")
