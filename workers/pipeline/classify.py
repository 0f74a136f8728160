"""Classification: listings kept but left out of statistics, with the reason stored.

Titles (eBay, demo) reveal lots, parts-only, custom builds, keychains and big figs;
prices far from the recent median (modified z-score, Iglewicz & Hoaglin) are outliers.
"""

from __future__ import annotations

import functools
import re
import statistics
from collections.abc import Sequence
from decimal import Decimal

from server.models.prices import OUTLIER as PRICE_OUTLIER

# Ordered: the first matching rule names the reason.
_TITLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("keychain", re.compile(r"\bkey ?(chain|ring)s?\b|\bmagnets?\b", re.I)),
    ("big_fig", re.compile(r"\bbig ?figs?\b|\bmaxi ?fig|\bjumbo\b", re.I)),
    (
        "custom",
        re.compile(
            r"\bcustom\b|\bmoc\b|\bnot lego\b|\bcompatible\b|\breplica\b|\bknock.?off", re.I
        ),
    ),
    (
        "parts_only",
        re.compile(
            r"\b(torso|legs|head|helmet|hair|cape|accessor(y|ies)|weapon)s? only\b|"
            r"\bparts? only\b|\bno (head|legs|torso)\b|\bincomplete\b",
            re.I,
        ),
    ),
    (
        "lot",
        re.compile(
            r"\b(job ?)?lot\b|\bbundle\b|\bbulk\b|\bcollection of\b|\b\d{1,3} ?x\b|"
            r"\b\d{1,3} (lego )?minifig(ure)?s\b",
            re.I,
        ),
    ),
)

# Any rule at all, in one scan: most titles match none, and then one scan settles it.
_ANY_TITLE_RULE = re.compile("|".join(f"(?:{p.pattern})" for _, p in _TITLE_RULES), re.I)

OUTLIER = PRICE_OUTLIER
# Iglewicz & Hoaglin's recommended cut-off for the modified z-score.
MODIFIED_Z_LIMIT = 3.5
# Below this many reference prices a median says too little to call anything an outlier.
MIN_REFERENCE = 5


def _title_reasons(text: str | None) -> list[str]:
    if not text:
        return []
    return [reason for reason, pattern in _TITLE_RULES if pattern.search(text)]


# Per catalog name, not per listing: a batch holds many listings of each figure.
@functools.lru_cache(maxsize=8192)
def _inherent_reasons(catalog_name: str | None) -> frozenset[str]:
    return frozenset(_title_reasons(catalog_name))


def title_exclusion(title: str | None, catalog_name: str | None = None) -> str | None:
    """Why a listing's title disqualifies it, or None.

    A rule the catalog's own name matches does not count: a figure that *is* a big fig
    (e.g. "Hulk (Big Fig)") is sold under titles that say so.
    """
    if not title or not _ANY_TITLE_RULE.search(title):
        return None
    inherent = _inherent_reasons(catalog_name)
    return next(
        (r for r, pattern in _TITLE_RULES if r not in inherent and pattern.search(title)), None
    )


class OutlierTest:
    """Modified z-score against a reference sample: |0.6745 (x - median) / MAD| > 3.5."""

    def __init__(self, reference: Sequence[Decimal]) -> None:
        self._median: Decimal | None = None
        self._mad = Decimal(0)
        if len(reference) >= MIN_REFERENCE:
            median = statistics.median(reference)
            self._median = median
            self._mad = statistics.median(abs(value - median) for value in reference)

    def is_outlier(self, price: Decimal) -> bool:
        if self._median is None:
            return False
        if self._mad == 0:
            # Half the sample shares one price: flag only gross departures from it.
            return price > self._median * 3 or price * 3 < self._median
        score = Decimal("0.6745") * (price - self._median) / self._mad
        return abs(score) > Decimal(str(MODIFIED_Z_LIMIT))
