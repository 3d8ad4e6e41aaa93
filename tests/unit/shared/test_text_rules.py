"""The text rules every entry point shares: what a name or free text may hold."""

from __future__ import annotations

import pytest
from plut_shared.contracts.registration import UmkmProfileUpdated
from plut_shared.contracts.text import NAME_MAX, hidden_character_problem, is_blank
from plut_shared.contracts.training import SessionCancelled
from pydantic import ValidationError

from tests.unit.shared.test_contracts import example


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("Siti\x00", "contains a control character"),
        ("\x1b[31mSiti", "contains a control character"),
        ("Siti\x85", "contains a control character"),  # C1 control, NEL
        ("Siti\nRahayu", "contains a control character"),
        ("Toko \u202eatiS", "contains a text-direction override"),
        ("\u2067Toko", "contains a text-direction override"),
        ("Siti \ud800", "contains an invalid character (a lone surrogate)"),
        ("Siti Rahayu", None),
        ("Kue M\u00e9nir \u200d\U0001f9c1", None),  # zero-width joiner in an emoji: fine
        ("\u0633\u0644\u0627\u0645 \u200f", None),  # a right-to-left mark is not an override
    ],
)
def test_hidden_characters_are_named_by_rule(text: str, problem: str | None):
    assert hidden_character_problem(text) == problem


def test_free_text_may_have_line_breaks_but_not_other_controls():
    assert hidden_character_problem("a\r\n\tb", allow_line_breaks=True) is None
    assert hidden_character_problem("a\x07b", allow_line_breaks=True) is not None


@pytest.mark.parametrize("text", ["", "   ", "\u200b\u200c\u200d", "\u2060 \ufeff"])
def test_spaces_and_zero_width_characters_alone_are_blank(text: str):
    assert is_blank(text)


def test_a_contract_refuses_an_over_long_name_without_echoing_it():
    base = example(SessionCancelled).model_dump()

    with pytest.raises(ValidationError) as caught:
        SessionCancelled(**base | {"topic": "x" * (NAME_MAX + 1)})

    assert "xxxx" not in str(caught.value.errors(include_input=False))


def test_a_profile_update_bounds_its_keys_values_and_size():
    with pytest.raises(ValidationError):
        UmkmProfileUpdated(umkm_id="u", changed={"owner_name": "\x00"})
    with pytest.raises(ValidationError):
        UmkmProfileUpdated(umkm_id="u", changed={f"f{n}": n for n in range(51)})
    with pytest.raises(ValidationError):
        UmkmProfileUpdated(umkm_id="u", changed={"employees": 2**64})
    assert UmkmProfileUpdated(umkm_id="u", changed={"email": "", "employees": 3})
