"""The catalog: one row per minifigure, keyed by its BrickLink-style fig number."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Computed, DateTime, Index, Integer, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR, UUID
from sqlalchemy.orm import Mapped, mapped_column

from server.db import Base

# Fig numbers and themes are identifiers, so they are indexed unstemmed ('simple');
# names are prose, so English stemming lets "troopers" find "Stormtrooper".
SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple', fig_num), 'A') || "
    "setweight(to_tsvector('english', name), 'A') || "
    "setweight(to_tsvector('simple', coalesce(theme, '')), 'B')"
)


class Minifigure(Base):
    __tablename__ = "minifigures"
    __table_args__ = (
        CheckConstraint("fig_num = lower(fig_num) AND fig_num <> ''", name="fig_num_normalized"),
        CheckConstraint("year_released BETWEEN 1949 AND 2100", name="year_released_range"),
        CheckConstraint("num_parts >= 0", name="num_parts_positive"),
        Index("ix_minifigures_search_vector", "search_vector", postgresql_using="gin"),
        Index("ix_minifigures_theme", "theme"),
        Index("ix_minifigures_year_released", "year_released"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    fig_num: Mapped[str] = mapped_column(Text, unique=True)
    rebrickable_id: Mapped[str | None] = mapped_column(Text, unique=True)
    brickowl_id: Mapped[str | None] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    theme: Mapped[str | None] = mapped_column(Text)
    year_released: Mapped[int | None] = mapped_column(Integer)
    num_parts: Mapped[int | None] = mapped_column(Integer)
    image_url: Mapped[str | None] = mapped_column(Text)
    # "metadata" is reserved on declarative classes, hence the attribute name.
    extra: Mapped[dict[str, Any]] = mapped_column(
        "metadata", JSONB, server_default=text("'{}'::jsonb")
    )
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, Computed(SEARCH_VECTOR_SQL, persisted=True), deferred=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
