"""HTTP API: delivery log, resend, templates, channel opt-out. Thin: stores do the work.

Same token scheme and centre scoping as every service (`plut_shared.auth`):
another centre's enterprise or message answers 404, exactly like an unknown id.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, HTTPException, status
from plut_shared.auth import CurrentPrincipal, Principal, ensure_centre, require_role
from plut_shared.contracts.registration import Channel
from plut_shared.problems import RouteResponses, problem

from notifications.adapters import transitions as t
from notifications.adapters.contact_book import ContactBook
from notifications.adapters.messages import Document, MessageStore
from notifications.domain.clock import Clock
from notifications.domain.contacts import Contact
from notifications.domain.delivery import State
from notifications.entrypoints.views import (
    MessageView,
    PreferencesView,
    TemplateView,
    template_catalog,
)

Officer = Depends(require_role("admin", "officer"))
NOT_FOUND: RouteResponses = {404: problem("Unknown id, or one of another centre: same answer")}
WRITE: RouteResponses = NOT_FOUND | {
    403: problem("Only officers and admins may change this"),
    409: problem("The owner's data was erased, or the message is not in a state for this"),
}


def build_router(
    contacts: ContactBook, messages: MessageStore, clock: Clock, wake: Callable[[], None]
) -> APIRouter:
    router = APIRouter(tags=["notifications"])

    async def enterprise_contact(umkm_id: str, principal: Principal) -> Contact:
        contact = await contacts.get(umkm_id)
        if contact is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not found")
        ensure_centre(principal, contact.centre_id)
        return contact

    @router.get(
        "/enterprises/{umkm_id}/messages",
        summary="Delivery log of an enterprise",
        responses=NOT_FOUND,
    )
    async def delivery_log(umkm_id: str, principal: CurrentPrincipal) -> list[MessageView]:
        documents = await messages.for_enterprise(umkm_id)
        contact = await contacts.get(umkm_id)
        centre = (
            contact.centre_id if contact else (documents[0]["centre_id"] if documents else None)
        )
        if centre is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not found")
        ensure_centre(principal, centre)
        return [MessageView.of(document) for document in documents]

    @router.post(
        "/messages/{message_id}/resend",
        status_code=status.HTTP_202_ACCEPTED,
        summary="Try a failed message again, on every channel",
        responses=WRITE,
    )
    async def resend(message_id: str, principal: Principal = Officer) -> MessageView:
        document = await messages.get(message_id)
        if document is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not found")
        ensure_centre(principal, document["centre_id"])
        if "erased_at" in document:
            raise HTTPException(status.HTTP_409_CONFLICT, detail="the owner's data was erased")
        updated = await messages.modify(message_id, lambda doc: _resend_if_failed(doc, clock))
        if updated is None or updated["state"] != str(State.SCHEDULED):
            raise HTTPException(
                status.HTTP_409_CONFLICT, detail="only a failed message can be resent"
            )
        wake()
        return MessageView.of(updated)

    @router.get("/templates", summary="Notification templates and the events that send them")
    async def templates(principal: CurrentPrincipal) -> list[TemplateView]:
        return template_catalog()

    @router.get(
        "/enterprises/{umkm_id}/preferences",
        summary="Channel preferences of an owner",
        responses=NOT_FOUND,
    )
    async def preferences(umkm_id: str, principal: CurrentPrincipal) -> PreferencesView:
        return PreferencesView.of(await enterprise_contact(umkm_id, principal))

    async def set_opt_out(
        umkm_id: str, channel: Channel, out: bool, principal: Principal
    ) -> PreferencesView:
        contact = await enterprise_contact(umkm_id, principal)
        if contact.is_erased:
            raise HTTPException(status.HTTP_409_CONFLICT, detail="the owner's data was erased")
        change = (lambda c: c.opt_out(channel)) if out else (lambda c: c.opt_in(channel))
        changed = await contacts.change(umkm_id, change)
        if changed is None:
            raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Not found")
        return PreferencesView.of(changed)

    @router.put(
        "/enterprises/{umkm_id}/opt-outs/{channel}",
        summary="Opt out of a channel",
        responses=WRITE,
    )
    async def opt_out(
        umkm_id: str, channel: Channel, principal: Principal = Officer
    ) -> PreferencesView:
        return await set_opt_out(umkm_id, channel, True, principal)

    @router.delete(
        "/enterprises/{umkm_id}/opt-outs/{channel}",
        summary="Opt back in to a channel",
        responses=WRITE,
    )
    async def opt_in(
        umkm_id: str, channel: Channel, principal: Principal = Officer
    ) -> PreferencesView:
        return await set_opt_out(umkm_id, channel, False, principal)

    return router


def _resend_if_failed(document: Document, clock: Clock) -> t.Change | None:
    return t.resend(clock.now()) if document["state"] == str(State.FAILED) else None
