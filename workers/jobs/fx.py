"""Exchange rates: the shipped table on first start."""

from __future__ import annotations

from server.store.fx import known_currencies, upsert_rates
from workers.context import Services
from workers.sources.fx import shipped_rates


async def load_shipped_rates(services: Services) -> int:
    """Loads the shipped table into an empty fx_rates table (imported rates are never replaced)."""
    async with services.session_factory() as session, session.begin():
        if await known_currencies(session) != ["USD"]:
            return 0
        rates = shipped_rates()
        await upsert_rates(session, rates, source="shipped")
    return len(rates)
