from __future__ import annotations

import pytest
from registration.domain.similarity import is_similar_name, name_key, name_similarity


def test_the_name_key_drops_case_punctuation_and_legal_forms():
    assert name_key("U.D. Sumber Rejeki") == "sumber rejeki"
    assert name_key("PT. Maju Bersama, Tbk") == "maju bersama"
    assert name_key("Toko Batik 'Sekar Arum'") == "batik sekar arum"


def test_a_name_made_only_of_generic_words_keeps_them():
    assert name_key("Toko") == "toko"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("UD Sumber Rejeki", "Sumber Rejeki"),
        ("Sumber Rejeki", "Sumber Rezeki"),
        ("Batik Sari Jaya", "Sari Jaya Batik"),
        ("CV Maju Bersama", "P.T. Maju Bersama"),
        ("Bakso Pak Kumis", "bakso pak kumis!"),
    ],
)
def test_names_that_differ_only_in_form_typos_or_order_are_similar(a: str, b: str):
    assert is_similar_name(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sepatu Kulit Jaya", "Sepatu Kulit Makmur"),
        ("Sinar Abadi", "Sinar Jaya"),
        ("Keripik Tempe", "Batik Tulis"),
    ],
)
def test_different_businesses_are_not_similar(a: str, b: str):
    assert not is_similar_name(a, b)


def test_a_name_without_letters_or_digits_is_similar_to_nothing():
    assert name_similarity("!!!", "!!!") == 0.0


def test_the_threshold_can_be_tightened_per_call():
    assert is_similar_name("Sumber Rejeki", "Sumber Rezeki")
    assert not is_similar_name("Sumber Rejeki", "Sumber Rezeki", threshold=0.99)
