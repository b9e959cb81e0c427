"""The one seam where ccxt's exceptions become `live_ops.errors`, classified by what to do.

ccxt's tree does not follow the operator's needs: `NetworkError` is not an `ExchangeError`,
binance's 503 / "server busy" raises a bare `OperationFailed`, `DDoSProtection` and
`RateLimitExceeded` are siblings (binance raises `DDoSProtection` for both 429 and the 418 IP
ban), a 403 WAF page arrives as `ExchangeNotAvailable`, clock skew is `InvalidNonce` (a
`NetworkError`), and a 200 with an HTML body raises nothing at all (the gateway catches that
itself). So the mapping is a table keyed by ccxt class *name*, resolved along the exception's
MRO (most specific first), and this module never imports ccxt.

    ccxt class (and subclasses)          live_ops error           health   retried
    AuthenticationError, PermissionDenied,
      AccountSuspended, AccountNotEnabled  ExchangeAuthError       fail     no
    RateLimitExceeded, DDoSProtection    ExchangeRateLimited      warn     yes, after Retry-After
      ... with HTTP 418 or "banned"      ExchangeBanned           fail     no (names the ban's end)
    InvalidNonce                         ExchangeClockSkew        fail     no
    RequestTimeout                       ExchangeTimeout          fail     yes
    ExchangeNotAvailable, OnMaintenance,
      NetworkError, OperationFailed      ExchangeUnavailable      fail     yes
      ... reply cut off / reset after
          the connection was made        ExchangeBadResponse      fail     no
    BadResponse, NullResponse,
      ChecksumError                      ExchangeBadResponse      fail     no
    NotSupported, BadSymbol,
      RestrictedLocation                 ExchangeNotSupported     fail     no
    InvalidProxySettings                 ConfigError              fail     no
    BadRequest, ExchangeError, BaseError ExchangeError            fail     no
      ... with HTTP 5xx                  ExchangeUnavailable      fail     yes

Messages are built here, never copied from ccxt: ccxt's text carries full URLs (with the
request signature) and raw bodies. We keep the venue's short reason ("msg"/"retMsg") and the
host of the URL only.
"""

from __future__ import annotations

import re
import time
from datetime import datetime, timezone

from live_ops.errors import (
    ConfigError,
    ExchangeAuthError,
    ExchangeBadResponse,
    ExchangeBanned,
    ExchangeClockSkew,
    ExchangeError,
    ExchangeNotSupported,
    ExchangeRateLimited,
    ExchangeTimeout,
    ExchangeUnavailable,
    LiveOpsError,
)

# ccxt class name -> (our class, what happened, in the operator's words)
CCXT_ERROR_MAP: dict[str, tuple[type[LiveOpsError], str]] = {
    "BaseError": (ExchangeError, "exchange error"),
    "ExchangeError": (ExchangeError, "the exchange rejected the request"),
    "BadRequest": (ExchangeError, "the exchange rejected the request as malformed"),
    "ArgumentsRequired": (ExchangeError, "the exchange needs more arguments for this read"),
    "AuthenticationError": (ExchangeAuthError, "authentication rejected"),
    "PermissionDenied": (ExchangeAuthError, "permission denied for this API key"),
    "AccountNotEnabled": (ExchangeAuthError, "account not enabled for this API"),
    "AccountSuspended": (ExchangeAuthError, "account suspended"),
    "NotSupported": (ExchangeNotSupported, "not supported by the exchange"),
    "BadSymbol": (ExchangeNotSupported, "symbol not listed by the exchange"),
    "RestrictedLocation": (ExchangeNotSupported, "the exchange refuses service from this location"),
    "InvalidProxySettings": (ConfigError, "conflicting proxy settings in [exchange.ccxt_config]"),
    "ExchangeClosedByUser": (ExchangeUnavailable, "the connection was closed"),
    "OperationFailed": (ExchangeUnavailable, "the exchange failed to serve the request (overloaded or down)"),
    "NetworkError": (ExchangeUnavailable, "unreachable"),
    "ExchangeNotAvailable": (ExchangeUnavailable, "unavailable (outage, maintenance or a blocking proxy/WAF)"),
    "OnMaintenance": (ExchangeUnavailable, "under maintenance"),
    "DDoSProtection": (ExchangeRateLimited, "throttled by the exchange's DDoS protection"),
    "RateLimitExceeded": (ExchangeRateLimited, "rate limited"),
    "RequestTimeout": (ExchangeTimeout, "no answer in time"),
    "InvalidNonce": (ExchangeClockSkew, "request timestamp rejected: the local clock drifts from the exchange's"),
    "ChecksumError": (ExchangeBadResponse, "reply failed its checksum"),
    "BadResponse": (ExchangeBadResponse, "reply did not parse"),
    "NullResponse": (ExchangeBadResponse, "empty reply"),
}

# Write-path and streaming errors a read-only cockpit cannot trigger: they keep their parent's
# mapping on purpose. The tree-walk test fails for any ccxt class in neither set.
INHERITS_PARENT_MAPPING = frozenset({
    "InsufficientFunds", "InvalidAddress", "AddressPending", "InvalidOrder", "OrderNotFound", "OrderNotCached",
    "OrderImmediatelyFillable", "OrderNotFillable", "DuplicateOrderId", "ContractUnavailable",
    "OperationRejected", "NoChange", "MarginModeAlreadySet", "MarketClosed", "ManualInteractionNeeded",
    "CancelPending", "UnsubscribeError",
})

# ccxt's own code raises these on a reply whose shape it did not expect
PARSE_FAILURES = (TypeError, KeyError, ValueError, AttributeError, IndexError)

_REASON = re.compile(r'"(?:msg|retMsg|message|error_description)"\s*:\s*"([^"]{1,160})"')
_URL = re.compile(r"(https?)://([^/\s?#]+)")
_BANNED = re.compile(r"\bbann?ed\b", re.IGNORECASE)


# below ccxt's NetworkError: the request never reached the exchange ...
_CONNECT_FAILURES = frozenset({"NewConnectionError", "ConnectTimeoutError", "NameResolutionError",
                               "ConnectionRefusedError", "ConnectTimeout", "ProxyError", "SSLError"})
# ... or it did, and the reply was cut off or the connection reset while it was being read
_BROKEN_REPLIES = frozenset({"ProtocolError", "IncompleteRead", "ChunkedEncodingError", "RemoteDisconnected",
                             "ConnectionResetError", "InvalidChunkLength", "BrokenPipeError",
                             "ContentDecodingError"})


def _causes(exc: BaseException) -> list[str]:
    """Return the class names of everything `exc` wraps (cause, context, exception args, `.reason`)."""
    names: list[str] = []
    stack: list[object] = [exc.__cause__, exc.__context__]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        names.extend(k.__name__ for k in type(item).__mro__)
        stack.extend([item.__cause__, item.__context__, getattr(item, "reason", None), *item.args])
    return names


def broken_reply(exc: BaseException) -> bool:
    """Return whether a network failure happened after connecting: a truncated or reset reply."""
    names = set(_causes(exc))
    return not names & _CONNECT_FAILURES and bool(names & _BROKEN_REPLIES)


def _utc_text(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def _ccxt_class_name(exc: BaseException) -> str | None:
    for klass in type(exc).__mro__:
        if klass.__module__.startswith("ccxt") and klass.__name__ in CCXT_ERROR_MAP:
            return klass.__name__
    return None


def venue_reason(text: str) -> str:
    """Return the exchange's own short reason found in ccxt's message (its "msg"), or ""."""
    match = _REASON.search(text)
    return match.group(1).strip() if match else ""


def url_host(text: str) -> str:
    """Return `scheme://host[:port]` of the first URL in `text`: never its path or query."""
    match = _URL.search(text)
    return f"{match.group(1)}://{match.group(2)}" if match else ""


def translate(
    exc: BaseException,
    *,
    venue: str,
    operation: str,
    key_env: str,
    http_status: int | None = None,
    timeout_s: float | None = None,
    retry_after_s: float | None = None,
    now: float | None = None,
) -> LiveOpsError:
    """Return the `live_ops` error for an exception raised inside a ccxt call.

    `http_status` is the status of the last reply (binance raises the same class for 429 and
    418); `timeout_s` is the per-request timeout that was in force; `retry_after_s` is how long
    the reply asked us to wait (Retry-After, Binance's retryAfter or its ban end).
    """
    if isinstance(exc, LiveOpsError):
        return exc
    name = _ccxt_class_name(exc)
    if name is None:
        if isinstance(exc, PARSE_FAILURES):
            return ExchangeBadResponse(f"{venue}: {operation}: the reply did not have the expected shape "
                                       f"({type(exc).__name__})")
        return ExchangeError(f"{venue}: {operation}: unexpected failure ({type(exc).__name__})")
    cls, what = CCXT_ERROR_MAP[name]
    if cls is ExchangeError and http_status is not None and http_status >= 500:
        # a body code ccxt files under a generic class (binanceusdm's "server busy" -1004 arrives as
        # OperationRejected) still came with a 5xx: the exchange is down or overloaded
        cls, what = (ExchangeTimeout, "no answer in time (gateway timeout)") if http_status == 504 else (
            ExchangeUnavailable, "the exchange failed to serve the request (overloaded or down)")
    text = str(exc)
    reason = venue_reason(text)
    status = f"HTTP {http_status}" if http_status and http_status >= 400 else ""
    if issubclass(cls, ExchangeRateLimited) and (http_status == 418 or _BANNED.search(text)):
        cls, what = ExchangeBanned, "IP banned by the exchange: stop and wait out the ban"
    if cls is ExchangeTimeout and timeout_s is not None:
        what = f"no answer within {round(timeout_s, 1):g} s"
    if cls is ExchangeUnavailable and name == "NetworkError" and broken_reply(exc):
        cls, what = ExchangeBadResponse, "the reply was cut off (connection reset or closed mid-reply)"
    elif cls is ExchangeUnavailable and name in ("NetworkError", "ExchangeClosedByUser") and url_host(text):
        what = f"{what}: cannot connect to {url_host(text)}"
    until = None
    if cls is ExchangeBanned and retry_after_s:
        until = (time.time() if now is None else now) + retry_after_s
        what = f"IP banned by the exchange until {_utc_text(until)}: stop and wait out the ban"
    elif issubclass(cls, ExchangeRateLimited) and retry_after_s:
        what = f"{what}, asked to retry after {retry_after_s:.3g} s"
    said = "; ".join(part for part in (status, reason) if part)
    message = f"{venue}: {what}{f' ({said})' if said else ''} during {operation}"
    if cls is ExchangeAuthError:
        message += f": check the API key in ${key_env}"
    elif cls is ExchangeClockSkew:
        message += ": sync the local clock (NTP)"
    elif cls is ExchangeRateLimited:
        message += ": wait, or lower the request rate"
    if cls is ExchangeBanned:
        return ExchangeBanned(message, retry_after_s=retry_after_s,
                              until=datetime.fromtimestamp(until, tz=timezone.utc) if until else None)
    if issubclass(cls, ExchangeError):
        return cls(message, retry_after_s=retry_after_s if issubclass(cls, ExchangeRateLimited) else None)
    return cls(message)
