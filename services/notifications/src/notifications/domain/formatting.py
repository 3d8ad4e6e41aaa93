"""Rupiah, dates and labels as an Indonesian (or English-reading) owner expects them.

Exposed to templates as Jinja filters; each language gets its own set, bound
to its Babel locale.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency

from notifications.domain.clock import JAKARTA, require_aware

# English readers here are in Indonesia: en_ID keeps rupiah grouping and the WIB zone name.
LOCALES = {"id": "id_ID", "en": "en_ID"}

_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "micro": "Mikro",
        "small": "Kecil",
        "medium": "Menengah",
        "large": "Besar",
        "kur_super_mikro": "KUR Super Mikro",
        "kur_mikro": "KUR Mikro",
        "kur_kecil": "KUR Kecil",
        "lpdb_dana_bergulir": "Dana Bergulir LPDB-KUMKM",
        "institutions": "kelembagaan",
        "human_resources": "sumber daya manusia",
        "production": "produksi",
        "financing": "pembiayaan",
        "marketing": "pemasaran",
        "it": "teknologi informasi",
        "partnership_networks": "jaringan kemitraan",
    },
    "en": {
        "micro": "Micro",
        "small": "Small",
        "medium": "Medium",
        "large": "Large",
        "kur_super_mikro": "KUR Super Mikro",
        "kur_mikro": "KUR Mikro",
        "kur_kecil": "KUR Kecil",
        "lpdb_dana_bergulir": "LPDB-KUMKM revolving fund",
        "institutions": "institutions",
        "human_resources": "human resources",
        "production": "production",
        "financing": "financing",
        "marketing": "marketing",
        "it": "information technology",
        "partnership_networks": "partnership networks",
    },
}


def rupiah(amount: int, locale: str = "id_ID") -> str:
    """`Rp10.000.000`: whole rupiah, no decimals (amounts are integers anyway)."""
    return format_currency(amount, "IDR", format="¤#,##0", currency_digits=False, locale=locale)


def tanggal(value: date | datetime, locale: str = "id_ID") -> str:
    """`Senin, 30 November 2026 09.00 WIB` for an instant; `Senin, 30 November 2026` for a day."""
    if isinstance(value, datetime):
        moment = require_aware(value)
        return format_datetime(moment, "EEEE, d MMMM y HH.mm zzz", tzinfo=JAKARTA, locale=locale)
    if isinstance(value, date):
        return format_date(value, "EEEE, d MMMM y", locale=locale)
    raise TypeError(f"tanggal needs a date or datetime, got {type(value).__name__}")


def label(code: str, language: str = "id") -> str:
    """Human name of a contract code (scale class, KUR scheme, consultant area)."""
    return _LABELS[language].get(str(code), str(code).replace("_", " "))


def filters_for(language: str) -> dict[str, Callable[..., Any]]:
    locale = LOCALES[language]
    return {
        "rupiah": lambda amount: rupiah(amount, locale),
        "tanggal": lambda value: tanggal(value, locale),
        "label": lambda code: label(code, language),
    }
