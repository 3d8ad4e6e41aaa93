"""An enterprise as plain JSON-ready data: the data-subject copy and the stored form."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from registration.domain.enterprise import Enterprise


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def export_enterprise(enterprise: Enterprise) -> dict[str, Any]:
    """Everything held on the enterprise and its owner, including consent history."""
    owner: dict[str, Any] | None = None
    if enterprise.owner is not None:
        owner = asdict(enterprise.owner) | {
            "preferred_channel": enterprise.owner.preferred_channel.value,
            "language": enterprise.owner.language.value,
        }
    consents = {
        purpose.value: {"granted": record.granted, "at": _iso(record.at), "source": record.source}
        for purpose, record in enterprise.consents.items()
    }
    return {
        "umkm_id": enterprise.umkm_id,
        "centre_id": enterprise.centre_id,
        "registered_at": _iso(enterprise.registered_at),
        "owner": owner,
        "business": asdict(enterprise.business),
        "capital": enterprise.capital,
        "annual_sales": enterprise.annual_sales,
        "employees": enterprise.employees,
        "scale_class": enterprise.scale_class.value,
        "consents": consents,
        "erased": enterprise.erased,
        "erased_at": _iso(enterprise.erased_at),
    }
