"""Scale class of an enterprise under PP No. 7/2021 art. 35.

Thresholds are data: a regulation change edits the table, not the code.
Capital excludes land and buildings; sales are annual; all amounts are
integers in rupiah.
"""

from __future__ import annotations

from dataclasses import dataclass

from plut_shared.contracts.registration import ScaleBasis, ScaleClass

from registration.domain.errors import DomainValidationError

# Upper bound (inclusive) of each class; anything above the last row is large.
CAPITAL_CEILINGS: tuple[tuple[ScaleClass, int], ...] = (
    (ScaleClass.MICRO, 1_000_000_000),
    (ScaleClass.SMALL, 5_000_000_000),
    (ScaleClass.MEDIUM, 10_000_000_000),
)
SALES_CEILINGS: tuple[tuple[ScaleClass, int], ...] = (
    (ScaleClass.MICRO, 2_000_000_000),
    (ScaleClass.SMALL, 15_000_000_000),
    (ScaleClass.MEDIUM, 50_000_000_000),
)
SCALE_ORDER: tuple[ScaleClass, ...] = (
    ScaleClass.MICRO,
    ScaleClass.SMALL,
    ScaleClass.MEDIUM,
    ScaleClass.LARGE,
)


@dataclass(frozen=True, slots=True)
class ScaleDecision:
    scale_class: ScaleClass
    basis: ScaleBasis


def _classify(amount: int, ceilings: tuple[tuple[ScaleClass, int], ...], field: str) -> ScaleClass:
    if amount < 0:
        raise DomainValidationError(field, f"{field} cannot be negative")
    for scale_class, ceiling in ceilings:
        if amount <= ceiling:
            return scale_class
    return ScaleClass.LARGE


def classify_by_capital(capital: int) -> ScaleClass:
    return _classify(capital, CAPITAL_CEILINGS, "capital")


def classify_by_sales(annual_sales: int) -> ScaleClass:
    return _classify(annual_sales, SALES_CEILINGS, "annual_sales")


def decide_scale(capital: int, annual_sales: int | None, *, existing: bool) -> ScaleDecision:
    """Apply art. 35's rule on which figure counts.

    A new registration is classed by capital; an existing business by its
    annual sales, falling back to capital while no sales figure is known.
    """
    if existing and annual_sales is not None:
        return ScaleDecision(classify_by_sales(annual_sales), ScaleBasis.SALES)
    if annual_sales is not None and annual_sales < 0:
        raise DomainValidationError("annual_sales", "annual_sales cannot be negative")
    return ScaleDecision(classify_by_capital(capital), ScaleBasis.CAPITAL)


def is_upgrade(from_class: ScaleClass, to_class: ScaleClass) -> bool:
    """True for 'naik kelas': the enterprise moved to a larger class."""
    return SCALE_ORDER.index(to_class) > SCALE_ORDER.index(from_class)
