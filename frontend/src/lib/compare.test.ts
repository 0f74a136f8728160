import { describe, expect, it } from "vitest";
import { compareSlots, compareToSearch, parseCompare, withFigure } from "./compare";

describe("compare state", () => {
  it("round-trips through the URL, at most four distinct figures", () => {
    const state = parseCompare("?figs=sw0001a,sw0002,sw0001a,sw0003,sw0004,sw0005&range=30D&condition=NEW");
    expect(state).toEqual({ figs: ["sw0001a", "sw0002", "sw0003", "sw0004"], range: "30D", condition: "NEW" });
    expect(compareToSearch(state)).toBe("?figs=sw0001a,sw0002,sw0003,sw0004&range=30D&condition=NEW");
    expect(compareToSearch(parseCompare(""))).toBe("");
  });

  it("adds a figure once, and never a fifth", () => {
    const two = parseCompare("?figs=a,b");
    expect(withFigure(two, " c ").figs).toEqual(["a", "b", "c"]);
    expect(withFigure(two, "a")).toBe(two);
    const four = parseCompare("?figs=a,b,c,d");
    expect(withFigure(four, "e")).toBe(four);
  });

  it("fills the query's slots in order and leaves the rest out", () => {
    expect(compareSlots(["x", "y"])).toEqual({ a: "x", b: "y", c: "", d: "", withB: true, withC: false, withD: false });
  });
});
