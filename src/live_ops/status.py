"""One vocabulary of verdicts, each an ordered family, and the one headline an operator trusts.

    CheckStatus   pass < warn < fail            one health check
    HealthStatus  OK < DEGRADED < FAIL          the health report
    Severity      OK < WARNING < BREACH         a risk limit, a risk result
    Headline      OK < WARNING < DEGRADED < BREACH < FAIL   everything that summarises a state

`headline(health, risk)` is the rule of SPEC §6, in one place: a health FAIL outranks a
breached limit, which outranks a warning health check, which outranks a limit at its warning
threshold. Every report, artifact, index row, run state, event and exit code uses it.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar


class _Ordered(str, Enum):
    """A str enum whose members compare by their declaration order (worst last)."""

    @property
    def rank(self) -> int:
        """Return the member's position in its family: 0 is the best."""
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return str(self.value)

    # equal to its value (str's __eq__), so it must hash like it: `{"pass": ...}[CheckStatus.PASS]` works
    __hash__ = str.__hash__


class CheckStatus(_Ordered):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"


class HealthStatus(_Ordered):
    OK = "OK"
    DEGRADED = "DEGRADED"
    FAIL = "FAIL"


class Severity(_Ordered):
    OK = "OK"
    WARNING = "WARNING"
    BREACH = "BREACH"


class Headline(_Ordered):
    OK = "OK"
    WARNING = "WARNING"
    DEGRADED = "DEGRADED"
    BREACH = "BREACH"
    FAIL = "FAIL"

    @property
    def state_name(self) -> str:
        """Return the name of a Completed run state for this headline (`Breach`, `Degraded`, ...)."""
        return self.value.capitalize()


_O = TypeVar("_O", bound=_Ordered)


def worst(values: list[_O], default: _O) -> _O:
    """Return the worst of `values` (by rank), or `default` when there are none."""
    return max(values, key=lambda v: v.rank, default=default)


def headline(health: HealthStatus | str | None, risk: Severity | str | None) -> Headline:
    """Return the headline of a state: FAIL > BREACH > DEGRADED > WARNING > OK (SPEC §6).

    `None` means "not known" for that axis (no health run, risk not evaluated) and adds nothing.
    """
    health = HealthStatus(health) if health is not None else None
    risk = Severity(risk) if risk is not None else None
    if health is HealthStatus.FAIL:
        return Headline.FAIL
    if risk is Severity.BREACH:
        return Headline.BREACH
    if health is HealthStatus.DEGRADED:
        return Headline.DEGRADED
    if risk is Severity.WARNING:
        return Headline.WARNING
    return Headline.OK


def at_or_above(value: Headline | str, threshold: Headline | str | None) -> bool:
    """Return whether `value` is at or above `threshold` (`None`: never) — the `--fail-on` rule."""
    if threshold is None:
        return False
    return Headline(str(value).upper()) >= Headline(str(threshold).upper())
