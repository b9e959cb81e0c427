"""--out: the orders CSV, its columns, plain numbers, and the atomic replace."""

from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path

import pytest

from live_ops.errors import InputError
from live_ops.orders import PreviewOrder, write_orders_csv
from live_ops.orders.export import COLUMNS
from live_ops.orders.preview import OrderPreview


def make_preview(n: int = 2) -> OrderPreview:
    orders = [PreviewOrder(client_order_id=f"plo-x-{i}", symbol="PEPE/USDT", side="buy", quantity=1e-05 * (i + 1),
                           price=100.0, notional=0.001 * (i + 1), row=i + 2, comment="a, \"quoted\" note")
              for i in range(n)]
    return OrderPreview(preview_name="x", created_at=datetime.now(timezone.utc), signals_path="s.csv",
                        quote_currency="USDT", notional_per_order=1.0, num_signals=n, num_orders=n,
                        total_notional=0.003, orders=orders, skipped=[])


def test_export_writes_every_column_with_plain_numbers(tmp_path: Path) -> None:
    out = write_orders_csv(make_preview(), tmp_path / "sub" / "orders.csv")
    with out.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == COLUMNS
    assert rows[0]["quantity"] == "0.00001" and rows[1]["quantity"] == "0.00002"
    assert rows[0]["price"] == "100" and rows[0]["comment"] == 'a, "quoted" note'
    assert rows[0]["preview_name"] == "x" and rows[0]["as_of"] == ""
    assert [p.name for p in out.parent.iterdir()] == ["orders.csv"]  # no temp file left behind


def test_export_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "orders.csv"
    target.write_text("old content that is much longer than nothing\n" * 100)
    write_orders_csv(make_preview(0), target)
    assert target.read_text().splitlines() == [",".join(COLUMNS)]


def test_export_unwritable_target_is_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="cannot write the orders CSV"):
        write_orders_csv(make_preview(), tmp_path / "file" / "orders.csv")


def test_export_repeated_numbers_and_signed_zeros_print_as_themselves(tmp_path: Path) -> None:
    preview = make_preview(4)
    preview.orders[:] = [PreviewOrder(client_order_id=f"id-{i}", symbol="A/USDT", side="buy", quantity=0.5,
                                      price=1e-05, notional=2.0, row=i + 2, size_hint=hint)
                         for i, hint in enumerate((0.0, -0.0, 0.25, 0.25))]
    with write_orders_csv(preview, tmp_path / "orders.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["size_hint"] for r in rows] == ["0", "-0", "0.25", "0.25"]
    assert {(r["quantity"], r["price"]) for r in rows} == {("0.5", "0.00001")}


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example","click")', "+1+2", "-2+3", "@SUM(A1)",
                                  "\tcmd", "\rcmd"])
def test_formula_comment_is_neutralised_in_csv_export(tmp_path: Path, text: str) -> None:
    preview = make_preview(1)
    preview.orders[0].comment = text
    out = write_orders_csv(preview, tmp_path / "orders.csv")
    with out.open(newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["comment"] == "'" + text
    assert row["quantity"] == "0.00001" and row["price"] == "100"  # numbers untouched
