"""Eligibility names every reason a referral cannot go ahead, in Bahasa Indonesia and English."""

from __future__ import annotations

from financing.domain.eligibility import Application, reasons_against
from financing.domain.enterprise import EnterpriseProfile
from financing.domain.rules import load_schemes
from plut_shared.contracts.financing import FinancingScheme
from plut_shared.contracts.registration import ScaleClass

BOOK = load_schemes()


def profile(**changes: object) -> EnterpriseProfile:
    values: dict[str, object] = {
        "umkm_id": "u-1",
        "centre_id": "batu",
        "registered": True,
        "scale_class": ScaleClass.MICRO,
        "founding_year": 2015,
        "consents": {"financing_partners": True},
    }
    return EnterpriseProfile(**(values | changes))  # type: ignore[arg-type]


def application(scheme: FinancingScheme, amount: int, **changes: object) -> Application:
    rules = BOOK.get(scheme)
    assert rules is not None
    return Application(profile(**changes), rules, amount, frozenset(), 2026, False)


def test_a_consenting_micro_enterprise_may_apply_for_kur_mikro() -> None:
    assert reasons_against(application(FinancingScheme.MIKRO, 50_000_000)) == []


def test_every_reason_is_given_at_once_in_both_languages() -> None:
    asked = application(
        FinancingScheme.LPDB,
        10_000_000,
        scale_class=ScaleClass.LARGE,
        founding_year=2025,
        consents={"financing_partners": False},
    )
    asked = Application(asked.profile, asked.scheme, asked.amount, frozenset(), 2026, True)
    reasons = reasons_against(asked)
    assert [r.code for r in reasons] == [
        "no_consent",
        "scale_class",
        "amount_out_of_range",
        "business_too_young",
        "prerequisite_missing",
        "open_referral",
    ]
    amount = next(r for r in reasons if r.code == "amount_out_of_range")
    assert "Rp50.000.000" in amount.message_id and "Rp5.000.000.000" in amount.message_en
    assert all(r.message_id != r.message_en for r in reasons)
    assert "menyetujui" in reasons[0].message_id and "consented" in reasons[0].message_en


def test_an_unknown_founding_year_is_its_own_reason_where_age_matters() -> None:
    codes = [
        r.code
        for r in reasons_against(
            application(FinancingScheme.KECIL, 200_000_000, founding_year=None)
        )
    ]
    assert codes == ["founding_year_unknown"]
    assert (
        reasons_against(application(FinancingScheme.SUPER_MIKRO, 5_000_000, founding_year=None))
        == []
    )


def test_the_kur_boundaries_are_exact() -> None:
    assert reasons_against(application(FinancingScheme.SUPER_MIKRO, 10_000_000)) == []
    assert [
        r.code for r in reasons_against(application(FinancingScheme.SUPER_MIKRO, 10_000_001))
    ] == ["amount_out_of_range"]
    assert [r.code for r in reasons_against(application(FinancingScheme.MIKRO, 10_000_000))] == [
        "amount_out_of_range"
    ]


def test_a_completed_prerequisite_course_clears_its_reason() -> None:
    asked = application(FinancingScheme.LPDB, 100_000_000)
    done = Application(
        asked.profile, asked.scheme, asked.amount, frozenset({"sak-emkm-bookkeeping"}), 2026, False
    )
    assert [r.code for r in reasons_against(asked)] == ["prerequisite_missing"]
    assert reasons_against(done) == []


def test_an_erased_owner_cannot_be_referred() -> None:
    erased = profile()
    erased.erase()
    asked = Application(
        erased,
        application(FinancingScheme.MIKRO, 50_000_000).scheme,
        50_000_000,
        frozenset(),
        2026,
        False,
    )
    assert [r.code for r in reasons_against(asked)] == ["erased"]
