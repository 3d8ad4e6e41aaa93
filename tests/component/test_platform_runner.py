"""The local runner restarts a crashed service with backoff and leaves the others running."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys

from tests.support.waiting import eventually


class RunnerLog:
    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self.process.stdout is not None
        async for line in self.process.stdout:
            self.lines.append(line.decode().rstrip())

    def started(self, name: str) -> list[int]:
        pattern = re.compile(rf"^\[run\] {name} started \(pid (\d+)\)$")
        return [int(m.group(1)) for line in self.lines if (m := pattern.match(line))]

    async def wait_started(self, name: str, count: int) -> list[int]:
        async def pids() -> list[int]:
            return self.started(name)

        return await eventually(pids, lambda found: len(found) >= count, timeout=30)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) is not running.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ")[1][0] != "Z"


async def test_a_crashed_service_is_restarted_with_backoff_and_the_others_keep_running() -> None:
    runner = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.support.supervised_pair", stdout=asyncio.subprocess.PIPE
    )
    log = RunnerLog(runner)
    try:
        [alpha] = await log.wait_started("alpha", 1)
        [beta] = await log.wait_started("beta", 1)

        os.kill(alpha, signal.SIGKILL)
        alpha_again = (await log.wait_started("alpha", 2))[1]
        os.kill(alpha_again, signal.SIGKILL)
        alpha_third = (await log.wait_started("alpha", 3))[2]

        assert len({alpha, alpha_again, alpha_third}) == 3
        assert alive(alpha_third)
        assert log.started("beta") == [beta] and alive(beta)  # never restarted
        crashes = [line for line in log.lines if line.startswith("[run] alpha exited")]
        assert crashes == [
            "[run] alpha exited (signal 9); restarting it in 0.2 s, "
            "the other services keep running",
            "[run] alpha exited (signal 9); restarting it in 0.4 s, "
            "the other services keep running",
        ]

        runner.send_signal(signal.SIGINT)  # Ctrl-C stops everything, restarting nothing
        assert await asyncio.wait_for(runner.wait(), timeout=30) == 0
        await log._reader
        assert not alive(alpha_third) and not alive(beta)
        assert log.lines[-1] == "[run] stopping every service"
        assert len(log.started("alpha")) == 3
    finally:
        if runner.returncode is None:
            runner.kill()
