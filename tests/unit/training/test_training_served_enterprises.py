"""The read model of served enterprises, from registration's events, applied once each."""

from __future__ import annotations

from plut_shared.contracts import make_envelope
from plut_shared.contracts.registration import (
    Consents,
    ScaleBasis,
    UmkmConsentChanged,
    UmkmProfileUpdated,
    UmkmScaleChanged,
)

from tests.unit.training.fakes import CENTRE, deliver, erased, registered, wired


def event(payload, umkm_id: str = "u1"):
    return make_envelope(
        payload, producer="registration", centre_id=CENTRE, subject_id=umkm_id, correlation_id="c"
    )


async def test_registration_fills_in_centre_class_sector_and_the_certificate_names() -> None:
    w = wired()
    await deliver(w, registered("u1"))
    enterprise = await w.stores.enterprises.get("u1")
    assert (enterprise.centre_id, enterprise.scale_class, enterprise.sector) == (
        CENTRE, "micro", "alas kaki"
    )  # fmt: skip
    assert (enterprise.owner_name, enterprise.business_name) == (
        "Siti Rahayu", "UD Sepatu Maja Citra"
    )  # fmt: skip


async def test_profile_class_and_consent_changes_follow() -> None:
    w = wired()
    await deliver(w, registered("u1"))
    changed = {"business_name": "CV Maja Citra", "sector": "kulit"}
    await deliver(w, event(UmkmProfileUpdated(umkm_id="u1", changed=changed)))
    await deliver(
        w,
        event(
            UmkmScaleChanged(
                umkm_id="u1", from_class="micro", to_class="small", basis=ScaleBasis.SALES,
                effective_date="2026-06-01", naik_kelas=True,
            )
        ),
    )  # fmt: skip
    consents = Consents(marketing=True)
    await deliver(w, event(UmkmConsentChanged(umkm_id="u1", consents=consents, source="form")))
    enterprise = await w.stores.enterprises.get("u1")
    assert (enterprise.business_name, enterprise.sector) == ("CV Maja Citra", "kulit")
    assert enterprise.scale_class == "small"
    assert enterprise.consents == {"financing_partners": False, "marketing": True}


async def test_erasure_drops_names_and_consents_and_keeps_what_counts_need() -> None:
    w = wired()
    await deliver(w, registered("u1"))
    await deliver(w, erased("u1"))
    document = w.stores.enterprises.documents["u1"]  # type: ignore[attr-defined]
    assert document["owner_name"] is None and document["business_name"] is None
    assert document["consents"] == {} and document["erased"] is True
    assert "Siti" not in str(document)
    assert document["scale_class"] == "micro"


async def test_a_registration_arriving_after_the_erasure_does_not_bring_the_names_back() -> None:
    w = wired()
    await deliver(w, erased("u1"))
    await deliver(w, registered("u1"))
    enterprise = await w.stores.enterprises.get("u1")
    assert enterprise.erased and enterprise.owner_name is None and enterprise.registered


async def test_a_redelivered_event_changes_nothing() -> None:
    w = wired()
    first = registered("u1")
    await deliver(w, first)
    await deliver(w, first)
    assert w.stores.enterprises.versions["u1"] == 1  # type: ignore[attr-defined]
