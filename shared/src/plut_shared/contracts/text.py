"""Rules for human-written text: bounded, visible, free of control and direction tricks.

One rule set for every entry point, so the HTTP API, import files and event
consumers refuse the same things:

- no control characters (Unicode category Cc: NUL, ANSI escapes, ...; in
  free text tab, line feed and carriage return are allowed);
- no bidirectional overrides or isolates (U+202A-U+202E, U+2066-U+2069), which
  make a name display differently from what it is;
- no lone surrogates (`\\ud800` in JSON), which cannot be stored as UTF-8;
- not empty once spaces and zero-width characters (U+200B-U+200D, U+2060,
  U+FEFF) are taken away: a name must show something.

Messages name the rule, never the text, which may be personal data.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field

NAME_MAX = 200
TEXT_MAX = 2_000
ID_MAX = 100
BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
ZERO_WIDTH = frozenset(map(chr, [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF]))
LINE_BREAKS = frozenset("\t\n\r")


def hidden_character_problem(text: str, *, allow_line_breaks: bool = False) -> str | None:
    """Why `text` cannot be accepted as human-written text, or None."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs":
            return "contains an invalid character (a lone surrogate)"
        if category == "Cc" and not (allow_line_breaks and char in LINE_BREAKS):
            return "contains a control character"
        if char in BIDI_CONTROLS:
            return "contains a text-direction override"
    return None


def is_blank(text: str) -> bool:
    """Nothing visible: only spaces and zero-width characters."""
    return not "".join(char for char in text if char not in ZERO_WIDTH).strip()


def _checked(text: str, *, allow_line_breaks: bool, allow_blank: bool) -> str:
    problem = hidden_character_problem(text, allow_line_breaks=allow_line_breaks)
    if problem is not None:
        raise ValueError(problem)
    if not allow_blank and is_blank(text):
        raise ValueError("must show some text, not only spaces or invisible characters")
    return text


def _name(text: str) -> str:
    return _checked(text, allow_line_breaks=False, allow_blank=False)


def _free_text(text: str) -> str:
    return _checked(text, allow_line_breaks=True, allow_blank=True)


def _plain_value(text: str) -> str:
    return _checked(text, allow_line_breaks=False, allow_blank=True)


# A name or short label: one line, something visible.
Name = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_name)]
# A name or label that may be left empty (an optional field's default).
Label = Annotated[str, Field(max_length=NAME_MAX), AfterValidator(_plain_value)]
# An email address; RFC 5321 allows 254 characters.
Email = Annotated[str, Field(max_length=254), AfterValidator(_plain_value)]
# Free text (a reason, a note): may be empty, may have line breaks.
FreeText = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_free_text)]
# An id, code or machine value: bounded, one line, may be empty.
Code = Annotated[str, Field(max_length=ID_MAX), AfterValidator(_plain_value)]
# A whole number within what any store holds (a year, a count, rupiah).
Count = Annotated[int, Field(ge=-(10**15), le=10**15)]
# A changed field's new value: one line, may be empty (a removed value).
Value = Annotated[str, Field(max_length=TEXT_MAX), AfterValidator(_plain_value)]
