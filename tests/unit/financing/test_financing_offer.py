"""What a partner receives: only the scheme's fields, NIK and phone only with consent."""

from __future__ import annotations

from financing.domain.enterprise import EnterpriseProfile
from financing.domain.offer import applicant_for
from financing.domain.rules import load_schemes
from plut_shared.contracts.financing import FinancingScheme
from plut_shared.contracts.registration import ScaleClass

BOOK = load_schemes()


def profile(consent: bool) -> EnterpriseProfile:
    return EnterpriseProfile(
        umkm_id="u-1", centre_id="batu", registered=True, business_name="Keripik Apel",
        sector="food", scale_class=ScaleClass.MICRO, founding_year=2012, owner_name="Budi",
        nik="3579011203800002", phone="+6281234567003",
        consents={"financing_partners": consent, "marketing": True},
    )  # fmt: skip


def test_a_kur_partner_gets_the_applicants_identity_with_consent() -> None:
    scheme = BOOK.get(FinancingScheme.MIKRO)
    assert scheme is not None
    applicant = applicant_for(profile(consent=True), scheme)
    assert applicant.nik == "3579011203800002" and applicant.phone == "+6281234567003"
    assert set(applicant.model_dump()) == {
        "business_name", "sector", "scale_class", "founding_year", "owner_name", "nik", "phone",
    }  # fmt: skip


def test_without_consent_neither_nik_nor_phone_is_shared() -> None:
    scheme = BOOK.get(FinancingScheme.MIKRO)
    assert scheme is not None
    applicant = applicant_for(profile(consent=False), scheme)
    assert applicant.nik is None and applicant.phone is None
    assert applicant.business_name == "Keripik Apel"


def test_a_scheme_that_does_not_list_the_phone_does_not_get_it() -> None:
    scheme = BOOK.get(FinancingScheme.LPDB)
    assert scheme is not None
    applicant = applicant_for(profile(consent=True), scheme)
    assert applicant.phone is None and applicant.nik == "3579011203800002"
