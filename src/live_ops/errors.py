"""One error tree for Peak Live Ops, organised by what the operator must do.

    LiveOpsError                  base: the CLI catches it once and prints one line
    ├── UsageError                the command line is wrong (exit 2)
    ├── ConfigError               the config file is missing, malformed or invalid; names file and key
    ├── InputError                an input file (signals CSV, notes) is missing or malformed; names file/line
    ├── StateError                the history store (SQLite file or PostgreSQL) cannot be read or written
    ├── ArchiveError              the report archive (--output-dir) cannot be written; names the path
    ├── ExchangeError             anything that went wrong talking to the exchange
    │   ├── ExchangeAuthError     key/secret/permission rejected: fix the API key
    │   ├── ExchangeRateLimited   throttled (429/418): wait, or lower the request rate
    │   │   └── ExchangeBanned    IP banned (418): stop and wait out the ban
    │   ├── ExchangeUnavailable   outage, maintenance, 5xx, refused connection, WAF page
    │   ├── ExchangeTimeout       no answer within `timeout_ms`
    │   ├── ExchangeBadResponse   a reply that does not parse, or parses to nothing usable
    │   ├── ExchangeClockSkew     the exchange rejected our timestamp (clock drift)
    │   └── ExchangeNotSupported  the exchange cannot do what the config asks (e.g. no sandbox)
    └── AlertDeliveryError        an alert sink did not accept an event

Foreign exceptions (ccxt, httpx, SQLAlchemy/sqlite3/psycopg, tomllib, pydantic, OSError of the archive) are translated into this tree at
exactly one seam each; nothing above the seam catches a foreign exception.
"""

from __future__ import annotations

from datetime import datetime


class LiveOpsError(Exception):
    """Base of every error the operator is meant to read: its str() is one line."""


class UsageError(LiveOpsError):
    """Raised when the command line is contradictory or incomplete."""


class ConfigError(LiveOpsError):
    """Raised when the config file is missing, not TOML, or fails validation (names file and key)."""


class InputError(LiveOpsError):
    """Raised when an input file is missing or malformed (names the file, line and column)."""


class StateError(LiveOpsError):
    """Raised when the history store (SQLite file or PostgreSQL) cannot be opened, migrated, read or written."""


class ArchiveError(LiveOpsError):
    """Raised when a report cannot be written to its archive directory (not a directory, read-only, full)."""


class ExchangeError(LiveOpsError):
    """Raised when the exchange could not answer a read; `kind` says what the operator must do."""

    kind = "error"
    #: transient errors are worth retrying with backoff; the others are not
    transient = False

    def __init__(self, message: str = "", *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        #: how long the exchange asked us to wait before the next request (Retry-After), if it said
        self.retry_after_s = retry_after_s


class ExchangeAuthError(ExchangeError):
    """Raised when the exchange rejects the API key, signature or permissions."""

    kind = "auth"


class ExchangeRateLimited(ExchangeError):
    """Raised when the exchange throttles us (HTTP 429 and friends)."""

    kind = "rate_limited"
    transient = True


class ExchangeBanned(ExchangeRateLimited):
    """Raised when the exchange has banned our IP (binance HTTP 418)."""

    kind = "banned"
    transient = False

    def __init__(self, message: str = "", *, retry_after_s: float | None = None,
                 until: datetime | None = None) -> None:
        super().__init__(message, retry_after_s=retry_after_s)
        #: when the ban ends (UTC), where the exchange said so
        self.until = until


class ExchangeUnavailable(ExchangeError):
    """Raised on an outage: maintenance, 5xx, connection refused, a WAF/CDN page."""

    kind = "unavailable"
    transient = True


class ExchangeTimeout(ExchangeError):
    """Raised when the exchange does not answer within the configured timeout."""

    kind = "timeout"
    transient = True


class ExchangeBadResponse(ExchangeError):
    """Raised when a reply does not parse, or parses to nothing usable (HTML, empty body)."""

    kind = "bad_response"


class ExchangeClockSkew(ExchangeError):
    """Raised when the exchange rejects our request timestamp: the local clock drifts."""

    kind = "clock_skew"


class ExchangeNotSupported(ExchangeError):
    """Raised when the exchange lacks a capability the config asks for (sandbox, demo, a method)."""

    kind = "not_supported"


class AlertDeliveryError(LiveOpsError):
    """Raised when an alert sink does not accept an event (after its retries)."""
