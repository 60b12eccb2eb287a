"""ИИН: 12 digits and the check digit (weights 1..11, then 3..11,1,2; mod 11)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osms_defects.errors import InvalidIINError, OsmsDefectsError
from osms_defects.iin import iin_check_digit, is_valid_iin, mask_iin, validate_iin


def test_hand_worked_first_weights() -> None:
    # 9 0 0 1 0 1 3 0 0 0 0 × 1..11 = 9 + 4 + 6 + 21 = 40; 40 mod 11 = 7
    assert iin_check_digit("90010130000") == 7
    assert is_valid_iin("900101300007")
    assert not is_valid_iin("900101300008")


def test_hand_worked_second_weights() -> None:
    # 1 at position 10: first sum 10 → second weights give 1 × 1 = 1
    assert iin_check_digit("00000000010") == 1
    assert is_valid_iin("000000000101")


def test_both_sums_ten_is_invalid() -> None:
    # 5 at position 2 and 6 at position 11: 5·2 + 6·11 = 76 ≡ 10; 5·4 + 6·2 = 32 ≡ 10
    assert iin_check_digit("05000000006") is None
    for last in "0123456789":
        assert not is_valid_iin("05000000006" + last)


@pytest.mark.parametrize("bad", ["", "12345678901", "1234567890123", "90010130000a", "９００１０１３００００７"])
def test_shape(bad: str) -> None:
    assert not is_valid_iin(bad)
    with pytest.raises(InvalidIINError, match="12 digits"):
        validate_iin(bad, where="row 3, iin")


def test_error_names_where_and_is_library_error() -> None:
    with pytest.raises(OsmsDefectsError, match=r"row 7, iin: invalid ИИН '900101300008': wrong check digit"):
        validate_iin("900101300008", where="row 7, iin")


def test_mask_styles() -> None:
    assert mask_iin("900101300007") == "********0007"
    assert mask_iin("900101300007", "birthdate") == "900101******"
    assert mask_iin("900101300007", "none") == "*" * 12
    with pytest.raises(InvalidIINError):
        mask_iin("900101300008")


@settings(max_examples=100)
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_property_exactly_one_last_digit_or_none(first11: str) -> None:
    valid = [d for d in "0123456789" if is_valid_iin(first11 + d)]
    check = iin_check_digit(first11)
    assert valid == ([] if check is None else [str(check)])
    if valid:
        assert mask_iin(first11 + valid[0])[-4:] == (first11 + valid[0])[-4:]
