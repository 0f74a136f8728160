"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from server.models.accounts import Account, ApiKey, RefreshToken
from server.models.alerts import AlertEvent, AlertRule, WebhookDelivery, WebhookStatus
from server.models.catalog import Minifigure
from server.models.collections import Holding, WatchlistItem
from server.models.fx import FxRate, FxRateRecord
from server.models.identity import CrosswalkEntry, MinifigureMerge
from server.models.outbox import EventOutbox
from server.models.prices import Condition, ListingKind, PriceListing, PriceSnapshot
from server.models.provenance import RawObservation
from server.models.sources import DataSource, SyncRun, SyncStatus

__all__ = [
    "Account",
    "AlertEvent",
    "AlertRule",
    "ApiKey",
    "Condition",
    "CrosswalkEntry",
    "DataSource",
    "EventOutbox",
    "FxRate",
    "FxRateRecord",
    "Holding",
    "ListingKind",
    "Minifigure",
    "MinifigureMerge",
    "PriceListing",
    "PriceSnapshot",
    "RawObservation",
    "RefreshToken",
    "SyncRun",
    "SyncStatus",
    "WatchlistItem",
    "WebhookDelivery",
    "WebhookStatus",
]
