"""Input as offices write it (issue 19): delimiter and encoding found out, the Russian
convention (``1 487,35``, ``03.05.2023``) in a ``;`` or tab file, standard input as ``-``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import osms_defects as od
from osms_defects._csv import CsvSource, detect_delimiter, detect_encoding
from osms_defects.cli import main
from osms_defects.deductions.io import read_findings, read_findings_input
from osms_defects.errors import FindingsInputError
from osms_defects.screening import screen

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
NBSP = "\u00a0"


def _ru_amount(a: str, sep: str = NBSP) -> str:
    if not a:
        return a
    i, _, f = a.partition(".")
    groups = ""
    while len(i) > 3:
        groups = sep + i[-3:] + groups
        i = i[:-3]
    return i + groups + ("," + f if f else "")


def _ru_date(d: str) -> str:
    return f"{d[8:10]}.{d[5:7]}.{d[0:4]}" if d else d


def _russian_twin(
    src: Path,
    dst: Path,
    *,
    amounts: tuple[str, ...] = ("base_amount", "documented_amount"),
    dates: tuple[str, ...] = ("detected_on", "conclusion_signed_on"),
    delimiter: str = ";",
    encoding: str = "cp1251",
    sep: str = NBSP,
) -> Path:
    with src.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    for r in rows:
        for c in amounts:
            if c in r:
                r[c] = _ru_amount(r[c], sep)
        for c in dates:
            if c in r:
                r[c] = _ru_date(r[c])
    buf = io.StringIO()
    w = csv.DictWriter(buf, header, delimiter=delimiter, lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    # the notes' Kazakh letters are not in cp1251: Excel writes '?' for them, so do we
    dst.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
    return dst


def _deduct(
    argv: list[str], capsysbinary: pytest.CaptureFixture[bytes]
) -> tuple[int, pl.DataFrame]:
    code = main(["deduct", *argv])
    out, _ = capsysbinary.readouterr()
    return code, pl.read_csv(io.BytesIO(out), infer_schema=False)


RESULT = [
    "row",
    "status",
    "amount",
    "basis",
    "factor",
    "edition",
    "reference",
    "remedy_due",
    "error",
]


def test_cp1251_semicolon_twin_gives_the_same_deductions(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The done-when of issue 19: no options, the same deductions as the UTF-8 ',' twin."""
    twin = _russian_twin(EXAMPLES / "findings_clean.csv", tmp_path / "ru.csv")
    raw = twin.read_bytes()
    assert "1 487,35".replace(" ", NBSP).encode("cp1251") in raw or NBSP.encode("cp1251") in raw
    assert b";" in raw.split(b"\r\n")[0] and b"03.05.2023" in raw
    code_ru, ru = _deduct([str(twin)], capsysbinary)
    code_en, en = _deduct([str(EXAMPLES / "findings_clean.csv")], capsysbinary)
    assert code_ru == code_en == 0
    assert ru.select(RESULT).equals(en.select(RESULT))
    # the amounts and dates are read exactly and written in the canonical form
    assert ru.get_column("base_amount").equals(en.get_column("base_amount"))
    assert ru.get_column("detected_on").equals(en.get_column("detected_on"))
    # the library and its columnar batch read the same
    batch_ru = od.deduct_table(twin)
    batch_en = od.deduct_table(EXAMPLES / "findings_clean.csv")
    assert batch_ru.summary() == batch_en.summary()


def test_exact_amount_1_487_35(tmp_path: Path) -> None:
    for sep in (" ", NBSP, "\u202f", ""):
        p = tmp_path / "one.csv"
        p.write_text(
            "finding_id;code;care_type;base_amount;monitoring_kind;detected_on\n"
            f"F1;5.2;inpatient;1{sep}487,35;current;03.05.2023\n",
            encoding="utf-8",
        )
        df = read_findings(p)
        assert df.get_column("base_amount").to_list() == ["1487.35"]
        assert df.get_column("detected_on").to_list() == ["2023-05-03"]
        batch = od.deduct_table(p)
        assert str(batch.summary().total) == "4462.05"  # 3 x 1487.35, exact


@pytest.mark.parametrize(
    ("delimiter", "amount", "date"),
    [
        (",", '"1487,35"', "2023-05-03"),  # a decimal comma in a ',' file: an error
        (";", "1,487", "2023-05-03"),  # ambiguous: 1487 or 1.487
        (",", '"1,487"', "2023-05-03"),
        (";", "١٤٨٧.٣٥", "2023-05-03"),  # Arabic-Indic digits
        (",", "１４８７.３５", "2023-05-03"),  # full-width digits
        (";", "1487.35", "٢٠٢٣-٠٥-٠٣"),
        (",", "1487.35", "03.05.2023"),  # a day-first date in a ',' file: convention unclear
        (";", "1487.35", "3.5.23"),
    ],
)
def test_what_is_refused_is_an_error_row(
    tmp_path: Path,
    capsysbinary: pytest.CaptureFixture[bytes],
    delimiter: str,
    amount: str,
    date: str,
) -> None:
    p = tmp_path / "bad.csv"
    d = delimiter
    p.write_text(
        f"finding_id{d}code{d}care_type{d}base_amount{d}monitoring_kind{d}detected_on\n"
        f"F1{d}5.2{d}inpatient{d}287450.00{d}current{d}2023-05-03\n"
        f"F2{d}5.2{d}inpatient{d}{amount}{d}current{d}{date}\n",
        encoding="utf-8",
    )
    code, out = _deduct([str(p)], capsysbinary)
    assert code == 1
    assert out.get_column("status").to_list() == ["deducted", "error"]
    err = out.get_column("error")[1]
    assert err
    if "," in amount and d == ",":
        assert "';' or tabs" in err  # the hint says where a decimal comma is read


def test_detection_rules() -> None:
    assert detect_delimiter("a;b;c") == ";"
    assert detect_delimiter("a\tb\tc") == "\t"
    assert detect_delimiter("a,b,c") == ","
    assert detect_delimiter('"a;b",c') == ","  # inside quotes: not a separator
    assert detect_delimiter("single") == ","
    assert detect_encoding("код".encode()) == "utf-8"
    assert detect_encoding(b"\xef\xbb\xbfa") == "utf-8-sig"
    assert detect_encoding("код".encode("cp1251")) == "cp1251"
    assert detect_encoding("a\tb".encode("utf-16")) == "utf-16"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251", "utf-16"])
@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_encodings_and_delimiters(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], encoding: str, delimiter: str
) -> None:
    twin = _russian_twin(
        EXAMPLES / "findings_clean.csv", tmp_path / "f.csv", delimiter=delimiter, encoding=encoding
    )
    _, got = _deduct([str(twin)], capsysbinary)
    _, want = _deduct([str(EXAMPLES / "findings_clean.csv")], capsysbinary)
    assert got.select(RESULT).equals(want.select(RESULT))


def test_options_override_detection(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    p = tmp_path / "f.csv"
    # a header without any separator the rule can see, and a file that is valid UTF-8 only by
    # chance: the options say what it is
    p.write_bytes(
        b"finding_id;code;care_type;base_amount;monitoring_kind;detected_on\n"
        + "F1;5.2;inpatient;1 487,35;current;03.05.2023\n".encode("cp1251")
    )
    code, out = _deduct([str(p), "--delimiter", ";", "--encoding", "cp1251"], capsysbinary)
    assert code == 0 and out.get_column("amount").to_list() == ["4462.05"]
    code, out = _deduct(
        [str(p), "--delimiter", "semicolon", "--encoding", "windows-1251"], capsysbinary
    )
    assert code == 0
    # forced to ',' the header is one column: the required columns are missing (exit 2)
    assert main(["deduct", str(p), "--delimiter", ","]) == 2
    assert main(["deduct", str(p), "--encoding", "koi8-u"]) == 2
    err = capsysbinary.readouterr()[1].decode()
    assert "cp1251" in err


def test_not_text_names_the_line_and_the_option(tmp_path: Path) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(b"finding_id,code\nF1,\xff\xfe\n")
    with pytest.raises(FindingsInputError, match=r"f.csv:2: not utf-8 text .*--encoding"):
        read_findings(p, encoding="utf-8")


def test_malformed_line_in_a_cp1251_semicolon_file(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    p = tmp_path / "f.csv"
    p.write_bytes(
        (
            "finding_id;code;care_type;base_amount;monitoring_kind;detected_on;expert_note\n"
            "F1;5.2;inpatient;1 487,35;current;03.05.2023;Выписка\n"
            'F2;5.2;inpatient;1 487,35;current;03.05.2023;"не закрыта\n'
        ).encode("cp1251")
    )
    code, out = _deduct([str(p)], capsysbinary)
    assert code == 1
    assert out.get_column("status").to_list() == ["deducted", "error"]
    assert "line 3 of the file is malformed" in out.get_column("error")[1]
    assert out.get_column("expert_note")[0] == "Выписка"


def test_standard_input(tmp_path: Path) -> None:
    twin = _russian_twin(EXAMPLES / "findings_clean.csv", tmp_path / "ru.csv")
    run = [sys.executable, "-m", "osms_defects", "deduct", "-"]
    got = subprocess.run(run, input=twin.read_bytes(), capture_output=True, check=False)
    want = subprocess.run(
        [sys.executable, "-m", "osms_defects", "deduct", str(EXAMPLES / "findings_clean.csv")],
        capture_output=True,
        check=False,
    )
    assert got.returncode == want.returncode == 0, got.stderr.decode()
    a = pl.read_csv(io.BytesIO(got.stdout), infer_schema=False).select(RESULT)
    b = pl.read_csv(io.BytesIO(want.stdout), infer_schema=False).select(RESULT)
    assert a.equals(b)
    assert read_findings_input(CsvSource(Path("-"), twin.read_bytes())).dialect is not None


def test_register_in_the_russian_convention(tmp_path: Path) -> None:
    from osms_defects.screening.register import DATE_COLUMNS

    src = EXAMPLES / "register.csv"
    twin = _russian_twin(src, tmp_path / "reg.csv", amounts=(), dates=DATE_COLUMNS)
    # call_at: 2023-03-01 10:15 -> 01.03.2023 10:15
    rows = list(csv.DictReader(twin.read_bytes().decode("cp1251").splitlines(), delimiter=";"))
    text = twin.read_bytes().decode("cp1251")
    for r in rows:
        if r["call_at"]:
            c = r["call_at"]
            text = text.replace(c, f"{c[8:10]}.{c[5:7]}.{c[0:4]}{c[10:]}")
    twin.write_bytes(text.encode("cp1251"))
    on = od.deduct  # noqa: F841  (the package imports)
    import datetime as dt

    a = screen(twin, detected_on=dt.date(2023, 6, 1))
    b = screen(src, detected_on=dt.date(2023, 6, 1))
    assert a.defects.drop("note").equals(b.defects.drop("note"))
    assert a.errors.height == b.errors.height


def test_screen_cli_reads_stdin(tmp_path: Path) -> None:
    from osms_defects.screening.register import DATE_COLUMNS

    twin = _russian_twin(
        EXAMPLES / "register.csv", tmp_path / "reg.csv", amounts=(), dates=DATE_COLUMNS
    )
    args = ["--detected-on", "2023-06-01"]
    got = subprocess.run(
        [sys.executable, "-m", "osms_defects", "screen", "-", *args],
        input=twin.read_bytes(),
        capture_output=True,
        check=False,
    )
    want = subprocess.run(
        [sys.executable, "-m", "osms_defects", "screen", str(EXAMPLES / "register.csv"), *args],
        capture_output=True,
        check=False,
    )
    assert got.returncode == want.returncode, got.stderr.decode()
    assert got.stdout == want.stdout
