"""What a shared link to a figure page previews: its name, a sentence about it, its picture."""

from __future__ import annotations

import logging
from urllib.parse import unquote

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from server.models import Minifigure
from server.spa import DescribeFigure, PageMeta
from server.store.catalog import minifigures_by_fig_nums

logger = logging.getLogger(__name__)


def figure_meta(figure: Minifigure) -> PageMeta:
    facts = ", ".join(
        str(fact) for fact in (figure.theme, figure.year_released) if fact is not None
    )
    about = f"{figure.name} ({figure.fig_num}{f'; {facts}' if facts else ''})"
    return PageMeta(
        title=figure.name,
        description=f"{about}: LEGO minifigure prices, with recent sales, asks and price history.",
        image_url=figure.image_url if (figure.image_url or "").startswith("https://") else None,
    )


def figure_describer(session_factory: async_sessionmaker[AsyncSession]) -> DescribeFigure:
    async def describe(raw_fig_num: str) -> PageMeta | None:
        fig_num = unquote(raw_fig_num).strip().lower()
        try:
            async with session_factory() as session:
                found = await minifigures_by_fig_nums(session, [fig_num])
        except (SQLAlchemyError, OSError):
            # The page still works without its preview; the app reports the outage.
            logger.warning("figure page preview unavailable for %s", fig_num, exc_info=True)
            return None
        return figure_meta(found[0]) if found else None

    return describe
