import { describe, expect, it } from "vitest";
import { bucketStart, rangeWindow } from "./range";

const NOW = new Date("2026-11-22T18:30:00Z"); // a Sunday

describe("rangeWindow", () => {
  it("covers the last N whole days including today, ending at tomorrow's midnight", () => {
    expect(rangeWindow("7D", NOW)).toEqual({
      from: "2026-11-16T00:00:00.000Z",
      to: "2026-11-23T00:00:00.000Z",
      interval: "DAY",
      statsWindow: "D7",
      statsFrom: "2026-11-16T00:00:00.000Z",
      today: "2026-11-22T00:00:00.000Z",
    });
    expect(rangeWindow("90D", NOW).from).toBe("2026-08-25T00:00:00.000Z");
  });

  it("widens the buckets for long ranges", () => {
    expect(rangeWindow("1Y", NOW)).toMatchObject({ from: "2025-11-23T00:00:00.000Z", interval: "WEEK", statsWindow: "Y1" });
    expect(rangeWindow("ALL", NOW)).toMatchObject({ from: "1975-01-01T00:00:00.000Z", interval: "MONTH" });
  });

  it("starts the stats window where the server's does, whatever the chart shows", () => {
    expect(rangeWindow("1Y", NOW).statsFrom).toBe("2025-11-23T00:00:00.000Z");
    expect(rangeWindow("ALL", NOW).statsFrom).toBe("2025-11-23T00:00:00.000Z");
    expect(rangeWindow("30D", NOW).statsFrom).toBe(rangeWindow("30D", NOW).from);
  });
});

describe("bucketStart", () => {
  const at = "2026-11-22T18:30:00Z";
  it("starts days at UTC midnight", () => {
    expect(bucketStart(at, "DAY")).toBe(Date.UTC(2026, 10, 22) / 1000);
  });
  it("starts weeks on Monday", () => {
    expect(bucketStart(at, "WEEK")).toBe(Date.UTC(2026, 10, 16) / 1000);
    expect(bucketStart("2026-11-16T00:00:00Z", "WEEK")).toBe(Date.UTC(2026, 10, 16) / 1000);
  });
  it("starts months on the first", () => {
    expect(bucketStart(at, "MONTH")).toBe(Date.UTC(2026, 10, 1) / 1000);
  });
});
