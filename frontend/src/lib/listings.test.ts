import { describe, expect, it } from "vitest";
import { currencyPerUsd, describeExclusion, mergeRow, tickToRow, type ListingRow, type Tick } from "./listings";

const row = (id: string, observedAt: string): ListingRow => ({
  id,
  source: "demo",
  observedAt,
  kind: "SOLD",
  condition: "USED",
  quantity: 1,
  price: 10,
  excludedReason: null,
});

const tick: Tick = {
  listingId: "TGlzdGluZzox",
  source: "ebay",
  kind: "ASK",
  condition: "NEW",
  priceUsd: "12.50",
  quantity: 1,
  observedAt: "2026-11-22T10:00:00Z",
  excludedReason: "outlier",
};

describe("live ticks in the listings table", () => {
  it("converts the tick's USD price at the page's rate", () => {
    expect(tickToRow(tick, 0.9)).toMatchObject({ id: tick.listingId, price: 11.25, excludedReason: "outlier", live: true });
    expect(tickToRow({ ...tick, priceUsd: "n/a" }, 1).price).toBeNull();
    expect(tickToRow(tick, null).price).toBeNull();
  });

  it("reads the rate off a listing priced both ways, else 1", () => {
    expect(currencyPerUsd("EUR", [{ price: null, priceUsd: 10 }, { price: 9, priceUsd: 10 }])).toBeCloseTo(0.9);
    expect(currencyPerUsd("EUR", [{ price: 5, priceUsd: null }])).toBeNull();
    expect(currencyPerUsd("EUR", [])).toBeNull();
    expect(currencyPerUsd("USD", [])).toBe(1);
  });

  it("merges newest first, without duplicates, capped", () => {
    const rows = [row("b", "2026-11-21T00:00:00Z"), row("a", "2026-11-20T00:00:00Z")];
    const merged = mergeRow(rows, row("c", "2026-11-22T00:00:00Z"), 2);
    expect(merged.map((r) => r.id)).toEqual(["c", "b"]);
    expect(mergeRow(rows, row("b", "2026-11-21T00:00:00Z"), 5).map((r) => r.id)).toEqual(["b", "a"]);
  });

  it("places a late tick where its time belongs", () => {
    const rows = [row("b", "2026-11-21T00:00:00Z"), row("a", "2026-11-19T00:00:00Z")];
    expect(mergeRow(rows, row("m", "2026-11-20T00:00:00Z"), 5).map((r) => r.id)).toEqual(["b", "m", "a"]);
  });

  it("explains exclusions in words", () => {
    expect(describeExclusion("lot")).toBe("a lot of several figures");
    expect(describeExclusion("parts_only")).toBe("parts only");
    expect(describeExclusion("some_new_rule")).toBe("some new rule");
  });
});
