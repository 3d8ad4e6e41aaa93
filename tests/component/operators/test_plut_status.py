"""`plut status` against the real broker, store and a running service."""

from __future__ import annotations

import re

from tests.support.notification_sinks import free_port
from tests.support.plut import plut_async
from tests.support.waiting import eventually


async def test_status_shows_the_infrastructure_and_the_running_service_with_its_queues(
    infra, amqp_url: str, database_name: str, notifications_url: str, mongo_client
) -> None:
    # One enterprise document with an event still in its outbox: a backlog of 1.
    await mongo_client[database_name].messages.insert_one(
        {"_id": "m-1", "outbox": [{"event_id": "e-1"}]}
    )
    env = {
        "PLUT_AMQP_URL": amqp_url,
        "PLUT_MONGO_URL": infra.mongo_url,
        "PLUT_RABBIT_MANAGEMENT_URL": infra.management_url,
        "PLUT_NOTIFICATIONS_URL": notifications_url,
        "PLUT_NOTIFICATIONS_DATABASE": database_name,
        "PLUT_REGISTRATION_URL": f"http://127.0.0.1:{free_port()}",  # nothing listens there
    }

    async def status() -> str:
        result = await plut_async("status", env=env)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    # The management API's queue statistics lag a few seconds behind the broker.
    out = await eventually(status, lambda text: _row(text, "notifications.events")[-1] == "1")
    assert re.search(r"broker .* ok \(RabbitMQ [\d.]+\)", out)
    assert re.search(r"store .* ok \(wire version \d+\)", out)
    service = _row(out, "notifications ")
    assert service[1:] == [notifications_url.removeprefix("http://"), "ok", "0", "1"]
    assert _row(out, "notifications.parking")[1:] == ["0", "0", "0"]
    # Its parked count depends on what other tests of this session's vhost declared.
    assert _row(out, "registration ")[2:4] == ["not", "running"]
    assert f"vhost {amqp_url.rsplit('/', 1)[1]}" in out


def _row(text: str, first_cell: str) -> list[str]:
    """The cells of the table row starting with `first_cell`, split on whitespace."""
    for line in text.splitlines():
        cells = line.strip("│┃ ").split("│")
        if cells and (cells[0].strip() + " ").startswith(first_cell):
            return " ".join(cells).split()
    return ["<no row>"]
