"""Operator notes: a Markdown file kept verbatim in the .md report and sanitized for HTML.

Notes are free text from a person, so the HTML report never trusts them: they are rendered with
`markdown` and then cleaned by nh3 (a maintained allow-list sanitizer), which drops `<script>`,
event handlers such as `onerror=` and `javascript:` links. Images are dropped too: the HTML
report is one self-contained file and must not fetch anything when opened.
A missing or unreadable notes file is a warning shown in the report, never a crash.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import nh3
from pydantic import BaseModel

from live_ops.inputs import format_size, read_prefix

# nh3's default allow-list minus anything that loads a resource
_ALLOWED_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "picture", "source", "video", "audio", "track", "iframe"}
_ALLOWED_SCHEMES = {"http", "https", "mailto"}
PLACEHOLDER = "No operator notes for this report."
MAX_NOTES_BYTES = 64 << 10  # 64 KiB of notes is pages of text; more is a mistake (or /dev/zero)


class OperatorNotes(BaseModel):
    """The notes a report shows: verbatim Markdown, or a warning explaining why there is none."""

    source: str | None = None
    markdown: str | None = None
    warning: str | None = None

    @property
    def placeholder(self) -> str:
        """Return the line shown instead of notes: the warning when there is one."""
        return self.warning or PLACEHOLDER


def load_notes(path: str | Path | None) -> OperatorNotes:
    """Return the notes at `path` (None: no notes); a missing or unreadable file yields a warning."""
    if path is None or str(path) == "":
        return OperatorNotes()
    source = str(path)
    try:
        raw, truncated = read_prefix(Path(path), MAX_NOTES_BYTES)
    except FileNotFoundError:
        return OperatorNotes(source=source, warning=f"notes file {source} not found: no operator notes included")
    except OSError as exc:
        return OperatorNotes(source=source, warning=f"notes file {source} cannot be read ({exc.strerror or exc})")
    text = raw.decode("utf-8", errors="ignore" if truncated else "replace")  # a cut may split a character
    text = text.replace("\x00", "")
    warning = None
    if truncated:
        warning = (f"notes file {source} is larger than {format_size(MAX_NOTES_BYTES)}: "
                   f"only its first {format_size(MAX_NOTES_BYTES)} are included")
    elif "\ufffd" in text and b"\xef\xbf\xbd" not in raw:
        warning = f"notes file {source} is not valid UTF-8: undecodable bytes were replaced"
    return OperatorNotes(source=source, markdown=text, warning=warning)


def sanitize_html(html: str) -> str:
    """Return `html` with every tag, attribute and URL scheme outside the allow-list removed."""
    return nh3.clean(html, tags=_ALLOWED_TAGS, url_schemes=_ALLOWED_SCHEMES, link_rel="noopener noreferrer")


def notes_to_html(text: str) -> str:
    """Return the Markdown `text` rendered to HTML and sanitized: safe to embed in the report."""
    return sanitize_html(markdown.markdown(text, extensions=["tables", "fenced_code", "sane_lists"]))

