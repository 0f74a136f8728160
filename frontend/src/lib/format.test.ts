import { describe, expect, it } from "vitest";
import { formatAge, formatMoney, formatPct, formatTime, fromUsd, trend } from "./format";

describe("formatting", () => {
  it("formats money in the chosen currency, a dash when unknown", () => {
    expect(formatMoney(1234.5, "USD")).toBe("$1,234.50");
    expect(formatMoney(9.5, "EUR")).toBe("€9.50");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(formatMoney(null, "USD")).toBe("—");
    expect(formatMoney(Number.NaN, "USD")).toBe("—");
  });

  it("signs percentages and picks their colour", () => {
    expect(formatPct(3.14159)).toBe("+3.1%");
    expect(formatPct(-2)).toBe("−2.0%");
    expect(formatPct(0)).toBe("0.0%");
    expect(formatPct(undefined)).toBe("—");
    expect([trend(1), trend(-1), trend(0), trend(null)]).toEqual(["up", "down", "flat", "flat"]);
  });

  it("tells ages in words", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    expect(formatAge("2026-11-22T11:59:30Z", now)).toBe("just now");
    expect(formatAge("2026-11-22T11:45:00Z", now)).toBe("15 min ago");
    expect(formatAge("2026-11-22T02:00:00Z", now)).toBe("10 h ago");
    expect(formatAge("2026-11-12T12:00:00Z", now)).toBe("10 days ago");
    expect(formatAge(null, now)).toBe("never");
  });

  it("tells the time of day in UTC", () => {
    expect(formatTime("2026-11-22T14:03:22.500Z")).toBe("14:03:22 UTC");
    expect(formatTime(null)).toBe("—");
  });

  it("converts USD ticks at a known rate and keeps USD without one", () => {
    expect(fromUsd(10, "EUR", 0.9)).toEqual({ amount: 9, currency: "EUR" });
    expect(fromUsd(10, "EUR", null)).toEqual({ amount: 10, currency: "USD" });
    expect(fromUsd(10, "USD", null)).toEqual({ amount: 10, currency: "USD" });
  });
});
