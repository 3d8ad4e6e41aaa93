"""What every route shares: the wiring, the actor from the bearer token, documented errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from plut_shared.auth import CurrentPrincipal, Principal, Role
from plut_shared.contracts import new_event_id
from plut_shared.problems import Problem

from training.config import TrainingSettings
from training.entrypoints.errors import ConflictProblem, ValidationProblem
from training.handlers.catalogue import CatalogueHandlers
from training.handlers.common import Actor
from training.handlers.enrolment import EnrolmentHandlers
from training.handlers.mentoring import MentoringHandlers
from training.handlers.served import ServedEnterprises


@dataclass(frozen=True)
class Wiring:
    """What routes need, put on `app.state.training` by the composition root."""

    catalogue: CatalogueHandlers
    enrolment: EnrolmentHandlers
    mentoring: MentoringHandlers
    served: ServedEnterprises
    settings: TrainingSettings


def _wiring(request: Request) -> Wiring:
    wiring: Wiring = request.app.state.training
    return wiring


def _actor(principal: Principal, response: Response, correlation_id: str | None) -> Actor:
    correlation_id = correlation_id or new_event_id()
    response.headers["X-Correlation-ID"] = correlation_id
    centres = None if principal.all_centres else principal.centres
    return Actor(principal.subject, principal.role, centres, correlation_id)


def reader(
    principal: CurrentPrincipal,
    response: Response,
    x_correlation_id: Annotated[str | None, Header(max_length=128)] = None,
) -> Actor:
    return _actor(principal, response, x_correlation_id)


def writer(
    principal: CurrentPrincipal,
    response: Response,
    x_correlation_id: Annotated[str | None, Header(max_length=128)] = None,
) -> Actor:
    principal.require_role(Role.ADMIN, Role.OFFICER)
    return _actor(principal, response, x_correlation_id)


Reader = Annotated[Actor, Depends(reader)]
Writer = Annotated[Actor, Depends(writer)]
Services = Annotated[Wiring, Depends(_wiring)]

# 400, 401 and 413 are documented on every route by the shared door (plut_shared.problems).
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown id, or one of another centre"},
    422: {"model": ValidationProblem, "description": "One message per invalid field"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = READ_ERRORS | {
    403: {"model": Problem, "description": "A viewer, or a centre the caller does not serve"},
    409: {"model": ConflictProblem, "description": "The state does not allow it (see detail)"},
}
