"""Properties of the classifier (hypothesis)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import osms_defects as od
from osms_defects.classifier import Classifier, parse_classifier
from osms_defects.classifier.export import to_resolved_dict, to_yaml

CLF = od.load_classifier()
ED = CLF.edition(id="2022-10-16")  # the properties below pin the 2022 edition
CODES = ED.codes
CARE = [c.id for c in ED.care_types]
DOCUMENTED = (
    od.NotApplicableError,
    od.PenaltyUndefinedError,
    od.GroupCodeNotAssignableError,
    od.UnknownDefectCodeError,
    od.UnknownCareTypeError,
)

codes = st.one_of(st.sampled_from(CODES), st.text(max_size=6))
care_types = st.one_of(
    st.sampled_from(CARE), st.sampled_from(list(od.CareType)), st.text(max_size=12)
)


@given(codes, care_types)
@settings(max_examples=300)
def test_every_pair_yields_a_penalty_or_a_documented_error(code: str, care_type: str) -> None:
    try:
        p = ED.penalty(code, care_type)
    except DOCUMENTED as exc:
        assert str(exc)  # every error says what was asked and what is allowed
        return
    assert p.factor >= 0
    assert (p.factor == 0) == (p.basis is od.Basis.NONE)


@given(
    st.sampled_from(CODES),
    st.sampled_from(CARE),
    st.sampled_from(["", " ", "  "]),
    st.sampled_from(["", "."]),
)
def test_code_spellings_are_one_code(code: str, care_type: str, pad: str, dot: str) -> None:
    variants = [code, code + ".", pad + code + dot + pad]

    def outcome(c: str) -> object:
        try:
            return ED.penalty(c, care_type)
        except DOCUMENTED as exc:
            return type(exc)

    results = [outcome(v) for v in variants]
    assert all(r == results[0] for r in results)


def test_json_round_trip_gives_an_equal_model() -> None:
    data = json.loads(CLF.model_dump_json(by_alias=True))
    assert Classifier.model_validate(data) == CLF


def test_yaml_export_loads_back_equal() -> None:
    assert parse_classifier(to_yaml(ED)).editions[0] == ED


def test_resolved_export_agrees_with_penalty() -> None:
    data = json.loads(json.dumps(to_resolved_dict(ED)))
    for row in data["defects"]:
        for ct, cell in row["penalties"].items():
            if cell["status"] == "penalty":
                p = ED.penalty(row["code"], ct)
                assert (cell["basis"], cell["factor"]) == (p.basis.value, str(p.factor))
            else:
                try:
                    ED.penalty(row["code"], ct)
                except DOCUMENTED:
                    continue
                raise AssertionError(f"{row['code']} {ct}: export says {cell['status']}")
