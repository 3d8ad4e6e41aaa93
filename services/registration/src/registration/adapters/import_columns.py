"""The columns of an import file's header row.

Case, spaces and dashes do not matter, and the Indonesian names in brackets
are accepted too:

    owner_name (nama_pemilik)   nik                          phone (no_hp, nomor_hp, no_wa)
    email                       preferred_channel (kanal)    language (bahasa)
    business_name (nama_usaha)  nib                          sector (sektor, bidang_usaha)
    province (provinsi)         regency_city (kabupaten_kota, kab_kota)
    district (kecamatan)        village (desa, kelurahan, desa_kelurahan)
    founding_year (tahun_berdiri)   capital (modal)          annual_sales (omzet, omset)
    employees (tenaga_kerja, jumlah_karyawan)                centre_id (plut)
    consent_financing_partners (setuju_pembiayaan)  consent_marketing (setuju_pemasaran)

Required: owner_name, nik, phone, business_name, sector, regency_city,
district, capital, and centre_id unless the import is made for one centre.
"""

from __future__ import annotations

import re
from typing import Any

from registration.adapters.import_errors import ImportFileError
from registration.domain.commands import RegisterEnterprise

_ALIASES_BY_FIELD = {
    "owner_name": "nama_pemilik",
    "phone": "no_hp nomor_hp no_telp telepon no_wa whatsapp",
    "preferred_channel": "kanal",
    "language": "bahasa",
    "business_name": "nama_usaha",
    "sector": "sektor bidang_usaha",
    "province": "provinsi",
    "regency_city": "kabupaten_kota kab_kota",
    "district": "kecamatan",
    "village": "desa kelurahan desa_kelurahan",
    "founding_year": "tahun_berdiri",
    "capital": "modal",
    "annual_sales": "omzet omset",
    "employees": "tenaga_kerja jumlah_karyawan",
    "centre_id": "plut",
    "consent_financing_partners": "setuju_pembiayaan",
    "consent_marketing": "setuju_pemasaran",
}
ALIASES = {alias: name for name, names in _ALIASES_BY_FIELD.items() for alias in names.split()}
REQUIRED_COLUMNS = (
    "owner_name",
    "nik",
    "phone",
    "business_name",
    "sector",
    "regency_city",
    "district",
    "capital",
)


def header_columns(header: list[Any], centre_id: str | None) -> list[str | None]:
    """Each cell's field name (None for a column the import ignores); raises
    `ImportFileError` for a duplicated or missing column."""
    names = [_column_name(cell) for cell in header]
    present = {name for name in names if name}
    duplicated = sorted({n for n in present if names.count(n) > 1})
    if duplicated:
        raise ImportFileError(f"columns given more than once: {', '.join(duplicated)}")
    required = REQUIRED_COLUMNS if centre_id else (*REQUIRED_COLUMNS, "centre_id")
    missing = [name for name in required if name not in present]
    if missing:
        raise ImportFileError(f"missing required columns: {', '.join(missing)}")
    return names


def _column_name(cell: Any) -> str | None:
    if cell is None:
        return None
    key = re.sub(r"[\s\-/]+", "_", str(cell).strip().lstrip("\ufeff").lower())
    name = ALIASES.get(key, key)
    return name if name in RegisterEnterprise.model_fields else None
