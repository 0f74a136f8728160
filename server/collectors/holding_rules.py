"""The rules a holding obeys, for the API and for imports alike."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

MAX_QUANTITY = 100_000
MAX_UNIT_COST = Decimal("10000000")
FIRST_MINIFIGURE_YEAR = 1975


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    message: str


def holding_problems(
    *,
    quantity: int,
    unit_cost: Decimal,
    currency: str,
    acquired_on: date,
    today: date,
    first_rate_days: dict[str, date],
) -> list[Problem]:
    """What is wrong with these values; empty when nothing is.

    `first_rate_days`: each currency with exchange rates and its first rate's day; the cost
    must be convertible on the purchase day, so that day needs a rate (USD needs none).
    """
    problems = []
    if not 1 <= quantity <= MAX_QUANTITY:
        problems.append(Problem("quantity", f"the quantity must be 1 to {MAX_QUANTITY}"))
    if not unit_cost.is_finite() or not Decimal(0) <= unit_cost <= MAX_UNIT_COST:
        problems.append(Problem("unitCost", f"the unit cost must be 0 to {MAX_UNIT_COST}"))
    elif unit_cost != unit_cost.quantize(Decimal("0.01")):
        problems.append(Problem("unitCost", "the unit cost has at most 2 decimals"))
    if acquired_on > today:
        problems.append(Problem("acquiredOn", "the acquisition day is in the future"))
    elif acquired_on.year < FIRST_MINIFIGURE_YEAR:
        problems.append(Problem("acquiredOn", f"minifigures exist since {FIRST_MINIFIGURE_YEAR}"))
    if currency != "USD":
        first = first_rate_days.get(currency)
        if first is None:
            problems.append(Problem("currency", f"no exchange rates are known for {currency!r}"))
        elif acquired_on >= date(FIRST_MINIFIGURE_YEAR, 1, 1) and acquired_on < first:
            problems.append(
                Problem(
                    "currency",
                    f"the first {currency} rate is of {first.isoformat()}, after the "
                    "acquisition day",
                )
            )
    return problems
