"""How a registration record is stored: the enterprise's snapshot plus lookup keys.

Besides the snapshot (`domain.snapshot`), each document carries identity
digests under unique indexes (`keys`), so two registrations of one NIK, NIB or
phone cannot both be stored, and place keys for the similar-name check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from plut_shared.messaging import Mapper

from registration.adapters.keys import identity_keys, place_keys
from registration.domain.record import EnterpriseRecord
from registration.domain.snapshot import from_document, to_document

ENTERPRISES = "enterprises"
REVIEW = "possible_duplicates"


class EnterpriseMapper(Mapper[EnterpriseRecord]):
    def id_of(self, aggregate: EnterpriseRecord) -> str:
        return aggregate.umkm_id

    def to_document(self, aggregate: EnterpriseRecord) -> dict[str, Any]:
        enterprise = aggregate.enterprise
        return (
            to_document(enterprise)
            | identity_keys(enterprise)
            | place_keys(enterprise)
            | {REVIEW: list(aggregate.possible_duplicates)}
        )

    def from_document(self, document: Mapping[str, Any]) -> EnterpriseRecord:
        return EnterpriseRecord(from_document(document), list(document.get(REVIEW) or []))
