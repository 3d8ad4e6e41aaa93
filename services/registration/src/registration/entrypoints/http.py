"""HTTP routes: a few lines each; the use cases live in `handlers` and `bulk_import`.

Routes take the acting `Actor` through `plut_shared.routes` (`Reader`, `Writer`,
`Admin`), as every service's routes do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from plut_shared.contracts.registration import ScaleClass
from plut_shared.problems import NOT_FOUND, VALIDATION
from plut_shared.routes import Admin, Reader, Writer

from registration.adapters.directory import SearchFilter
from registration.config import RegistrationSettings
from registration.domain.commands import (
    CorrectProfile,
    RegisterEnterprise,
    SetConsent,
    UpdateFinancials,
)
from registration.entrypoints.errors import CONFLICT, FORBIDDEN
from registration.entrypoints.views import (
    AuditEntryView,
    EnterprisePage,
    EnterpriseView,
)
from registration.handlers import RegistrationHandlers
from registration.import_jobs import ImportJobs


@dataclass(frozen=True)
class Wiring:
    """What routes need, put on `app.state.registration` by the composition root."""

    handlers: RegistrationHandlers
    imports: ImportJobs
    settings: RegistrationSettings


def _wiring(request: Request) -> Wiring:
    wiring: Wiring = request.app.state.registration
    return wiring


Wired = Annotated[Wiring, Depends(_wiring)]

router = APIRouter(tags=["enterprises"], responses=VALIDATION)
_CHANGE = FORBIDDEN | NOT_FOUND | CONFLICT
# Search terms become store regexes, which cannot hold NUL; no control character is useful.
_ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
# Far past any centre's registry; a bound keeps the number within the store's integers.
MAX_OFFSET = 1_000_000
PAGE_SIZE_MAX = 100  # part of the API (the OpenAPI document states it), not a setting


@router.post(
    "/enterprises",
    status_code=status.HTTP_201_CREATED,
    summary="Register an UMKM",
    responses=FORBIDDEN | CONFLICT,
)
async def register(command: RegisterEnterprise, actor: Writer, w: Wired) -> EnterpriseView:
    stored = await w.handlers.register(command, actor)
    return EnterpriseView.of(stored, sees_nik=actor.sees_nik)


@router.get("/enterprises", summary="Search and list enterprises of the caller's centres")
async def search(
    actor: Reader,
    w: Wired,
    centre_id: str | None = None,
    sector: Annotated[str | None, Query(max_length=100, pattern=_ONE_LINE)] = None,
    scale_class: ScaleClass | None = None,
    q: Annotated[
        str | None, Query(max_length=100, pattern=_ONE_LINE, description="Part of the name")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=PAGE_SIZE_MAX)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> EnterprisePage:
    centres = actor.centres
    if centre_id is not None:
        # Another centre's records look absent: an empty page, not a 403.
        allowed = actor.can_access(centre_id)
        centres = frozenset({centre_id}) if allowed else frozenset()
    where = SearchFilter(centres, sector, scale_class, q)
    found, total = await w.handlers.search(where, actor, limit=limit, offset=offset)
    items = [EnterpriseView.of(s, sees_nik=actor.sees_nik) for s in found]
    return EnterprisePage(items=items, total=total, limit=limit, offset=offset)


@router.get("/enterprises/{umkm_id}", summary="One enterprise", responses=NOT_FOUND)
async def read(umkm_id: str, actor: Reader, w: Wired) -> EnterpriseView:
    return EnterpriseView.of(await w.handlers.read(umkm_id, actor), sees_nik=actor.sees_nik)


@router.patch(
    "/enterprises/{umkm_id}",
    summary="Correct the profile (right to rectification)",
    responses=_CHANGE,
)
async def correct(umkm_id: str, command: CorrectProfile, actor: Writer, w: Wired) -> EnterpriseView:
    stored = await w.handlers.correct(umkm_id, command, actor)
    return EnterpriseView.of(stored, sees_nik=actor.sees_nik)


@router.patch(
    "/enterprises/{umkm_id}/financials",
    summary="New capital or sales; recomputes the class",
    responses=_CHANGE,
)
async def update_financials(
    umkm_id: str, command: UpdateFinancials, actor: Writer, w: Wired
) -> EnterpriseView:
    stored = await w.handlers.update_financials(umkm_id, command, actor)
    return EnterpriseView.of(stored, sees_nik=actor.sees_nik)


@router.post(
    "/enterprises/{umkm_id}/consents",
    summary="Give or withdraw consent for a purpose",
    responses=_CHANGE,
)
async def set_consent(umkm_id: str, command: SetConsent, actor: Writer, w: Wired) -> EnterpriseView:
    stored = await w.handlers.set_consent(umkm_id, command, actor)
    return EnterpriseView.of(stored, sees_nik=actor.sees_nik)


@router.get(
    "/enterprises/{umkm_id}/export",
    summary="All data held on the owner, as JSON",
    responses=FORBIDDEN | NOT_FOUND,
)
async def export(umkm_id: str, actor: Writer, w: Wired) -> dict[str, Any]:
    return await w.handlers.export(umkm_id, actor)


@router.post(
    "/enterprises/{umkm_id}/erase",
    summary="Anonymise the owner; statistics are kept",
    responses=_CHANGE,
)
async def erase(umkm_id: str, actor: Writer, w: Wired) -> EnterpriseView:
    stored = await w.handlers.erase(umkm_id, actor)
    return EnterpriseView.of(stored, sees_nik=actor.sees_nik)


@router.get(
    "/audit",
    tags=["audit"],
    summary="Who read or changed which enterprise, and when",
    responses=FORBIDDEN,
)
async def audit(
    actor: Admin,
    w: Wired,
    umkm_id: str | None = None,
    subject: Annotated[str | None, Query(description="Only this actor's entries")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AuditEntryView]:
    entries = await w.handlers.audit.entries(
        umkm_id=umkm_id, actor=subject, centre_ids=actor.centres, limit=limit
    )
    return [AuditEntryView.of(entry) for entry in entries]
