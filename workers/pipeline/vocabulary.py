"""The marketplaces' words for conditions and listing kinds, mapped to ours."""

from __future__ import annotations

from server.models import Condition, ListingKind

# BrickLink says N/U, BrickOwl new/used, eBay "New", "Used", "New other (see details)".
CONDITIONS: dict[str, Condition] = {
    "n": Condition.NEW,
    "new": Condition.NEW,
    "new other (see details)": Condition.NEW,
    "new with tags": Condition.NEW,
    "new without tags": Condition.NEW,
    "new_sealed": Condition.NEW,
    "u": Condition.USED,
    "used": Condition.USED,
    "pre-owned": Condition.USED,
    "used_complete": Condition.USED,
    "used_good": Condition.USED,
    "used_like_new": Condition.USED,
}

KINDS: dict[str, ListingKind] = {kind.value: kind for kind in ListingKind}


def condition_of(raw: str) -> Condition:
    return CONDITIONS[raw.strip().lower()]


def kind_of(raw: str) -> ListingKind:
    return KINDS[raw.upper()]
