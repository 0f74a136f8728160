"""Money fields: USD amounts converted on request at the exchange rate of their day.

Each money field takes a `currency` argument. USD needs no lookup and resolves at once;
other currencies go through the per-request rate loader, so a whole page of prices
costs one statement per currency however many amounts it holds.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from operator import attrgetter
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from server.graphql.context import Context
from server.graphql.errors import ClientError
from server.graphql.json_pages import Encoding, Leaf, LeafReader
from server.graphql.series import Reader

_ISO_4217 = re.compile(r"^[A-Z]{3}$")
_CENTS = Decimal("0.01")

CurrencyArgument = Annotated[
    str,
    strawberry.argument(
        description="ISO 4217 currency of the amount, converted at the rate of its day."
    ),
]

# The GraphQL type of every money field: a resolver may return the amount or an awaitable.
MONEY: Any = float | None


def currency_code(raw: str) -> str:
    code = raw.strip().upper()
    if not _ISO_4217.match(code):
        raise ClientError("UNKNOWN_CURRENCY", f"{raw!r} is not an ISO 4217 currency code")
    return code


def money(
    info: Info[Context, None], usd: Decimal | None, day: date, currency: str
) -> float | Awaitable[float | None] | None:
    """`usd` in `currency` at the rate of `day`: a value for USD, an awaitable otherwise."""
    if usd is None:
        return None
    code = currency_code(currency)
    if code == "USD":
        return float(usd)
    return _converted(info, usd, day, code)


async def _converted(info: Info[Context, None], usd: Decimal, day: date, code: str) -> float:
    usd_per_unit = await info.context.loaders.usd_per_unit.load((code, day))
    return float((usd / usd_per_unit).quantize(_CENTS, rounding=ROUND_HALF_EVEN))


def usd_reader(attribute: str) -> Reader:
    """A money field read straight from a row's `attribute` when a series is completed in
    one pass (server/graphql/series.py): in USD only, which needs no rate; any other
    currency, or a malformed one, declines and the field resolves (or fails) as usual."""
    amount = attrgetter(attribute)

    def read(row: Any) -> float | None:
        value: Decimal | None = amount(row)
        return None if value is None else float(value)

    def prepare(arguments: Mapping[str, Any]) -> Callable[[Any], Any] | None:
        return read if _in_usd(arguments) else None

    return prepare


def usd_leaf(column: str) -> LeafReader:
    """The same field written in SQL (server/graphql/json_pages.py): USD only, as above."""
    leaf = Leaf(column, Encoding.MONEY)

    def prepare(arguments: Mapping[str, Any]) -> Leaf | None:
        return leaf if _in_usd(arguments) else None

    return prepare


def _in_usd(arguments: Mapping[str, Any]) -> bool:
    """The `currency` argument is USD (a malformed one is not: it fails the usual way)."""
    try:
        return currency_code(arguments["currency"]) == "USD"
    except ClientError:
        return False
