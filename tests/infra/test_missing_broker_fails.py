"""With the broker unreachable, infrastructure tests fail loudly rather than skip."""

from __future__ import annotations

import os
import socket
import subprocess
import sys


def _dead_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_infrastructure_tests_fail_naming_the_broker_when_it_does_not_answer() -> None:
    port = _dead_port()
    env = {
        **os.environ,
        "PLUT_AMQP_URL": f"amqp://guest:guest@127.0.0.1:{port}/",
        "PLUT_RABBIT_MANAGEMENT_URL": f"http://127.0.0.1:{port}/",
        "PLUT_TEST_CONTAINERS": "off",
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "tests/infra/test_real_infrastructure.py",
            "-k",
            "confirmed",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "RabbitMQ broker" in output
    assert "skipped" not in output
