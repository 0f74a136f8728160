"""Enums shared by price types: the model enums, registered with GraphQL descriptions.

`strawberry.enum` marks the class itself, so the model enums are the GraphQL types and
values never need converting.
"""

from __future__ import annotations

import strawberry

from server.models import Condition, ListingKind, SyncStatus

strawberry.enum(Condition, description="The condition of the minifigure sold or offered.")
strawberry.enum(
    ListingKind,
    description="SOLD: a completed sale; ASK: an asking price of a listing still for sale.",
)
strawberry.enum(SyncStatus, description="Where a sync run is in its life.")

__all__ = ["Condition", "ListingKind", "SyncStatus"]
