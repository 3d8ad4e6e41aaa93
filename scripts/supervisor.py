"""Keep the platform's processes running: restart a crashed one with backoff, keep the rest.

A child that exits on its own is started again after a delay that doubles with
each crash (1 s, 2 s, 4 s ... up to 30 s) and resets once the child has stayed
up for a minute; the other children are left alone. Each step is logged.
Ctrl-C (or SIGTERM) stops every child gracefully (SIGTERM, as uvicorn expects)
and restarts nothing.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    first_s: float = 1.0
    max_s: float = 30.0
    stable_after_s: float = 60.0


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    delay_s: float = 0.0
    restart_at: float | None = None


def _exit_text(code: int) -> str:
    return f"signal {-code}" if code < 0 else f"code {code}"


class Supervisor:
    def __init__(
        self,
        commands: Mapping[str, Sequence[str]],
        env: Mapping[str, str] | None = None,
        backoff: Backoff = Backoff(),
        log: Callable[[str], None] = lambda line: print(f"[run] {line}", flush=True),
    ) -> None:
        self.children = [
            Child(name, argv, delay_s=backoff.first_s) for name, argv in commands.items()
        ]
        self.env = dict(env) if env is not None else None
        self.backoff = backoff
        self.log = log
        self.clock = time.monotonic

    def _start(self, child: Child) -> None:
        child.process = subprocess.Popen(list(child.argv), env=self.env)
        child.started_at = self.clock()
        child.restart_at = None
        self.log(f"{child.name} started (pid {child.process.pid})")

    def _check(self, child: Child) -> None:
        now = self.clock()
        if child.restart_at is not None:
            if now >= child.restart_at:
                self._start(child)
            return
        if child.process is None or (code := child.process.poll()) is None:
            return
        if now - child.started_at >= self.backoff.stable_after_s:
            child.delay_s = self.backoff.first_s  # it had recovered: start the backoff afresh
        child.restart_at = now + child.delay_s
        self.log(
            f"{child.name} exited ({_exit_text(code)}); restarting it in {child.delay_s:g} s, "
            "the other services keep running"
        )
        child.delay_s = min(child.delay_s * 2, self.backoff.max_s)

    def run(self, poll_s: float = 0.2) -> int:
        """Until Ctrl-C or SIGTERM; returns the worst exit code of the final stop."""
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            for child in self.children:
                self._start(child)
            while True:
                for child in self.children:
                    self._check(child)
                time.sleep(poll_s)
        except KeyboardInterrupt:
            return self.stop()
        finally:
            signal.signal(signal.SIGTERM, previous)

    def stop(self, timeout_s: float = 30.0) -> int:
        self.log("stopping every service")
        running = [c.process for c in self.children if c.process and c.process.poll() is None]
        for process in running:
            process.terminate()
        codes = []
        for process in running:
            try:
                codes.append(process.wait(timeout=timeout_s))
            except subprocess.TimeoutExpired:
                process.kill()
                codes.append(process.wait())
        return max((code for code in codes if code > 0), default=0)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the services the same way as Ctrl-C
