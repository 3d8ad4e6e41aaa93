"""Each financing test gets its own vhost (fixed queue names: `financing.events`,
`partner.<id>.referrals`), its own database, and partners onboarded as the operator would."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator

import pytest

from tests.component.financing.service import FinancingRun, running_financing
from tests.component.notifications.service import BrokerAccess
from tests.support.broker_admin import with_vhost


@pytest.fixture
def fin_vhost(vhost_admin) -> Iterator[str]:
    name = vhost_admin.create("plut-fin")
    yield name
    vhost_admin.delete(name)


@pytest.fixture
def fin_broker(infra, vhost_admin, fin_vhost: str) -> BrokerAccess:
    urls = {s: vhost_admin.service_url(fin_vhost, s) for s in vhost_admin.passwords}
    return BrokerAccess(with_vhost(infra.amqp_url, fin_vhost), urls, vhost_admin.user_prefix)


@pytest.fixture
def onboard(vhost_admin, fin_vhost: str) -> Callable[[str], str]:
    """partner id -> the partner's own broker URL on this test's vhost."""
    return lambda partner_id: vhost_admin.partner_url(fin_vhost, partner_id)


@pytest.fixture
async def financing(
    infra, fin_broker: BrokerAccess, database_name: str
) -> AsyncIterator[FinancingRun]:
    async with running_financing(fin_broker, infra.mongo_url, database_name) as run:
        yield run
