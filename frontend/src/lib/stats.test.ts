import { describe, expect, it } from "vitest";
import { medianPrice, volatilityOf, volatilityPct, withDailySale, withSale, type DailyMedians } from "./stats";

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

// Expected values are what PostgreSQL answers for the same series (the server's
// round(stddev_samp(ln(median / lag(median))) * 100, 2) and percentile_cont(0.5)).
describe("volatility following live sales", () => {
  const days = (medians: number[]) => medians.map((median, i) => ({ day: `2026-11-0${i + 1}`, median }));

  it("is the sample deviation of the daily log changes, in percent", () => {
    expect(volatilityPct([10, 11, 9.9, 12])).toBe(15.18);
    expect(volatilityPct([10, 11])).toBeNull(); // one change: no sample deviation
  });

  it("takes medians as the server rounds them", () => {
    expect(medianPrice([10.0, 10.01])).toBe(10.01);
    expect(medianPrice([12.5, 9.99, 11])).toBe(11);
  });

  it("moves today's median with a sale of today", () => {
    const basis: DailyMedians = { windowDays: 30, days: days([10, 11, 9.9, 12, 10]), today: "2026-11-05", todayPrices: [10] };
    expect(volatilityOf(basis)).toBe(17.36);
    const after = withDailySale(basis, 10.01, "2026-11-05T15:00:00Z")!;
    expect(after.todayPrices).toEqual([10, 10.01]);
    expect(volatilityOf(after)).toBe(17.33);
  });

  it("opens the next day, and the window moves on with it", () => {
    const basis: DailyMedians = { windowDays: 3, days: days([10, 11, 9.9]), today: "2026-11-03", todayPrices: [9.9] };
    const after = withDailySale(basis, 12, "2026-11-04T00:10:00Z")!;
    expect(after.days.map((d) => d.day)).toEqual(["2026-11-02", "2026-11-03", "2026-11-04"]);
    expect(after.todayPrices).toEqual([12]);
    expect(volatilityOf(after)).toBe(21.05);
  });

  it("gives up where it cannot be exact", () => {
    const basis: DailyMedians = { windowDays: 30, days: days([10, 11, 9.9]), today: "2026-11-03", todayPrices: [9.9] };
    expect(withDailySale(basis, 12, "2026-11-02T10:00:00Z")).toBeNull(); // an earlier day's prices are not here
    expect(withDailySale({ ...basis, todayPrices: null }, 12, "2026-11-03T10:00:00Z")).toBeNull();
  });
});
