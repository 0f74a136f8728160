"""Exchange rates: the shipped default table and the ECB daily reference rates.

The ECB quotes every currency per EUR (1 EUR = `rate` units of X), so one unit of X
is worth usd_rate / rate USD, and one EUR is worth usd_rate USD.
The shipped table (workers/data/fx_rates.csv) holds approximate quarterly rates so a
fresh install converts prices at all; the worker adds the ECB's rates every day, and
`stonks import-fx` loads the ECB history for exact past rates.
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

from server.store.fx import Rate

# Published on working days around 16:00 CET; the worker fetches it daily at 16:30 UTC.
ECB_DAILY_URL = "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml"
SHIPPED_CSV = Path(__file__).resolve().parent.parent / "data" / "fx_rates.csv"
_PRECISION = Decimal("0.00000001")


class FxFormatError(ValueError):
    """The file is not in the format the importer expects; nothing was imported."""


def shipped_rates(path: Path = SHIPPED_CSV) -> list[Rate]:
    with path.open(newline="", encoding="utf-8") as file:
        return [
            Rate(row["currency"], date.fromisoformat(row["day"]), Decimal(row["usd_per_unit"]))
            for row in csv.DictReader(file)
        ]


def parse_ecb_xml(document: bytes | str) -> list[Rate]:
    """Rates from eurofxref-daily.xml / eurofxref-hist.xml, converted to USD per unit.

    Days without a USD quote cannot be converted and are skipped.
    """
    try:
        root = ElementTree.fromstring(document)  # noqa: S314 - a trusted ECB download
    except ElementTree.ParseError as error:
        raise FxFormatError(f"not XML: {error}") from error
    rates: list[Rate] = []
    days = [cube for cube in root.iter() if _local(cube.tag) == "Cube" and "time" in cube.attrib]
    if not days:
        raise FxFormatError("no <Cube time=...> elements: not an ECB reference rates file")
    for day_cube in days:
        try:
            day = date.fromisoformat(day_cube.attrib["time"])
            per_eur = {
                cube.attrib["currency"]: Decimal(cube.attrib["rate"])
                for cube in day_cube
                if _local(cube.tag) == "Cube"
            }
        except (KeyError, ValueError, InvalidOperation) as error:
            raise FxFormatError(f"bad rate entry near {day_cube.attrib}: {error}") from error
        usd_per_eur = per_eur.get("USD")
        if usd_per_eur is None or usd_per_eur <= 0:
            continue
        rates.append(Rate("EUR", day, usd_per_eur.quantize(_PRECISION)))
        for currency, rate in per_eur.items():
            if currency != "USD" and rate > 0:
                rates.append(Rate(currency, day, (usd_per_eur / rate).quantize(_PRECISION)))
    return rates


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]
