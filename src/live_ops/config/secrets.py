"""Resolve secret references (`env:VAR_NAME`) and redact URLs for display.

Webhook and Slack URLs carry their token in the path or query, so anything shown to a human
or written to disk names a URL by scheme and host only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr

ENV_PREFIX = "env:"


@dataclass(frozen=True)
class ResolvedUrls:
    """URLs ready to use, plus one human-readable problem per entry that could not be resolved."""

    urls: list[SecretStr] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def resolve_url_entries(
    entries: Sequence[SecretStr], *, key: str, environ: Mapping[str, str] | None = None,
    schemes: Sequence[str] | None = ("http", "https"),
) -> ResolvedUrls:
    """Return the URLs behind `entries`, reading `env:VAR` entries from `environ`."""
    environ = os.environ if environ is None else environ
    resolved = ResolvedUrls()
    for index, entry in enumerate(entries):
        raw = entry.get_secret_value().strip()
        if raw == REDACTED:
            resolved.problems.append(f"{key}[{index}]: the value was redacted (a pickled config): reload the file")
            continue
        if raw.startswith(ENV_PREFIX):
            var = raw[len(ENV_PREFIX):]
            value = (environ.get(var) or "").strip()
            if not value:
                resolved.problems.append(f"{key}[{index}]: environment variable {var} is not set")
                continue
            problem = url_problem(value, schemes=schemes)
            if problem:
                resolved.problems.append(f"{key}[{index}]: ${var} {problem}")
                continue
            raw = value
        resolved.urls.append(SecretStr(raw))
    return resolved


HTTP_SCHEMES = ("http", "https")


def url_problem(text: str, *, schemes: Sequence[str] | None = HTTP_SCHEMES) -> str | None:
    """Return why `text` is not a usable URL (scheme, host, port), or None; never quotes the URL.

    `schemes` None accepts any scheme of letters, digits, + - . (Apprise's tgram://, mailto://, ...).
    """
    try:
        parts = urlsplit(text.strip())
    except ValueError:  # "Invalid IPv6 URL"
        return "is not a valid URL (broken IPv6 address)"
    try:
        port = parts.port  # raises ValueError for a port out of 0-65535 or not a number
    except ValueError as exc:
        # Apprise URLs put tokens where a port would go (tgram://123:ABC/...): only a number is a port
        if "out of range" in str(exc):
            return "is not a valid URL (port out of range 0-65535)"
        if schemes is not None:
            return "is not a valid URL (port is not a number)"
        port = None
    scheme = parts.scheme.lower()
    if schemes is not None and scheme not in schemes:
        return f"must be an {'/'.join(schemes)} URL" if schemes != HTTP_SCHEMES else "must be an http(s) URL"
    if schemes is None and not re.fullmatch(r"[a-z][a-z0-9+.\-]{0,31}", scheme):
        return "must be a URL of the form scheme://..."
    if not parts.netloc:
        return "has no host"
    if schemes is not None and not parts.hostname:
        return "has no host"
    if port == 0:
        return "has port 0"
    if any(ch.isspace() or ord(ch) < 32 for ch in text.strip()):
        return "contains whitespace or control characters"
    return None


def redact_url(url: str | SecretStr) -> str:
    """Return `scheme://host[:port]` of `url`: never its path, query or credentials.

    A URL that does not even parse is shown as `scheme://?`; a "host" that is not a host name
    (Apprise puts bot tokens and keys there: `tgram://123:ABC/...`) is shown as `***`.
    """
    text = url.get_secret_value() if isinstance(url, SecretStr) else url
    try:
        parts = urlsplit(text.strip())
        scheme = parts.scheme.lower() if re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}", parts.scheme) else "?"
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return f"{_safe_scheme(text)}://?"
    if scheme not in _HOST_SCHEMES and not _looks_like_host(host):
        return f"{scheme}://***"
    return f"{scheme}://{host}{port}"


# schemes whose host part is always a host (Apprise's json://, form://, xml://, mailto:// included)
_HOST_SCHEMES = {"http", "https", "json", "jsons", "form", "forms", "xml", "xmls", "mailto", "mailtos"}


def _safe_scheme(text: str) -> str:
    head = text.strip().split("://", 1)[0]
    return head.lower() if "://" in text and re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}", head) else "?"


def _looks_like_host(host: str) -> bool:
    """A DNS name with a dot, localhost, or an IP literal: not a token that sits where a host goes."""
    if host in ("?", "localhost"):
        return True
    if re.fullmatch(r"[0-9a-f:.]+", host) and (":" in host or host.count(".") == 3):
        return True
    return "." in host and bool(re.fullmatch(r"[a-z0-9.\-]+", host)) and not host.replace(".", "").isdigit()


# ---- redacted views of the config (repr, str, JSON, pickle) --------------------------------------

#: what a secret becomes in a pickled config: unusable on purpose, and recognisable
REDACTED = "redacted:"
_SECRET_KEY = re.compile(r"proxy|password|passphrase|secret|token|auth|apikey|api_key|privatekey|cookie|headers",
                         re.IGNORECASE)


def is_secret_key(key: str) -> bool:
    """Return whether a ccxt_config key holds credentials (proxy*, *Proxy, password, uid, secret, ...)."""
    return key.lower() == "uid" or bool(_SECRET_KEY.search(key))


def redact_userinfo(text: str) -> str:
    """Return `text` with the `user:password@` of a URL replaced by `***@` (the rest stays readable)."""
    return re.sub(r"(?i)([a-z][a-z0-9+.\-]*://)[^/@\s]*@", r"\1***@", text)


def redact_mapping(value: Any) -> Any:
    """Return a copy of `value` (ccxt_config) with credential-bearing keys and URL userinfo redacted."""
    if isinstance(value, Mapping):
        return {k: ("***" if is_secret_key(str(k)) and v not in (None, "", False) else redact_mapping(v))
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact_mapping(v) for v in value]
    if isinstance(value, str):
        return redact_userinfo(value)
    return value


def redact_value(key: str, value: Any, *, for_pickle: bool = False) -> Any:
    """Return the view of one config field's value that may be shown or stored: no secret in it.

    For a repr, a `SecretStr` already shows `**********`; in a pickle it would keep its raw value,
    so there it becomes `REDACTED` (a config that went through pickle cannot send to a webhook,
    and says why instead of posting somewhere).
    """
    if isinstance(value, SecretStr):
        return SecretStr(REDACTED) if for_pickle else value
    if isinstance(value, list) and value and all(isinstance(v, SecretStr) for v in value):
        return [SecretStr(REDACTED) for _ in value] if for_pickle else value
    if isinstance(value, Mapping):
        return redact_mapping(value)
    if isinstance(value, str) and "://" in value:
        return redact_userinfo(value)
    return value
