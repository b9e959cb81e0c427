"""Render a status snapshot to Markdown and HTML from the jinja2 templates in `templates/`.

Two environments: HTML with autoescape on (every value from config, exchange or alerts is
escaped; only the notes, already sanitized by nh3, are marked safe), and Markdown where table
cells go through `md_cell` so a `|` or a newline in a value cannot break a table and a `<`
cannot become markup in a viewer that renders HTML inside Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from live_ops.reporting.notes import notes_to_html
from live_ops.reporting.snapshot import StatusSnapshot
from live_ops.reporting.view import ReportView, build_view

ReportFormat = Literal["markdown", "html", "both"]
_MD_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "`": "\\`", "\r": " ", "\n": " "})


def md_cell(value: Any) -> str:
    """Return `value` as text safe inside one Markdown table cell or inline span."""
    return str(value).translate(_MD_ESCAPES)


@cache
def _environment(kind: Literal["md", "html"]) -> Environment:
    env = Environment(
        loader=PackageLoader("live_ops.reporting", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False) if kind == "html" else False,
        undefined=StrictUndefined,  # a typo in a template fails the test suite, not a report at 07:00
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = md_cell
    return env


def render_template(name: str, **context: Any) -> str:
    """Return the template `name` rendered with `context` (HTML templates are autoescaped)."""
    return _environment("html" if name.endswith(".html.j2") else "md").get_template(name).render(**context)


@dataclass(frozen=True)
class RenderedReport:
    """The report as text: Markdown always (it is also the Prefect artifact), HTML when asked."""

    markdown: str
    html: str | None = None

    def documents(self, fmt: ReportFormat) -> dict[str, str]:
        """Return {file extension: text} of the formats `fmt` asks to archive."""
        docs: dict[str, str] = {}
        if fmt in ("markdown", "both"):
            docs["md"] = self.markdown
        if fmt in ("html", "both") and self.html is not None:
            docs["html"] = self.html
        return docs


def render_markdown(view: ReportView) -> str:
    """Return the Markdown report of `view` (notes verbatim)."""
    return render_template("report.md.j2", v=view)


def render_html(view: ReportView) -> str:
    """Return the self-contained HTML report of `view` (notes must already be sanitized)."""
    return render_template("report.html.j2", v=view)


def render_report(snapshot: StatusSnapshot, fmt: ReportFormat = "markdown") -> RenderedReport:
    """Return the Markdown of `snapshot`, and its HTML when `fmt` is html or both."""
    want_html = fmt in ("html", "both")
    notes_html = None
    if want_html and snapshot.notes.markdown is not None:
        notes_html = notes_to_html(snapshot.notes.markdown)
    view = build_view(snapshot, notes_html=notes_html)
    return RenderedReport(markdown=render_markdown(view), html=render_html(view) if want_html else None)
