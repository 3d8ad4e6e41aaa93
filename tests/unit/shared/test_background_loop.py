"""The background loop: woken rounds, and a stop that always returns."""

from __future__ import annotations

import asyncio

from plut_shared.background import BackgroundLoop

from tests.support.waiting import eventually


async def nothing() -> None:
    return None


async def test_a_wake_runs_a_round_before_the_interval_is_up():
    loop = BackgroundLoop("test", nothing, interval=60)
    loop.start()
    try:
        await eventually(_rounds(loop), lambda rounds: rounds == 1)
        loop.wake()
        await eventually(_rounds(loop), lambda rounds: rounds == 2)
    finally:
        await loop.stop()


async def test_a_failing_round_is_retried_and_the_loop_keeps_running():
    calls: list[int] = []

    async def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("store away (simulated)")

    loop = BackgroundLoop("test", flaky, interval=60, retry_pause=0.01)
    loop.start()
    try:
        await eventually(_rounds(loop), lambda rounds: rounds >= 2)
        assert loop.running
    finally:
        await loop.stop()


async def test_stopping_just_as_a_wake_ends_the_wait_still_stops_the_loop():
    # The wake comes from a finishing task's callback (as a dispatcher's send
    # does), and the stop follows at once: a wait that swallowed the
    # cancellation would keep the loop alive and `stop` would never return.
    for _ in range(20):
        loop = BackgroundLoop("test", nothing, interval=60)
        loop.start()
        await eventually(_rounds(loop), lambda rounds: rounds == 1)
        finishing = asyncio.ensure_future(asyncio.sleep(0))
        finishing.add_done_callback(lambda _, loop=loop: loop.wake())
        await finishing
        stopping = asyncio.ensure_future(loop.stop())
        done, _ = await asyncio.wait({stopping}, timeout=30)
        assert stopping in done
        assert not loop.running


def _rounds(loop: BackgroundLoop):
    async def probe() -> int:
        return loop.rounds

    return probe


async def test_a_round_that_turns_the_cancellation_into_an_error_still_stops():
    # As aiormq does when a channel's opening is cancelled: a channel error instead.
    for swallow in (True, False):
        in_round = asyncio.Event()

        async def client_call(swallow: bool = swallow, in_round: asyncio.Event = in_round) -> None:
            in_round.set()
            try:
                await asyncio.sleep(3600)
            except asyncio.CancelledError:
                if swallow:
                    return
                raise ConnectionError("channel closed while opening (simulated)") from None

        loop = BackgroundLoop("test", client_call, interval=3600, retry_pause=3600)
        loop.start()
        await in_round.wait()
        stopping = asyncio.ensure_future(loop.stop())
        done, _ = await asyncio.wait({stopping}, timeout=30)
        assert stopping in done
        assert not loop.running
