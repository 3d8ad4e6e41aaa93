"""The Enterprise aggregate: one UMKM, its owner, its consents and its scale class.

Every operation validates everything before it changes anything, then records
the facts as contract payloads in `pending_events`; the aggregate store saves
the state and those events in one atomic write (README, "Reliability").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from plut_shared.contracts import Payload, new_event_id
from plut_shared.contracts.registration import (
    ScaleClass,
    UmkmConsentChanged,
    UmkmErased,
    UmkmProfileUpdated,
)

from registration.domain.centres import validate_centre_id
from registration.domain.errors import DomainValidationError, EnterpriseErased
from registration.domain.events import registered_event, scale_changed_event
from registration.domain.export import export_enterprise
from registration.domain.fields import (
    check_contact,
    checked_profile,
    clean_text,
    normalise_field,
    whole_number,
)
from registration.domain.profile import (
    Business,
    ConsentPurpose,
    ConsentRecord,
    Owner,
    consent_flags,
    consent_purpose,
    profile_from_values,
    profile_values,
)
from registration.domain.scale import decide_scale

ERASURE_SOURCE = "erasure"


def new_umkm_id() -> str:
    """A UUIDv7, like event ids, so enterprise ids sort by registration time."""
    return new_event_id()


@dataclass(eq=False)
class Enterprise:
    """`version` counts accepted changes (1 after registration), for officers to see."""

    umkm_id: str
    centre_id: str
    owner: Owner | None  # None once erased
    business: Business
    capital: int
    annual_sales: int | None
    employees: int
    scale_class: ScaleClass
    consents: dict[ConsentPurpose, ConsentRecord]
    registered_at: datetime
    erased_at: datetime | None = None
    version: int = 0
    pending_events: list[Payload] = field(default_factory=list)

    @property
    def erased(self) -> bool:
        return self.erased_at is not None

    @classmethod
    def register(
        cls,
        *,
        umkm_id: str,
        centre_id: str,
        owner: Owner,
        business: Business,
        capital: int,
        annual_sales: int | None = None,
        employees: int = 0,
        consents: Mapping[ConsentPurpose, bool] | None = None,
        consent_source: str = "registration",
        at: datetime,
    ) -> Enterprise:
        """A new enterprise, classed by its capital; owner and business are re-validated."""
        owner, business, employees = checked_profile(owner, business, employees)
        capital = whole_number("capital", capital)
        sales = None if annual_sales is None else whole_number("annual_sales", annual_sales)
        source = clean_text("consent_source", consent_source)
        granted = consents or {}
        # Refusals are recorded too: consent must show the owner was asked.
        records = {p: ConsentRecord(granted.get(p, False), at, source) for p in ConsentPurpose}
        enterprise = cls(
            umkm_id=clean_text("umkm_id", umkm_id),
            centre_id=validate_centre_id(centre_id),
            owner=owner,
            business=business,
            capital=capital,
            annual_sales=sales,
            employees=employees,
            scale_class=decide_scale(capital, sales, existing=False).scale_class,
            consents=records,
            registered_at=_aware(at),
            version=1,
        )
        enterprise.pending_events.append(registered_event(enterprise))
        return enterprise

    def update_financials(
        self, *, capital: int | None = None, annual_sales: int | None = None, today: date
    ) -> None:
        """New figures for an existing business: from now on its sales decide its class."""
        self._ensure_active()
        new_capital = self.capital if capital is None else whole_number("capital", capital)
        new_sales = self.annual_sales
        if annual_sales is not None:
            new_sales = whole_number("annual_sales", annual_sales)
        decision = decide_scale(new_capital, new_sales, existing=True)
        old = {"capital": self.capital, "annual_sales": self.annual_sales}
        new = {"capital": new_capital, "annual_sales": new_sales}
        changed: dict[str, str | int | None] = {k: v for k, v in new.items() if v != old[k]}
        previous = self.scale_class
        if not changed and decision.scale_class == previous:
            return
        self.capital, self.annual_sales = new_capital, new_sales
        self.scale_class = decision.scale_class
        self.version += 1
        if changed:
            self.pending_events.append(UmkmProfileUpdated(umkm_id=self.umkm_id, changed=changed))
        if decision.scale_class != previous:
            self.pending_events.append(scale_changed_event(self.umkm_id, previous, decision, today))

    def correct(self, **fields: object) -> None:
        """Apply profile corrections (the data subject's right to rectification)."""
        current = profile_values(self._ensure_active(), self.business, self.employees)
        changed: dict[str, Any] = {}
        for name, raw in fields.items():
            value = normalise_field(name, raw)
            if value != current[name]:
                changed[name] = value
        if not changed:
            return
        owner, business, employees = profile_from_values({**current, **changed})
        check_contact(owner)
        self.owner, self.business, self.employees = owner, business, employees
        self.version += 1
        plain = {k: v.value if isinstance(v, Enum) else v for k, v in changed.items()}
        self.pending_events.append(UmkmProfileUpdated(umkm_id=self.umkm_id, changed=plain))

    def set_consent(
        self, purpose: ConsentPurpose | str, granted: bool, source: str, at: datetime
    ) -> None:
        self._ensure_active()
        purpose = consent_purpose(purpose)
        source = clean_text("source", source)
        if not isinstance(granted, bool):
            raise DomainValidationError("granted", "granted must be true or false")
        if self.consents.get(purpose, ConsentRecord()).granted == granted:
            return
        self.consents = {**self.consents, purpose: ConsentRecord(granted, _aware(at), source)}
        self.version += 1
        self.pending_events.append(
            UmkmConsentChanged(
                umkm_id=self.umkm_id, consents=consent_flags(self.consents), source=source
            )
        )

    def erase(self, at: datetime) -> None:
        """Anonymise the owner; a repeated request is a no-op, not an error.

        Sector, scale class, figures and the address down to the district stay
        for the centres' statistics; the village, business name and NIB go,
        since in a small place each can point back to one person.
        """
        if self.erased:
            return
        at = _aware(at)
        address = replace(self.business.address, village=None)
        self.business = replace(self.business, name=None, nib=None, address=address)
        self.owner = None
        self.consents = {p: ConsentRecord(False, at, ERASURE_SOURCE) for p in ConsentPurpose}
        self.erased_at = at
        self.version += 1
        self.pending_events.append(UmkmErased(umkm_id=self.umkm_id))

    def pull_events(self) -> list[Payload]:
        events, self.pending_events = self.pending_events, []
        return events

    def export(self) -> dict[str, Any]:
        """All data held on the owner, JSON-ready, for a data-subject access request."""
        return export_enterprise(self)

    def _ensure_active(self) -> Owner:
        if self.owner is None:
            raise EnterpriseErased(self.umkm_id)
        return self.owner


def _aware(at: datetime) -> datetime:
    # A naive time is ambiguous between UTC and WIB (UTC+7); the record must not guess.
    if at.tzinfo is None:
        raise DomainValidationError("at", "times must carry a time zone, e.g. UTC")
    return at
