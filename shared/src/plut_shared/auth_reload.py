"""Tokens change without a restart: the token file is read again when it changes.

A service looks at the file named by PLUT_API_TOKENS_FILE at most once a second
(one `stat`); when the file is another one (an atomic replace gives it a new
inode) or its size or modification time changed, its entries are loaded again.
`plut tokens revoke --file` and `plut tokens new --file` replace the file that
way, so a revoked token is refused within about a second by every service that
reads the file.

A file that no longer loads (half edited by hand, removed) keeps the last good
entries and logs why: locking every officer out is worse than a revocation that
waits for the file to be fixed. The log names the variable, never a token.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from plut_shared.auth_config import AuthConfigError, AuthSettings, TokenEntry, load_token_entries

log = logging.getLogger(__name__)

FileSignature = tuple[int, int, int] | None


class TokenFileWatch:
    """Tells when the token file changed, and gives its new entries."""

    def __init__(
        self,
        settings: AuthSettings,
        *,
        min_interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._min_interval_s = min_interval_s
        self._clock = clock
        self._last_check = clock()
        # Taken before the first load, so a change racing that load is seen again.
        self._signature = self._stat()

    def changed_entries(self) -> list[TokenEntry] | None:
        """All entries when the file changed since the last look; None otherwise."""
        now = self._clock()
        if now - self._last_check < self._min_interval_s:
            return None
        self._last_check = now
        signature = self._stat()
        if signature == self._signature:
            return None
        self._signature = signature
        try:
            return load_token_entries(self._settings)
        except AuthConfigError as error:
            log.error("token file not reloaded; the previous tokens stay in force: %s", error)
            return None

    def _stat(self) -> FileSignature:
        path = self._settings.api_tokens_file
        if path is None:
            return None
        try:
            found = os.stat(path)
        except OSError:
            return None
        return (found.st_ino, found.st_size, found.st_mtime_ns)
