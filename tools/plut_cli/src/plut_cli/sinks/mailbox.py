"""What the local sinks received, newest first, shared by every sink of one run."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

LOCALHOST = "127.0.0.1"


def free_port() -> int:
    """A port nothing listens on right now (also good for "connection refused")."""
    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the sink did not receive the expected messages in time")
        await asyncio.sleep(0.02)


@dataclass(frozen=True)
class Delivered:
    """One message as the owner would have received it (the recipient unmasked here)."""

    channel: str
    recipient: str
    text: str
    subject: str | None = None
    received_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Mailbox:
    """Thread-safe and bounded: a long local run keeps the latest `capacity` messages."""

    def __init__(self, capacity: int = 1000) -> None:
        self._items: deque[Delivered] = deque(maxlen=capacity)
        self._lock = threading.Lock()

    def add(self, item: Delivered) -> None:
        with self._lock:
            self._items.appendleft(item)

    def newest_first(self) -> list[Delivered]:
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
