"""Where the demo enterprises are: the six East Java PLUT centres and what they are known for.

Kota Mojokerto's centre (PLUT "Maja Citra Kinarya", opened 9 December 2023)
houses 35 footwear IKM together in the PGS (Pusat Grosir Sepatu), a commodity
exported since 1995 (README, "Demo data"). District codes are the first six
digits of a NIK, `PPKKCC`: 35 is Jawa Timur, then the regency or city, then
the district.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class District:
    regency_city: str
    name: str
    nik_prefix: str  # PPKKCC
    villages: tuple[str, ...]


@dataclass(frozen=True)
class Trade:
    sector: str
    business_words: tuple[str, ...]
    capital_range: tuple[int, int]  # rupiah, excluding land and buildings


MOJOKERTO = (
    District(
        "Kota Mojokerto",
        "Prajurit Kulon",
        "357601",
        ("Blooto", "Mentikan", "Kauman", "Pulorejo", "Prajurit Kulon", "Surodinawan"),
    ),
    District(
        "Kota Mojokerto",
        "Magersari",
        "357602",
        ("Gedongan", "Gunung Gedangan", "Kedundung", "Balongsari", "Magersari", "Wates"),
    ),
    District(
        "Kota Mojokerto",
        "Kranggan",
        "357603",
        ("Kranggan", "Miji", "Meri", "Jagalan", "Sentanan", "Purwotengah"),
    ),
)

FOOTWEAR = Trade(
    "alas kaki",
    ("Sepatu", "Sepatu Kulit", "Sandal", "Sandal Kulit", "Sepatu Bordir", "Alas Kaki"),
    (25_000_000, 2_500_000_000),
)

OTHER_CENTRES: dict[str, tuple[District, Trade]] = {
    "pacitan": (
        District("Kabupaten Pacitan", "Punung", "350103", ("Punung", "Mendolo Lor", "Bomo")),
        Trade("kerajinan", ("Batik Tulis", "Kerajinan Batu", "Batik"), (10_000_000, 400_000_000)),
    ),
    "tulungagung": (
        District(
            "Kabupaten Tulungagung", "Campurdarat", "350409", ("Besole", "Gamping", "Campurdarat")
        ),
        Trade("kerajinan", ("Marmer", "Onyx", "Kerajinan Marmer"), (50_000_000, 1_500_000_000)),
    ),
    "malang": (
        District("Kota Malang", "Blimbing", "357301", ("Purwantoro", "Bunulrejo", "Pandanwangi")),
        Trade("kuliner", ("Keripik Tempe", "Tempe Sanan", "Camilan"), (10_000_000, 300_000_000)),
    ),
    "jember": (
        District(
            "Kabupaten Jember", "Sumbersari", "350922", ("Kebonsari", "Tegal Gede", "Antirogo")
        ),
        Trade("kuliner", ("Kopi", "Suwar-Suwir", "Prol Tape"), (15_000_000, 600_000_000)),
    ),
    "batu": (
        District("Kota Batu", "Bumiaji", "357903", ("Bumiaji", "Tulungrejo", "Sumbergondo")),
        Trade("kuliner", ("Sari Apel", "Keripik Apel", "Olahan Apel"), (15_000_000, 500_000_000)),
    ),
}

MEN = (
    "Agus", "Bambang", "Budi", "Didik", "Eko", "Hadi", "Heru", "Imam", "Joko", "Kusnadi",
    "Mulyono", "Nanang", "Purwanto", "Rudi", "Sugeng", "Supriyadi", "Teguh", "Wahyu", "Yanto",
)  # fmt: skip
WOMEN = (
    "Ani", "Dewi", "Endang", "Fitri", "Indah", "Kartini", "Nur", "Puji", "Ratna",
    "Sri", "Siti", "Tri", "Umi", "Wulan", "Yuliani",
)  # fmt: skip
MEN_SECOND = (
    "Setiawan", "Prasetyo", "Santoso", "Wibowo", "Hidayat", "Susanto", "Purnomo", "Saputra",
    "Kurniawan", "Maulana", "Wijaya", "Nugroho",
)  # fmt: skip
WOMEN_SECOND = (
    "Rahayu", "Wahyuni", "Lestari", "Handayani", "Aminah", "Suryani", "Astuti", "Wulandari",
    "Rahmawati", "Susanti",
)  # fmt: skip
BUSINESS_NAMES = (
    "Maju Jaya", "Sumber Rejeki", "Karya Mandiri", "Wilwatikta", "Surya Abadi", "Sinar Terang",
    "Putra Majapahit", "Mekar Sari", "Berkah Jaya", "Cahaya Baru", "Tunggal Jaya", "Langgeng",
    "Sido Mulyo", "Rejeki Lancar", "Sri Rejeki", "Harapan Kita", "Bintang Timur", "Barokah",
    "Dua Saudara", "Makmur", "Gajah Mada", "Tribuana", "Kencana", "Lancar Jaya", "Sekar Arum",
    "Karya Utama", "Anugerah", "Sentosa", "Setia Kawan", "Jaya Abadi", "Rukun Makmur", "Amanah",
    "Sinar Jaya", "Gemilang", "Nusantara", "Mitra Usaha", "Arjuna", "Panji", "Kartika",
    "Mahkota", "Restu Ibu", "Pelangi", "Candi Sari", "Sumber Makmur", "Tiga Putra", "Ngudi Rejeki",
    "Sri Tanjung", "Tirta Kencana", "Joyoboyo", "Sekar Jagad",
)  # fmt: skip
PHONE_PREFIXES = ("812", "813", "821", "822", "852", "853", "856", "857", "878", "896")
