"""Render a notification template into a subject and a body.

Templates live beside this module in `templates/<name>.<language>.txt`. The
first line is `Subject: ...` (used by email only); the rest, after one blank
line, is the body sent on every channel. Missing variables are errors
(StrictUndefined), so a template that drifts from its event contract fails
in tests instead of sending "Halo , ..." to an owner.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from notifications.domain.contacts import Contact
from notifications.domain.formatting import LOCALES, filters_for
from notifications.domain.rules import PayloadLike, as_fields

DEFAULT_LANGUAGE = "id"
LANGUAGES: tuple[str, ...] = tuple(LOCALES)
_SUBJECT_PREFIX = "Subject:"


class RenderingError(ValueError):
    """A template is missing, or does not fit the data it was given."""


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    # The body holds personal data (names); keep it out of reprs and logs.
    body: str = field(repr=False)


def render(template: str, language: str, context: Mapping[str, Any]) -> RenderedMessage:
    """Render `template` in `language` (Indonesian when the language is not offered)."""
    language = language if language in LOCALES else DEFAULT_LANGUAGE
    name = f"{template}.{language}.txt"
    try:
        text = _environment(language).get_template(name).render(context)
    except jinja2.TemplateNotFound:
        raise RenderingError(f"no template {name}") from None
    except (jinja2.TemplateError, TypeError, ValueError) as error:
        # Jinja's messages name the variable, never its value: safe to carry on.
        raise RenderingError(f"cannot render {name}: {error}") from error
    return _split(name, text)


def message_context(payload: PayloadLike, contact: Contact) -> dict[str, Any]:
    """Variables a template sees: the event payload plus the owner's names.

    Pass the typed payload (`parse_payload`): filters expect datetimes, not ISO strings.
    """
    return {**contact.template_fields(), **as_fields(payload)}


def template_files() -> list[str]:
    """Every template file the loader can find (also proves they ship with the package)."""
    return _environment(DEFAULT_LANGUAGE).list_templates(extensions=["txt"])


def _split(name: str, text: str) -> RenderedMessage:
    first, _, rest = text.strip().partition("\n")
    if not first.startswith(_SUBJECT_PREFIX):
        raise RenderingError(f"{name} must start with a '{_SUBJECT_PREFIX}' line")
    return RenderedMessage(subject=first[len(_SUBJECT_PREFIX) :].strip(), body=rest.strip())


@cache
def _environment(language: str) -> jinja2.Environment:
    # Built on first use, not at import: nothing is created at import time.
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("notifications.domain", "templates"),
        # Plain text for WhatsApp, SMS and email: HTML escaping would turn "A & B" into "A &amp; B".
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters.update(filters_for(language))
    return environment
