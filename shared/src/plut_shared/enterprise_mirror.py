"""Routes of a service that keeps its own copy of each enterprise from registration's events.

Such a service (financing, training) handles the same five registration
events; `enterprise_routes` maps them to its handlers, so each service adds
only the events of its own.
"""

from __future__ import annotations

from typing import Protocol

from plut_shared.contracts import Envelope
from plut_shared.contracts.registration import (
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
    UmkmScaleChanged,
)
from plut_shared.messaging import Handler


class EnterpriseMirror(Protocol):
    async def on_registered(self, envelope: Envelope, payload: UmkmRegistered) -> None: ...

    async def on_profile_updated(self, envelope: Envelope, payload: UmkmProfileUpdated) -> None: ...

    async def on_scale_changed(self, envelope: Envelope, payload: UmkmScaleChanged) -> None: ...

    async def on_consent_changed(self, envelope: Envelope, payload: UmkmConsentChanged) -> None: ...

    async def on_erased(self, envelope: Envelope, payload: UmkmErased) -> None: ...


def enterprise_routes(mirror: EnterpriseMirror) -> dict[str, Handler]:
    """The mirror's handler for each registration event that changes an enterprise."""
    return {
        "registration.umkm.registered": mirror.on_registered,
        "registration.umkm.profile_updated": mirror.on_profile_updated,
        "registration.umkm.scale_changed": mirror.on_scale_changed,
        "registration.umkm.consent_changed": mirror.on_consent_changed,
        "registration.umkm.erased": mirror.on_erased,
    }
