"""Invented enterprises, the same on every run (a fixed seed): registration request bodies.

Every person and business is fictional; identities are structurally valid (a
NIK's region, birth date with day + 40 for women, and serial; a 13-digit NIB;
an Indonesian mobile number) so the registration service accepts them, and
emails use example.com, which reaches nobody.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

from plut_cli.demo.places import (
    BUSINESS_NAMES,
    FOOTWEAR,
    MEN,
    MEN_SECOND,
    MOJOKERTO,
    OTHER_CENTRES,
    PHONE_PREFIXES,
    WOMEN,
    WOMEN_SECOND,
    District,
    Trade,
)

SEED = 1995  # the year Kota Mojokerto's footwear started to be exported
PGS_ENTERPRISES = 35
PER_OTHER_CENTRE = 3


class _Identities:
    """Hands out NIKs, phones and NIBs that no other demo enterprise has."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _fresh(self, make: Any) -> str:
        value: str = make()
        while value in self.used:
            value = make()
        self.used.add(value)
        return value

    def nik(self, prefix: str, born: date, woman: bool) -> str:
        day = born.day + (40 if woman else 0)
        stem = f"{prefix}{day:02d}{born.month:02d}{born.year % 100:02d}"
        return self._fresh(lambda: f"{stem}{self.rng.randint(1, 2999):04d}")

    def phone(self) -> str:
        prefix = self.rng.choice(PHONE_PREFIXES)
        return self._fresh(lambda: f"+62{prefix}{self.rng.randint(10_000_000, 99_999_999)}")

    def nib(self) -> str:
        return self._fresh(lambda: str(self.rng.randint(10**12, 10**13 - 1)))


def _owner(rng: random.Random, ids: _Identities, district: District) -> dict[str, Any]:
    woman = rng.random() < 0.45
    first, second = (WOMEN, WOMEN_SECOND) if woman else (MEN, MEN_SECOND)
    name = f"{rng.choice(first)} {rng.choice(second)}"
    born = date(rng.randint(1962, 1996), rng.randint(1, 12), rng.randint(1, 28))
    channel = rng.choices(("whatsapp", "sms", "email"), weights=(8, 1, 1))[0]
    email = f"{name.lower().replace(' ', '.')}.{rng.randint(1, 99)}@example.com"
    return {
        "owner_name": name,
        "nik": ids.nik(district.nik_prefix, born, woman),
        "phone": ids.phone(),
        "preferred_channel": channel,
        "email": email if channel == "email" or rng.random() < 0.3 else None,
        "language": "id",
    }


def _money(rng: random.Random, low: int, high: int, step: int = 5_000_000) -> int:
    return rng.randint(low // step, high // step) * step


def _business(
    rng: random.Random, ids: _Identities, trade: Trade, name: str, founded: int
) -> dict[str, Any]:
    capital = _money(rng, *trade.capital_range)
    kind = rng.choice(("UD", "CV", "IKM"))
    return {
        "business_name": f"{kind} {rng.choice(trade.business_words)} {name}",
        "nib": ids.nib(),
        "sector": trade.sector,
        "founding_year": founded,
        "capital": capital,
        "annual_sales": _money(rng, capital * 3 // 2, capital * 4),
        "employees": rng.randint(2, 45),
        "consent_financing_partners": rng.random() < 0.7,
        "consent_marketing": rng.random() < 0.5,
    }


def _enterprise(
    rng: random.Random, ids: _Identities, centre: str, district: District, trade: Trade, name: str
) -> dict[str, Any]:
    # About a third started before 1995, when the city's shoes first went abroad.
    founded = rng.randint(1985, 2019)
    place = {
        "province": "Jawa Timur",
        "regency_city": district.regency_city,
        "district": district.name,
        "village": rng.choice(district.villages),
        "centre_id": centre,
    }
    return _owner(rng, ids, district) | _business(rng, ids, trade, name, founded) | place


def demo_enterprises(seed: int = SEED) -> list[dict[str, Any]]:
    """The 35 PGS footwear IKM of Kota Mojokerto, then a few per other centre."""
    rng = random.Random(seed)
    ids = _Identities(rng)
    names = _names(rng)
    bodies = [
        _enterprise(rng, ids, "kota-mojokerto", rng.choice(MOJOKERTO), FOOTWEAR, next(names))
        for _ in range(PGS_ENTERPRISES)
    ]
    for centre, (district, trade) in OTHER_CENTRES.items():
        bodies += [
            _enterprise(rng, ids, centre, district, trade, next(names))
            for _ in range(PER_OTHER_CENTRE)
        ]
    return bodies


def _names(rng: random.Random) -> Iterator[str]:
    """Business names, each used once before any repeats with a number."""
    round_ = 0
    while True:
        shuffled = list(BUSINESS_NAMES)
        rng.shuffle(shuffled)
        for name in shuffled:
            yield name if round_ == 0 else f"{name} {round_ + 1}"
        round_ += 1
