"""`plut partners`: onboarding prints credentials once that reach only the partner's queue;
offboarding removes the user and the queue."""

from __future__ import annotations

import re

import aio_pika
import pytest
from aio_pika.exceptions import ProbableAuthenticationError
from aiormq.exceptions import ChannelAccessRefused

from tests.support.plut import plut_async


@pytest.fixture
def operator_env(vhost_admin, fin_vhost: str, unique_id: str) -> dict[str, str]:
    management = str(vhost_admin.client.base_url).rstrip("/").removesuffix("/api")
    return {
        "PLUT_AMQP_URL": vhost_admin.amqp_url,
        "PLUT_RABBIT_MANAGEMENT_URL": management,
        "PLUT_BROKER_VHOST": fin_vhost,
        "PLUT_BROKER_USER_PREFIX": f"o{unique_id}-",
    }


@pytest.fixture
def fin_vhost(vhost_admin):
    name = vhost_admin.create("plut-partners")
    yield name
    vhost_admin.delete(name)


# aio-pika leaves a close coroutine unawaited when the broker refuses a login, as it
# must here once the partner is removed; the refusal itself is what is asserted.
@pytest.mark.filterwarnings("ignore:coroutine 'Connection.close' was never awaited")
async def test_an_operator_onboards_lists_and_offboards_a_partner(
    operator_env, vhost_admin
) -> None:
    added = await plut_async("partners", "add", "bank-jatim", env=operator_env)
    assert added.exit_code == 0, added.stderr
    [url] = re.findall(r"^url: (\S+)$", added.stdout, flags=re.MULTILINE)
    assert "nothing stores it" in added.stderr
    try:
        connection = await aio_pika.connect(url)
        channel = await connection.channel()
        own = await channel.get_queue("partner.bank-jatim.referrals", ensure=False)
        assert await own.get(fail=False) is None  # its own queue: readable, empty
        with pytest.raises(ChannelAccessRefused):
            await (await connection.channel()).declare_queue("partner.bank-jatim.extra")
        await connection.close()

        listed = await plut_async("partners", "list", env=operator_env)
        assert "bank-jatim" in listed.stdout and "partner.bank-jatim.referrals" in listed.stdout
        assert url.split("@")[0].rsplit(":", 1)[1] not in listed.stdout  # never the password
    finally:
        removed = await plut_async("partners", "remove", "bank-jatim", env=operator_env)
    assert removed.exit_code == 0, removed.stderr
    with pytest.raises(ProbableAuthenticationError):
        await aio_pika.connect(url)
    again = await plut_async("partners", "remove", "bank-jatim", env=operator_env)
    assert again.exit_code == 1 and "no partner bank-jatim" in again.stderr


async def test_a_partner_id_that_cannot_be_a_routing_key_is_refused(operator_env) -> None:
    refused = await plut_async("partners", "add", "bank.jatim", env=operator_env)
    assert refused.exit_code == 1 and "lowercase letters" in refused.stderr
