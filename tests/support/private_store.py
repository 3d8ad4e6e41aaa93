"""A store process of one's own (free port, own data file) that may be stopped or killed.

The shared store must never be restarted (other tests use it); restart and
durability tests start one of these instead, with the same launcher and jars as
`scripts/infra.py` (built there on first use).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

from pymongo import MongoClient

from scripts.infra import store_command

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class PrivateStore:
    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.data_file = directory / "store.mv.db"
        self.log_file = directory / "store.log"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mongodb://{HOST}:{self.port}/"

    def start(self, timeout: float = 60.0) -> None:
        command = store_command(HOST, self.port, self.data_file)
        with self.log_file.open("ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"private store did not start; see {self.log_file}")
            time.sleep(0.2)

    def answers(self) -> bool:
        client: MongoClient = MongoClient(self.url, serverSelectionTimeoutMS=500)
        try:
            client.admin.command("ping")
            return True
        except Exception:
            return False
        finally:
            client.close()

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Sends `signum` and waits for the process to end; returns its exit status."""
        assert self.process is not None, "store not started"
        os.kill(self.process.pid, signum)
        status = self.process.wait(timeout)
        self.process = None
        return status

    def __enter__(self) -> PrivateStore:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.stop(signal.SIGKILL)
