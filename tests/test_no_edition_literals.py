"""Adding an edition of the Rules is a data change (issue 16): no edition id or alias of
``data/classifier.yaml`` is written as a string in ``src/``. What differs between editions —
the kinds of monitoring, the ground of a deduction, classes, proactive rules, terms, forms,
screening thresholds — is read from the data files."""

from __future__ import annotations

import io
import tokenize
from pathlib import Path

from osms_defects.classifier import load_classifier

SRC = Path(__file__).resolve().parents[1] / "src"


def _string_tokens(path: Path) -> list[tuple[int, str]]:
    toks = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    out = []
    for t in toks:
        if t.type == tokenize.STRING:
            text = t.string
            for prefix in ("f", "r", "b", "rb", "br", "fr", "rf"):
                if text.lower().startswith(prefix) and text[len(prefix)] in "'\"":
                    text = text[len(prefix):]
                    break
            out.append((t.start[0], text.strip("\"'")))
    return out


def test_no_edition_id_or_alias_in_src() -> None:
    clf = load_classifier()
    names = {e.id for e in clf.editions} | {a for e in clf.editions for a in e.aliases}
    hits = [
        f"{path.relative_to(SRC)}:{line}: {text!r}"
        for path in sorted(SRC.rglob("*.py"))
        for line, text in _string_tokens(path)
        if text in names
    ]
    assert hits == [], "edition facts belong in data/, not in code:\n" + "\n".join(hits)


def test_the_check_finds_a_literal(tmp_path: Path) -> None:
    """The check itself can fail: a file with an edition id as a string is a hit."""
    f = tmp_path / "x.py"
    f.write_text('EDITION = "2026"\nOTHER = f"2022"\n', encoding="utf-8")
    assert [t for _, t in _string_tokens(f)] == ["2026", "2022"]
