"""A RabbitMQ node of one's own (free ports, temp directory) that may be restarted or stopped.

The shared broker must never be restarted (other tests use it); chaos runs
start one of these instead. It is Debian's rabbitmq-server started directly
(`/usr/lib/rabbitmq/bin/rabbitmq-server`, not the `/usr/sbin` wrapper, which
switches to the `rabbitmq` user and writes the shared node's log files) as a
second node on the same machine, configured only through environment
variables and files in its own directory:

- `RABBITMQ_NODENAME=plut-private-<hex>@localhost`, a name nobody else uses;
- `HOME` is the directory, so the node and `rabbitmqctl -n <node>` share an
  Erlang cookie of their own (made on first start) and never read another's;
- `RABBITMQ_MNESIA_BASE`, `RABBITMQ_LOG_BASE`, `RABBITMQ_PID_FILE`, the config,
  env and enabled-plugins files (management plugin only) all inside it;
- ports below the kernel's ephemeral range (where a client socket could take
  them between choosing and binding): AMQP, the management API and the Erlang
  distribution port (`RABBITMQ_DIST_PORT`), all on 127.0.0.1.

The node registers with the machine's epmd (started by the first node when
absent; it stays, as for any Erlang node). `stop` halts the node, `remove`
also deletes the directory; `restart` is `stop_app` + `start_app`, a broker
restart as clients see it (every connection drops, durable queues stay).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path
from types import TracebackType

HOST = "127.0.0.1"
DEBIAN_BIN = Path("/usr/lib/rabbitmq/bin")
# Linux hands out client ports from 32768 up; ports below it stay free once checked.
PORT_RANGE = (20_000, 32_000)


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            # Every interface: a port taken on any of them would fail the node.
            probe.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def free_low_port(taken: set[int]) -> int:
    for _ in range(1000):
        port = random.randint(*PORT_RANGE)
        if port not in taken and port_is_free(port):
            taken.add(port)
            return port
    raise RuntimeError("no free port below the ephemeral range")


def rabbitmq_tool(name: str) -> str:
    direct = DEBIAN_BIN / name
    if direct.exists():
        return str(direct)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} not found: install Debian's rabbitmq-server")
    return found


class PrivateBroker:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.node = f"plut-private-{uuid.uuid4().hex[:8]}@localhost"
        taken: set[int] = set()
        self.amqp_port = free_low_port(taken)
        self.management_port = free_low_port(taken)
        self.dist_port = free_low_port(taken)
        self.pid_file = directory / "node.pid"
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def amqp_url(self) -> str:
        return f"amqp://guest:guest@{HOST}:{self.amqp_port}/"

    @property
    def management_url(self) -> str:
        return f"http://{HOST}:{self.management_port}/"

    def environment(self) -> dict[str, str]:
        d = self.directory
        return os.environ | {
            "HOME": str(d),
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": HOST,
            "RABBITMQ_NODE_PORT": str(self.amqp_port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_MNESIA_BASE": str(d / "mnesia"),
            "RABBITMQ_LOG_BASE": str(d / "log"),
            "RABBITMQ_PID_FILE": str(self.pid_file),
            "RABBITMQ_CONFIG_FILE": str(d / "rabbitmq.conf"),
            "RABBITMQ_CONF_ENV_FILE": str(d / "rabbitmq-env.conf"),
            "RABBITMQ_ADVANCED_CONFIG_FILE": str(d / "advanced.config"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(d / "enabled_plugins"),
            # The distribution listener on loopback only, like the others.
            "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS": "-kernel inet_dist_use_interface {127,0,0,1}",
        }

    def _write_files(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "enabled_plugins").write_text("[rabbitmq_management].\n")
        (self.directory / "rabbitmq-env.conf").write_text("")
        (self.directory / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = {HOST}:{self.amqp_port}\n"
            f"management.tcp.ip = {HOST}\n"
            f"management.tcp.port = {self.management_port}\n"
        )

    def ctl(self, *args: str, timeout: float = 120.0) -> str:
        command = [rabbitmq_tool("rabbitmqctl"), "-n", self.node, *args]
        done = subprocess.run(
            command, env=self.environment(), capture_output=True, timeout=timeout, check=False
        )
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace")[-2000:]
            raise RuntimeError(f"rabbitmqctl {' '.join(args)} failed: {output}")
        return done.stdout.decode(errors="replace")

    def start(self, timeout: float = 120.0) -> None:
        self._write_files()
        log = (self.directory / "server.out").open("ab")
        with log:
            self.process = subprocess.Popen(
                [rabbitmq_tool("rabbitmq-server")],
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        while not self.pid_file.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"private broker did not start; see {self.directory}/log")
            time.sleep(0.2)
        self.ctl("wait", str(self.pid_file), "--timeout", str(int(timeout)), timeout=timeout + 10)

    def restart(self) -> None:
        """Stop the RabbitMQ application (every connection drops) and start it again."""
        self.ctl("stop_app")
        self.ctl("start_app")
        self.ctl("await_startup")

    def stop(self, timeout: float = 60.0) -> None:
        """Halt the node gracefully; kill its process group if it does not go."""
        if self.process is None:
            return
        try:
            if self.process.poll() is None:
                self.ctl("stop", timeout=timeout)
            self.process.wait(timeout)
        except (RuntimeError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> PrivateBroker:
        try:
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.remove()
