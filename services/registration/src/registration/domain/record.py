"""The registration record: one enterprise and what officers still have to review about it.

It is the aggregate the service stores: the `Enterprise` (owner, business,
consents, class) plus the ids of enterprises with a similar name in the same
village, flagged at registration for an officer to look at (registration is
never blocked on a similar name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plut_shared.contracts import Payload

from registration.domain.enterprise import Enterprise


@dataclass(eq=False)
class EnterpriseRecord:
    enterprise: Enterprise
    possible_duplicates: list[str] = field(default_factory=list)

    @property
    def umkm_id(self) -> str:
        return self.enterprise.umkm_id

    @property
    def centre_id(self) -> str:
        return self.enterprise.centre_id

    def pull_events(self) -> list[Payload]:
        return self.enterprise.pull_events()
