"""Whether an enterprise may be referred to a scheme: EVERY reason it may not, in two languages.

An officer sees all that stands in the way at once (no consent, too young a
business, an amount out of range, a course still to take), in Bahasa
Indonesia and English, instead of fixing one thing to discover the next.
The rules come from the scheme's data (`rules.Scheme`), never from code here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from plut_shared.contracts.financing import FinancingScheme

from financing.domain.enterprise import EnterpriseProfile
from financing.domain.rules import Scheme

_CLASS_NAMES = {"micro": ("mikro", "micro"), "small": ("kecil", "small")}
_CLASS_NAMES |= {"medium": ("menengah", "medium"), "large": ("besar", "large")}


@dataclass(frozen=True)
class Reason:
    code: str
    message_id: str
    message_en: str


@dataclass(frozen=True)
class Application:
    """What is asked, and what is known around it."""

    profile: EnterpriseProfile
    scheme: Scheme
    amount: int
    completed_courses: frozenset[str]
    this_year: int  # in WIB
    has_open_referral: bool


def rupiah(amount: int) -> str:
    return "Rp" + f"{amount:,}".replace(",", ".")


def unknown_scheme(scheme: FinancingScheme) -> Reason:
    return Reason(
        "unknown_scheme",
        f"Skema {scheme} tidak tersedia dalam aturan yang berlaku",
        f"Scheme {scheme} is not offered under the rules in force",
    )


def no_partner(scheme: FinancingScheme) -> Reason:
    return Reason(
        "no_partner",
        f"Belum ada mitra pembiayaan untuk skema {scheme} di sentra ini",
        f"No financing partner takes scheme {scheme} for this centre yet",
    )


def _erased(a: Application) -> Reason | None:
    if not a.profile.erased:
        return None
    return Reason(
        "erased",
        "Data pemilik telah dihapus atas permintaannya",
        "The owner's data was erased at their request",
    )


def _consent(a: Application) -> Reason | None:
    if a.profile.erased or a.profile.consents_to(a.scheme.required_consent):
        return None
    return Reason(
        "no_consent",
        "Pemilik belum menyetujui berbagi data dengan mitra pembiayaan",
        "The owner has not consented to sharing data with financing partners",
    )


def _scale_class(a: Application) -> Reason | None:
    current = a.profile.scale_class
    if current is not None and current in a.scheme.scale_classes:
        return None
    id_name, en_name = _CLASS_NAMES.get(str(current), ("tidak diketahui", "unknown"))
    return Reason(
        "scale_class",
        f"Skema {a.scheme.name_id} tidak untuk usaha skala {id_name}",
        f"{a.scheme.name_en} is not for {en_name} enterprises",
    )


def _amount(a: Application) -> Reason | None:
    low, high = a.scheme.min_amount, a.scheme.max_amount
    if low <= a.amount <= high:
        return None
    return Reason(
        "amount_out_of_range",
        f"Jumlah untuk {a.scheme.name_id} harus antara {rupiah(low)} dan {rupiah(high)}",
        f"The amount for {a.scheme.name_en} must be between {rupiah(low)} and {rupiah(high)}",
    )


def _business_age(a: Application) -> Reason | None:
    needed = a.scheme.min_business_age_years
    founded = a.profile.founding_year
    if needed == 0 or (founded is not None and a.this_year - founded >= needed):
        return None
    if founded is None:
        return Reason(
            "founding_year_unknown",
            f"Tahun berdiri usaha belum tercatat; skema ini mensyaratkan usia {needed} tahun",
            f"The founding year is not on record; this scheme needs a business of {needed} years",
        )
    return Reason(
        "business_too_young",
        f"Usaha harus sudah berjalan minimal {needed} tahun",
        f"The business must have run for at least {needed} years",
    )


def _prerequisite(a: Application) -> Reason | None:
    course = a.scheme.prerequisite_course
    if course is None or course in a.completed_courses:
        return None
    return Reason(
        "prerequisite_missing",
        f"Pemilik belum menyelesaikan pelatihan prasyarat ({course})",
        f"The owner has not completed the required course ({course})",
    )


def open_referral() -> Reason:
    return Reason(
        "open_referral",
        "Masih ada rujukan pembiayaan yang berjalan untuk usaha ini",
        "A financing referral for this enterprise is still open",
    )


def _open_referral(a: Application) -> Reason | None:
    return open_referral() if a.has_open_referral else None


CHECKS: tuple[Callable[[Application], Reason | None], ...] = (
    _erased,
    _consent,
    _scale_class,
    _amount,
    _business_age,
    _prerequisite,
    _open_referral,
)


def reasons_against(application: Application) -> list[Reason]:
    """Every reason the referral cannot go ahead; empty when it can."""
    return [reason for check in CHECKS if (reason := check(application)) is not None]
