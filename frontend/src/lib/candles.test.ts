import { describe, expect, it } from "vitest";
import { applySale, readoutAt, toBars, toLine, toVolume, type Candle } from "./candles";

const candle = (start: string, prices: Partial<Candle> = {}): Candle => ({
  start,
  open: 10,
  high: 12,
  low: 9,
  close: 11,
  median: 10.5,
  volume: 3,
  trades: 3,
  ...prices,
});

const DAY1 = "2026-11-20T00:00:00+00:00";
const DAY2 = "2026-11-21T00:00:00+00:00";
const t = (iso: string) => Date.parse(iso) / 1000;

describe("chart series from priceHistory", () => {
  it("gives bars in seconds, leaving out buckets without a price in the currency", () => {
    const candles = [candle(DAY1), candle(DAY2, { open: null, high: null, low: null, close: null, median: null })];
    expect(toBars(candles)).toEqual([{ time: t(DAY1), open: 10, high: 12, low: 9, close: 11 }]);
    expect(toLine(candles)).toEqual([{ time: t(DAY1), value: 10.5 }]);
    expect(toVolume(candles)).toEqual([
      { time: t(DAY1), value: 3 },
      { time: t(DAY2), value: 3 },
    ]);
  });

  it("draws the close where a median is missing", () => {
    expect(toLine([candle(DAY1, { median: null })])).toEqual([{ time: t(DAY1), value: 11 }]);
  });
});

describe("applySale", () => {
  const history = [candle(DAY1), candle(DAY2)];

  it("updates the last bucket with a sale inside it", () => {
    const updated = applySale(history, { observedAt: "2026-11-21T15:00:00Z", price: 13, quantity: 2 }, "DAY");
    expect(updated).toHaveLength(2);
    expect(updated[1]).toMatchObject({ open: 10, high: 13, low: 9, close: 13, volume: 5, trades: 4 });
    expect(history[1].close).toBe(11); // the input is left alone
  });

  it("opens a new bucket for a sale after the last one", () => {
    const updated = applySale(history, { observedAt: "2026-11-22T08:00:00Z", price: 8, quantity: 1 }, "DAY");
    expect(updated).toHaveLength(3);
    expect(updated[2]).toEqual({
      start: "2026-11-22T00:00:00.000Z",
      open: 8,
      high: 8,
      low: 8,
      close: 8,
      median: 8,
      volume: 1,
      trades: 1,
    });
  });

  it("ignores a sale older than the last bucket", () => {
    expect(applySale(history, { observedAt: "2026-11-19T08:00:00Z", price: 99, quantity: 1 }, "DAY")).toEqual(history);
  });

  it("buckets by the chart's interval", () => {
    const weeks = [candle("2026-11-16T00:00:00+00:00")];
    const updated = applySale(weeks, { observedAt: "2026-11-22T23:59:00Z", price: 20, quantity: 1 }, "WEEK");
    expect(updated).toHaveLength(1);
    expect(updated[0].high).toBe(20);
  });

  it("starts the series when there was none", () => {
    expect(applySale([], { observedAt: DAY1, price: 5, quantity: 1 }, "MONTH")[0].start).toBe("2026-11-01T00:00:00.000Z");
  });
});

describe("chart readout", () => {
  it("holds the bar, every line's value and the volume of one bucket", () => {
    const bars = [{ time: 10, open: 1, high: 3, low: 0.5, close: 2 }];
    const readout = readoutAt(10, bars, [[{ time: 10, value: 2 }], [{ time: 20, value: 9 }]], [{ time: 10, value: 4 }]);
    expect(readout).toEqual({ time: 10, bar: bars[0], values: [2, null], volume: 4 });
    expect(readoutAt(20, bars, [], []).bar).toBeNull();
  });
});
