"""Restarting the broker under running services (a local node or a test container)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess


class BrokerControl:
    def __init__(self, container_id: str | None = None) -> None:
        self.container_id = container_id

    def _ctl(self, *args: str) -> None:
        if self.container_id:
            command = ["docker", "exec", self.container_id, "rabbitmqctl", *args]
        else:
            ctl = shutil.which("rabbitmqctl")
            if ctl is None:
                raise RuntimeError("rabbitmqctl not found: cannot restart the RabbitMQ broker")
            command = [ctl, *args]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    async def restart(self) -> None:
        """Stop the RabbitMQ application (every connection drops) and start it again."""
        await asyncio.to_thread(self._ctl, "stop_app")
        await asyncio.to_thread(self._ctl, "start_app")
        await asyncio.to_thread(self._ctl, "await_startup")
