"""Business-name similarity, to flag likely duplicate registrations for review.

It only suggests: an officer decides, since two real businesses can share a
name (there are many "Sumber Rejeki" shops in East Java).
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Legal forms and generic words that say nothing about which business it is.
IGNORED_WORDS: frozenset[str] = frozenset(
    {
        "ud",  # usaha dagang
        "cv",  # commanditaire vennootschap
        "pt",  # perseroan terbatas
        "pd",  # perusahaan dagang
        "tbk",
        "persero",
        "koperasi",
        "kop",
        "toko",
        "usaha",
        "warung",
        "kedai",
        "ikm",
        "umkm",
        "home",
        "industri",
        "industry",
    }
)
SIMILARITY_THRESHOLD = 0.88

# Dots inside abbreviations ("U.D.", "P.T.") join letters; other punctuation splits words.
_DOTS = re.compile(r"\.")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def _words(name: str) -> list[str]:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _NON_WORD.sub(" ", _DOTS.sub("", ascii_name.lower())).split()


def name_key(name: str) -> str:
    """A comparable form of a business name: lower case, no punctuation, no legal form.

    A name made only of ignored words ("Toko") keeps them, so no key is empty
    unless the name itself has no letters or digits.
    """
    words = _words(name)
    kept = [word for word in words if word not in IGNORED_WORDS]
    return " ".join(kept or words)


def name_similarity(a: str, b: str) -> float:
    """0.0 to 1.0; word order does not count ("Batik Sari" is "Sari Batik")."""
    key_a, key_b = name_key(a), name_key(b)
    if not key_a or not key_b:
        return 0.0
    sorted_a = " ".join(sorted(key_a.split()))
    sorted_b = " ".join(sorted(key_b.split()))
    return SequenceMatcher(None, sorted_a, sorted_b).ratio()


def is_similar_name(a: str, b: str, threshold: float = SIMILARITY_THRESHOLD) -> bool:
    return name_similarity(a, b) >= threshold
