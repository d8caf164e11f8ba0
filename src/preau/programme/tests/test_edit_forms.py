"""Amounts typed the French way or the English way, read as exact decimals."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from preau.programme.forms import DecimalInput, format_decimal, parse_decimal
from preau.programme.forms_chain import LineForm


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1 234,56", "1234.56"),
        ("1\u202f234,56", "1234.56"),
        ("1\u00a0234,56 €", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234,56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("0,5", "0.5"),
        ("-3", "-3"),
        ("12", "12"),
    ],
)
def test_parse_decimal(typed, value):
    parsed = parse_decimal(typed)
    assert isinstance(parsed, Decimal)
    assert parsed == Decimal(value)


@pytest.mark.parametrize("typed", ["douze", "1e3", "1.2.3", "1,2,3", "", "NaN", "Infinity", "--1"])
def test_parse_decimal_refuses(typed):
    with pytest.raises(ValueError, match=f"^{re.escape(typed)}$"):
        parse_decimal(typed)


def test_the_field_quantizes_and_explains():
    field = DecimalInput()
    assert field.clean("1 000") == Decimal("1000.00")
    assert str(field.clean("1 000")) == "1000.00"
    with translation.override("en"):
        for typed, message in [
            ("0", "greater than zero"),
            ("1,234", "At most 2 decimals"),
            ("1000000000000", "too large"),
            ("x", "such as 1 234,56"),
        ]:
            with pytest.raises(forms.ValidationError, match=message):
                field.clean(typed)
    assert DecimalInput(positive=False).clean("0") == Decimal("0.00")
    assert DecimalInput(required=False).clean("") is None


def test_values_shown_back_in_the_readers_language():
    with translation.override("fr"):
        assert format_decimal(Decimal("1234.50")) == "1234,50"
    with translation.override("en"):
        assert format_decimal(Decimal("1234.50")) == "1234.50"


def test_a_line_computes_what_is_left_blank():
    form = LineForm({"label": "Switch", "amount_ht": "99,99", "vat_rate": "5,5"})
    assert form.is_valid(), form.errors
    line = form.line_input()
    assert (line.vat_amount, line.amount_ttc) == (Decimal("5.50"), Decimal("105.49"))


def test_an_untouched_extra_line_is_left_out_in_french():
    from preau.programme.forms_chain import LineFormSet, line_inputs

    with translation.override("fr"):
        shown = LineFormSet(prefix="line")
        rate = shown.forms[0]["vat_rate"].value()
        data = {
            "line-TOTAL_FORMS": "2",
            "line-INITIAL_FORMS": "0",
            "line-0-label": "Switch",
            "line-0-amount_ht": "10",
            "line-0-vat_rate": "20,00",
            "line-1-label": "",
            "line-1-amount_ht": "",
            "line-1-vat_rate": shown.forms[1]["vat_rate"].as_widget().split('value="')[1][:5],
        }
        formset = LineFormSet(data, prefix="line")
        assert formset.is_valid(), formset.errors
        assert [line.label for line in line_inputs(formset)] == ["Switch"]
    assert rate == "20,00"
