"""What every route shares: the wiring, the caller (`plut_shared.routes`), documented errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from plut_shared.problems import Problem, ValidationProblem

from training.config import TrainingSettings
from training.entrypoints.errors import ConflictProblem
from training.handlers.catalogue import CatalogueHandlers
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
