"""The three dialects of the fake exchange: binance spot, binanceusdm and bybit v5.

Bodies follow the venues' documented replies (trimmed to the fields ccxt reads, plus the
ones operators look at). Each function returns (HTTP status, JSON payload).
"""

from __future__ import annotations

from typing import Any

from tests.fakes.exchange_server import FakeExchange, FakeMarket, _num, signature_ok

Reply = tuple[int, Any]


# --------------------------------------------------------------------------- binance family
def _binance_auth(fake: FakeExchange, query: dict[str, str], headers, raw_query: str) -> Reply | None:
    """Return the venue's error reply for a bad key/signature/timestamp, else None."""
    if headers.get("X-MBX-APIKEY") != fake.key:
        return 401, {"code": -2015, "msg": "Invalid API-key, IP, or permissions for action."}
    payload = raw_query.rsplit("&signature=", 1)[0]
    if not signature_ok(fake.secret, payload, query.get("signature", "")):
        return 400, {"code": -1022, "msg": "Signature for this request is not valid."}
    recv_window = int(query.get("recvWindow", "5000"))
    if abs(fake.now_ms() - int(query.get("timestamp", "0"))) > recv_window:
        return 400, {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow."}
    return None


def _binance_filters(m: FakeMarket) -> list[dict[str, Any]]:
    notional = ({"filterType": "MIN_NOTIONAL", "notional": m.min_notional} if m.swap else
                {"filterType": "NOTIONAL", "minNotional": m.min_notional, "applyMinToMarket": True,
                 "maxNotional": "9000000.00000000", "applyMaxToMarket": False, "avgPriceMins": 5})
    return [
        {"filterType": "PRICE_FILTER", "minPrice": m.price_step, "maxPrice": "4529764", "tickSize": m.price_step},
        {"filterType": "LOT_SIZE", "stepSize": m.amount_step, "maxQty": "9000", "minQty": m.min_amount},
        {"filterType": "MARKET_LOT_SIZE", "stepSize": m.amount_step, "maxQty": "120", "minQty": m.min_amount},
        notional,
        {"filterType": "MAX_NUM_ORDERS", "limit": 200},
    ]


def _decimals(step: str) -> int:
    return len(step.rstrip("0").partition(".")[2]) if "." in step else 0


def _binance_symbol(m: FakeMarket) -> dict[str, Any]:
    common = {
        "symbol": m.venue_id, "status": "TRADING" if m.active else "BREAK", "baseAsset": m.base,
        "quoteAsset": m.quote, "baseAssetPrecision": 8, "quotePrecision": 8, "filters": _binance_filters(m),
        "orderTypes": ["LIMIT", "MARKET"],
    }
    if m.swap:
        return {**common, "pair": m.venue_id, "contractType": "PERPETUAL", "deliveryDate": 4133404800000,
                "onboardDate": 1569398400000, "maintMarginPercent": "2.5000", "requiredMarginPercent": "5.0000",
                "marginAsset": m.quote, "pricePrecision": _decimals(m.price_step),
                "quantityPrecision": _decimals(m.amount_step), "underlyingType": "COIN",
                "triggerProtect": "0.0500", "liquidationFee": "0.012500", "marketTakeBound": "0.05",
                "timeInForce": ["GTC", "IOC", "FOK", "GTX"]}
    return {**common, "quoteAssetPrecision": 8, "isSpotTradingAllowed": True, "isMarginTradingAllowed": False,
            "permissions": [], "permissionSets": [["SPOT"]], "icebergAllowed": True, "ocoAllowed": True}


def _binance_ticker(fake: FakeExchange, m: FakeMarket) -> dict[str, Any]:
    price = fake.prices[m.symbol]
    return {"symbol": m.venue_id, "priceChange": "0", "priceChangePercent": "0", "weightedAvgPrice": _num(price),
            "lastPrice": _num(price), "lastQty": "1", "openPrice": _num(price), "highPrice": _num(price),
            "lowPrice": _num(price), "volume": "1000", "quoteVolume": _num(price * 1000),
            "openTime": fake.now_ms() - 86_400_000, "closeTime": fake.now_ms(), "count": 100,
            **({} if m.swap else {"bidPrice": _num(price), "askPrice": _num(price), "bidQty": "1", "askQty": "1"})}


def _listed(fake: FakeExchange, swap: bool) -> list[FakeMarket]:
    return [m for m in fake.markets if m.swap == swap and m.symbol in fake.prices]


def binance_spot(fake: FakeExchange, path: str, query: dict[str, str], headers, raw_query: str) -> Reply:
    if path == "/api/v3/ping":
        return 200, {}
    if path == "/api/v3/time":
        return 200, {"serverTime": fake.now_ms()}
    if path == "/sapi/v1/system/status":
        return 200, {"status": 1, "msg": "system maintenance"} if fake.status_maintenance else {"status": 0,
                                                                                                "msg": "normal"}
    if path == "/api/v3/exchangeInfo":
        return 200, {"timezone": "UTC", "serverTime": fake.now_ms(), "rateLimits": [], "exchangeFilters": [],
                     "symbols": [_binance_symbol(m) for m in fake.markets if not m.swap]}
    if path == "/api/v3/ticker/24hr":
        return 200, [_binance_ticker(fake, m) for m in _listed(fake, swap=False)]
    if path == "/api/v3/account":
        if (error := _binance_auth(fake, query, headers, raw_query)) is not None:
            return error
        return 200, {"makerCommission": 10, "takerCommission": 10, "canTrade": True, "canWithdraw": True,
                     "canDeposit": True, "updateTime": fake.now_ms(), "accountType": "SPOT", "permissions": ["SPOT"],
                     "balances": [{"asset": asset, "free": _num(free), "locked": _num(locked)}
                                  for asset, (free, locked) in fake.balances.items()]}
    return 404, {"code": -1, "msg": f"no such path {path}"}


def _usdm_positions(fake: FakeExchange) -> list[dict[str, Any]]:
    rows = []
    for p in fake.positions:
        mark = fake.prices[p.symbol]
        venue_id = p.symbol.split(":")[0].replace("/", "")
        rows.append({"symbol": venue_id, "positionSide": "BOTH", "positionAmt": _num(p.size),
                     "entryPrice": _num(p.entry_price), "breakEvenPrice": _num(p.entry_price),
                     "markPrice": _num(mark), "unRealizedProfit": _num(fake.unrealized(p)),
                     "liquidationPrice": "0", "isolatedMargin": "0", "notional": _num(p.size * mark),
                     "marginAsset": "USDT", "isolatedWallet": "0",
                     "initialMargin": _num(abs(p.size) * mark / p.leverage),
                     "maintMargin": _num(abs(p.size) * mark * 0.004), "positionInitialMargin": "0",
                     "openOrderInitialMargin": "0", "adl": 1, "bidNotional": "0", "askNotional": "0",
                     "updateTime": fake.now_ms()})
    return rows


def binance_usdm(fake: FakeExchange, path: str, query: dict[str, str], headers, raw_query: str) -> Reply:
    if path == "/fapi/v1/ping":
        return 200, {}
    if path == "/fapi/v1/time":
        return 200, {"serverTime": fake.now_ms()}
    if path == "/fapi/v1/exchangeInfo":
        return 200, {"timezone": "UTC", "serverTime": fake.now_ms(), "futuresType": "U_MARGINED", "rateLimits": [],
                     "exchangeFilters": [], "assets": [{"asset": "USDT", "marginAvailable": True}],
                     "symbols": [_binance_symbol(m) for m in fake.markets if m.swap]}
    if path == "/fapi/v1/ticker/24hr":
        return 200, [_binance_ticker(fake, m) for m in _listed(fake, swap=True)]
    if path == "/fapi/v1/premiumIndex":
        return 200, [{"symbol": m.venue_id, "markPrice": _num(fake.prices[m.symbol]),
                      "indexPrice": _num(fake.prices[m.symbol]), "lastFundingRate": "0.0001",
                      "time": fake.now_ms()} for m in _listed(fake, swap=True)]
    if not path.startswith(("/fapi/v2/", "/fapi/v3/", "/fapi/v1/leverageBracket")):
        return 404, {"code": -1, "msg": f"no such path {path}"}
    if (error := _binance_auth(fake, query, headers, raw_query)) is not None:
        return error
    upnl = sum(fake.unrealized(p) for p in fake.positions)
    if path == "/fapi/v1/leverageBracket":
        return 200, [{"symbol": m.venue_id, "notionalCoef": 1.0, "brackets": [
            {"bracket": 1, "initialLeverage": 125, "notionalCap": 50000, "notionalFloor": 0, "maintMarginRatio": 0.004,
             "cum": 0.0}]} for m in fake.markets if m.swap]
    if path.endswith("/account"):
        margin, free = fake.margin_balance(), fake.free_margin()
        asset = {"asset": "USDT", "walletBalance": _num(fake.wallet), "unrealizedProfit": _num(upnl),
                 "marginBalance": _num(margin), "maintMargin": "0", "initialMargin": _num(margin - free),
                 "positionInitialMargin": _num(margin - free), "openOrderInitialMargin": "0",
                 "crossWalletBalance": _num(fake.wallet), "crossUnPnl": _num(upnl), "availableBalance": _num(free),
                 "maxWithdrawAmount": _num(free), "marginAvailable": True, "updateTime": fake.now_ms()}
        return 200, {"totalInitialMargin": _num(margin - free), "totalMaintMargin": "0",
                     "totalWalletBalance": _num(fake.wallet), "totalUnrealizedProfit": _num(upnl),
                     "totalMarginBalance": _num(margin), "totalPositionInitialMargin": _num(margin - free),
                     "totalOpenOrderInitialMargin": "0", "totalCrossWalletBalance": _num(fake.wallet),
                     "totalCrossUnPnl": _num(upnl), "availableBalance": _num(free), "maxWithdrawAmount": _num(free),
                     # multi-assets mode: every collateral asset (other than USDT) with its own margin balance
                     "assets": [asset] + [
                         {"asset": coin, "walletBalance": _num(wallet), "unrealizedProfit": "0",
                          "marginBalance": _num(wallet), "maintMargin": "0", "initialMargin": "0",
                          "positionInitialMargin": "0", "openOrderInitialMargin": "0",
                          "crossWalletBalance": _num(wallet), "crossUnPnl": "0", "availableBalance": _num(wallet),
                          "maxWithdrawAmount": _num(wallet), "marginAvailable": True, "updateTime": fake.now_ms()}
                         for coin, wallet in (fake.unified or {}).items() if coin != "USDT"],
                     "positions": [{k: row[k] for k in ("symbol", "positionSide", "positionAmt", "unrealizedProfit",
                                                        "notional", "initialMargin", "maintMargin", "updateTime")
                                    if k in row} | {"unrealizedProfit": row["unRealizedProfit"]}
                                   for row in _usdm_positions(fake)]}
    if path.endswith("/positionRisk"):
        return 200, _usdm_positions(fake)
    return 404, {"code": -1, "msg": f"no such path {path}"}


# --------------------------------------------------------------------------- bybit v5
def _bybit_ok(fake: FakeExchange, result: Any) -> Reply:
    return 200, {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": fake.now_ms()}


def _bybit_auth(fake: FakeExchange, headers, raw_query: str) -> Reply | None:
    key, stamp = headers.get("X-BAPI-API-KEY"), headers.get("X-BAPI-TIMESTAMP", "0")
    window = headers.get("X-BAPI-RECV-WINDOW", "5000")
    if key != fake.key:
        return 401, {"retCode": 10003, "retMsg": "API key is invalid.", "result": {}, "retExtInfo": {},
                     "time": fake.now_ms()}
    if not signature_ok(fake.secret, stamp + key + window + raw_query, headers.get("X-BAPI-SIGN", "")):
        return 200, {"retCode": 10004, "retMsg": "error sign! origin_string[...]", "result": {}, "retExtInfo": {},
                     "time": fake.now_ms()}
    if abs(fake.now_ms() - int(stamp)) > int(window):
        return 200, {"retCode": 10002, "retMsg": "invalid request, please check your server timestamp or "
                     "recv_window param", "result": {}, "retExtInfo": {}, "time": fake.now_ms()}
    return None


def bybit_id(m: FakeMarket) -> str:
    """Bybit's instrument id: USDC perpetuals are BTCPERP, the rest base+quote (BTCUSDT, XRPUSD)."""
    return m.base + "PERP" if m.swap and m.settle == "USDC" else m.base + m.quote


def _bybit_category(m: FakeMarket) -> str:
    return "spot" if not m.swap else "inverse" if m.inverse else "linear"


def _bybit_instrument(m: FakeMarket) -> dict[str, Any]:
    common = {"symbol": bybit_id(m), "baseCoin": m.base, "quoteCoin": m.quote,
              "status": "Trading" if m.active else "Closed",
              "priceFilter": {"tickSize": m.price_step, "minPrice": m.price_step, "maxPrice": "1999999"}}
    if m.swap:
        return {**common, "contractType": "InversePerpetual" if m.inverse else "LinearPerpetual",
                "launchTime": "1584230400000", "deliveryTime": "0",
                "deliveryFeeRate": "", "priceScale": str(_decimals(m.price_step)), "settleCoin": m.settle,
                "leverageFilter": {"minLeverage": "1", "maxLeverage": "100.00", "leverageStep": "0.01"},
                "lotSizeFilter": {"maxOrderQty": "1190", "minOrderQty": m.min_amount, "qtyStep": m.amount_step,
                                  "maxMktOrderQty": "500", "minNotionalValue": m.min_notional,
                                  "postOnlyMaxOrderQty": "1190"},
                "unifiedMarginTrade": True, "fundingInterval": 480, "copyTrading": "both", "isPreListing": False}
    return {**common, "innovation": "0", "marginTrading": "both",
            "lotSizeFilter": {"basePrecision": m.amount_step, "quotePrecision": "0.00000001",
                              "minOrderQty": m.min_amount, "maxOrderQty": "71", "minOrderAmt": m.min_notional,
                              "maxOrderAmt": "4000000"}}


def _bybit_ticker(fake: FakeExchange, m: FakeMarket) -> dict[str, Any]:
    price = _num(fake.prices[m.symbol])
    row = {"symbol": bybit_id(m), "lastPrice": price, "bid1Price": price, "bid1Size": "1", "ask1Price": price,
           "ask1Size": "1", "prevPrice24h": price, "price24hPcnt": "0", "highPrice24h": price, "lowPrice24h": price,
           "turnover24h": "1000000", "volume24h": "100"}
    if m.swap:
        row |= {"markPrice": price, "indexPrice": price, "fundingRate": "0.0001", "openInterest": "1000"}
    return row


def _initial_margin(fake: FakeExchange, p) -> float:
    """Initial margin in the settle coin."""
    m = fake.market(p.symbol)
    size, mark = (m.contract_size if m else 1.0), fake.prices[p.symbol]
    if m is not None and m.inverse:
        return abs(p.size) * size / mark / p.leverage
    return abs(p.size) * size * mark / p.leverage


def _bybit_coin(fake: FakeExchange, coin: str, wallet: float) -> dict[str, Any]:
    settled = [p for p in fake.positions if fake.settle_of(p.symbol) == coin]
    upnl = sum(fake.unrealized(p) for p in settled)
    im = sum(_initial_margin(fake, p) for p in settled)
    return {"coin": coin, "equity": _num(wallet + upnl), "usdValue": _num(wallet + upnl),
            "walletBalance": _num(wallet), "free": "", "locked": "0", "spotHedgingQty": "0", "borrowAmount": "0",
            "availableToWithdraw": "", "accruedInterest": "0", "totalOrderIM": "0", "totalPositionIM": _num(im),
            "totalPositionMM": "0", "unrealisedPnl": _num(upnl),
            "cumRealisedPnl": _num(sum(p.realized_pnl for p in settled)), "bonus": "0",
            "marginCollateral": True, "collateralSwitch": True}


def _bybit_wallet(fake: FakeExchange) -> dict[str, Any]:
    if fake.unified is not None:
        coins = [_bybit_coin(fake, coin, wallet) for coin, wallet in fake.unified.items()]
        equity = sum(float(c["usdValue"]) for c in coins)
        return {"accountType": "UNIFIED", "totalEquity": _num(equity), "accountIMRate": "0",
                "totalMarginBalance": _num(equity), "totalInitialMargin": "0", "totalAvailableBalance": _num(equity),
                "accountMMRate": "0", "totalPerpUPL": "0", "totalWalletBalance": _num(equity), "accountLTV": "0",
                "totalMaintenanceMargin": "0", "coin": coins}
    upnl = sum(fake.unrealized(p) for p in fake.positions)
    equity, free = fake.margin_balance(), fake.free_margin()
    coin = {"coin": "USDT", "equity": _num(equity), "usdValue": _num(equity), "walletBalance": _num(fake.wallet),
            "free": "", "locked": "0", "spotHedgingQty": "0", "borrowAmount": "0",
            "availableToWithdraw": "", "accruedInterest": "0", "totalOrderIM": "0",
            "totalPositionIM": _num(equity - free), "totalPositionMM": "0", "unrealisedPnl": _num(upnl),
            "cumRealisedPnl": _num(sum(p.realized_pnl for p in fake.positions)), "bonus": "0",
            "marginCollateral": True, "collateralSwitch": True}
    return {"accountType": "UNIFIED", "totalEquity": _num(equity), "accountIMRate": "0",
            "totalMarginBalance": _num(equity), "totalInitialMargin": _num(equity - free),
            "totalAvailableBalance": _num(free), "accountMMRate": "0", "totalPerpUPL": _num(upnl),
            "totalWalletBalance": _num(fake.wallet), "accountLTV": "0", "totalMaintenanceMargin": "0",
            "coin": [coin]}


def _bybit_position(fake: FakeExchange, p) -> dict[str, Any]:
    m = fake.market(p.symbol)
    mark = fake.prices[p.symbol]
    size = m.contract_size if m else 1.0
    value = abs(p.size) * size / p.entry_price if m is not None and m.inverse else abs(p.size) * size * p.entry_price
    return {"positionIdx": 0, "riskId": 1, "riskLimitValue": "2000000", "symbol": bybit_id(m),
            "side": "Buy" if p.size > 0 else "Sell", "size": _num(abs(p.size)), "avgPrice": _num(p.entry_price),
            "positionValue": _num(value), "tradeMode": 0, "autoAddMargin": 0, "positionStatus": "Normal",
            "leverage": str(p.leverage), "markPrice": _num(mark), "liqPrice": "", "bustPrice": "",
            "positionIM": _num(_initial_margin(fake, p)), "positionMM": "0", "takeProfit": "", "stopLoss": "",
            "trailingStop": "0", "unrealisedPnl": _num(fake.unrealized(p)), "curRealisedPnl": _num(p.realized_pnl),
            "cumRealisedPnl": _num(p.realized_pnl), "adlRankIndicator": 2, "createdTime": "1676538056258",
            "updatedTime": str(fake.now_ms()), "seq": 1, "isReduceOnly": False}


def bybit(fake: FakeExchange, path: str, query: dict[str, str], headers, raw_query: str) -> Reply:
    if path == "/v5/market/time":
        now = fake.now_ms()
        return _bybit_ok(fake, {"timeSecond": str(now // 1000), "timeNano": str(now * 1_000_000)})
    if path == "/v5/system/status":
        maintenance = [{"id": "1", "title": "system maintenance", "state": "ongoing", "begin": str(fake.now_ms()),
                        "end": str(fake.now_ms() + 3_600_000), "href": "", "serviceTypes": [1], "product": [1],
                        "uidSuffix": [], "maintainType": 1, "env": 1}] if fake.status_maintenance else []
        return _bybit_ok(fake, {"list": maintenance})
    category = query.get("category")
    if path == "/v5/market/instruments-info":
        rows = [] if query.get("status") == "PreLaunch" else [
            _bybit_instrument(m) for m in fake.markets if _bybit_category(m) == category]
        return _bybit_ok(fake, {"category": category, "list": rows, "nextPageCursor": ""})
    if path == "/v5/market/tickers":
        return _bybit_ok(fake, {"category": category, "list": [
            _bybit_ticker(fake, m) for m in fake.markets if _bybit_category(m) == category and m.symbol in fake.prices]})
    if not path.startswith(("/v5/account/", "/v5/position/", "/v5/user/", "/v5/asset/")):
        return 404, {"retCode": 10001, "retMsg": f"no such path {path}"}
    if (error := _bybit_auth(fake, headers, raw_query)) is not None:
        return error
    if path == "/v5/user/query-api":
        return _bybit_ok(fake, {"id": "1", "readOnly": 1, "unified": 0, "uta": 1,
                                "permissions": {"ContractTrade": ["Order", "Position"], "Spot": ["SpotTrade"]}})
    if path == "/v5/account/info":
        return _bybit_ok(fake, {"unifiedMarginStatus": 6, "marginMode": "REGULAR_MARGIN", "isMasterTrader": False,
                                "spotHedgingStatus": "OFF", "updatedTime": str(fake.now_ms())})
    if path == "/v5/account/wallet-balance":
        return _bybit_ok(fake, {"list": [_bybit_wallet(fake)]})
    if path == "/v5/position/list":
        # linear needs a settleCoin (or symbol); inverse lists every coin-settled position
        wanted = category or "linear"
        if wanted == "linear" and not (query.get("settleCoin") or query.get("symbol") or query.get("baseCoin")):
            return 200, {"retCode": 10001, "retMsg": "Missing some parameters that must be filled in",
                         "result": {}, "retExtInfo": {}, "time": fake.now_ms()}
        rows = [_bybit_position(fake, p) for p in fake.positions
                if (m := fake.market(p.symbol)) is not None and _bybit_category(m) == wanted
                and (wanted != "linear" or m.settle == query.get("settleCoin", m.settle))]
        return _bybit_ok(fake, {"category": wanted, "list": rows, "nextPageCursor": ""})
    return 404, {"retCode": 10001, "retMsg": f"no such path {path}"}


# --------------------------------------------------------------------------- okx v5
OKX_PASSPHRASE = "fake-passphrase"


def okx_id(m: FakeMarket) -> str:
    """OKX's instrument id: BTC-USDT (spot), BTC-USDT-SWAP, BTC-USDC-SWAP, XRP-USD-SWAP (inverse)."""
    return f"{m.base}-{m.quote}-SWAP" if m.swap else f"{m.base}-{m.quote}"


def _okx_ok(data: Any) -> Reply:
    return 200, {"code": "0", "msg": "", "data": data}


def _okx_auth(fake: FakeExchange, method: str, path: str, headers, raw_query: str) -> Reply | None:
    """OKX signs base64(HMAC-SHA256(timestamp + method + path?query + body)) with a passphrase header."""
    import base64
    import hashlib
    import hmac
    from datetime import datetime

    if headers.get("OK-ACCESS-KEY") != fake.key:
        return 401, {"code": "50111", "msg": "Invalid OK-ACCESS-KEY", "data": []}
    if headers.get("OK-ACCESS-PASSPHRASE") != OKX_PASSPHRASE:
        return 401, {"code": "50105", "msg": "Invalid OK-ACCESS-PASSPHRASE", "data": []}
    stamp = headers.get("OK-ACCESS-TIMESTAMP", "")
    target = path + (f"?{raw_query}" if raw_query else "")
    expected = base64.b64encode(hmac.new(fake.secret.encode(), f"{stamp}{method}{target}".encode(),
                                         hashlib.sha256).digest()).decode()
    if not hmac.compare_digest(expected, headers.get("OK-ACCESS-SIGN", "")):
        return 401, {"code": "50113", "msg": "Invalid Sign", "data": []}
    try:
        sent_ms = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000
    except ValueError:
        return 400, {"code": "50112", "msg": "Invalid OK-ACCESS-TIMESTAMP", "data": []}
    if abs(fake.now_ms() - sent_ms) > 30_000:
        return 400, {"code": "50102", "msg": "Timestamp request expired", "data": []}
    return None


def _okx_inst_type(m: FakeMarket) -> str:
    return "SWAP" if m.swap else "SPOT"


def _okx_instrument(m: FakeMarket) -> dict[str, Any]:
    row = {"instType": _okx_inst_type(m), "instId": okx_id(m), "uly": "", "instFamily": "", "baseCcy": "",
           "quoteCcy": "", "settleCcy": "", "ctVal": "", "ctMult": "", "ctValCcy": "", "optType": "", "stk": "",
           "listTime": "1548133413000", "expTime": "", "lever": "10", "tickSz": m.price_step, "lotSz": m.amount_step,
           "minSz": m.min_amount, "ctType": "", "alias": "", "state": "live" if m.active else "suspend",
           "maxLmtSz": "9999999999", "maxMktSz": "1000000", "maxTwapSz": "", "maxIcebergSz": "", "maxTriggerSz": "",
           "maxStopSz": "", "ruleType": "normal"}
    if not m.swap:
        return row | {"baseCcy": m.base, "quoteCcy": m.quote}
    return row | {"uly": f"{m.base}-{m.quote}", "instFamily": f"{m.base}-{m.quote}", "settleCcy": m.settle,
                  "ctVal": _num(m.contract_size), "ctMult": "1", "ctValCcy": m.quote if m.inverse else m.base,
                  "ctType": "inverse" if m.inverse else "linear", "lever": "100"}


def _okx_ticker(fake: FakeExchange, m: FakeMarket) -> dict[str, Any]:
    price = _num(fake.prices[m.symbol])
    return {"instType": _okx_inst_type(m), "instId": okx_id(m), "last": price, "lastSz": "1", "askPx": price,
            "askSz": "1", "bidPx": price, "bidSz": "1", "open24h": price, "high24h": price, "low24h": price,
            "volCcy24h": "1000", "vol24h": "1000", "ts": str(fake.now_ms()), "sodUtc0": price, "sodUtc8": price}


def _okx_position(fake: FakeExchange, p) -> dict[str, Any]:
    m = fake.market(p.symbol)
    mark = _num(fake.prices[p.symbol])
    return {"instType": "SWAP", "instId": okx_id(m), "mgnMode": "cross", "posId": str(abs(hash(p.symbol)) % 10**9),
            "posSide": "net", "pos": _num(p.size), "baseBal": "", "quoteBal": "", "posCcy": "", "ccy": m.settle,
            "availPos": "", "avgPx": _num(p.entry_price), "upl": _num(fake.unrealized(p)), "uplRatio": "0",
            "uplLastPx": _num(fake.unrealized(p)), "lever": str(p.leverage), "liqPx": "", "markPx": mark,
            "imr": _num(_initial_margin(fake, p)), "margin": "", "mgnRatio": "", "mmr": "0", "liab": "",
            "liabCcy": "", "interest": "0", "tradeId": "1", "notionalUsd": "", "optVal": "", "adl": "1",
            "last": mark, "idxPx": mark, "usdPx": "", "bePx": _num(p.entry_price), "deltaBS": "", "deltaPA": "",
            "gammaBS": "", "gammaPA": "", "thetaBS": "", "thetaPA": "", "vegaBS": "", "vegaPA": "",
            "realizedPnl": _num(p.realized_pnl), "pnl": _num(p.realized_pnl), "fee": "0", "fundingFee": "0",
            "liqPenalty": "0", "closeOrderAlgo": [], "cTime": "1676538056258", "uTime": str(fake.now_ms()),
            "pTime": str(fake.now_ms())}


def _okx_balance(fake: FakeExchange) -> dict[str, Any]:
    wallets = fake.unified if fake.unified is not None else {"USDT": fake.wallet}
    details = []
    for coin, wallet in wallets.items():
        settled = [p for p in fake.positions if fake.settle_of(p.symbol) == coin]
        upl = sum(fake.unrealized(p) for p in settled)
        free = wallet - sum(_initial_margin(fake, p) for p in settled)
        details.append({"ccy": coin, "eq": _num(wallet + upl), "cashBal": _num(wallet), "availBal": _num(free),
                        "availEq": _num(free), "frozenBal": "0", "ordFrozen": "0", "upl": _num(upl),
                        "disEq": _num(wallet + upl), "eqUsd": "", "isoEq": "0", "isoUpl": "0", "liab": "",
                        "crossLiab": "", "interest": "", "maxLoan": "", "mgnRatio": "", "notionalLever": "0",
                        "stgyEq": "0", "twap": "0", "spotInUseAmt": "", "spotIsoBal": "0", "uTime": str(fake.now_ms())})
    return {"adjEq": "", "borrowFroz": "", "imr": "", "isoEq": "0", "mgnRatio": "", "mmr": "", "notionalUsd": "",
            "ordFroz": "", "totalEq": "", "uTime": str(fake.now_ms()), "upl": "", "details": details}


def okx(fake: FakeExchange, method: str, path: str, query: dict[str, str], headers, raw_query: str) -> Reply:
    if path == "/api/v5/public/time":
        return _okx_ok([{"ts": str(fake.now_ms())}])
    if path == "/api/v5/system/status":
        return _okx_ok([{"title": "maintenance", "state": "ongoing", "begin": str(fake.now_ms()),
                         "end": str(fake.now_ms() + 3_600_000), "href": "", "serviceType": "0", "system": "unified",
                         "scheDesc": ""}] if fake.status_maintenance else [])
    inst_type = query.get("instType")
    if path == "/api/v5/public/instruments":
        return _okx_ok([_okx_instrument(m) for m in fake.markets if _okx_inst_type(m) == inst_type])
    if path == "/api/v5/market/tickers":
        return _okx_ok([_okx_ticker(fake, m) for m in fake.markets
                        if _okx_inst_type(m) == inst_type and m.symbol in fake.prices])
    if not path.startswith("/api/v5/account/"):
        return 404, {"code": "50000", "msg": f"no such path {path}", "data": []}
    if (error := _okx_auth(fake, method, path, headers, raw_query)) is not None:
        return error
    if path == "/api/v5/account/balance":
        return _okx_ok([_okx_balance(fake)])
    if path == "/api/v5/account/positions":
        return _okx_ok([_okx_position(fake, p) for p in fake.positions if fake.market(p.symbol) is not None
                        and (not inst_type or inst_type == "SWAP")])
    return 404, {"code": "50000", "msg": f"no such path {path}", "data": []}
