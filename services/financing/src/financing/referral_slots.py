"""One open referral per enterprise, whatever races for it: the referrals of an enterprise
are a chain of numbered slots, and a new referral's id is its slot's id.

Two officers, a double click or a retried request may refer one enterprise at
the same moment, on any replicas; both pass the eligibility check ("no open
referral"), which only reads. What makes exactly one of them win is the store's
oldest guarantee, a unique `_id`: the n-th referral of an enterprise (from 0)
has the id `referral_id_for(umkm_id, n)`, a UUID5 of both, so two requests
that both want slot n compute the same id and the store keeps the first
insert; the kernel's `add` raises `AggregateExists` for the other, which then
asks again as a sequential second request would and gets the same 422 with
the `open_referral` reason.

Slot n + 1 is taken only after slot n was read closed (rejected, disbursed,
withdrawn: states a referral never leaves), so at most one slot of an
enterprise is ever open, and a closed referral is followed by a new one in the
next slot. There is nothing to claim and nothing to release: the referral
itself, written with its events in one insert, is the claim. A crash at any
point leaves either no referral (nothing happened) or a whole one, so no
enterprise can be left unable to be referred.

Where the chain ends is found by reading slots by `_id` (0.3 ms each on both
stores, README "Why these parts"), starting from a hint kept on the enterprise's
profile (`EnterpriseProfile.referrals_made`, raised after each insert). The
hint only saves reads: it is never ahead of the stored slots (written after
the insert) and may lag behind them (a crash before it is raised), and the
walk from it always goes on to the first empty slot.

Why not a claim document per enterprise with a compare-and-swap: claiming and
writing the referral would be two writes, so a crash between them leaves a
claim without a referral, which then needs expiry or repair, and closing a
referral would have to release the claim in a second write. Why not a unique
index on another field: the guarantee would then depend on an index that must
exist before the first request on every store, while `_id` is always unique.

Referrals stored before slots existed keep their random ids; the eligibility
check still finds one of them that is open, so they block a new referral as
before. Their ids are UUIDv7, which sort by creation time; slot ids do not,
so lists sort by `submitted_at` (see `adapters.referral_queries`).
"""

from __future__ import annotations

import logging
import uuid

from plut_shared.messaging import Aggregates, Cause

from financing.domain.enterprise import EnterpriseProfile
from financing.domain.referral import Referral
from financing.domain.status import OPEN

# Fixed for ever: changing it would renumber every enterprise's chain from 0.
SLOT_NAMESPACE = uuid.UUID("5b0f3c1e-6f7a-4d36-9a57-2f8e1c0d4b91")

log = logging.getLogger(__name__)


def referral_id_for(umkm_id: str, slot: int) -> str:
    """The id of an enterprise's `slot`-th referral: opaque, the same for every caller."""
    if slot < 0:
        raise ValueError("a referral slot is numbered from 0")
    return str(uuid.uuid5(SLOT_NAMESPACE, f"{umkm_id}/{slot}"))


class ReferralSlots:
    def __init__(
        self, referrals: Aggregates[Referral], enterprises: Aggregates[EnterpriseProfile]
    ) -> None:
        self._referrals, self._enterprises = referrals, enterprises

    async def next_free(self, profile: EnterpriseProfile) -> int | None:
        """The first empty slot, or None while the referral in the slot before it is open."""
        slot, latest = max(profile.referrals_made - 1, 0), None
        while (found := await self._at(profile.umkm_id, slot)) is not None:
            latest, slot = found, slot + 1
        if latest is not None and latest.status in OPEN:
            return None
        return slot

    async def _at(self, umkm_id: str, slot: int) -> Referral | None:
        return await self._referrals.get(referral_id_for(umkm_id, slot))

    async def note_taken(self, umkm_id: str, slot: int, cause: Cause) -> None:
        """Raise the profile's hint past `slot`; losing this write only costs reads later."""
        try:
            await self._enterprises.change(umkm_id, lambda p: p.note_referral(slot), cause)
        except Exception:  # the referral is stored and forwarded: its request succeeded
            log.warning("referral slot hint not raised; the next referral reads one slot more")
