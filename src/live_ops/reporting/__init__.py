"""Status reports: one snapshot, rendered to Markdown and HTML, archived with an index.

    snapshot.StatusSnapshot  what a report shows (health, portfolio with risk, alerts, notes)
    view.build_view          display strings and chart geometry (all arithmetic lives here)
    render.render_report     jinja2 templates -> Markdown / self-contained HTML
    notes.load_notes         operator notes: verbatim in .md, sanitized (nh3) in HTML
    archive.archive_report   atomic, never-overwriting files + JSON sidecar
    index.maintain_archive   retention, then the rebuilt index.html
    result.ReportResult      what a run returns (overall status, files)
"""

from live_ops.reporting.archive import (
    ArchivedReport,
    apply_retention,
    archive_report,
    artifact_key,
    output_directory,
    report_stem,
    validate_tag,
)
from live_ops.reporting.artifacts import ReportArtifacts, report_artifacts
from live_ops.reporting.index import Maintenance, maintain_archive
from live_ops.reporting.notes import OperatorNotes, load_notes
from live_ops.reporting.render import RenderedReport, ReportFormat, render_report
from live_ops.reporting.result import ReportResult
from live_ops.reporting.snapshot import AlertRow, StatusSnapshot

__all__ = [
    "AlertRow",
    "ArchivedReport",
    "Maintenance",
    "OperatorNotes",
    "RenderedReport",
    "ReportArtifacts",
    "ReportFormat",
    "ReportResult",
    "StatusSnapshot",
    "apply_retention",
    "archive_report",
    "artifact_key",
    "load_notes",
    "maintain_archive",
    "output_directory",
    "render_report",
    "report_artifacts",
    "report_stem",
    "validate_tag",
]
