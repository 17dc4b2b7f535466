"""formatting.decimals: fixed decimals without a negative zero (stored outputs stay stable)."""

from linreg_helpers.formatting import decimals


def test_decimals_rounds_to_fixed_digits():
    assert decimals(3.99996) == "4.0000"
    assert decimals(-1.23456, 2) == "-1.23"


def test_a_tiny_negative_prints_as_zero_not_minus_zero():
    assert f"{-0.00001:.4f}" == "-0.0000"  # what an f-string alone would print
    assert decimals(-0.00001) == "0.0000"
    assert decimals(-0.0) == "0.0000"


def test_decimals_with_a_sign():
    assert decimals(0.5, sign=True) == "+0.5000"
    assert decimals(-0.5, 2, sign=True) == "-0.50"
    assert decimals(-0.00001, sign=True) == "+0.0000"  # a zero is never negative
    assert f"{decimals(-1e-17, sign=True):>9}" == "  +0.0000"
