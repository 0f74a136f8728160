import { useEffect, useState } from "preact/hooks";
import { request } from "../api/client";
import { useQuery } from "../api/hooks";
import { BrowsePageQuery } from "../api/operations";
import type { BrowsePageQuery as BrowseData, BrowsePageQueryVariables, MinifigureSortField, SortDirection } from "../gql/graphql";
import { Empty, ErrorBox, Loading, Updating } from "../components/states";
import {
  browseToSearch,
  browseVariables,
  columnSortState,
  headerSort,
  isSortKey,
  pageCount,
  parseBrowse,
  SORTS,
  withFilter,
  type BrowseState,
  type SortableColumn,
} from "../lib/browse";
import { saveCsv, toCsv } from "../lib/csv";
import { formatMoney, formatPct, trend, type Currency } from "../lib/format";
import { Link, navigate } from "../router";
import { FigureImage } from "../components/FigureImage";

const TYPING_DELAY_MS = 300;
/** A CSV export walks the whole result in pages of the API's largest size, up to this many. */
const EXPORT_PAGES = 20;
const EXPORT_PAGE_SIZE = 100;

function queryVariables(state: BrowseState, currency: Currency): BrowsePageQueryVariables {
  const variables = browseVariables(state);
  return {
    ...variables,
    orderBy: variables.orderBy
      ? { field: variables.orderBy.field as MinifigureSortField, direction: variables.orderBy.direction as SortDirection }
      : null,
    currency,
  };
}

async function exportResult(state: BrowseState, currency: Currency): Promise<void> {
  const base = queryVariables({ ...state, after: null, before: null, page: 1 }, currency);
  const rows: (string | number | null)[][] = [];
  let after: string | null = null;
  for (let page = 0; page < EXPORT_PAGES; page += 1) {
    const data: BrowseData = await request(BrowsePageQuery, { ...base, first: EXPORT_PAGE_SIZE, last: null, after });
    for (const m of data.minifigures.nodes) {
      rows.push([m.figNum, m.name, m.theme ?? null, m.yearReleased ?? null, m.latestPrice.median ?? m.latestPrice.lastSale ?? null, m.stats.changePct ?? null, currency]);
    }
    if (!data.minifigures.pageInfo.hasNextPage) break;
    after = data.minifigures.pageInfo.endCursor ?? null;
  }
  const header = ["fig_num", "name", "theme", "year", "price", "change_7d_pct", "currency"];
  saveCsv("minifigures.csv", toCsv(header, rows));
}

/** The box follows typing at once; the URL (and the query) follow after a pause. */
function useTypedFilter<T>(value: T, commit: (value: T) => void): [T, (value: T) => void] {
  const [typed, setTyped] = useState(value);
  useEffect(() => setTyped(value), [value]);
  useEffect(() => {
    if (typed === value) return undefined;
    const timer = setTimeout(() => commit(typed), TYPING_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  return [typed, setTyped];
}

function SortHeader({
  column,
  state,
  go,
  children,
  numeric = false,
}: {
  column: SortableColumn;
  state: BrowseState;
  go: (next: BrowseState) => void;
  children: string;
  numeric?: boolean;
}) {
  const sorted = columnSortState(column, state.sort);
  const arrow = sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "";
  return (
    <th scope="col" class={numeric ? "num" : undefined} aria-sort={sorted}>
      <button type="button" class="sort" onClick={() => go(withFilter(state, { sort: headerSort(column, state.sort) }))}>
        {children}
        <span aria-hidden="true">{arrow ? ` ${arrow}` : ""}</span>
      </button>
    </th>
  );
}

export function Browse({ search, currency }: { search: string; currency: Currency }) {
  const state = parseBrowse(search);
  const go = (next: BrowseState, replace = false) => navigate(`/browse${browseToSearch(next)}`, { replace });
  const [typed, setTyped] = useTypedFilter(state.q, (q) => go(withFilter(state, { q }), true));
  const [typedYear, setTypedYear] = useTypedFilter(state.year === null ? "" : String(state.year), (text) => {
    const year = Number.parseInt(text, 10);
    go(withFilter(state, { year: Number.isInteger(year) ? year : null }), true);
  });
  const [exporting, setExporting] = useState(false);

  const query = useQuery(BrowsePageQuery, queryVariables(state, currency));
  const { data, error, loading, reload, retryAt } = query;
  const page = data?.minifigures;
  // Prices are labelled in the currency they were loaded in, until the new ones arrive.
  const shownCurrency = query.dataVariables?.currency ?? currency;

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
            value={typedYear}
            placeholder="Any"
            onInput={(e) => setTypedYear(e.currentTarget.value)}
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

      {error && <ErrorBox error={error} retry={reload} retryAt={retryAt} stale={page !== undefined} />}
      {!page && !error && <Loading what="minifigures" />}
      {page && (
        <div aria-busy={loading} class={loading ? "stale" : ""}>
          <div class="result-head">
            <p class="muted" role="status" aria-live="polite">
              {page.totalCount === 1 ? "1 minifigure" : `${page.totalCount} minifigures`}
              {page.totalCount > 0 && ` · page ${state.page} of ${pageCount(page.totalCount)}`}
            </p>
            <Updating active={loading} />
            {page.totalCount > 0 && (
              <button
                type="button"
                disabled={exporting}
                onClick={() => {
                  setExporting(true);
                  exportResult(state, currency).finally(() => setExporting(false));
                }}
              >
                {exporting ? "Preparing CSV…" : "Download CSV"}
              </button>
            )}
          </div>
          {page.nodes.length === 0 ? (
            <Empty>
              No minifigure matches{state.q ? ` “${state.q}”` : ""}
              {state.theme ? ` in ${state.theme}` : ""}
              {state.year ? ` from ${state.year}` : ""}. Try fewer filters.
            </Empty>
          ) : (
            <table class="results cards" data-testid="results">
              <thead>
                <tr>
                  <SortHeader column="name" state={state} go={go}>
                    Minifigure
                  </SortHeader>
                  <th scope="col">Theme</th>
                  <SortHeader column="year" state={state} go={go}>
                    Year
                  </SortHeader>
                  <SortHeader column="price" state={state} go={go} numeric>
                    Median
                  </SortHeader>
                  <SortHeader column="change" state={state} go={go} numeric>
                    7 days
                  </SortHeader>
                </tr>
              </thead>
              <tbody>
                {page.nodes.map((m) => (
                  <tr key={m.id}>
                    <td class="card-title">
                      <Link href={`/m/${encodeURIComponent(m.figNum)}`} class="fig-link">
                        <FigureImage src={m.imageUrl} class="thumb" />
                        <span>
                          {m.name} <span class="muted">{m.figNum}</span>
                        </span>
                      </Link>
                    </td>
                    <td data-label="Theme">{m.theme ?? "—"}</td>
                    <td data-label="Year">{m.yearReleased ?? "—"}</td>
                    <td data-label="Median" class="num price">
                      <span class="money">{formatMoney(m.latestPrice.median ?? m.latestPrice.lastSale, shownCurrency)}</span>
                    </td>
                    <td data-label="7 days" class={`num change ${trend(m.stats.changePct)}`}>
                      {formatPct(m.stats.changePct)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <nav class="pager" aria-label="Pages">
            <button
              type="button"
              disabled={!(page.pageInfo.hasPreviousPage || state.after) || !page.pageInfo.startCursor}
              onClick={() => go({ ...state, after: null, before: page.pageInfo.startCursor ?? null, page: Math.max(1, state.page - 1) })}
            >
              ← Previous
            </button>
            <button
              type="button"
              disabled={!(page.pageInfo.hasNextPage || state.before) || !page.pageInfo.endCursor}
              onClick={() => go({ ...state, before: null, after: page.pageInfo.endCursor ?? null, page: state.page + 1 })}
            >
              Next →
            </button>
          </nav>
        </div>
      )}
    </div>
  );
}
