"""Where the tests find RabbitMQ and a MongoDB-wire store.

Where a Docker engine answers, testcontainers start RabbitMQ and MongoDB 7;
otherwise the tests use the broker and the local store (mongo-java-server)
that `scripts/infra.py up` started, at PLUT_AMQP_URL / PLUT_MONGO_URL.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoints:
    amqp_url: str
    management_url: str
    mongo_url: str
    rabbit_container_id: str | None = None


def docker_answers() -> bool:
    if os.environ.get("PLUT_TEST_CONTAINERS", "auto") == "off" or not shutil.which("docker"):
        return False
    result = subprocess.run(["docker", "info"], capture_output=True, timeout=10, check=False)
    return result.returncode == 0


def local_endpoints() -> Endpoints:
    return Endpoints(
        amqp_url=os.environ.get("PLUT_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
        management_url=os.environ.get("PLUT_RABBIT_MANAGEMENT_URL", "http://127.0.0.1:15672/"),
        mongo_url=os.environ.get("PLUT_MONGO_URL", "mongodb://127.0.0.1:27017/"),
    )


@contextlib.contextmanager
def container_endpoints() -> Iterator[Endpoints]:
    from testcontainers.mongodb import MongoDbContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    with (
        RabbitMqContainer("rabbitmq:4.1-management") as rabbit,
        MongoDbContainer("mongo:7") as mongo,
    ):
        host = rabbit.get_container_host_ip()
        amqp = f"amqp://guest:guest@{host}:{rabbit.get_exposed_port(5672)}/"
        management = f"http://{host}:{rabbit.get_exposed_port(15672)}/"
        container_id = rabbit.get_wrapped_container().id
        yield Endpoints(amqp, management, mongo.get_connection_url(), container_id)


@contextlib.contextmanager
def endpoints() -> Iterator[Endpoints]:
    if docker_answers():
        with container_endpoints() as found:
            yield found
    else:
        yield local_endpoints()
