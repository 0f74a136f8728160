"""Holdings from a CSV file or a Brickset collection: rows checked before anything is saved.

CSV columns (a header row names them, in any order, case-insensitive):
  fig_num      required  the catalog's fig number, e.g. sw0001a
  quantity     required  1 to 100000
  unit_cost    required  what one unit cost, e.g. 12.50 (a dot for decimals)
  currency     required  ISO 4217, e.g. EUR
  acquired_on  required  YYYY-MM-DD
  condition    optional  NEW or USED (default USED)
Every row is checked against the catalog and the rules of a holding; each problem names
its line and column, so the file can be fixed and sent again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy.ext.asyncio import AsyncSession

from server.collectors.brickset import OwnedMinifig
from server.collectors.holding_rules import Problem, holding_problems
from server.models import Condition, Minifigure
from server.store.catalog import minifigures_by_fig_nums, normalize_fig_num
from server.store.errors import InvalidRecordError
from server.store.holdings import NewHolding
from server.store.portfolio_prices import first_rate_days

MAX_ROWS = 5000
REQUIRED_COLUMNS = ("fig_num", "quantity", "unit_cost", "currency", "acquired_on")
COLUMNS = (*REQUIRED_COLUMNS, "condition")


class ImportFormatError(Exception):
    """The file as a whole cannot be read (no header, a missing column, too many rows)."""


@dataclass
class ImportRow:
    line: int
    fig_num: str
    condition: Condition | None = None
    quantity: int | None = None
    unit_cost: Decimal | None = None
    currency: str = ""
    acquired_on: date | None = None
    minifigure: Minifigure | None = None
    problems: list[Problem] = field(default_factory=list)

    def holding(self) -> NewHolding:
        # Only rows without problems become holdings: every value was read then.
        assert not self.problems
        assert self.minifigure is not None
        assert self.condition is not None
        assert self.quantity is not None
        assert self.unit_cost is not None
        assert self.acquired_on is not None
        return NewHolding(
            minifigure_id=self.minifigure.id,
            condition=self.condition,
            quantity=self.quantity,
            unit_cost=self.unit_cost,
            currency=self.currency,
            acquired_on=self.acquired_on,
        )


def read_csv(text: str) -> list[ImportRow]:
    """Parses the file; values that cannot be parsed become problems of their row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    headers = {(h or "").strip().lower() for h in reader.fieldnames or []}
    if missing := [c for c in REQUIRED_COLUMNS if c not in headers]:
        raise ImportFormatError(
            f"missing column(s) {', '.join(missing)}: the header row needs "
            f"{', '.join(REQUIRED_COLUMNS)} (condition is optional)"
        )
    rows: list[ImportRow] = []
    for record in reader:
        if len(rows) >= MAX_ROWS:
            raise ImportFormatError(f"at most {MAX_ROWS} rows per file")
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in record.items()}
        if not any(values.values()):
            continue  # blank lines
        rows.append(_row(reader.line_num, values))
    return rows


def _row(line: int, values: dict[str, str]) -> ImportRow:
    row = ImportRow(line=line, fig_num=values["fig_num"], currency=values["currency"].upper())
    try:
        row.quantity = int(values["quantity"])
    except ValueError:
        row.problems.append(Problem("quantity", f"{values['quantity']!r} is not a whole number"))
    try:
        row.unit_cost = Decimal(values["unit_cost"])
    except InvalidOperation:
        row.problems.append(Problem("unitCost", f"{values['unit_cost']!r} is not an amount"))
    try:
        row.acquired_on = date.fromisoformat(values["acquired_on"])
    except ValueError:
        row.problems.append(
            Problem("acquiredOn", f"{values['acquired_on']!r} is not a YYYY-MM-DD date")
        )
    condition = values.get("condition", "").upper() or Condition.USED.value
    if condition in Condition.__members__:
        row.condition = Condition(condition)
    else:
        row.problems.append(Problem("condition", f"{condition!r} is neither NEW nor USED"))
    return row


def brickset_rows(
    owned: list[OwnedMinifig], condition: Condition, acquired_on: date
) -> list[ImportRow]:
    """Brickset knows what is owned, not what it cost: costs are 0 in USD, to edit later."""
    return [
        ImportRow(
            line=index,
            fig_num=minifig.minifig_number,
            condition=condition,
            quantity=minifig.owned_total,
            unit_cost=Decimal("0.00"),
            currency="USD",
            acquired_on=acquired_on,
        )
        for index, minifig in enumerate(owned, start=1)
    ]


async def checked(session: AsyncSession, rows: list[ImportRow], today: date) -> list[ImportRow]:
    """Adds catalog and rule problems to the rows (two statements for any number of rows)."""
    normalized: dict[int, str] = {}
    for row in rows:
        try:
            normalized[row.line] = normalize_fig_num(row.fig_num)
        except InvalidRecordError:
            row.problems.append(Problem("figNum", f"{row.fig_num!r} is not a fig number"))
    catalog = {
        m.fig_num: m
        for m in await minifigures_by_fig_nums(session, sorted(set(normalized.values())))
    }
    coverage = await first_rate_days(session)
    for row in rows:
        if row.line in normalized:
            row.minifigure = catalog.get(normalized[row.line])
            if row.minifigure is None:
                row.problems.append(Problem("figNum", f"{row.fig_num!r} is not in the catalog"))
        if row.quantity is None or row.unit_cost is None or row.acquired_on is None:
            continue
        row.problems += holding_problems(
            quantity=row.quantity,
            unit_cost=row.unit_cost,
            currency=row.currency,
            acquired_on=row.acquired_on,
            today=today,
            first_rate_days=coverage,
        )
    return rows
