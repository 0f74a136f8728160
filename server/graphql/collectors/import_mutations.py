"""Holdings imports: a CSV preview, the CSV import (all rows or none), a Brickset import."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from server.collectors.brickset import BricksetError
from server.collectors.holdings_import import (
    ImportFormatError,
    ImportRow,
    brickset_rows,
    checked,
    read_csv,
)
from server.graphql.collectors.access import AccessDenied, denied, writing_account
from server.graphql.collectors.collection_types import Holding
from server.graphql.collectors.errors import HoldingsImportError
from server.graphql.context import Context
from server.graphql.mutation_errors import ErrorCode
from server.graphql.types.enums import Condition
from server.graphql.types.minifigure import Minifigure
from server.store.holdings import add_holdings

CsvArgument = Annotated[
    str,
    strawberry.argument(
        description="The file's text: a header row with fig_num, quantity, unit_cost, "
        "currency, acquired_on (and optionally condition), then one holding per row."
    ),
]


@strawberry.type(description="A problem with one value of an import row.")
class ImportRowError:
    field: str = strawberry.field(description="The column at fault, e.g. `unitCost`.")
    message: str = strawberry.field(description="What is wrong.")


@strawberry.type(description="One row of an import, as read, with its problems.")
class ImportRowPreview:
    row: strawberry.Private[ImportRow]
    line: int = strawberry.field(description="The line in the file (Brickset: the position).")
    fig_num: str = strawberry.field(description="The fig number as given.")
    minifigure: Minifigure | None = strawberry.field(description="The catalog's minifigure.")
    condition: Condition | None = strawberry.field(description="NEW or USED.")
    quantity: int | None = strawberry.field(description="How many units.")
    unit_cost: float | None = strawberry.field(description="What one unit cost.")
    currency: str = strawberry.field(description="The currency of unitCost.")
    acquired_on: date | None = strawberry.field(description="When they were acquired.")
    errors: list[ImportRowError] = strawberry.field(description="Empty when the row is valid.")

    @classmethod
    def from_row(cls, row: ImportRow) -> ImportRowPreview:
        return cls(
            row=row,
            line=row.line,
            fig_num=row.fig_num,
            minifigure=Minifigure.from_row(row.minifigure) if row.minifigure else None,
            condition=Condition[row.condition.name] if row.condition else None,
            quantity=row.quantity,
            unit_cost=float(row.unit_cost) if row.unit_cost is not None else None,
            currency=row.currency,
            acquired_on=row.acquired_on,
            errors=[ImportRowError(field=p.field, message=p.message) for p in row.problems],
        )


@strawberry.type(description="What an import would save; nothing was saved.")
class HoldingsImportPreview:
    rows: list[ImportRowPreview] = strawberry.field(description="Every row, in file order.")
    valid_rows: int = strawberry.field(description="Rows without problems.")
    invalid_rows: int = strawberry.field(description="Rows with at least one problem.")


@strawberry.type(description="The holdings were saved.")
class ImportHoldingsSuccess:
    holdings: list[Holding] = strawberry.field(description="The holdings created.")
    skipped: list[ImportRowPreview] = strawberry.field(
        description="Rows left out (Brickset: figures the catalog lacks); empty for CSV."
    )


@strawberry.input(description="Your Brickset credentials; used for this import only, not kept.")
class BricksetImportInput:
    api_key: str = strawberry.field(description="Your Brickset API key.")
    user_hash: str = strawberry.field(description="Your user hash (from Brickset's login).")
    condition: Condition = strawberry.field(
        default=Condition.USED, description="The condition to record."
    )
    acquired_on: date | None = strawberry.field(
        default=None, description="The acquisition day to record (default today)."
    )


PreviewResult = Annotated[
    HoldingsImportPreview | HoldingsImportError,
    strawberry.union("PreviewHoldingsCsvResult", description="previewHoldingsCsv's outcome."),
]
ImportCsvResult = Annotated[
    ImportHoldingsSuccess | HoldingsImportError,
    strawberry.union("ImportHoldingsCsvResult", description="importHoldingsCsv's outcome."),
]
ImportBricksetResult = Annotated[
    ImportHoldingsSuccess | HoldingsImportError,
    strawberry.union(
        "ImportBricksetCollectionResult", description="importBricksetCollection's outcome."
    ),
]


def _today() -> date:
    return datetime.now(UTC).date()


def _preview(rows: list[ImportRow]) -> HoldingsImportPreview:
    invalid = sum(1 for row in rows if row.problems)
    return HoldingsImportPreview(
        rows=[ImportRowPreview.from_row(row) for row in rows],
        valid_rows=len(rows) - invalid,
        invalid_rows=invalid,
    )


def _failure(code: ErrorCode, message: str) -> HoldingsImportError:
    return HoldingsImportError(code=code, field=None, message=message)


async def _checked_csv(
    info: Info[Context, None], csv: str
) -> list[ImportRow] | HoldingsImportError:
    try:
        rows = read_csv(csv)
    except ImportFormatError as error:
        return HoldingsImportError(code=ErrorCode.INVALID_VALUE, field="csv", message=str(error))
    async with info.context.session_factory() as session:
        return await checked(session, rows, _today())


async def _save(
    info: Info[Context, None], owner: uuid.UUID, rows: list[ImportRow]
) -> list[Holding]:
    async with info.context.session_factory() as session, session.begin():
        saved = await add_holdings(session, owner, [row.holding() for row in rows])
    return [Holding.from_row(row) for row in saved]


@strawberry.type(description="Holdings imports.")
class ImportMutation:
    @strawberry.mutation(
        description="Read a holdings CSV and check every row; saves nothing (needs WRITE)."
    )
    async def preview_holdings_csv(
        self, info: Info[Context, None], csv: CsvArgument
    ) -> PreviewResult:
        try:
            writing_account(info)
        except AccessDenied as failure:
            return denied(HoldingsImportError, failure)
        rows = await _checked_csv(info, csv)
        return rows if isinstance(rows, HoldingsImportError) else _preview(rows)

    @strawberry.mutation(
        description="Save a holdings CSV: every row, or none when any row has a problem "
        "(the error then lists the rows, as previewHoldingsCsv does)."
    )
    async def import_holdings_csv(
        self, info: Info[Context, None], csv: CsvArgument
    ) -> ImportCsvResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(HoldingsImportError, failure)
        rows = await _checked_csv(info, csv)
        if isinstance(rows, HoldingsImportError):
            return rows
        if any(row.problems for row in rows):
            preview = _preview(rows)
            return HoldingsImportError(
                code=ErrorCode.INVALID_ROWS,
                field="csv",
                message=f"{preview.invalid_rows} row(s) have problems; nothing was saved",
                rows=[r for r in preview.rows if r.errors],
            )
        if not rows:
            return _failure(ErrorCode.INVALID_VALUE, "the file has no rows")
        return ImportHoldingsSuccess(holdings=await _save(info, owner, rows), skipped=[])

    @strawberry.mutation(
        description="Import your owned minifigures from Brickset (API v3 getMinifigCollection, "
        "with your own API key and user hash). Figures the catalog lacks are skipped and "
        "listed; costs are recorded as 0 USD, to edit later."
    )
    async def import_brickset_collection(
        self, info: Info[Context, None], input: BricksetImportInput
    ) -> ImportBricksetResult:
        try:
            owner = writing_account(info)
        except AccessDenied as failure:
            return denied(HoldingsImportError, failure)
        services = info.context.collectors
        assert services is not None
        try:
            owned = await services.brickset.owned_minifigs(input.api_key, input.user_hash)
        except BricksetError as error:
            return _failure(ErrorCode.UPSTREAM_ERROR, str(error))
        rows = brickset_rows(owned, input.condition.to_store(), input.acquired_on or _today())
        async with info.context.session_factory() as session:
            rows = await checked(session, rows, _today())
        valid = [row for row in rows if not row.problems]
        skipped = [ImportRowPreview.from_row(row) for row in rows if row.problems]
        holdings = await _save(info, owner, valid) if valid else []
        return ImportHoldingsSuccess(holdings=holdings, skipped=skipped)
