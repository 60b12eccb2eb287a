"""Start-up (issue 19): importing the package, ``--version`` and one ``deduct()`` import no
heavy library they do not use; a closed pipe ends quietly with exit 0."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
HEAVY = ("polars", "numpy", "openpyxl", "pandas", "pyarrow")


def _modules(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_import_imports_no_heavy_library() -> None:
    mods = _modules("import osms_defects as od\nod.is_valid_iin('870101300001')")
    assert not mods & set(HEAVY), mods & set(HEAVY)


def test_one_deduct_does_not_import_polars() -> None:
    mods = _modules(
        "import datetime as dt, osms_defects as od\n"
        "d = od.deduct(od.Finding(code='5.2', care_type='inpatient', base_amount='287450.00',"
        " monitoring_kind='current', detected_on=dt.date(2023, 5, 3)))\n"
        "assert str(d.amount) == '862350.00', d.amount\n"
        "d.explain()"
    )
    assert not mods & {"polars", "openpyxl", "pandas", "pyarrow"}


def test_lazy_names_resolve_and_are_listed() -> None:
    import osms_defects as od
    import osms_defects.deductions as ded

    assert od.deduct_table is ded.deduct_table
    assert "deduct_table" in dir(od) and "deduct_frame" in dir(ded)
    for name in od.__all__:
        assert getattr(od, name) is not None


def test_version_imports_nothing_heavy() -> None:
    probe = (
        "import sys\nfrom osms_defects.cli import main\nrc = main(['--version'])\n"
        "print(rc, ' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{HEAVY!r})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("osms-defects 0.1.0\n0")
    assert out.stdout.split("\n")[1].strip() == "0"


def test_closed_pipe_is_quiet_exit_0(tmp_path: Path) -> None:
    rows = (EXAMPLES / "findings_clean.csv").read_text(encoding="utf-8").splitlines()
    big = tmp_path / "big.csv"
    big.write_text("\n".join([rows[0], *(rows[1:] * 3000)]) + "\n", encoding="utf-8")
    for cmd in (
        ["deduct", str(big)],
        ["screen", str(EXAMPLES / "register.csv"), "--detected-on", "2023-06-01"],
    ):
        p = subprocess.Popen(
            [sys.executable, "-m", "osms_defects", *cmd],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert p.stdout is not None and p.stderr is not None
        p.stdout.readline()
        p.stdout.close()  # like `| head -1`
        err = p.stderr.read().decode()
        assert p.wait(timeout=120) == 0, err
        assert "Traceback" not in err and "Broken pipe" not in err
