"""One service as a real uvicorn process (as `scripts/run_platform.py` runs it), killable.

A kill is SIGKILL to the process: no shutdown hook runs, exactly as when the
machine loses the process. `start` waits for `/health/ready`, so the caller
knows the service consumes and relays again.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[3]
FACTORIES = {
    "registration": "registration.entrypoints.app:create_app",
    # Same factory as production, with a daytime clock (see `daytime`).
    "notifications": "tests.support.chaos.daytime:create_notifications",
}


class ServiceProcess:
    def __init__(self, name: str, port: int, env: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = port
        self.env = env | {"PYTHONPATH": str(ROOT)}
        self.log_file = log_dir / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "uvicorn",
            FACTORIES[self.name],
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
        ]

    def start(self, timeout: float = 120.0) -> None:
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                self.command(),
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready(timeout)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.ready():
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log_file}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name} not ready in {timeout:.0f}s; see {self.log_file}")
            time.sleep(0.2)

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.url}/health/ready", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        """SIGKILL: no shutdown hook, no flushing, no goodbye to the broker."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        self.kills += 1

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (graceful shutdown), then SIGKILL if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        os.kill(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
