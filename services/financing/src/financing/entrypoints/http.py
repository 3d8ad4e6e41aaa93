"""HTTP routes: a few lines each; the use cases live in `handlers`.

Routes take the acting `Actor` (`plut_shared.routes`: `Reader` for anyone with
a token, `Writer` for admins and officers); another centre's enterprise or
referral answers 404, exactly like an unknown id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from plut_shared.problems import NOT_FOUND, VALIDATION
from plut_shared.routes import Reader, Writer

from financing.adapters.referral_queries import ReferralFilter
from financing.domain.status import Status
from financing.entrypoints.errors import CONFLICT, FORBIDDEN, NOT_ELIGIBLE
from financing.entrypoints.views import (
    EligibilityView,
    ReferralPage,
    ReferralRequest,
    ReferralView,
    WithdrawRequest,
)
from financing.handlers import FinancingHandlers


def _handlers(request: Request) -> FinancingHandlers:
    handlers: FinancingHandlers = request.app.state.financing
    return handlers


Handlers = Annotated[FinancingHandlers, Depends(_handlers)]
router = APIRouter(tags=["referrals"], responses=VALIDATION)
_ID = r"^[A-Za-z0-9_.:-]{1,100}$"
MAX_OFFSET = 1_000_000


@router.post(
    "/eligibility",
    summary="Every reason a referral could not go ahead, in Bahasa Indonesia and English",
    responses=NOT_FOUND,
)
async def eligibility(request: ReferralRequest, actor: Reader, h: Handlers) -> EligibilityView:
    answer = await h.eligibility(request.umkm_id, request.scheme, request.amount, actor)
    return EligibilityView.of(answer)


@router.post(
    "/referrals",
    status_code=status.HTTP_201_CREATED,
    summary="Refer an enterprise: submitted and forwarded to the routed partner",
    responses=FORBIDDEN | NOT_FOUND | NOT_ELIGIBLE,
)
async def refer(request: ReferralRequest, actor: Writer, h: Handlers) -> ReferralView:
    referral = await h.refer(request.umkm_id, request.scheme, request.amount, actor)
    return ReferralView.of(referral)


@router.post(
    "/referrals/{referral_id}/withdraw",
    summary="Withdraw a referral for the officer or the owner; the partner is told",
    responses=FORBIDDEN | NOT_FOUND | CONFLICT,
)
async def withdraw(
    referral_id: str, request: WithdrawRequest, actor: Writer, h: Handlers
) -> ReferralView:
    referral = await h.withdraw(referral_id, request.by, request.reason, actor)
    return ReferralView.of(referral)


@router.get("/referrals", summary="Referrals of the caller's centres, by status and partner")
async def search(
    actor: Reader,
    h: Handlers,
    status: Status | None = None,
    partner_id: Annotated[str | None, Query(pattern=_ID)] = None,
    umkm_id: Annotated[str | None, Query(pattern=_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> ReferralPage:
    where = ReferralFilter(actor.centres, status, partner_id, umkm_id)
    found, total = await h.search(where, limit=limit, offset=offset)
    items = [ReferralView.of(referral) for referral in found]
    return ReferralPage(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/referrals/{referral_id}", summary="One referral with its history", responses=NOT_FOUND
)
async def read(referral_id: str, actor: Reader, h: Handlers) -> ReferralView:
    return ReferralView.of(await h.referral(referral_id, actor))


@router.get(
    "/enterprises/{umkm_id}/referrals",
    summary="An enterprise's referrals, oldest first, each with its history",
    responses=NOT_FOUND,
)
async def of_enterprise(umkm_id: str, actor: Reader, h: Handlers) -> list[ReferralView]:
    return [ReferralView.of(referral) for referral in await h.referrals_of(umkm_id, actor)]
