"""Whether the delivery being handled turned out to be a repeat (README, "Operators: metrics").

The consumer opens a mark before each attempt of a handler; the aggregate
store notes on it when it finds the event's id already recorded (a
redelivery whose effect was applied before). The mark lives in a context
variable of the delivery's task, so handlers need not pass it along, and it
is a mutable object, so a note made in a task the handler started still
reaches it. Outside a delivery (commands, tests) there is no mark and a note
does nothing.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class DeliveryMark:
    repeated: bool = False


_CURRENT: ContextVar[DeliveryMark | None] = ContextVar("plut_delivery_mark", default=None)


def begin_attempt() -> DeliveryMark:
    """A fresh mark for the handler attempt about to run in this task."""
    mark = DeliveryMark()
    _CURRENT.set(mark)
    return mark


def note_repeat() -> None:
    """The event being handled was already applied here: this delivery repeats it."""
    mark = _CURRENT.get()
    if mark is not None:
        mark.repeated = True


def was_repeat() -> bool:
    mark = _CURRENT.get()
    return mark is not None and mark.repeated
