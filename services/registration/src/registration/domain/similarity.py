"""Business-name similarity, to flag likely duplicate registrations for review.

It only suggests: an officer decides, since two real businesses can share a
name (there are many "Sumber Rejeki" shops in East Java).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

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


@lru_cache(maxsize=65_536)
def _comparable(name: str) -> str:
    """The name key with its words sorted: word order does not count. Cached, because an
    import compares each new name with every name already in its village."""
    return " ".join(sorted(name_key(name).split()))


def name_similarity(a: str, b: str) -> float:
    """0.0 to 1.0; word order does not count ("Batik Sari" is "Sari Batik")."""
    key_a, key_b = _comparable(a), _comparable(b)
    if not key_a or not key_b:
        return 0.0
    return SequenceMatcher(None, key_a, key_b).ratio()


def is_similar_name(a: str, b: str, threshold: float = SIMILARITY_THRESHOLD) -> bool:
    return _similar_keys(_comparable(a), _comparable(b), threshold)


def similar_ids(name: str, neighbours: Iterable[tuple[str, str]]) -> list[str]:
    """Ids of the `(id, name)` neighbours whose name is similar to `name`."""
    key = _comparable(name)
    return [
        other_id
        for other_id, other in neighbours
        if _similar_keys(key, _comparable(other), SIMILARITY_THRESHOLD)
    ]


def join_neighbours(umkm_id: str, name: str | None, neighbours: list[tuple[str, str]]) -> list[str]:
    """Ids of the similar names among a village's `(id, name)` neighbours; then the new
    enterprise joins them at once, so registrations running alongside it see it too."""
    if name is None:
        return []
    similar = similar_ids(name, neighbours)
    neighbours.append((umkm_id, name))
    return similar


def leave_neighbours(umkm_id: str, neighbours: list[tuple[str, str]]) -> None:
    """A registration that was not stored is no neighbour to later ones."""
    neighbours[:] = [entry for entry in neighbours if entry[0] != umkm_id]


def _similar_keys(key_a: str, key_b: str, threshold: float) -> bool:
    if not key_a or not key_b:
        return threshold <= 0.0  # the similarity of a name without letters is 0.0
    # The length ratio and the shared letters bound `ratio()` from above (difflib
    # documents both), so most pairs are told apart without matching any blocks.
    if 2.0 * min(len(key_a), len(key_b)) / (len(key_a) + len(key_b)) < threshold:
        return False
    matcher = _matcher_of(key_b)
    matcher.set_seq1(key_a)
    return matcher.quick_ratio() >= threshold and matcher.ratio() >= threshold


@lru_cache(maxsize=16_384)
def _matcher_of(key: str) -> SequenceMatcher[str]:
    """A matcher whose second sequence is `key`: difflib caches what it learns of the second
    sequence, and a village's name is compared with every later name there. Used only
    between `set_seq1` and the ratios, with no await in between, so sharing it is safe."""
    return SequenceMatcher(None, "", key)
