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
}

export const PAGE_SIZE = 24;

export function isSortKey(value: string): value is SortKey {
  return Object.hasOwn(SORTS, value);
}

export function parseBrowse(search: string): BrowseState {
  const params = new URLSearchParams(search);
  const year = Number.parseInt(params.get("year") ?? "", 10);
  const sort = params.get("sort") ?? "";
  return {
    q: params.get("q") ?? "",
    theme: params.get("theme") ?? "",
    year: Number.isInteger(year) && year > 1900 && year < 3000 ? year : null,
    sort: isSortKey(sort) ? sort : "",
    after: params.get("after"),
    before: params.get("after") ? null : params.get("before"),
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
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** A filter change starts again at the first page. */
export function withFilter(state: BrowseState, change: Partial<Omit<BrowseState, "after" | "before">>): BrowseState {
  return { ...state, ...change, after: null, before: null };
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
