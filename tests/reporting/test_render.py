"""Rendering: sections, figures, escaping of config/exchange values, the exposure chart, speed."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from live_ops.exchange.gateway import Position
from live_ops.reporting import AlertRow, OperatorNotes, render_report
from live_ops.reporting.render import md_cell
from live_ops.reporting.view import CHART_MAX_BARS, build_view, exposure_chart
from tests.reporting.builders import WHEN, make_snapshot


@pytest.fixture
def snapshot(write_config):
    return make_snapshot(write_config())

HOSTILE = '<img src=x onerror="alert(1)">|<script>alert(2)</script>'


class _Tags(HTMLParser):
    """Collects every tag and attribute name the browser would build."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)


def _parse(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_render_markdown_has_the_four_sections_and_the_figures(write_config) -> None:
    snapshot = make_snapshot(write_config())
    md = render_report(snapshot, "markdown").markdown
    headings = re.findall(r"^## (.+)$", md, flags=re.M)
    assert headings == ["1. Health Overview", "2. Portfolio Snapshot", "3. Risk & Alerts", "4. Operator Notes"]
    assert md.startswith("# OK\n") and "Health: **OK**" in md
    assert "| BTC/EUR | 0.05 | 3,000.00 EUR | long | 100.00 EUR | n/a |" in md
    assert "| ETH/EUR | 0.5 | 1,500.00 EUR | short | 50.00 EUR | n/a |" in md
    assert "| paper | 10,190.00 EUR | 5,100.00 EUR | 10,000.00 EUR |" in md
    assert "| max_symbol_exposure_notional | BTC/EUR | 3,000.00 EUR | 5,000.00 EUR | 60% | OK |" in md
    assert "No recent alerts." in md and "No operator notes for this report." in md


def test_render_html_only_when_asked(snapshot) -> None:
    assert render_report(snapshot, "markdown").html is None
    both = render_report(snapshot, "both")
    assert both.html is not None and set(both.documents("both")) == {"md", "html"}
    assert set(render_report(snapshot, "html").documents("html")) == {"html"}


def test_render_html_is_self_contained_with_status_and_chart(snapshot) -> None:
    html = render_report(snapshot, "html").html
    tags = _parse(html)
    assert {"svg", "rect", "style"} <= set(tags.tags)
    assert not {"script", "link", "img", "iframe"} & set(tags.tags)
    assert "src" not in tags.attrs and not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html)
    assert '<meta name="viewport"' in html and "@media print" in html
    assert 'class="banner headline ok" id="headline">OK</div>' in html


def test_render_escapes_exchange_and_alert_values(write_config) -> None:
    positions = [Position(symbol=HOSTILE, size=1.0, entry_price=100.0, mark_price=110.0)]
    alerts = [AlertRow(ts=WHEN, level="warning", source="risk", code="X|Y", message=HOSTILE)]
    snapshot = make_snapshot(write_config(), positions=positions, alerts=alerts)
    rendered = render_report(snapshot, "both")
    tags = _parse(rendered.html)
    assert "script" not in tags.tags and "img" not in tags.tags and "onerror" not in tags.attrs
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in rendered.html
    # a `|` in a value cannot add a column to a Markdown table
    rows = [line for line in rendered.markdown.splitlines() if line.startswith("| ") and "&lt;img" in line]
    assert len(rows) == 3  # the position, its symbol limit and the alert
    assert sorted(len(re.findall(r"(?<!\\)\|", row)) for row in rows) == [7, 7, 8]  # columns + 1 each
    assert "<script>" not in rendered.markdown and "<img" not in rendered.markdown


def test_render_escapes_config_values_in_health_messages(write_config) -> None:
    # the config path is shown in the config check's message: a hostile directory name stays text
    path = write_config(name="cfg<b onmouseover=alert(1)>.toml")
    html = render_report(make_snapshot(path), "html").html
    assert "onmouseover" not in _parse(html).attrs
    assert "cfg&lt;b onmouseover=alert(1)&gt;.toml" in html


def test_md_cell_escapes_pipes_newlines_and_markup() -> None:
    assert md_cell("a|b\nc<d>`e`\\") == "a\\|b c&lt;d&gt;\\`e\\`\\\\"


def test_render_notes_verbatim_in_markdown_and_sanitized_in_html(write_config) -> None:
    text = "## Desk notes\n\n- BTC funding *high*\n\n<script>alert(1)</script>\n<img src=x onerror=alert(2)>\n"
    snapshot = make_snapshot(write_config(), notes=OperatorNotes(source="n.md", markdown=text))
    rendered = render_report(snapshot, "both")
    assert text in rendered.markdown
    tags = _parse(rendered.html)
    assert "script" not in tags.tags and "img" not in tags.tags and "onerror" not in tags.attrs
    assert "<h2>Desk notes</h2>" in rendered.html and "<em>high</em>" in rendered.html


def test_view_chart_puts_the_worst_symbol_first_and_a_breach_beyond_the_limit(write_config) -> None:
    positions = [Position(symbol="BTC/EUR", size=0.1, entry_price=60000, mark_price=60000),   # 6000: breach
                 Position(symbol="ETH/EUR", size=1.0, entry_price=3000, mark_price=4200),     # 4200: warning
                 Position(symbol="SOL/EUR", size=4.0, entry_price=150, mark_price=150)]       # 600: ok
    view = build_view(make_snapshot(write_config(), positions=positions))
    chart = view.chart
    assert [b.label for b in chart.bars] == ["BTC/EUR", "ETH/EUR", "SOL/EUR"]
    assert [b.tone for b in chart.bars] == ["bad", "warn", "ok"]
    breach, warning, ok = chart.bars
    assert chart.plot_x + breach.width > chart.limit_x > chart.plot_x + warning.width > chart.warn_x
    assert chart.plot_x + ok.width < chart.warn_x
    # widths are proportional to exposure / limit
    assert abs(breach.width / ok.width - 6000 / 600) < 0.01
    assert breach.value_x + 0 <= chart.width and all(b.value_x < chart.width for b in chart.bars)
    assert view.risk_severity == "BREACH" and view.risk_verdict == "NOT allowed"


def test_view_chart_shows_at_most_twenty_bars_and_counts_the_rest(write_config) -> None:
    positions = [Position(symbol=f"S{i:03d}/EUR", size=1.0, entry_price=1.0, mark_price=float(i + 1))
                 for i in range(30)]
    view = build_view(make_snapshot(write_config(), positions=positions))
    assert len(view.chart.bars) == CHART_MAX_BARS and view.chart.hidden == 30 - CHART_MAX_BARS
    assert view.chart.bars[0].label == "S029/EUR"


def test_exposure_chart_is_none_without_symbol_limits() -> None:
    assert exposure_chart([]) is None


def test_render_2000_positions_lists_every_position(write_config) -> None:
    # its speed is measured in bench/ (report render, 2,000 positions), never asserted here
    positions = [Position(symbol=f"C{i:04d}/EUR", size=(-1) ** i * 0.5, entry_price=100.0, mark_price=101.0 + i % 7)
                 for i in range(2000)]
    rendered = render_report(make_snapshot(write_config(), positions=positions), "both")
    assert rendered.html.count("<tr>") > 2000 and rendered.markdown.count("| C") == 4000


def test_headline_leads_every_format_with_the_limit_that_drives_it(write_config) -> None:
    # health OK but a symbol above its limit: every format says BREACH first, never OK
    breach = [Position(symbol="BTC/EUR", size=0.1, entry_price=58000.0, mark_price=60000.0)]
    snapshot = make_snapshot(write_config(), positions=breach)
    assert snapshot.health.overall_status == "OK" and snapshot.risk_severity == "BREACH"
    assert snapshot.headline.value == "BREACH"
    assert snapshot.headline_text() == "BREACH — BTC/EUR exposure 120% of its limit"
    rendered = render_report(snapshot, "both")
    assert rendered.markdown.startswith("# BREACH — BTC/EUR exposure 120% of its limit\n")
    assert "**BREACH** ⚠" in rendered.markdown  # the breached limit's row is marked
    assert '<div class="banner headline bad" id="headline">BREACH — BTC/EUR exposure 120% of its limit</div>' \
        in rendered.html
    assert rendered.html.index('id="headline"') < rendered.html.index("<h1>")
    assert '<tr title="BTC/EUR' in rendered.html and 'class="flagged bad"' in rendered.html
    assert build_view(make_snapshot(write_config())).headline_tone == "ok"


def test_repeated_alerts_collapse_to_one_row_with_a_count(write_config) -> None:
    from datetime import timedelta

    from live_ops.reporting.snapshot import collapse_alerts

    def row(minutes: int, subject: str) -> AlertRow:
        return AlertRow(ts=WHEN - timedelta(minutes=minutes), level="CRITICAL", source="portfolio",
                        code="RISK_LIMIT_VIOLATION_PORTFOLIO", message=f"{subject} breach", subject=subject)

    rows = collapse_alerts([row(30, "btc"), row(0, "btc"), row(60, "btc"), row(10, "eth")], limit=20)
    assert [(r.subject, r.occurrences, r.ts, r.first_ts) for r in rows] == [
        ("btc", 3, WHEN, WHEN - timedelta(minutes=60)), ("eth", 1, WHEN - timedelta(minutes=10), row(10, "eth").ts)]
    assert len(collapse_alerts([row(i, f"s{i}") for i in range(30)], limit=20)) == 20
    snapshot = make_snapshot(write_config(), alerts=rows)
    markdown = render_report(snapshot, "markdown").markdown
    assert "| ×3 since 2024-05-06 06:00 |" in markdown and "| once |" in markdown


def test_render_unknown_realized_pnl_is_na_not_zero(write_config) -> None:
    snap = make_snapshot(write_config(), positions=[
        Position("BTC/EUR", size=0.1, entry_price=60000.0, mark_price=61000.0),
        Position("ETH/EUR", size=1.0, entry_price=3000.0, mark_price=3100.0, realized_pnl=-12.5)])
    rendered = render_report(snap, "both")
    row = next(line for line in rendered.markdown.splitlines() if line.startswith("| BTC/EUR"))
    assert row.rstrip().endswith("| n/a |")
    assert "-12.50" in next(line for line in rendered.markdown.splitlines() if line.startswith("| ETH/EUR"))
    assert '<td class="n">n/a</td>' in rendered.html
