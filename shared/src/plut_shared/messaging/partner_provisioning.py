"""Onboarding and offboarding a partner's broker access (README, "Partner stream").

Run by the operator command (`plut partners add|remove|list`) with an
administrator's credentials, through the management HTTP API. Onboarding makes:
- the user `<prefix>partner-<partner_id>` with the given password (printed once
  by the command, kept nowhere by the platform);
- its permissions (`partners.partner_permissions`): read its own queue, write
  only `plut.partner-replies` and only under `partner.<partner_id>.`, configure
  nothing, so it can neither declare nor bind;
- its queue `partner.<partner_id>.referrals` (quorum), bound to `plut.partners`
  under `partner.<partner_id>.#`.
Offboarding deletes the user and the queue with what it still holds (offers
carry personal data that must not outlive the partnership).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from plut_shared.messaging.partners import (
    PARTNER,
    PARTNER_QUEUE_ARGUMENTS,
    PARTNERS_EXCHANGE,
    partner_binding,
    partner_permissions,
    partner_queue,
    partner_topic_permissions,
    partner_user,
)
from plut_shared.messaging.provisioning import BrokerProvisioner


@dataclass(frozen=True)
class PartnerAccess:
    partner_id: str
    user: str
    queue: str
    waiting: int | None  # messages in its queue; None when the queue is missing


class PartnerProvisioner:
    def __init__(self, provisioner: BrokerProvisioner, vhost: str, prefix: str) -> None:
        self._admin = provisioner
        self._http = provisioner.http
        self.vhost = vhost
        self.prefix = prefix
        self._v = quote(vhost, safe="")

    def onboard(self, partner_id: str, password: str) -> str:
        """User, permissions, queue and binding; idempotent. Returns the user name."""
        user = partner_user(partner_id, self.prefix)
        queue = partner_queue(partner_id)
        self._admin.user(user, password)
        u = quote(user, safe="")
        self._put(f"/permissions/{self._v}/{u}", partner_permissions(partner_id))
        self._put(f"/topic-permissions/{self._v}/{u}", partner_topic_permissions(partner_id))
        self._put(
            f"/queues/{self._v}/{quote(queue, safe='')}",
            {"durable": True, "arguments": PARTNER_QUEUE_ARGUMENTS},
        )
        self._http.post(
            f"/bindings/{self._v}/e/{PARTNERS_EXCHANGE}/q/{quote(queue, safe='')}",
            json={"routing_key": partner_binding(partner_id)},
        ).raise_for_status()
        return user

    def offboard(self, partner_id: str) -> bool:
        """Delete the user and its queue; False when neither existed."""
        user = self._http.delete(f"/users/{quote(partner_user(partner_id, self.prefix), safe='')}")
        queue = self._http.delete(f"/queues/{self._v}/{quote(partner_queue(partner_id), safe='')}")
        for response in (user, queue):
            if response.status_code != 404:
                response.raise_for_status()
        return user.status_code != 404 or queue.status_code != 404

    def partners(self) -> list[PartnerAccess]:
        """Partners with a user of this prefix, and what waits in their queues."""
        response = self._http.get("/users")
        response.raise_for_status()
        marker = f"{self.prefix}{PARTNER}-"
        names = [user["name"] for user in response.json()]
        ids = sorted(name[len(marker) :] for name in names if name.startswith(marker))
        return [self._access(partner_id) for partner_id in ids]

    def _access(self, partner_id: str) -> PartnerAccess:
        queue = partner_queue(partner_id)
        found = self._http.get(f"/queues/{self._v}/{quote(queue, safe='')}")
        waiting = found.json().get("messages", 0) if found.status_code == 200 else None
        return PartnerAccess(partner_id, partner_user(partner_id, self.prefix), queue, waiting)

    def _put(self, path: str, body: object) -> None:
        self._http.put(path, json=body).raise_for_status()
