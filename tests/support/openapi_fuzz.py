"""Property-based requests built from a service's OpenAPI document (schemathesis).

Each operation gets a few generated requests that fit the document and a few
that do not; every answer must be a documented status with a documented body,
and never a 5xx. Schemathesis' pytest plugin is not used (it reaches into
pytest internals that pytest 9.2 removed): its strategies run under plain
Hypothesis instead, and every failure is collected with its operation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.modes import GenerationMode


def load(base_url: str, token: str) -> Any:
    config = SchemathesisConfig.from_dict(
        {
            "auth": {"openapi": {"HTTPBearer": {"bearer": token}}},
            # The token stays valid in requests made to break the document; the
            # door's 401s are checked by schemathesis' own `ignored_auth` check.
            "generation": {"with-security-parameters": False},
            # A request that fits the document may still break a domain rule the
            # document cannot express (a NIK's birth date, a real phone number):
            # its documented 422 is a right answer, so that check is off.
            "checks": {"positive_data_acceptance": {"enabled": False}},
        }
    )
    return schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)


@dataclass
class Outcome:
    failures: list[str] = field(default_factory=list)  # operation, mode and what broke
    statuses: Counter[int] = field(default_factory=Counter)  # answers seen, by status


def run(schema: Any, *, max_examples: int) -> Outcome:
    outcome = Outcome()
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _run(operation, mode, max_examples, outcome.statuses)
            except Unsatisfiable:
                pass  # nothing to send in this mode (no parameters, no body)
            except BaseException as error:  # schemathesis groups its failures
                if not isinstance(error, Exception | BaseExceptionGroup):
                    raise
                outcome.failures.append(f"{operation.label} ({mode}): {error}")
    return outcome


def _run(operation: Any, mode: GenerationMode, max_examples: int, seen: Counter[int]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        seen[case.call_and_validate().status_code] += 1

    check()
