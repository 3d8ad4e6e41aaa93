"""The one error a bulk-import file raises when it cannot be read as a whole."""

from __future__ import annotations


class ImportFileError(ValueError):
    """The file as a whole cannot be read: wrong format, encoding, columns or size."""
