"""Which partner a referral goes to: by scheme and centre (data), else the scheme's fallback."""

from __future__ import annotations

from plut_shared.contracts.financing import FinancingScheme

from financing.domain.rules import Partner, Routing


class PartnerRouter:
    def __init__(self, routing: Routing) -> None:
        self.version = routing.version
        self._partners = {partner.partner_id: partner for partner in routing.partners}
        self._routes = {
            (route.scheme, route.centre_id): route.partner_id for route in routing.routes
        }
        self._fallback = dict(routing.fallback)

    def partner_for(self, scheme: FinancingScheme, centre_id: str) -> Partner | None:
        """None only when the data names no fallback for the scheme."""
        partner_id = self._routes.get((scheme, centre_id)) or self._fallback.get(scheme)
        return None if partner_id is None else self._partners[partner_id]

    def partner(self, partner_id: str) -> Partner | None:
        return self._partners.get(partner_id)
