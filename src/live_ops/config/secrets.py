"""Resolve secret references (`env:VAR_NAME`) and redact URLs for display.

Webhook and Slack URLs carry their token in the path or query, so anything shown to a human
or written to disk names a URL by scheme and host only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pydantic import SecretStr

ENV_PREFIX = "env:"


@dataclass(frozen=True)
class ResolvedUrls:
    """URLs ready to use, plus one human-readable problem per entry that could not be resolved."""

    urls: list[SecretStr] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def resolve_url_entries(
    entries: Sequence[SecretStr], *, key: str, environ: Mapping[str, str] | None = None
) -> ResolvedUrls:
    """Return the URLs behind `entries`, reading `env:VAR` entries from `environ`."""
    environ = os.environ if environ is None else environ
    resolved = ResolvedUrls()
    for index, entry in enumerate(entries):
        raw = entry.get_secret_value().strip()
        if raw.startswith(ENV_PREFIX):
            var = raw[len(ENV_PREFIX):]
            value = (environ.get(var) or "").strip()
            if not value:
                resolved.problems.append(f"{key}[{index}]: environment variable {var} is not set")
                continue
            if not value.startswith(("http://", "https://")):
                resolved.problems.append(f"{key}[{index}]: ${var} is not an http(s) URL")
                continue
            raw = value
        resolved.urls.append(SecretStr(raw))
    return resolved


def redact_url(url: str | SecretStr) -> str:
    """Return `scheme://host[:port]` of `url`: never its path, query or credentials."""
    text = url.get_secret_value() if isinstance(url, SecretStr) else url
    parts = urlsplit(text)
    host = parts.hostname or "?"
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{host}{port}"
