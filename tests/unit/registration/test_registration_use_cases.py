"""Every registration use case on the in-memory aggregate store: no broker, no store."""

from __future__ import annotations

import pytest
from registration.adapters.directory import DuplicateIdentity, SearchFilter
from registration.adapters.keys import village_key
from registration.bulk_import import BulkImporter
from registration.domain.commands import (
    CorrectProfile,
    RegisterEnterprise,
    SetConsent,
    UpdateFinancials,
)
from registration.domain.errors import EnterpriseErased
from registration.handlers import CentreNotAllowed, IdentityHeldElsewhere, NotFound
from registration.import_report import ImportReport

from tests.component.registration.examples import registration
from tests.unit.registration.fakes import MemoryReportWriter, officer, wired


def command(**changes) -> RegisterEnterprise:
    return RegisterEnterprise(**registration(**changes))


async def test_registering_stores_the_record_publishes_registered_and_audits() -> None:
    handlers, store, audit = wired()
    record = await handlers.register(command(), officer())
    assert await store.get(record.umkm_id) is not None
    (event,) = store.events_of("registration.umkm.registered")
    assert event.subject_id == record.umkm_id and event.correlation_id == "corr-1"
    assert audit.actions() == ["register"]


async def test_registering_for_another_centre_is_refused_and_stores_nothing() -> None:
    handlers, store, _ = wired()
    with pytest.raises(CentreNotAllowed):
        await handlers.register(command(centre_id="malang"), officer())
    assert store.documents == {}


async def test_a_second_registration_of_one_nik_names_the_first_and_publishes_nothing() -> None:
    handlers, store, _ = wired()
    first = await handlers.register(command(), officer())
    nik = first.enterprise.owner.nik
    with pytest.raises(DuplicateIdentity) as refused:
        await handlers.register(command(nik=nik), officer())
    assert (refused.value.field, refused.value.existing_umkm_id) == ("nik", first.umkm_id)
    assert len(store.events_of("registration.umkm.registered")) == 1


async def test_a_similar_name_in_the_same_village_is_flagged_not_blocked() -> None:
    handlers, _, _ = wired()
    first = await handlers.register(command(business_name="UD Sepatu Maja"), officer())
    second = await handlers.register(command(business_name="UD Sepatu Maja."), officer())
    assert second.possible_duplicates == [first.umkm_id]


async def test_an_imported_row_refused_as_a_duplicate_is_no_neighbour_to_later_rows() -> None:
    handlers, _, audit = wired()
    first = await handlers.register(command(business_name="UD Sepatu Maja"), officer())
    village = first.enterprise.business.address
    known = await handlers.directory.names_in_villages([village_key(village)], "kota-mojokerto")
    same_nik = command(nik=first.enterprise.owner.nik, business_name="UD Sepatu Maja")
    with pytest.raises(DuplicateIdentity):
        await handlers.add_new(same_nik, officer(), known_names=known)

    fresh = command(business_name="UD Sepatu Maja")
    later = await handlers.add_new(fresh, officer(), known_names=known)

    assert later.possible_duplicates == [first.umkm_id]  # not the refused row's id
    assert audit.actions() == ["register"]  # an import records its entries per chunk


async def test_reading_another_centres_enterprise_looks_like_an_unknown_id() -> None:
    handlers, _, audit = wired()
    record = await handlers.register(command(), officer())
    with pytest.raises(NotFound):
        await handlers.read(record.umkm_id, officer("malang"))
    assert audit.actions() == ["register"]


async def test_new_sales_above_the_micro_limit_publish_scale_changed() -> None:
    handlers, store, audit = wired()
    record = await handlers.register(command(capital=500_000_000), officer())
    changed = await handlers.update_financials(
        record.umkm_id, UpdateFinancials(annual_sales=5_000_000_000), officer()
    )
    assert changed.enterprise.scale_class == "small"
    (event,) = store.events_of("registration.umkm.scale_changed")
    assert event.payload["naik_kelas"] is True
    assert audit.actions() == ["register", "update_financials"]


async def test_a_correction_to_another_owners_phone_is_a_duplicate_and_changes_nothing() -> None:
    handlers, store, _ = wired()
    first = await handlers.register(command(), officer())
    second = await handlers.register(command(), officer())
    with pytest.raises(DuplicateIdentity) as refused:
        await handlers.correct(
            second.umkm_id, CorrectProfile(phone=first.enterprise.owner.phone), officer()
        )
    assert refused.value.field == "phone"
    assert store.events_of("registration.umkm.profile_updated") == []


async def test_a_correction_that_changes_nothing_writes_and_publishes_nothing() -> None:
    handlers, store, _ = wired()
    record = await handlers.register(command(), officer())
    before = store.versions[record.umkm_id]
    same_name = record.enterprise.owner.name
    await handlers.correct(record.umkm_id, CorrectProfile(owner_name=same_name), officer())
    assert store.versions[record.umkm_id] == before


async def test_withdrawing_consent_publishes_consent_changed() -> None:
    handlers, store, _ = wired()
    record = await handlers.register(command(consent_financing_partners=True), officer())
    withdrawal = SetConsent(purpose="financing_partners", granted=False, source="phone call")
    changed = await handlers.set_consent(record.umkm_id, withdrawal, officer())
    assert not changed.enterprise.consents["financing_partners"].granted
    assert len(store.events_of("registration.umkm.consent_changed")) == 1


async def test_erasure_anonymises_publishes_erased_and_blocks_later_changes() -> None:
    handlers, store, _ = wired()
    record = await handlers.register(command(), officer())
    erased = await handlers.erase(record.umkm_id, officer())
    assert erased.enterprise.owner is None
    assert len(store.events_of("registration.umkm.erased")) == 1
    with pytest.raises(EnterpriseErased):
        await handlers.correct(record.umkm_id, CorrectProfile(owner_name="Budi"), officer())


async def test_export_returns_the_owners_data_and_is_audited() -> None:
    handlers, _, audit = wired()
    record = await handlers.register(command(), officer())
    exported = await handlers.export(record.umkm_id, officer())
    assert exported["owner"]["nik"] == record.enterprise.owner.nik
    assert audit.actions()[-1] == "export"


async def test_search_lists_only_the_callers_centres() -> None:
    handlers, _, _ = wired()
    await handlers.register(command(), officer())
    await handlers.register(command(centre_id="malang"), officer("malang"))
    found, total = await handlers.search(
        SearchFilter(frozenset({"kota-mojokerto"})), officer(), limit=10, offset=0
    )
    assert total == 1 and found[0].centre_id == "kota-mojokerto"


async def test_an_import_registers_rows_through_the_same_use_case_and_twice_creates_nothing() -> (
    None
):
    handlers, store, audit = wired()
    header = "owner_name,nik,phone,business_name,sector,regency_city,district,capital,centre_id\n"
    rows = [registration() for _ in range(3)]
    lines = [
        f"{r['owner_name']},{r['nik']},{r['phone']},{r['business_name']} {n},{r['sector']},"
        f"{r['regency_city']},{r['district']},{r['capital']},{r['centre_id']}\n"
        for n, r in enumerate(rows)
    ]
    data = (header + "".join(lines)).encode()
    importer = BulkImporter(handlers, chunk_rows=2)
    first_rows, again_rows = MemoryReportWriter(), MemoryReportWriter()
    first = await importer.run(ImportReport("i1"), data, "umkm.csv", None, officer(), first_rows)
    again = await importer.run(ImportReport("i2"), data, "umkm.csv", None, officer(), again_rows)
    assert len(first.created) == 3 and first.errors == {}
    assert again.created == {} and {f for row in again.errors.values() for f, _ in row} == {"nik"}
    assert len(store.events_of("registration.umkm.registered")) == 3
    assert audit.actions().count("import") == 3
    for written in (first_rows, again_rows):  # every row reported, chunk after chunk
        assert [row["row"] for row in written.rows] == [2, 3, 4]


async def test_another_centres_identity_is_refused_without_naming_its_enterprise() -> None:
    handlers, _, _ = wired()
    theirs = await handlers.register(command(centre_id="malang"), officer("malang"))
    with pytest.raises(IdentityHeldElsewhere) as refused:
        await handlers.register(command(nik=theirs.enterprise.owner.nik), officer())
    assert theirs.umkm_id not in str(refused.value) and "malang" not in str(refused.value)
