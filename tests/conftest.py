from __future__ import annotations

from pathlib import Path

import pytest

import osms_defects as od

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def clf() -> od.Classifier:
    return od.load_classifier()


@pytest.fixture(scope="session")
def ed2022(clf: od.Classifier) -> od.Edition:
    return clf.edition(id="2022-10-16")
