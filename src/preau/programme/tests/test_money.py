from __future__ import annotations

from decimal import Decimal

import pytest

from preau.programme import money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),  # half-up, not banker's rounding (which gives 0.00)
        ("0.015", "0.02"),
        ("0.025", "0.03"),  # banker's rounding would give 0.02
        ("-0.005", "-0.01"),
        ("12", "12.00"),
        (Decimal("1.234"), "1.23"),
        (7, "7.00"),
    ],
)
def test_to_money_rounds_half_up_to_the_cent(value, expected):
    assert money.to_money(value) == Decimal(expected)
    assert str(money.to_money(value)) == expected


def test_to_money_refuses_floats():
    with pytest.raises(TypeError):
        money.to_money(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("ht", "rate", "vat", "ttc"),
    [
        ("335000", "20", "67000.00", "402000.00"),
        ("10.05", "20", "2.01", "12.06"),
        ("0.03", "20", "0.01", "0.04"),  # 0.006 → 0.01
        ("0.02", "20", "0.00", "0.02"),  # 0.004 → 0.00
        ("99.99", "5.5", "5.50", "105.49"),  # 5.49945 → 5.50
        ("100", "0", "0.00", "100.00"),
    ],
)
def test_vat_and_ttc_from_ht_and_rate(ht, rate, vat, ttc):
    assert money.vat(Decimal(ht), Decimal(rate)) == Decimal(vat)
    assert money.ttc(Decimal(ht), Decimal(rate)) == Decimal(ttc)


def test_total_is_the_sum_of_rounded_lines():
    # Three lines of 0.005 € VAT each: rounded per line (0.01 × 3) = 0.03, where rounding
    # the exact sum (0.015) would give 0.02.
    lines = [money.vat(Decimal("0.025"), Decimal("20")) for _ in range(3)]
    assert lines == [Decimal("0.01")] * 3
    assert money.total(lines) == Decimal("0.03")
    assert money.total([Decimal("0.005")] * 3) == Decimal("0.03")
    assert money.total([]) == Decimal("0.00")
