"""Signals CSV: required and optional columns, BOM, whitespace, and errors naming file/line/column/value."""

from __future__ import annotations

from pathlib import Path

import pytest

from live_ops.errors import InputError
from live_ops.orders import load_signals


def write(tmp_path: Path, text: str | bytes, name: str = "signals.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_signals_required_and_optional_columns_are_kept(tmp_path: Path) -> None:
    path = write(tmp_path, "symbol,direction,as_of,strategy_key,run_name,size_hint,comment,extra_json,generated_at\n"
                           'BTC/EUR,1,2026-01-02,trend,r7,0.5,hello,"{""k"": 1}",2026-01-02T06:00:00Z\n'
                           "ETH/EUR,-1,,,,,,,\n")
    batch = load_signals(path)
    first, second = batch.signals
    assert (first.line, first.symbol, first.direction) == (2, "BTC/EUR", 1.0)
    assert (first.as_of, first.strategy_key, first.run_name) == ("2026-01-02", "trend", "r7")
    assert (first.size_hint, first.comment, first.extra_json) == (0.5, "hello", '{"k": 1}')
    assert first.generated_at == "2026-01-02T06:00:00Z"
    assert (second.symbol, second.direction, second.comment, second.size_hint) == ("ETH/EUR", -1.0, None, None)


def test_signals_bom_whitespace_and_header_case_are_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeff Symbol , DIRECTION ,Comment\r\n  BTC/EUR  ,  +1 , keep me \r\n\r\nSOL/EUR,-0.5,\r\n")
    batch = load_signals(path)
    assert [(s.line, s.symbol, s.direction, s.comment) for s in batch.signals] == [
        (2, "BTC/EUR", 1.0, "keep me"), (4, "SOL/EUR", -0.5, None)]


def test_signals_short_rows_leave_trailing_optional_cells_empty(tmp_path: Path) -> None:
    batch = load_signals(write(tmp_path, "symbol,direction,comment\nBTC/EUR,1\n"))
    assert batch.signals[0].comment is None


def test_signals_unknown_columns_are_listed_not_used(tmp_path: Path) -> None:
    batch = load_signals(write(tmp_path, "symbol,direction,weight\nBTC/EUR,1,3\n"))
    assert batch.ignored_columns == ("weight",)


def test_signals_multiline_quoted_field_keeps_line_numbers_right(tmp_path: Path) -> None:
    path = write(tmp_path, 'symbol,direction,comment\nBTC/EUR,1,"two\nlines"\nETH/EUR,x,\n')
    with pytest.raises(InputError, match=r"line 4, column 2 \(direction\): 'x' is not a number"):
        load_signals(path)


def test_signals_header_only_is_an_empty_batch(tmp_path: Path) -> None:
    assert load_signals(write(tmp_path, "symbol,direction\n")).signals == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("symbol,direction\nBTC/EUR,1\nETH/EUR,buy\n", "line 3, column 2 (direction): 'buy' is not a number"),
        ("symbol,direction\nBTC/EUR,nan\n", "line 2, column 2 (direction): 'nan' is not a finite number"),
        ("symbol,direction\n  ,1\n", "line 2, column 1 (symbol): symbol is empty"),
        ("direction,symbol\n1,BTC/EUR\n ,ETH/EUR\n", "line 3, column 1 (direction): direction is empty"),
        ("symbol,side\nBTC/EUR,buy\n", "line 1: missing required column 'direction' (header has: symbol, side)"),
        ("symbol,direction,symbol\nBTC/EUR,1,x\n", "line 1, column 3: duplicate column 'symbol'"),
        ("symbol,direction\nBTC/EUR,1,oops\n", "line 2: 3 fields but the header has 2 (unquoted comma? extra value 'oops')"),
        ("symbol,direction,size_hint\nBTC/EUR,1,big\n", "line 2, column 3 (size_hint): 'big' is not a number"),
        ("symbol,direction,extra_json\nBTC/EUR,1,{nope\n", "line 2, column 3 (extra_json): '{nope' is not valid JSON"),
        ('symbol,direction\n"BTC/EUR,1\n', "malformed CSV"),
    ],
)
def test_signals_bad_input_names_file_line_column_and_value(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_signals(path)
    assert str(caught.value).startswith(f"{path} ")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_signals_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"none\.csv: signals file not found"):
        load_signals(tmp_path / "none.csv")


@pytest.mark.parametrize("text", [b"", b"  \n\n", b"\xef\xbb\xbf\n", b",,\n"])
def test_signals_empty_file_is_a_clear_error(tmp_path: Path, text: bytes) -> None:
    with pytest.raises(InputError, match=r"signals file (is empty|has no header line)"):
        load_signals(write(tmp_path, text))


def test_signals_not_utf8_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"line 3: not UTF-8"):
        load_signals(write(tmp_path, b"symbol,direction\nBTC/EUR,1\nETH\xff/EUR,1\n"))


def test_signals_100k_rows_parse_in_order(tmp_path: Path) -> None:
    rows = "".join(f"SYM{i % 50}/EUR,{(-1) ** i},s{i}\n" for i in range(100_000))
    batch = load_signals(write(tmp_path, "symbol,direction,strategy_key\n" + rows))
    assert len(batch.signals) == 100_000
    assert batch.signals[-1].line == 100_001 and batch.signals[-1].strategy_key == "s99999"
    assert len(batch.symbols()) == 50


def test_signals_repeated_values_are_kept_once(tmp_path: Path) -> None:
    rows = "".join(f"BTC/EUR,1,trend,row {i}\n" for i in range(3))
    first, _, third = load_signals(write(tmp_path, "symbol,direction,strategy_key,comment\n" + rows)).signals
    assert first.symbol is third.symbol and first.strategy_key is third.strategy_key
    assert first.direction is third.direction and (first.comment, third.comment) == ("row 0", "row 2")


def test_signals_unchanged_file_is_parsed_once_while_its_batch_is_held(tmp_path: Path) -> None:
    path = write(tmp_path, "symbol,direction\nBTC/EUR,1\n")
    held = load_signals(path)
    assert load_signals(path) is held  # the CLI's check and the flow's task share one parse
    path.write_text("symbol,direction\nETH/EUR,-1\n")
    changed = load_signals(path)
    assert changed is not held and [s.symbol for s in changed.signals] == ["ETH/EUR"]
