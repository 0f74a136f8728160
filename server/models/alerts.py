"""Price alerts: a collector's rules, the crossings that fired them, webhook attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base

# A rule watches either a price level (price + currency) or a move (change_pct + window).
RULE_SHAPE = (
    "(price IS NOT NULL AND currency IS NOT NULL AND change_pct IS NULL AND window_days IS NULL)"
    " OR (price IS NULL AND currency IS NULL AND change_pct IS NOT NULL"
    " AND window_days IS NOT NULL)"
)


class WebhookStatus(StrEnum):
    """Where a firing's webhook delivery stands."""

    PENDING = "PENDING"
    DELIVERED = "DELIVERED"
    FAILED = "FAILED"


class AlertRule(Base):
    __tablename__ = "alert_rules"
    __table_args__ = (
        CheckConstraint("condition IN ('NEW', 'USED')", name="condition_known"),
        CheckConstraint("kind IN ('SOLD', 'ASK')", name="kind_known"),
        CheckConstraint("direction IN ('ABOVE', 'BELOW')", name="direction_known"),
        CheckConstraint(RULE_SHAPE, name="price_or_change"),
        Index("ix_alert_rules_account_id", "account_id"),
        Index("ix_alert_rules_watched", "minifigure_id", "condition", "kind"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("accounts.id", ondelete="CASCADE")
    )
    minifigure_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("minifigures.id", ondelete="CASCADE")
    )
    condition: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    direction: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    change_pct: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    window_days: Mapped[int | None] = mapped_column(Integer)
    webhook_url: Mapped[str | None] = mapped_column(Text)
    # Kept in clear: every delivery is signed with it (shown to the owner once).
    webhook_secret: Mapped[str] = mapped_column(Text)
    # False after a firing until a price outside the condition re-arms the rule:
    # a crossing fires once, not every matching price after it.
    armed: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AlertEvent(Base):
    """A rule's firing on one listing; (alert, listing key) is unique: stored once."""

    __tablename__ = "alert_events"
    __table_args__ = (
        UniqueConstraint("alert_id", "listing_id", name="uq_alert_events_crossing"),
        CheckConstraint(
            "webhook_status IS NULL OR webhook_status IN ('PENDING', 'DELIVERED', 'FAILED')",
            name="webhook_status_known",
        ),
        Index("ix_alert_events_account_id", "account_id", "id"),
        Index("ix_alert_events_alert_id", "alert_id", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    alert_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("alert_rules.id", ondelete="CASCADE")
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("accounts.id", ondelete="CASCADE")
    )
    minifigure_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("minifigures.id", ondelete="CASCADE")
    )
    # The listing that crossed. Firings commit with their listings, so a committed
    # listing keeps its id and is never inserted (nor evaluated) again.
    listing_id: Mapped[int] = mapped_column(BigInteger)
    source: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(Text)
    condition: Mapped[str] = mapped_column(Text)
    price_usd: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # For move rules: the window's median the price moved from, and the move.
    reference_usd: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    change_pct: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # NULL when the rule had no webhook at firing time.
    webhook_status: Mapped[str | None] = mapped_column(Text)


class WebhookDelivery(Base):
    """One attempt to POST an alert event to its rule's webhook."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_alert_id", "alert_id", "id"),
        UniqueConstraint("alert_event_id", "attempt", name="uq_webhook_deliveries_attempt"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(always=True), primary_key=True)
    alert_event_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("alert_events.id", ondelete="CASCADE")
    )
    alert_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("alert_rules.id", ondelete="CASCADE")
    )
    attempt: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(Text)
    # NULL when no HTTP answer came (refused target, connection error, timeout).
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
