"""How a failed message is treated: parked at once, or retried later."""

from __future__ import annotations

from pydantic import ValidationError

from plut_shared.contracts import UnknownEventType


class InvalidMessage(Exception):
    """The message can never succeed as it is: park it with this reason.

    The message text goes into the parking-lot headers, so it must not hold
    personal data.
    """


class TransientFailure(Exception):
    """A dependency is unavailable; the same message may succeed later.

    Any exception that is not an invalid message is retried; raising this one
    just says so explicitly.
    """


def is_permanent(error: BaseException) -> bool:
    """Invalid input is permanent; everything else (outages, bugs) gets retries."""
    return isinstance(error, InvalidMessage | ValidationError | UnknownEventType)


def describe(error: BaseException, limit: int = 500) -> str:
    """A reason safe for headers and logs: validation errors without the input values."""
    if isinstance(error, ValidationError):
        text = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        )
    else:
        text = str(error)
    return text[:limit]
