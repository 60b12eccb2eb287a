"""The screening rules file's defaults and the module's exports (issue 18: a mutation sample of
``screening/rules.py`` found them untested; docs/testing.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from osms_defects.resources import data_path
from osms_defects.screening import rules
from osms_defects.screening.rules import RULE_IDS, load_rules


def test_every_exported_name_exists() -> None:
    missing = [name for name in rules.__all__ if not hasattr(rules, name)]
    assert missing == []


def test_a_rule_without_enabled_runs(tmp_path: Path) -> None:
    """``enabled`` may be left out: a rule runs unless the file says ``enabled: false``."""
    text = data_path("screening.yaml").read_text(encoding="utf-8")
    assert "    enabled: true\n" in text
    p = tmp_path / "screening.yaml"
    p.write_text(text.replace("    enabled: true\n", ""), encoding="utf-8")
    shipped = load_rules().in_force(dt.date(2023, 6, 1)).enabled()
    assert load_rules(p).in_force(dt.date(2023, 6, 1)).enabled() == shipped
    assert set(shipped) <= set(RULE_IDS) and len(shipped) == 6
