import { describe, expect, it } from "vitest";
import { filtersUrl, readFilters } from "./filters";

describe("deal filters", () => {
  it("reads what it writes", () => {
    const filters = { minDiscountPct: 35, condition: "USED" as const };
    expect(readFilters(filtersUrl(filters).split("?")[1])).toEqual(filters);
  });

  it("falls back to 20 % and both conditions on nonsense", () => {
    expect(readFilters("?min=-5&condition=MINT")).toEqual({ minDiscountPct: 20, condition: null });
    expect(readFilters("?min=abc")).toEqual({ minDiscountPct: 20, condition: null });
    expect(filtersUrl({ minDiscountPct: 20, condition: null })).toBe("/deals");
  });
});
