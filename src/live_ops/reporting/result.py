"""What a status report run returns: the verdict and the files, for the CLI, the UI and scripts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from live_ops.status import Headline, HealthStatus, at_or_above, headline


class ReportResult(BaseModel):
    """The outcome of one `status_report_flow` run."""

    overall_status: HealthStatus
    files: list[str] = Field(description="the archived reports (.md / .html), in the order written")
    sidecar: str = Field(description="the JSON data the reports were rendered from")
    index: str
    artifact_key: str
    risk_severity: str | None = None
    headline_text: str = Field("", description="the headline and the limit or check that drives it")
    deleted: int = Field(0, description="reports removed by retention in this run")
    warnings: list[str] = Field(default_factory=list)
    review: dict[str, Any] | None = Field(None, description="the Period Review (SPEC §8), when one was asked for")
    kept: bool = False

    @property
    def headline_status(self) -> Headline:
        """Return the report's headline (SPEC §6)."""
        return headline(self.overall_status, self.risk_severity)

    @property
    def exit_code(self) -> int:
        """Return 1 when health is FAIL (the report is still written), else 0 (`--fail-on fail`)."""
        return self.exit_code_for("fail")

    def exit_code_for(self, fail_on: str | None) -> int:
        """Return 1 when the headline is at or above `fail_on` (None: never), else 0."""
        return 1 if at_or_above(self.headline_status, fail_on) else 0

    def cli_payload(self) -> dict[str, object]:
        """Return the `live-ops report --json` document (SPEC §2, §6)."""
        payload: dict[str, object] = {"headline_status": self.headline_status.value,
                                      "overall_status": self.overall_status,
                                      "risk_severity": self.risk_severity, "files": list(self.files)}
        if self.review is not None:
            payload["review"] = self.review
        return payload

    def text(self) -> str:
        """Return the run as the operator reads it in a terminal: the headline first."""
        risk = f", risk {self.risk_severity}" if self.risk_severity else ""
        lines = [self.headline_text or self.headline_status.value,
                 f"Status report: health {self.overall_status}{risk}"]
        lines += [f"  wrote {path}" for path in self.files]
        if self.kept:
            lines.append("  kept: retention will not delete it")
        lines.append(f"  index {self.index}  (artifact {self.artifact_key})")
        if self.deleted:
            lines.append(f"  retention removed {self.deleted} old report files")
        lines += [f"  warning: {w}" for w in self.warnings]
        return "\n".join(lines)
