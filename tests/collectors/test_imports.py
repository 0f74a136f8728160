"""Holdings imports (CSV with a preview, Brickset's recorded answers) and CSV exports."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from server.graphql.node import to_global_id
from tests.collectors.conftest import BricksetRecordings, as_user, sign_up
from tests.graphql.conftest import GraphQLClient
from tests.graphql.market_data import add_figures, add_listings, noon_ago

ROW_FIELDS = "line figNum minifigure { figNum } quantity unitCost currency errors { field message }"

PREVIEW = f"""mutation($csv: String!) {{
  previewHoldingsCsv(csv: $csv) {{
    __typename
    ... on HoldingsImportPreview {{ validRows invalidRows rows {{ {ROW_FIELDS} }} }}
    ... on MutationError {{ code field message }}
  }}
}}"""

IMPORT = f"""mutation($csv: String!) {{
  importHoldingsCsv(csv: $csv) {{
    __typename
    ... on ImportHoldingsSuccess {{ holdings {{ quantity unitCost currency condition }} }}
    ... on HoldingsImportError {{ code field message rows {{ {ROW_FIELDS} }} }}
  }}
}}"""

BRICKSET = """mutation($input: BricksetImportInput!) {
  importBricksetCollection(input: $input) {
    __typename
    ... on ImportHoldingsSuccess {
      holdings { quantity condition unitCost currency minifigure { figNum } }
      skipped { figNum errors { field message } }
    }
    ... on MutationError { code message }
  }
}"""

EXPORTS = "{ viewer { holdingsCsv watchlistCsv } }"

GOOD_CSV = """fig_num,quantity,unit_cost,currency,acquired_on,condition
SW0001A,2,12.50,USD,2024-03-01,used
sw0002,1,40,usd,2024-05-20,NEW
"""

BAD_CSV = """Fig_Num,Quantity,Unit_Cost,Currency,Acquired_On
sw0001a,1,9.99,USD,2024-01-01
xx9999,1,5,USD,2024-01-01
sw0002,two,5,USD,2024-01-01
sw0002,1,5,USD,01/02/2024
sw0002,1,-5,USD,2024-01-01
sw0002,1,5,QQQ,2024-01-01

"""


async def _catalog(committed: AsyncSession) -> None:
    ids = await add_figures(committed, {"fig_num": "sw0001a"}, {"fig_num": "sw0002"})
    await add_listings(committed, ids["sw0001a"], [(noon_ago(1), "15.00")])
    await committed.commit()


async def test_a_csv_preview_lists_row_errors_and_the_import_saves_nothing_then(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _catalog(committed)
    user = await sign_up(gql)

    preview = (await as_user(gql, user.headers, PREVIEW, csv=BAD_CSV))["previewHoldingsCsv"]
    assert (preview["validRows"], preview["invalidRows"]) == (1, 5)
    problems = {row["line"]: [e["field"] for e in row["errors"]] for row in preview["rows"]}
    assert problems == {
        2: [],
        3: ["figNum"],
        4: ["quantity"],
        5: ["acquiredOn"],
        6: ["unitCost"],
        7: ["currency"],
    }
    assert preview["rows"][0]["minifigure"] == {"figNum": "sw0001a"}

    refused = (await as_user(gql, user.headers, IMPORT, csv=BAD_CSV))["importHoldingsCsv"]
    assert (refused["code"], refused["field"]) == ("INVALID_ROWS", "csv")
    assert [row["line"] for row in refused["rows"]] == [3, 4, 5, 6, 7]
    exported = (await as_user(gql, user.headers, EXPORTS))["viewer"]["holdingsCsv"]
    assert exported == "fig_num,quantity,unit_cost,currency,acquired_on,condition\n"


async def test_a_valid_csv_is_imported_and_exported_in_the_same_columns(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    await _catalog(committed)
    user = await sign_up(gql)

    imported = (await as_user(gql, user.headers, IMPORT, csv=GOOD_CSV))["importHoldingsCsv"]
    exported = (await as_user(gql, user.headers, EXPORTS))["viewer"]["holdingsCsv"]

    assert imported["holdings"] == [
        {"quantity": 2, "unitCost": 12.5, "currency": "USD", "condition": "USED"},
        {"quantity": 1, "unitCost": 40.0, "currency": "USD", "condition": "NEW"},
    ]
    assert exported.splitlines() == [
        "fig_num,quantity,unit_cost,currency,acquired_on,condition",
        "sw0001a,2,12.50,USD,2024-03-01,USED",
        "sw0002,1,40.00,USD,2024-05-20,NEW",
    ]
    # The export imports again as it is.
    again = (await as_user(gql, user.headers, PREVIEW, csv=exported))["previewHoldingsCsv"]
    assert (again["validRows"], again["invalidRows"]) == (2, 0)


async def test_a_file_without_the_columns_is_refused_as_a_whole(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    user = await sign_up(gql)
    refused = (await as_user(gql, user.headers, PREVIEW, csv="name,price\nLuke,3\n"))[
        "previewHoldingsCsv"
    ]
    assert (refused["code"], refused["field"]) == ("INVALID_VALUE", "csv")
    assert "fig_num" in refused["message"]


def _recorded(body: object, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status,
        content=json.dumps(body).encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )


# getMinifigCollection's answer, in Brickset's format (API v3, JSON).
OWNED = {
    "status": "success",
    "matches": 3,
    "minifigs": [
        {
            "minifigNumber": "sw0001a",
            "name": "Luke Skywalker (Tatooine)",
            "category": "Star Wars / Star Wars Episode 4/5/6",
            "ownedInSets": 1,
            "ownedLoose": 1,
            "ownedTotal": 2,
            "wanted": False,
        },
        {
            "minifigNumber": "col999",
            "name": "A figure this catalog lacks",
            "category": "Collectable Minifigures",
            "ownedInSets": 0,
            "ownedLoose": 1,
            "ownedTotal": 1,
            "wanted": False,
        },
        {
            "minifigNumber": "sw0002",
            "name": "Darth Vader",
            "category": "Star Wars / Star Wars Episode 4/5/6",
            "ownedInSets": 0,
            "ownedLoose": 0,
            "ownedTotal": 0,
            "wanted": True,
        },
    ],
}


async def test_a_brickset_collection_imports_what_the_catalog_knows_and_lists_the_rest(
    gql: GraphQLClient, committed: AsyncSession, brickset: BricksetRecordings
) -> None:
    await _catalog(committed)
    user = await sign_up(gql)
    brickset.responses.append(_recorded(OWNED))
    credentials = {"apiKey": "3-abcd-efgh", "userHash": "user-hash-1", "condition": "NEW"}

    result = (await as_user(gql, user.headers, BRICKSET, input=credentials))[
        "importBricksetCollection"
    ]

    assert result["holdings"] == [
        {
            "quantity": 2,
            "condition": "NEW",
            "unitCost": 0.0,
            "currency": "USD",
            "minifigure": {"figNum": "sw0001a"},
        }
    ]
    assert [row["figNum"] for row in result["skipped"]] == ["col999"]
    assert result["skipped"][0]["errors"][0]["field"] == "figNum"
    (request,) = brickset.requests
    url = urlsplit(str(request.url))
    query = parse_qs(url.query)
    assert url.path == "/api/v3.asmx/getMinifigCollection"
    assert query["apiKey"] == ["3-abcd-efgh"]
    assert query["userHash"] == ["user-hash-1"]
    assert json.loads(query["params"][0]) == {"owned": 1}


async def test_brickset_refusals_and_failures_are_coded_and_save_nothing(
    gql: GraphQLClient, committed: AsyncSession, brickset: BricksetRecordings
) -> None:
    await _catalog(committed)
    user = await sign_up(gql)
    brickset.responses += [
        _recorded({"status": "error", "message": "Invalid API key."}),
        _recorded({"Message": "An error has occurred."}, status=500),
    ]
    credentials = {"apiKey": "wrong", "userHash": "h"}

    for expected in ("Invalid API key.", "HTTP 500"):
        result = (await as_user(gql, user.headers, BRICKSET, input=credentials))[
            "importBricksetCollection"
        ]
        assert result["code"] == "UPSTREAM_ERROR"
        assert expected in result["message"]
    assert (await as_user(gql, user.headers, EXPORTS))["viewer"]["holdingsCsv"].count("\n") == 1


async def test_imports_need_a_writer_and_exports_a_reader(
    gql: GraphQLClient, committed: AsyncSession
) -> None:
    user = await sign_up(gql)
    anonymous = (await gql.data(IMPORT, csv=GOOD_CSV))["importHoldingsCsv"]
    assert anonymous["code"] == "UNAUTHENTICATED"
    assert (await gql.data(PREVIEW, csv=GOOD_CSV))["previewHoldingsCsv"]["code"] == (
        "UNAUTHENTICATED"
    )
    body = await gql.execute(EXPORTS)
    assert body["data"] == {"viewer": None}
    figure = await add_figures(committed, {"fig_num": "ex0001", "name": "Exported"})
    await committed.commit()
    await as_user(
        gql,
        user.headers,
        """mutation($id: ID!) { addToWatchlist(input: {minifigureId: $id}) { __typename } }""",
        id=to_global_id("Minifigure", figure["ex0001"]),
    )
    watchlist = (await as_user(gql, user.headers, EXPORTS))["viewer"]["watchlistCsv"]
    header, row = watchlist.splitlines()
    assert header == (
        "fig_num,name,condition,last_sale_usd,last_sale_at,change_7d_pct,change_30d_pct,added_at"
    )
    assert row.startswith("ex0001,Exported,USED,,,,,")
