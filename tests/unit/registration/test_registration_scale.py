from __future__ import annotations

import pytest
from plut_shared.contracts.registration import ScaleBasis, ScaleClass
from registration.domain.errors import DomainValidationError
from registration.domain.scale import (
    classify_by_capital,
    classify_by_sales,
    decide_scale,
    is_upgrade,
)

BILLION = 1_000_000_000


@pytest.mark.parametrize(
    ("capital", "expected"),
    [
        (0, ScaleClass.MICRO),
        (1 * BILLION, ScaleClass.MICRO),
        (1 * BILLION + 1, ScaleClass.SMALL),
        (5 * BILLION, ScaleClass.SMALL),
        (5 * BILLION + 1, ScaleClass.MEDIUM),
        (10 * BILLION, ScaleClass.MEDIUM),
        (10 * BILLION + 1, ScaleClass.LARGE),
    ],
)
def test_capital_thresholds_include_their_upper_bound(capital: int, expected: ScaleClass):
    assert classify_by_capital(capital) is expected


@pytest.mark.parametrize(
    ("sales", "expected"),
    [
        (2 * BILLION, ScaleClass.MICRO),
        (2 * BILLION + 1, ScaleClass.SMALL),
        (15 * BILLION, ScaleClass.SMALL),
        (15 * BILLION + 1, ScaleClass.MEDIUM),
        (50 * BILLION, ScaleClass.MEDIUM),
        (50 * BILLION + 1, ScaleClass.LARGE),
    ],
)
def test_sales_thresholds_include_their_upper_bound(sales: int, expected: ScaleClass):
    assert classify_by_sales(sales) is expected


def test_a_negative_amount_is_a_validation_error_on_its_field():
    with pytest.raises(DomainValidationError) as caught:
        classify_by_capital(-1)
    assert caught.value.field == "capital"
    with pytest.raises(DomainValidationError) as caught:
        classify_by_sales(-1)
    assert caught.value.field == "annual_sales"


def test_capital_decides_at_registration_even_when_sales_are_known():
    decision = decide_scale(500_000_000, 20 * BILLION, existing=False)
    assert (decision.scale_class, decision.basis) == (ScaleClass.MICRO, ScaleBasis.CAPITAL)


def test_sales_decide_for_an_existing_business():
    decision = decide_scale(500_000_000, 20 * BILLION, existing=True)
    assert (decision.scale_class, decision.basis) == (ScaleClass.MEDIUM, ScaleBasis.SALES)


def test_an_existing_business_without_a_sales_figure_falls_back_to_capital():
    decision = decide_scale(2 * BILLION, None, existing=True)
    assert (decision.scale_class, decision.basis) == (ScaleClass.SMALL, ScaleBasis.CAPITAL)


def test_naik_kelas_means_moving_to_a_larger_class():
    assert is_upgrade(ScaleClass.MICRO, ScaleClass.SMALL)
    assert is_upgrade(ScaleClass.SMALL, ScaleClass.LARGE)
    assert not is_upgrade(ScaleClass.MEDIUM, ScaleClass.SMALL)
    assert not is_upgrade(ScaleClass.SMALL, ScaleClass.SMALL)
