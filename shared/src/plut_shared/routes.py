"""One way for every service's routes to say who acts and check roles.

A route takes an `Actor` through one of the dependencies below instead of the
bare principal; use cases receive the actor and check centres themselves
(another centre's record answers like an unknown id, see `auth.ensure_centre`):

    @router.post("/messages/{message_id}/resend")
    async def resend(message_id: str, actor: Writer, ...) -> MessageView: ...

`Reader` lets any authenticated caller in, `Writer` admins and officers,
`Admin` admins only. Each also fixes the request's correlation id (the
caller's `X-Correlation-ID`, or a new one) and echoes it in the response, so
the events a request causes can be traced back to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Response

from plut_shared.auth import CurrentPrincipal, Principal, Role
from plut_shared.contracts import new_event_id

CORRELATION_HEADER = "X-Correlation-ID"


@dataclass(frozen=True)
class Actor:
    """Who acts in one request, and the correlation id its changes carry."""

    subject: str
    role: Role
    centres: frozenset[str] | None  # None: every centre
    correlation_id: str
    sees_nik: bool = False

    def can_access(self, centre_id: str) -> bool:
        return self.centres is None or centre_id in self.centres


def actor_of(principal: Principal, correlation_id: str | None = None) -> Actor:
    centres = None if principal.all_centres else principal.centres
    return Actor(
        subject=principal.subject,
        role=principal.role,
        centres=centres,
        correlation_id=correlation_id or new_event_id(),
        sees_nik=principal.sees_nik,
    )


CorrelationHeader = Annotated[str | None, Header(alias=CORRELATION_HEADER, max_length=128)]


def _acting(principal: Principal, response: Response, correlation_id: str | None) -> Actor:
    actor = actor_of(principal, correlation_id)
    response.headers[CORRELATION_HEADER] = actor.correlation_id
    return actor


def reader(
    principal: CurrentPrincipal, response: Response, correlation_id: CorrelationHeader = None
) -> Actor:
    """Any authenticated caller."""
    return _acting(principal, response, correlation_id)


def writer(
    principal: CurrentPrincipal, response: Response, correlation_id: CorrelationHeader = None
) -> Actor:
    """Admins and officers: they change records."""
    principal.require_role(Role.ADMIN, Role.OFFICER)
    return _acting(principal, response, correlation_id)


def admin(
    principal: CurrentPrincipal, response: Response, correlation_id: CorrelationHeader = None
) -> Actor:
    """Admins only (audit trails, platform-wide operations)."""
    principal.require_role(Role.ADMIN)
    return _acting(principal, response, correlation_id)


Reader = Annotated[Actor, Depends(reader)]
Writer = Annotated[Actor, Depends(writer)]
Admin = Annotated[Actor, Depends(admin)]
