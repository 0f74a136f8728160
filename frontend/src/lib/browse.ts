/** The browse page's state, kept in the URL so a link shows the same page. */

export const SORTS = {
  "": { label: "Best match / name", field: null, direction: "ASC" },
  name: { label: "Name A–Z", field: "NAME", direction: "ASC" },
  "price-desc": { label: "Price, highest first", field: "PRICE", direction: "DESC" },
  "price-asc": { label: "Price, lowest first", field: "PRICE", direction: "ASC" },
  "change-desc": { label: "7-day change, biggest rise", field: "CHANGE_7D", direction: "DESC" },
  "change-asc": { label: "7-day change, biggest fall", field: "CHANGE_7D", direction: "ASC" },
  "year-desc": { label: "Newest release", field: "YEAR", direction: "DESC" },
  "year-asc": { label: "Oldest release", field: "YEAR", direction: "ASC" },
  fig: { label: "Fig number", field: "FIG_NUM", direction: "ASC" },
} as const;
export type SortKey = keyof typeof SORTS;

export interface BrowseState {
  q: string;
  theme: string;
  year: number | null;
  sort: SortKey;
  after: string | null;
  before: string | null;
  /** Which page the cursor is on (1 = first), for "page 2 of 5". */
  page: number;
}

export const PAGE_SIZE = 24;

export function isSortKey(value: string): value is SortKey {
  return Object.hasOwn(SORTS, value);
}

export function parseBrowse(search: string): BrowseState {
  const params = new URLSearchParams(search);
  const year = Number.parseInt(params.get("year") ?? "", 10);
  const sort = params.get("sort") ?? "";
  const page = Number.parseInt(params.get("page") ?? "", 10);
  const cursor = params.get("after") ?? params.get("before");
  return {
    q: params.get("q") ?? "",
    theme: params.get("theme") ?? "",
    year: Number.isInteger(year) && year > 1900 && year < 3000 ? year : null,
    sort: isSortKey(sort) ? sort : "",
    after: params.get("after"),
    before: params.get("after") ? null : params.get("before"),
    page: cursor && Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string of `state` (defaults left out); "" when everything is default. */
export function browseToSearch(state: BrowseState): string {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q.trim());
  if (state.theme) params.set("theme", state.theme);
  if (state.year !== null) params.set("year", String(state.year));
  if (state.sort) params.set("sort", state.sort);
  if (state.after) params.set("after", state.after);
  else if (state.before) params.set("before", state.before);
  if ((state.after || state.before) && state.page > 1) params.set("page", String(state.page));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A filter change starts again at the first page. */
export function withFilter(state: BrowseState, change: Partial<Omit<BrowseState, "after" | "before" | "page">>): BrowseState {
  return { ...state, ...change, after: null, before: null, page: 1 };
}

export function pageCount(totalCount: number): number {
  return Math.max(1, Math.ceil(totalCount / PAGE_SIZE));
}

/** Columns whose header sorts: the first click uses the column's natural order, the next flips it. */
export const SORTABLE_COLUMNS = {
  name: { first: "name", second: null },
  year: { first: "year-desc", second: "year-asc" },
  price: { first: "price-desc", second: "price-asc" },
  change: { first: "change-desc", second: "change-asc" },
} as const satisfies Record<string, { first: SortKey; second: SortKey | null }>;
export type SortableColumn = keyof typeof SORTABLE_COLUMNS;

export function headerSort(column: SortableColumn, current: SortKey): SortKey {
  const { first, second } = SORTABLE_COLUMNS[column];
  return current === first && second !== null ? second : first;
}

/** The aria-sort of a column's header under the current sort. */
export function columnSortState(column: SortableColumn, current: SortKey): "ascending" | "descending" | "none" {
  const { first, second } = SORTABLE_COLUMNS[column];
  if (current !== first && current !== second) return "none";
  return SORTS[current].direction === "ASC" ? "ascending" : "descending";
}

export interface BrowseVariables {
  first: number | null;
  last: number | null;
  after: string | null;
  before: string | null;
  filter: { search: string | null; themes: string[] | null; years: number[] | null };
  orderBy: { field: string; direction: string } | null;
}

export function browseVariables(state: BrowseState): BrowseVariables {
  const sort = SORTS[state.sort];
  const backwards = state.before !== null && state.after === null;
  return {
    first: backwards ? null : PAGE_SIZE,
    last: backwards ? PAGE_SIZE : null,
    after: state.after,
    before: backwards ? state.before : null,
    filter: {
      search: state.q.trim() || null,
      themes: state.theme ? [state.theme] : null,
      years: state.year !== null ? [state.year] : null,
    },
    orderBy: sort.field ? { field: sort.field, direction: sort.direction } : null,
  };
}
