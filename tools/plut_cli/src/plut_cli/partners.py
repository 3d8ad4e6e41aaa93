"""`plut partners`: onboard, list and offboard partner systems (banks, LPDB) on the broker.

`add` makes the partner's broker user, its permissions (read its own queue,
write only the replies exchange under its own routing keys, configure
nothing), its queue and its binding (`plut_shared.messaging.partner_provisioning`),
and prints the credentials once: nothing in the platform keeps them, and no
service ever holds them. `remove` deletes the user and the queue with what it
still holds. The administrator's credentials come from PLUT_RABBIT_MANAGEMENT_URL
or PLUT_AMQP_URL; the vhost from PLUT_BROKER_VHOST and the user prefix from
PLUT_BROKER_USER_PREFIX, as `scripts/infra.py up` uses them.
"""

from __future__ import annotations

import secrets
from typing import Annotated

import typer
from plut_shared.messaging.partner_provisioning import PartnerProvisioner
from plut_shared.messaging.partners import InvalidPartnerId, checked_partner_id
from plut_shared.messaging.provisioning import DEFAULT_VHOST, BrokerProvisioner, service_url
from plut_shared.messaging.trust import DEFAULT_USER_PREFIX
from rich.console import Console
from rich.table import Table

from plut_cli.config import Infrastructure
from plut_cli.errors import CliError, one_line_errors

app = typer.Typer(
    help="Partner systems on the partner stream: add, list, remove.", no_args_is_help=True
)
console = Console(highlight=False)
notes = Console(stderr=True, highlight=False)

PartnerId = Annotated[
    str, typer.Argument(help="Partner id, e.g. bank-jatim (as in the routing data).")
]
Vhost = Annotated[
    str, typer.Option(envvar="PLUT_BROKER_VHOST", help="Broker vhost of the platform.")
]
Prefix = Annotated[
    str, typer.Option(envvar="PLUT_BROKER_USER_PREFIX", help="Prefix of broker user names.")
]


def _partners(vhost: str, prefix: str) -> PartnerProvisioner:
    infra = Infrastructure.from_env()
    user, password = infra.broker_credentials
    admin = BrokerProvisioner(infra.management_base.removesuffix("/api"), user, password)
    return PartnerProvisioner(admin, vhost, prefix)


def _checked(partner_id: str) -> str:
    try:
        return checked_partner_id(partner_id)
    except InvalidPartnerId as error:
        raise CliError(str(error)) from None


@app.command()
@one_line_errors
def add(
    partner_id: PartnerId, vhost: Vhost = DEFAULT_VHOST, prefix: Prefix = DEFAULT_USER_PREFIX
) -> None:
    """Onboard a partner; print its broker URL (with a new password) once."""
    partner_id = _checked(partner_id)
    password = secrets.token_urlsafe(24)
    user = _partners(vhost, prefix).onboard(partner_id, password)
    url = service_url(Infrastructure.from_env().amqp_url, vhost, user, password)
    typer.echo(f"partner {partner_id}: user {user}, queue partner.{partner_id}.referrals")
    typer.echo(f"url: {url}")
    notes.print(
        "Hand the URL to the partner privately; nothing stores it. Running `add` again gives "
        "a new password and the old one stops working."
    )


@app.command("list")
@one_line_errors
def list_(vhost: Vhost = DEFAULT_VHOST, prefix: Prefix = DEFAULT_USER_PREFIX) -> None:
    """Partners with broker access, and how many messages wait in their queues."""
    found = _partners(vhost, prefix).partners()
    if not found:
        console.print("no partners onboarded")
        return
    table = Table()
    for column in ("partner", "user", "queue", "waiting"):
        table.add_column(column)
    for access in found:
        waiting = "missing" if access.waiting is None else str(access.waiting)
        table.add_row(access.partner_id, access.user, access.queue, waiting)
    console.print(table)


@app.command()
@one_line_errors
def remove(
    partner_id: PartnerId, vhost: Vhost = DEFAULT_VHOST, prefix: Prefix = DEFAULT_USER_PREFIX
) -> None:
    """Offboard a partner: delete its user and its queue with what it still holds."""
    if not _partners(vhost, prefix).offboard(_checked(partner_id)):
        raise CliError(f"no partner {partner_id} on vhost {vhost}")
    console.print(f"removed partner {partner_id}: its user and queue are gone")
