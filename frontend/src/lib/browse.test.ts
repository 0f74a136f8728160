import { describe, expect, it } from "vitest";
import { browseToSearch, browseVariables, columnSortState, headerSort, pageCount, parseBrowse, PAGE_SIZE, withFilter } from "./browse";

describe("browse state in the URL", () => {
  it("round-trips every filter", () => {
    const search = "?q=luke&theme=Star+Wars&year=1999&sort=price-desc&after=abc&page=3";
    expect(browseToSearch(parseBrowse(search))).toBe(search);
  });

  it("defaults what is missing or invalid", () => {
    expect(parseBrowse("?year=soon&sort=bogus")).toEqual({
      q: "",
      theme: "",
      year: null,
      sort: "",
      after: null,
      before: null,
      page: 1,
    });
    expect(parseBrowse("?page=4").page).toBe(1); // no cursor: the first page whatever it says
    expect(browseToSearch(parseBrowse(""))).toBe("");
  });

  it("starts at the first page when a filter changes", () => {
    const state = parseBrowse("?q=luke&after=abc");
    expect(browseToSearch(withFilter(state, { theme: "Star Wars" }))).toBe("?q=luke&theme=Star+Wars");
  });
});

describe("browseVariables", () => {
  it("pages forward with first/after and filters", () => {
    expect(browseVariables(parseBrowse("?q=+vader+&theme=Star+Wars&year=2005&sort=change-asc&after=c1"))).toEqual({
      first: PAGE_SIZE,
      last: null,
      after: "c1",
      before: null,
      filter: { search: "vader", themes: ["Star Wars"], years: [2005] },
      orderBy: { field: "CHANGE_7D", direction: "ASC" },
    });
  });

  it("pages backward with last/before and leaves the order to the server by default", () => {
    const variables = browseVariables(parseBrowse("?before=c9"));
    expect(variables).toMatchObject({ first: null, last: PAGE_SIZE, before: "c9", after: null, orderBy: null });
    expect(variables.filter).toEqual({ search: null, themes: null, years: null });
  });
});

describe("pages and sortable headers", () => {
  it("counts pages of PAGE_SIZE, at least one", () => {
    expect([0, 1, PAGE_SIZE, PAGE_SIZE + 1].map(pageCount)).toEqual([1, 1, 1, 2]);
  });

  it("sorts by a column, then flips it", () => {
    expect(headerSort("price", "")).toBe("price-desc");
    expect(headerSort("price", "price-desc")).toBe("price-asc");
    expect(headerSort("price", "price-asc")).toBe("price-desc");
    expect(headerSort("name", "name")).toBe("name");
  });

  it("tells assistive technology how each column is sorted", () => {
    expect(columnSortState("price", "price-asc")).toBe("ascending");
    expect(columnSortState("change", "change-desc")).toBe("descending");
    expect(columnSortState("year", "price-asc")).toBe("none");
  });
});
