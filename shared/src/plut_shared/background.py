"""One way to run periodic background work in a service: the relay, the dispatcher, timers.

A `BackgroundLoop` runs one round, then waits until it is woken (`wake`, e.g.
right after a local write) or until the next round is due, whichever comes
first. A round that raises is logged and retried after a pause: the store or
the broker being away for a while is normal, and the work stays where it is.
`stop` cancels the waiting loop; a round in progress is cancelled too, so
rounds must leave things consistent at every await (every write the kernel
does is a single-document write, so they do). A round that turns the
cancellation into an error or swallows it still ends the loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

# A round returns how long to wait before the next one (None: the loop's interval).
Round = Callable[[], Awaitable[float | None]]


class BackgroundLoop:
    def __init__(
        self, name: str, round_: Round, *, interval: float, retry_pause: float = 1.0
    ) -> None:
        self.name = name
        self._round = round_
        self._interval = interval
        self._retry_pause = retry_pause
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.rounds = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def wake(self) -> None:
        """Run a round as soon as the current one (if any) has finished."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            try:
                wait = await self._round()
            except asyncio.CancelledError:
                raise
            except Exception:
                if _stop_requested():
                    raise asyncio.CancelledError from None  # the round turned it into an error
                log.warning("%s round failed; retrying", self.name, exc_info=True)
                wait = self._retry_pause
            self.rounds += 1
            if _stop_requested():  # the round swallowed `stop`'s cancellation
                raise asyncio.CancelledError
            await self._until_woken(self._interval if wait is None else wait)

    async def _until_woken(self, seconds: float) -> None:
        # Not `asyncio.wait_for`: on Python 3.11 it returns normally when `stop`
        # cancels the loop just as a `wake` ends the wait, so the loop would go
        # on and `stop` would wait for it forever. `asyncio.timeout` passes the
        # cancellation on.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._wake.wait()


def _stop_requested() -> bool:
    """Whether this task was cancelled, even if a round did not let the cancellation through.

    Client libraries may answer a cancellation in the middle of a call with an
    error of their own (aiormq closing a channel whose open was cancelled raises
    a channel error), so the round ends as a failure; the loop would then wait
    out its interval before `stop` saw it end.
    """
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
