"""Write N realistic UMKM registration rows to CSV or XLSX, for import benchmarks.

    uv run python bench/generate_umkm_file.py --rows 10000 --out umkm.xlsx --seed 7

The same seed gives the same file. Every person is invented, but the data are
well formed: NIKs for East Java (province 35) with real regency codes, mobile
numbers on real operator prefixes written the many ways people write them,
amounts spread like a PLUT centre's clients (mostly micro). `--bad-ratio`
spoils a share of rows (NIK, phone or capital) to exercise the error path.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import phonenumbers
from openpyxl import Workbook

COLUMNS = (
    *("owner_name", "nik", "phone", "email", "preferred_channel", "language"),
    *("business_name", "nib", "sector", "province", "regency_city", "district", "village"),
    *("founding_year", "capital", "annual_sales", "employees", "centre_id"),
    *("consent_financing_partners", "consent_marketing"),
)
INDONESIAN = {
    "owner_name": "nama_pemilik",
    "phone": "no_hp",
    "business_name": "nama_usaha",
    "sector": "sektor",
    "regency_city": "kabupaten_kota",
    "district": "kecamatan",
    "village": "desa",
    "capital": "modal",
    "annual_sales": "omzet",
}
# (regency, Dukcapil regency code, PLUT centre, {district: (code, villages)}).
# District codes are plausible rather than authoritative; only non-00 matters.
REGIONS = [
    ("Kota Mojokerto", "76", "kota-mojokerto", {
        "Prajurit Kulon": ("01", "Blooto|Mentikan|Kauman|Pulorejo|Surodinawan"),
        "Magersari": ("02", "Gedongan|Kedundung|Balongsari|Wates|Magersari"),
        "Kranggan": ("03", "Kranggan|Miji|Meri|Sentanan|Jagalan"),
    }),
    ("Kabupaten Mojokerto", "16", "kota-mojokerto", {
        "Sooko": ("12", "Sooko|Japan|Wringinrejo|Mojoranu"),
        "Puri": ("13", "Puri|Banjaragung|Tambakagung|Kenanten"),
        "Trowulan": ("08", "Trowulan|Bejijong|Sentonorejo|Watesumpak"),
    }),
    ("Kabupaten Pacitan", "01", "pacitan", {
        "Pacitan": ("04", "Sidoharjo|Ploso|Baleharjo|Pucangsewu"),
        "Arjosari": ("06", "Arjosari|Gembong|Borang|Karanggede"),
        "Punung": ("02", "Punung|Kebonsari|Mantren|Bomo"),
    }),
    ("Kabupaten Tulungagung", "04", "tulungagung", {
        "Tulungagung": ("01", "Kampungdalem|Kepatihan|Kutoanyar|Botoran"),
        "Kedungwaru": ("02", "Bangoan|Ketanon|Plosokandang|Majan"),
        "Ngunut": ("12", "Ngunut|Kacangan|Karangsono|Sumberingin"),
    }),
    ("Kota Malang", "73", "malang", {
        "Klojen": ("01", "Kauman|Kidul Dalem|Oro-oro Dowo|Penanggungan"),
        "Lowokwaru": ("05", "Dinoyo|Merjosari|Tlogomas|Tunjungsekar"),
    }),
    ("Kabupaten Malang", "07", "malang", {
        "Singosari": ("24", "Losari|Pagentan|Ardimulyo|Toyomarto"),
        "Kepanjen": ("15", "Penarukan|Cepokomulyo|Talangagung|Kedungpedaringan"),
    }),
    ("Kabupaten Jember", "09", "jember", {
        "Kaliwates": ("29", "Kepatihan|Mangli|Sempusari|Tegal Besar"),
        "Sumbersari": ("30", "Tegal Gede|Antirogo|Kranjingan|Wirolegi"),
        "Patrang": ("31", "Baratan|Slawu|Bintoro|Gebang"),
    }),
    ("Kota Batu", "79", "batu", {
        "Batu": ("01", "Sisir|Ngaglik|Songgokerto|Pesanggrahan"),
        "Junrejo": ("02", "Junrejo|Dadaprejo|Beji|Tlekung"),
        "Bumiaji": ("03", "Bumiaji|Punten|Tulungrejo|Sumberbrantas"),
    }),
]  # fmt: skip
MEN = "Agus Budi Slamet Bambang Joko Eko Hadi Sugeng Wahyu Teguh Rudi Hendra Yusuf Ahmad Imam"
WOMEN = "Siti Sri Dewi Endang Wulan Rini Yuli Ani Ratna Nur Fitri Indah Sulastri Retno Umi"
SURNAMES = "Santoso Wijaya Susanto Hidayat Setiawan Purnomo Prasetyo Kurniawan Utomo Wibowo"
SURNAMES += " Saputra Nugroho Maulana Syahputra Hartono Gunawan Sutrisno"
WORDS = "Sumber Rejeki|Makmur Jaya|Sari Rasa|Berkah|Maju Bersama|Sekar Arum|Mulia|Lestari"
WORDS += "|Barokah|Jaya Abadi|Cahaya|Sinar Terang|Karya Mandiri|Tunas Harapan|Mekar Sari"
SECTORS = {
    "alas kaki": ["Sepatu {w}", "Sandal {w}", "UD {w} Shoes", "Sepatu Kulit {p}"],
    "kuliner": ["Keripik {w}", "Warung {p}", "Kue {w}", "Sambal {p}", "Kopi {w}"],
    "kerajinan": ["Kerajinan {w}", "Anyaman Bambu {w}", "Gerabah {w}"],
    "batik": ["Batik {w}", "Batik Tulis {p}", "Batik {w} Majapahit"],
    "fashion": ["Konveksi {w}", "Butik {p}", "CV {w} Fashion", "Jilbab {w}"],
    "olahan buah": ["Sari Apel {w}", "Keripik Apel {p}"],
}
MOBILE_PREFIXES = "811 812 813 821 822 823 851 852 853 814 815 816 855 856 857 858 817"
MOBILE_PREFIXES += " 818 819 859 877 878 831 832 833 838 895 896 897 898 899 881 882 887"
AREA_CODES = {"kota-mojokerto": "321", "malang": "341", "batu": "341", "jember": "331"}
AREA_CODES |= {"tulungagung": "355", "pacitan": "357"}
PHONE_STYLES = [
    "0{a}-{b}-{c}", "0{a}{b}{c}", "+62 {a} {b} {c}", "62{a}{b}{c}", "+62 0{a} {b} {c}",
    "0{a} {b} {c}", "(0{a}) {b}{c}", "0{a}.{b}.{c}",
]  # fmt: skip


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def unique(self, make: Callable[[], str]) -> str:
        while (value := make()) in self.used:
            pass
        self.used.add(value)
        return value

    def nik(self, regency: str, district: str, woman: bool) -> str:
        first, last = date(1955, 1, 1).toordinal(), date(2004, 12, 31).toordinal()
        born = date.fromordinal(self.rng.randint(first, last))
        day = born.day + (40 if woman else 0)
        prefix = f"35{regency}{district}{day:02d}{born.month:02d}{born.year % 100:02d}"
        return self.unique(lambda: f"{prefix}{self.rng.randint(1, 9999):04d}")

    def national_number(self, centre: str) -> str:
        while True:
            if self.rng.random() < 0.08:
                national = AREA_CODES[centre] + str(self.rng.randint(300000, 899999))
            else:
                rest = "".join(str(self.rng.randint(0, 9)) for _ in range(self.rng.choice((8, 9))))
                national = self.rng.choice(MOBILE_PREFIXES.split()) + rest
            if phonenumbers.is_valid_number(phonenumbers.parse("0" + national, "ID")):
                return national

    def phone(self, centre: str) -> str:
        national = self.unique(lambda: self.national_number(centre))
        a, b, c = national[:3], national[3:7], national[7:]
        return self.rng.choice(PHONE_STYLES).format(a=a, b=b, c=c)

    def amounts(self) -> tuple[int, int | None]:
        roll = self.rng.random()
        millions = (5, 900) if roll < 0.8 else (1_100, 5_000) if roll < 0.95 else (5_100, 9_900)
        capital = self.rng.randint(*millions) * 1_000_000
        if self.rng.random() < 0.1:
            return capital, None  # a new business: no sales yet
        return capital, int(capital * self.rng.uniform(0.8, 3.5)) // 1_000_000 * 1_000_000

    def owner(self, regency_code: str, district_code: str, centre: str) -> dict[str, object]:
        rng = self.rng
        woman = rng.random() < 0.55
        first = rng.choice((WOMEN if woman else MEN).split())
        name = f"{first} {rng.choice(SURNAMES.split())}" if rng.random() < 0.8 else first
        email = ""
        if rng.random() < 0.4:
            email = f"{name.lower().replace(' ', '.')}{rng.randint(1, 99)}@gmail.com"
        channels = ["whatsapp"] * 8 + ["sms"] + (["email"] if email else [])
        return {
            "owner_name": name,
            "nik": self.nik(regency_code, district_code, woman),
            "phone": self.phone(centre),
            "email": email,
            "preferred_channel": rng.choice(channels),
            "language": "en" if rng.random() < 0.03 else "id",
            "consent_financing_partners": rng.choice(("ya", "tidak")),
            "consent_marketing": rng.choice(("ya", "tidak", "")),
            "_title": ("Bu " if woman else "Pak ") + first,
        }

    def business(self, title: str) -> dict[str, object]:
        rng = self.rng
        sector = rng.choice(list(SECTORS))
        name = rng.choice(SECTORS[sector]).format(w=rng.choice(WORDS.split("|")), p=title)
        capital, sales = self.amounts()
        nib = ""
        if rng.random() < 0.6:
            nib = self.unique(lambda: str(rng.randint(10**12, 10**13 - 1)))
        return {
            "business_name": name,
            "nib": nib,
            "sector": sector,
            "founding_year": rng.randint(1985, 2024),
            "capital": capital,
            "annual_sales": "" if sales is None else sales,
            "employees": min(int(rng.expovariate(1 / 6)) + 1, 99),
        }

    def row(self) -> dict[str, object]:
        regency, regency_code, centre, districts = self.rng.choice(REGIONS)
        district = self.rng.choice(list(districts))
        district_code, villages = districts[district]
        owner = self.owner(regency_code, district_code, centre)
        place = {
            "province": "Jawa Timur",
            "regency_city": regency,
            "district": district,
            "village": self.rng.choice(villages.split("|")),
            "centre_id": centre,
        }
        return owner | self.business(str(owner.pop("_title"))) | place

    def spoil(self, row: dict[str, object]) -> None:
        field = self.rng.choice(("nik", "phone", "capital"))
        row[field] = {"nik": "3576013213900001", "phone": "12345", "capital": "banyak"}[field]


def generate_rows(count: int, seed: int, bad_ratio: float = 0.0) -> Iterator[dict[str, object]]:
    generator = Generator(seed)
    for _ in range(count):
        row = generator.row()
        if generator.rng.random() < bad_ratio:
            generator.spoil(row)
        yield row


def write_file(rows: Iterator[dict[str, object]], out: Path, indonesian: bool = False) -> None:
    header = [INDONESIAN.get(c, c) if indonesian else c for c in COLUMNS]
    if out.suffix.lower() == ".xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("umkm")
        sheet.append(header)
        for row in rows:
            sheet.append([row[c] if row[c] != "" else None for c in COLUMNS])
        workbook.save(out)
        return
    delimiter = ";" if indonesian else ","
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows([row[c] for c in COLUMNS] for row in rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True, help="a .csv or .xlsx path")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad-ratio", type=float, default=0.0)
    parser.add_argument("--indonesian", action="store_true", help="Indonesian headers, `;` CSV")
    args = parser.parse_args(argv)
    write_file(generate_rows(args.rows, args.seed, args.bad_ratio), args.out, args.indonesian)
    print(f"wrote {args.rows} rows to {args.out}")


if __name__ == "__main__":
    main()
