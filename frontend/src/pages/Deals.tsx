/** Deals: current asks far under their figure's 30-day sold median, with new ones live. */

import { useState } from "preact/hooks";
import { useQuery, useSubscription } from "../api/hooks";
import { request } from "../api/client";
import { Empty, ErrorBox, Loading } from "../components/states";
import { DealCard } from "../deals/DealCard";
import { DISCOUNTS, filtersUrl, readFilters, type DealFilters } from "../deals/filters";
import { DealFoundSubscription, DealsQuery } from "../deals/operations";
import "../deals/deals.css";
import type { Condition, DealFieldsFragment } from "../gql/graphql";
import type { Currency } from "../lib/format";
import { navigate } from "../router";

const LIVE_SHOWN = 20;

export function Deals({ search, currency }: { search: string; currency: Currency }) {
  const filters = readFilters(search);
  // A new filter starts the page (and its live list) over.
  return <DealsPage key={`${filters.minDiscountPct}:${filters.condition}`} filters={filters} currency={currency} />;
}

function DealsPage({ filters, currency }: { filters: DealFilters; currency: Currency }) {
  const variables = { ...filters, after: null, currency };
  const query = useQuery(DealsQuery, variables);
  const { data, error, loading, reload, retryAt } = query;
  const shownCurrency = query.dataVariables?.currency ?? currency;
  const [more, setMore] = useState<{ deals: DealFieldsFragment[]; after: string | null; done: boolean } | null>(null);
  const [fresh, setFresh] = useState<DealFieldsFragment[]>([]);

  useSubscription(DealFoundSubscription, { ...filters, since: null, currency }, (found) => {
    const deal = found.dealFound.deal;
    if (!deal) return;
    setFresh((previous) => [deal, ...previous.filter((d) => d.listing.id !== deal.listing.id)].slice(0, LIVE_SHOWN));
  });

  const page = data?.deals;
  const loaded = [...(page?.edges.map((e) => e.node) ?? []), ...(more?.deals ?? [])];
  const freshIds = new Set(fresh.map((d) => d.listing.id));
  const listed = loaded.filter((d) => !freshIds.has(d.listing.id));
  const after = more ? more.after : (page?.pageInfo.endCursor ?? null);
  const hasMore = more ? !more.done : (page?.pageInfo.hasNextPage ?? false);
  const loadMore = async () => {
    const next = await request(DealsQuery, { ...variables, after });
    setMore({
      deals: [...(more?.deals ?? []), ...next.deals.edges.map((e) => e.node)],
      after: next.deals.pageInfo.endCursor ?? null,
      done: !next.deals.pageInfo.hasNextPage,
    });
  };
  const go = (change: Partial<DealFilters>) => navigate(filtersUrl({ ...filters, ...change }), { replace: true });

  return (
    <div class="deals">
      <h1>Deals</h1>
      <p class="muted">
        Current asks at least {filters.minDiscountPct}% under what the figure sold for (median of the last 30 days, same
        condition). New ones appear at the top as they are collected.
      </p>
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          At least
          <select value={String(filters.minDiscountPct)} onChange={(e) => go({ minDiscountPct: Number(e.currentTarget.value) })}>
            {[...new Set([...DISCOUNTS, filters.minDiscountPct])].sort((a, b) => a - b).map((pct) => (
              <option key={pct} value={String(pct)}>
                {pct}% under
              </option>
            ))}
          </select>
        </label>
        <label>
          Condition
          <select
            value={filters.condition ?? ""}
            onChange={(e) => go({ condition: (e.currentTarget.value || null) as Condition | null })}
          >
            <option value="">New and used</option>
            <option value="NEW">New</option>
            <option value="USED">Used</option>
          </select>
        </label>
      </form>
      {error && <ErrorBox error={error} retry={reload} retryAt={retryAt} stale={data !== null} />}
      {!data && !error && <Loading what="deals" />}
      {fresh.length > 0 && (
        <section aria-labelledby="fresh-title">
          <h2 id="fresh-title">Just found</h2>
          <ul class="deal-list" aria-live="polite" data-testid="fresh-deals">
            {fresh.map((deal) => (
              <DealCard key={deal.listing.id} deal={deal} currency={currency} fresh />
            ))}
          </ul>
        </section>
      )}
      {data && (
        <section aria-busy={loading} aria-label="Current deals">
          {listed.length === 0 && fresh.length === 0 ? (
            <Empty>No current ask is {filters.minDiscountPct}% under its sold median. Try a smaller discount.</Empty>
          ) : (
            <ul class="deal-list" data-testid="deals">
              {listed.map((deal) => (
                <DealCard key={deal.listing.id} deal={deal} currency={shownCurrency} />
              ))}
            </ul>
          )}
          {hasMore && (
            <button type="button" onClick={() => void loadMore()}>
              More deals
            </button>
          )}
        </section>
      )}
    </div>
  );
}
