import { useEffect, useState } from "preact/hooks";
import { useQuery } from "../api/hooks";
import { BrowsePageQuery } from "../api/operations";
import type { MinifigureSortField, SortDirection } from "../gql/graphql";
import { Empty, ErrorBox, Loading } from "../components/states";
import {
  browseToSearch,
  browseVariables,
  isSortKey,
  parseBrowse,
  SORTS,
  withFilter,
  type BrowseState,
} from "../lib/browse";
import { formatMoney, formatPct, trend, type Currency } from "../lib/format";
import { Link, navigate } from "../router";

const SEARCH_DELAY_MS = 300;

export function Browse({ search, currency }: { search: string; currency: Currency }) {
  const state = parseBrowse(search);
  const go = (next: BrowseState, replace = false) => navigate(`/browse${browseToSearch(next)}`, { replace });

  // The box follows typing at once; the URL (and the query) follow after a pause.
  const [typed, setTyped] = useState(state.q);
  useEffect(() => setTyped(state.q), [state.q]);
  useEffect(() => {
    if (typed === state.q) return undefined;
    const timer = setTimeout(() => go(withFilter(state, { q: typed }), true), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  const variables = browseVariables(state);
  const { data, error, loading, reload } = useQuery(BrowsePageQuery, {
    ...variables,
    orderBy: variables.orderBy
      ? { field: variables.orderBy.field as MinifigureSortField, direction: variables.orderBy.direction as SortDirection }
      : null,
    currency,
  });
  const page = data?.minifigures;

  return (
    <div class="browse">
      <h1>Browse minifigures</h1>
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search
          <input
            type="search"
            name="q"
            value={typed}
            placeholder="Name, fig number or theme"
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
        </label>
        <label>
          Theme
          <select value={state.theme} onChange={(e) => go(withFilter(state, { theme: e.currentTarget.value }))}>
            <option value="">All themes</option>
            {(data?.themes ?? []).map((t) => (
              <option key={t.name} value={t.name}>
                {t.name} ({t.count})
              </option>
            ))}
            {state.theme && !data?.themes.some((t) => t.name === state.theme) && (
              <option value={state.theme}>{state.theme}</option>
            )}
          </select>
        </label>
        <label>
          Year
          <input
            type="number"
            inputMode="numeric"
            min={1975}
            max={2100}
            value={state.year ?? ""}
            placeholder="Any"
            onChange={(e) => {
              const year = Number.parseInt(e.currentTarget.value, 10);
              go(withFilter(state, { year: Number.isInteger(year) ? year : null }));
            }}
          />
        </label>
        <label>
          Sort by
          <select
            value={state.sort}
            onChange={(e) => {
              const sort = e.currentTarget.value;
              if (isSortKey(sort)) go(withFilter(state, { sort }));
            }}
          >
            {Object.entries(SORTS).map(([key, sort]) => (
              <option key={key} value={key}>
                {sort.label}
              </option>
            ))}
          </select>
        </label>
      </form>

      {error && <ErrorBox error={error} retry={reload} />}
      {!page && loading && <Loading what="minifigures" />}
      {page && (
        <>
          <p class="muted" role="status" aria-live="polite">
            {page.totalCount === 1 ? "1 minifigure" : `${page.totalCount} minifigures`}
            {loading ? " · updating…" : ""}
          </p>
          {page.nodes.length === 0 ? (
            <Empty>
              No minifigure matches{state.q ? ` “${state.q}”` : ""}
              {state.theme ? ` in ${state.theme}` : ""}
              {state.year ? ` from ${state.year}` : ""}. Try fewer filters.
            </Empty>
          ) : (
            <div class="table-wrap">
              <table class="results" data-testid="results">
                <thead>
                  <tr>
                    <th scope="col">Minifigure</th>
                    <th scope="col">Theme</th>
                    <th scope="col">Year</th>
                    <th scope="col" class="num">Median</th>
                    <th scope="col" class="num">7 days</th>
                  </tr>
                </thead>
                <tbody>
                  {page.nodes.map((m) => (
                    <tr key={m.id}>
                      <td>
                        <Link href={`/m/${encodeURIComponent(m.figNum)}`} class="fig-link">
                          {m.imageUrl ? <img src={m.imageUrl} alt="" loading="lazy" class="thumb" /> : <span class="thumb noimg" aria-hidden="true" />}
                          <span>
                            {m.name} <span class="muted">{m.figNum}</span>
                          </span>
                        </Link>
                      </td>
                      <td>{m.theme ?? "—"}</td>
                      <td>{m.yearReleased ?? "—"}</td>
                      <td class="num">{formatMoney(m.latestPrice.median ?? m.latestPrice.lastSale, currency)}</td>
                      <td class={`num change ${trend(m.stats.changePct)}`}>{formatPct(m.stats.changePct)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav class="pager" aria-label="Pages">
            <button
              type="button"
              disabled={!(page.pageInfo.hasPreviousPage || state.after) || !page.pageInfo.startCursor}
              onClick={() => go({ ...state, after: null, before: page.pageInfo.startCursor })}
            >
              ← Previous
            </button>
            <button
              type="button"
              disabled={!(page.pageInfo.hasNextPage || state.before) || !page.pageInfo.endCursor}
              onClick={() => go({ ...state, before: null, after: page.pageInfo.endCursor })}
            >
              Next →
            </button>
          </nav>
        </>
      )}
    </div>
  );
}
