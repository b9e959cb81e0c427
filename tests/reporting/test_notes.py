"""Operator notes: loaded verbatim, sanitized for HTML, a missing file is a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_ops.reporting.notes import PLACEHOLDER, load_notes, notes_to_html


@pytest.mark.parametrize("payload, forbidden", [
    ("<script>alert(1)</script>", "<script"),
    ('<img src=x onerror="alert(1)">', "onerror"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ("[x](javascript:alert(1))", "javascript:"),
    ('<div onclick="alert(1)">x</div>', "onclick"),
    ("<iframe src='https://evil.example'></iframe>", "<iframe"),
    ('<svg onload="alert(1)"></svg>', "onload"),
    ("<style>body{display:none}</style>", "<style"),
])
def test_notes_to_html_removes_active_content(payload: str, forbidden: str) -> None:
    assert forbidden not in notes_to_html(f"before\n\n{payload}\n\nafter").lower()


def test_notes_to_html_keeps_markdown_formatting() -> None:
    html = notes_to_html("# Shift\n\n- **BTC** funding\n- [runbook](https://example.org/r)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h1>Shift</h1>" in html and "<strong>BTC</strong>" in html and "<table>" in html
    assert 'href="https://example.org/r"' in html and 'rel="noopener noreferrer"' in html


def test_load_notes_reads_the_file_verbatim(tmp_path: Path) -> None:
    text = "# Notes\n\n<b>raw</b> stays raw in Markdown\n"
    (tmp_path / "notes.md").write_text(text)
    notes = load_notes(tmp_path / "notes.md")
    assert notes.markdown == text and notes.warning is None


def test_load_notes_missing_file_is_a_warning_and_a_placeholder(tmp_path: Path) -> None:
    notes = load_notes(tmp_path / "missing.md")
    assert notes.markdown is None
    assert "missing.md not found" in notes.warning and notes.placeholder == notes.warning


def test_load_notes_directory_is_a_warning(tmp_path: Path) -> None:
    notes = load_notes(tmp_path)
    assert notes.markdown is None and "cannot be read" in notes.warning


def test_load_notes_invalid_utf8_is_replaced_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "n.md").write_bytes(b"caf\xe9 ok\n")
    notes = load_notes(tmp_path / "n.md")
    assert notes.markdown == "caf\ufffd ok\n" and "not valid UTF-8" in notes.warning


def test_load_notes_none_means_no_notes() -> None:
    notes = load_notes(None)
    assert notes.markdown is None and notes.warning is None and notes.placeholder == PLACEHOLDER


def test_notes_from_dev_zero_end_promptly_truncated_with_warning() -> None:
    import time

    from live_ops.reporting.notes import MAX_NOTES_BYTES

    started = time.monotonic()
    notes = load_notes("/dev/zero")
    assert time.monotonic() - started < 1
    assert notes.markdown == "" and "larger than 64 KiB" in (notes.warning or "")
    assert MAX_NOTES_BYTES == 64 << 10


def test_notes_over_the_limit_are_a_truncated_copy_with_warning(tmp_path) -> None:
    from live_ops.reporting.notes import MAX_NOTES_BYTES

    path = tmp_path / "notes.md"
    path.write_text("é" * MAX_NOTES_BYTES)  # 2 bytes each: the cut falls inside a character
    notes = load_notes(path)
    assert notes.markdown is not None and len(notes.markdown.encode()) <= MAX_NOTES_BYTES
    assert set(notes.markdown) == {"é"} and "only its first 64 KiB" in (notes.warning or "")
