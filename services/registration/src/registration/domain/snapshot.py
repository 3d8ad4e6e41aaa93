"""Round trip between an `Enterprise` and a plain document the repository stores.

The document is the export plus the record's own version (the number of
accepted changes, shown to officers); pending events are not part of it: the
aggregate store writes them to the document's outbox in the same write.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from plut_shared.contracts.registration import Channel, Language, ScaleClass

from registration.domain.enterprise import Enterprise
from registration.domain.export import export_enterprise
from registration.domain.profile import Address, Business, ConsentPurpose, ConsentRecord, Owner

# Not `version`: that name belongs to the aggregate store's compare-and-swap counter,
# which also moves when the relay publishes.
RECORD_VERSION = "record_version"


def to_document(enterprise: Enterprise) -> dict[str, Any]:
    return export_enterprise(enterprise) | {RECORD_VERSION: enterprise.version}


def _moment(raw: str | datetime | None) -> datetime | None:
    if raw is None or isinstance(raw, datetime):
        return raw
    return datetime.fromisoformat(raw)


def _owner(raw: dict[str, Any] | None) -> Owner | None:
    if raw is None:
        return None
    return Owner(
        name=raw["name"],
        nik=raw["nik"],
        phone=raw["phone"],
        email=raw["email"],
        preferred_channel=Channel(raw["preferred_channel"]),
        language=Language(raw["language"]),
    )


def _consents(raw: dict[str, dict[str, Any]]) -> dict[ConsentPurpose, ConsentRecord]:
    return {
        ConsentPurpose(purpose): ConsentRecord(
            granted=record["granted"], at=_moment(record["at"]), source=record["source"]
        )
        for purpose, record in raw.items()
    }


def from_document(doc: Mapping[str, Any]) -> Enterprise:
    """Rebuild a stored enterprise; the document was validated when it was written."""
    business = doc["business"]
    registered_at = _moment(doc["registered_at"])
    assert registered_at is not None, "a stored enterprise always has a registration time"
    return Enterprise(
        umkm_id=doc["umkm_id"],
        centre_id=doc["centre_id"],
        owner=_owner(doc["owner"]),
        business=Business(**(business | {"address": Address(**business["address"])})),
        capital=doc["capital"],
        annual_sales=doc["annual_sales"],
        employees=doc["employees"],
        scale_class=ScaleClass(doc["scale_class"]),
        consents=_consents(doc["consents"]),
        registered_at=registered_at,
        erased_at=_moment(doc["erased_at"]),
        version=doc[RECORD_VERSION],
    )
