"""HTTP API: delivery log, resend, templates, channel opt-out. A few lines per route.

Routes take the acting `Actor` (`plut_shared.routes`: `Reader` for anyone
with a token, `Writer` for admins and officers) and call `operations`; another
centre's enterprise or message answers 404, exactly like an unknown id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, status
from fastapi.responses import JSONResponse
from plut_shared.contracts.registration import Channel
from plut_shared.problems import NOT_FOUND, RouteResponses, problem
from plut_shared.routes import Reader, Writer

from notifications.domain.contacts import ContactErased
from notifications.domain.message import ResendRefused
from notifications.entrypoints.views import (
    MessageView,
    PreferencesView,
    TemplateView,
    template_catalog,
)
from notifications.operations import NotFound, Operations


def _operations(request: Request) -> Operations:
    operations: Operations = request.app.state.notifications
    return operations


Ops = Annotated[Operations, Depends(_operations)]

WRITE: RouteResponses = NOT_FOUND | {
    403: problem("Only officers and admins may change this"),
    409: problem("The owner's data was erased, or the message is not in a state for this"),
}
router = APIRouter(tags=["notifications"])


@router.get(
    "/enterprises/{umkm_id}/messages", summary="Delivery log of an enterprise", responses=NOT_FOUND
)
async def delivery_log(umkm_id: str, actor: Reader, ops: Ops) -> list[MessageView]:
    return [MessageView.of(message) for message in await ops.delivery_log(umkm_id, actor)]


@router.post(
    "/messages/{message_id}/resend",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Try a failed message again, on every channel",
    responses=WRITE,
)
async def resend(message_id: str, actor: Writer, ops: Ops) -> MessageView:
    return MessageView.of(await ops.resend(message_id, actor))


@router.get("/templates", summary="Notification templates and the events that send them")
async def templates(actor: Reader) -> list[TemplateView]:
    return template_catalog()


@router.get(
    "/enterprises/{umkm_id}/preferences",
    summary="Channel preferences of an owner",
    responses=NOT_FOUND,
)
async def preferences(umkm_id: str, actor: Reader, ops: Ops) -> PreferencesView:
    return PreferencesView.of(await ops.preferences(umkm_id, actor))


@router.put(
    "/enterprises/{umkm_id}/opt-outs/{channel}", summary="Opt out of a channel", responses=WRITE
)
async def opt_out(umkm_id: str, channel: Channel, actor: Writer, ops: Ops) -> PreferencesView:
    return PreferencesView.of(await ops.set_opt_out(umkm_id, channel, True, actor))


@router.delete(
    "/enterprises/{umkm_id}/opt-outs/{channel}",
    summary="Opt back in to a channel",
    responses=WRITE,
)
async def opt_in(umkm_id: str, channel: Channel, actor: Writer, ops: Ops) -> PreferencesView:
    return PreferencesView.of(await ops.set_opt_out(umkm_id, channel, False, actor))


async def _answer(request: Request, error: Exception) -> JSONResponse:
    if isinstance(error, NotFound):
        return JSONResponse({"detail": "Not found"}, status_code=status.HTTP_404_NOT_FOUND)
    return JSONResponse({"detail": str(error)}, status_code=status.HTTP_409_CONFLICT)


def install_error_answers(app: FastAPI) -> None:
    """404 for what the caller may not see, 409 for what the domain refused."""
    for error in (NotFound, ResendRefused, ContactErased):
        app.add_exception_handler(error, _answer)
