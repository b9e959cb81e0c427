"""One place that turns numbers and verdicts into text and colour, for every view.

The terminal (`live_ops.console`, rich), the report (`live_ops.reporting.view`, Markdown/HTML) and
the artifacts all format through here, so `58,000.00 EUR` reads the same everywhere:

    money(58000, "EUR")      -> "58,000.00 EUR"     money and prices: 2 decimals, or more when
    price(0.00012345)        -> "0.00012345"        the value is too small to show in 2
    ratio(1.2)               -> "120%"
    tone("BREACH")           -> "bad"               CSS class; `rich_style` gives the terminal colour
    headline_line(h, risk)   -> "BREACH — BTC/EUR exposure 120% of its limit"

Verdict words come from `live_ops.status`; nothing here decides a verdict, it only shows one.
"""

from __future__ import annotations

from live_ops.risk import LimitDetail, RiskResult
from live_ops.status import Headline

ADHOC_TAG = "adhoc"  # the one spelling of "no tag" (CLI runs, artifact keys, index, run names)

# status word (any family, any case) -> colour class
_TONE = {"OK": "ok", "PASS": "ok", "SENT": "ok",
         "WARN": "warn", "WARNING": "warn", "DEGRADED": "warn", "DEDUPLICATED": "na", "FILTERED": "na",
         "FAIL": "bad", "FAILED": "bad", "BREACH": "bad", "CRITICAL": "bad", "INFO": "info"}
_TONE_RANK = {"na": 0, "info": 0, "ok": 1, "warn": 2, "bad": 3}
# colour class -> rich style for the terminal
RICH_STYLE = {"ok": "green", "warn": "yellow", "bad": "bold red", "info": "cyan", "na": "dim"}


def tone(status: object) -> str:
    """Return the colour class of a status word: `ok`, `warn`, `bad`, `info`, or `na` when unknown."""
    word = str(getattr(status, "value", status) or "").upper()
    return _TONE.get(word, "na")


def worst_tone(*statuses: object) -> str:
    """Return the colour class of the worst of `statuses` (a green banner never carries a BREACH)."""
    return max((tone(s) for s in statuses if s), key=_TONE_RANK.__getitem__, default="na")


def rich_style(status: object) -> str:
    """Return the rich style (colour) of a status word."""
    return RICH_STYLE[tone(status)]


def number(value: float | None, places: int = 2) -> str:
    """Return `value` with thousands separators and `places` decimals ("n/a" for None)."""
    if value is None:
        return "n/a"
    text = f"{value:,.{places}f}"
    return "0.00" if text in ("-0.00",) else text


def price(value: float | None) -> str:
    """Return a price or money amount: 2 decimals, up to 8 for values too small to show in 2."""
    if value is None:
        return "n/a"
    if value != 0 and abs(value) < 1:
        # 0.5 -> "0.50", 0.00012345 -> "0.00012345": enough decimals for 4 significant digits
        text = f"{value:,.8f}".rstrip("0")
        whole, _, frac = text.partition(".")
        return f"{whole}.{frac.ljust(2, '0')}"
    return number(value)


def money(value: float | None, currency: str = "") -> str:
    """Return a money amount or price with its currency when given: `58,000.00 EUR`."""
    text = price(value)
    return f"{text} {currency}" if currency and value is not None else text


def amount(value: float) -> str:
    """Return a size with up to 8 decimals and no trailing zeros (crypto sizes are small)."""
    text = f"{value:,.8f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def ratio(value: float) -> str:
    """Return a ratio as a whole percent: 1.2 -> `120%`."""
    return f"{value:.0%}"


def limit_value(detail: LimitDetail, value: float, currency: str = "") -> str:
    """Return a limit's current or limit value in its unit: a count, a percent or money."""
    if detail.limit_name == "max_open_positions":
        return f"{value:.0f}"
    if detail.limit_name.endswith("_pct"):
        return f"{value:.2f}%"
    return money(value, currency)


_LIMIT_WORDS = {
    "max_symbol_exposure_notional": "exposure",
    "max_total_exposure_notional": "total exposure",
    "max_open_positions": "open positions",
    "max_daily_loss_abs": "daily loss",
    "max_daily_loss_pct": "daily loss (%)",
    "max_order_notional": "order notional",
    "min_order_notional": "order notional",
}


def driving_limit(risk: RiskResult | None) -> LimitDetail | None:
    """Return the limit that drives the risk verdict: the worst severity, then the highest ratio."""
    if risk is None:
        return None
    flagged = [d for d in risk.limit_details if d.severity.value != "OK"]
    if not flagged:
        return None
    return max(flagged, key=lambda d: (d.severity.rank, d.ratio))


def limit_phrase(detail: LimitDetail) -> str:
    """Return a limit finding in a few words: `BTC/EUR exposure 120% of its limit`."""
    what = _LIMIT_WORDS.get(detail.limit_name, detail.limit_name)
    subject = f"{detail.symbol} {what}" if detail.symbol else what
    return f"{subject} {ratio(detail.ratio)} of its limit"


def headline_reason(headline: Headline | str, *, health_problems: list[str] | None = None,
                    risk: RiskResult | None = None) -> str:
    """Return why the headline is what it is, in one phrase ("" for OK)."""
    headline = Headline(str(getattr(headline, "value", headline)))
    if headline in (Headline.BREACH, Headline.WARNING):
        detail = driving_limit(risk)
        return limit_phrase(detail) if detail is not None else ""
    if headline in (Headline.FAIL, Headline.DEGRADED) and health_problems:
        return health_problems[0]
    return ""


def headline_line(headline: Headline | str, reason: str = "") -> str:
    """Return the headline as the first line of every summary: `BREACH — BTC/EUR exposure 120% of its limit`."""
    word = str(getattr(headline, "value", headline))
    return f"{word} — {reason}" if reason else word
