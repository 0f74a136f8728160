"""SQL shapes that keep prepared statements fast.

The API's connections run prepared statements with generic plans (see server/db.py):
planned once, run many times. A LIMIT sent as a parameter hides the row count from
that one plan, and the planner may then sort a whole hypertable to return one row;
a LIMIT written into the SQL text keeps the ordered index walk that stops early.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import literal_column
from sqlalchemy.sql.elements import ColumnClause


def fixed_limit(count: int) -> ColumnClause[Any]:
    """`count` written into the statement (an int, never client text)."""
    return literal_column(str(int(count)))
