import { describe, expect, it } from "vitest";
import { withSale } from "./stats";

describe("stats following live sales", () => {
  it("counts the sale and widens the range", () => {
    const stats = { low: 10, high: 20, sampleSize: 4, volume: 5, volatilityPct: 3.2 };
    expect(withSale(stats, 25, 2)).toEqual({ low: 10, high: 25, sampleSize: 5, volume: 7, volatilityPct: 3.2 });
    expect(withSale(stats, 8, 1)).toMatchObject({ low: 8, high: 20 });
  });

  it("starts the range at the first sale", () => {
    expect(withSale({ low: null, high: null, sampleSize: 0, volume: 0 }, 12, 1)).toEqual({ low: 12, high: 12, sampleSize: 1, volume: 1 });
  });
});
