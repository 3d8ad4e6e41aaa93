"""The enterprises training may serve, kept from `registration.*` events (and its own).

Each event's effect is applied exactly once (`apply_event` records its id in
the same write). An event may arrive before the registration it follows (after
a retry): the enterprise is then created as not yet registered, and the
registration fills it in later without undoing an erasure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plut_shared.contracts import Envelope
from plut_shared.contracts.registration import (
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
    UmkmRegistered,
    UmkmScaleChanged,
)
from plut_shared.contracts.training import ParticipantCompleted
from plut_shared.enterprise_mirror import enterprise_routes
from plut_shared.messaging import Aggregates, Handler

from training.domain.enterprise import ServedEnterprise
from training.handlers.common import Actor, visible


class ServedEnterprises:
    def __init__(self, enterprises: Aggregates[ServedEnterprise]) -> None:
        self.enterprises = enterprises

    def routes(self) -> dict[str, Handler]:
        return {**enterprise_routes(self), "training.participant.completed": self.on_completed}

    async def on_registered(self, envelope: Envelope, payload: UmkmRegistered) -> None:
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_registered(payload))

    async def on_profile_updated(self, envelope: Envelope, payload: UmkmProfileUpdated) -> None:
        await self._apply(
            envelope, payload.umkm_id, lambda e: e.on_profile_updated(payload.changed)
        )

    async def on_scale_changed(self, envelope: Envelope, payload: UmkmScaleChanged) -> None:
        to_class = str(payload.to_class)
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_scale_changed(to_class))

    async def on_consent_changed(self, envelope: Envelope, payload: UmkmConsentChanged) -> None:
        flags = payload.consents.model_dump()
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_consent_changed(flags))

    async def on_erased(self, envelope: Envelope, payload: UmkmErased) -> None:
        await self._apply(envelope, payload.umkm_id, lambda e: e.on_erased())

    async def on_completed(self, envelope: Envelope, payload: ParticipantCompleted) -> None:
        # Only enterprises that enrolled complete, so the enterprise is known.
        course_id = payload.course_id
        await self.enterprises.apply_event(
            payload.umkm_id, envelope, lambda e: e.on_completed(course_id)
        )

    async def enterprise(self, umkm_id: str, actor: Actor) -> ServedEnterprise:
        return await visible(self.enterprises, umkm_id, actor)

    async def _apply(
        self, envelope: Envelope, umkm_id: str, change: Callable[[ServedEnterprise], Any]
    ) -> None:
        def create() -> ServedEnterprise:
            return ServedEnterprise(umkm_id, envelope.centre_id)

        await self.enterprises.apply_event(umkm_id, envelope, change, create=create)
