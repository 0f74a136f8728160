import { describe, expect, it } from "vitest";
import { bumpActive, byRecentActivity, type ActiveFigure } from "./active";

const figure = (id: string, lastSeenAt: string | null): ActiveFigure => ({
  id,
  figNum: `fig${id}`,
  name: `Figure ${id}`,
  imageUrl: `https://img/${id}.png`,
  lastSale: 10,
  lastAsk: null,
  lastSeenAt,
});

describe("recently active", () => {
  const list = [figure("a", "2026-11-22T10:00:00Z"), figure("b", "2026-11-21T10:00:00Z")];

  it("orders by the last observation, unknown last", () => {
    const ordered = byRecentActivity([figure("x", null), ...[...list].reverse()]);
    expect(ordered.map((f) => f.id)).toEqual(["a", "b", "x"]);
  });

  it("moves a ticking figure to the front with its sale", () => {
    const tick = { minifigure: { id: "b", figNum: "figb", name: "Figure b" }, kind: "SOLD" as const, observedAt: "2026-11-22T11:00:00Z" };
    const bumped = bumpActive(list, tick, 12.5, 5);
    expect(bumped.map((f) => f.id)).toEqual(["b", "a"]);
    expect(bumped[0]).toMatchObject({ lastSale: 12.5, lastSeenAt: "2026-11-22T11:00:00Z", imageUrl: "https://img/b.png" });
  });

  it("keeps the last sale on an ask, and shows the ask beside it", () => {
    const ask = { minifigure: { id: "a", figNum: "figa", name: "Figure a" }, kind: "ASK" as const, observedAt: "2026-11-22T12:00:00Z" };
    expect(bumpActive(list, ask, 99, 5)[0]).toMatchObject({ lastSale: 10, lastAsk: 99 });
  });

  it("gives a figure new to the list the price of its tick, never a blank", () => {
    const ask = { minifigure: { id: "n", figNum: "fign", name: "Figure n" }, kind: "ASK" as const, observedAt: "2026-11-22T12:00:00Z" };
    expect(bumpActive(list, ask, 21, 5)[0]).toMatchObject({ id: "n", lastSale: null, lastAsk: 21 });
  });

  it("leaves prices alone when the tick's price is unknown or excluded", () => {
    const sale = { minifigure: { id: "a", figNum: "figa", name: "Figure a" }, kind: "SOLD" as const, observedAt: "2026-11-22T12:00:00Z" };
    expect(bumpActive(list, sale, null, 5)[0].lastSale).toBe(10);
    expect(bumpActive(list, { ...sale, excludedReason: "outlier" }, 500, 5)[0].lastSale).toBe(10);
  });

  it("adds a new figure and keeps at most the limit", () => {
    const tick = { minifigure: { id: "c", figNum: "figc", name: "Figure c" }, kind: "SOLD" as const, observedAt: "2026-11-22T13:00:00Z" };
    const bumped = bumpActive(list, tick, 7, 2);
    expect(bumped.map((f) => f.id)).toEqual(["c", "a"]);
    expect(bumped[0]).toMatchObject({ name: "Figure c", imageUrl: null, lastSale: 7 });
    expect(bumpActive(list, { ...tick, minifigure: null }, 7, 2)).toEqual(list);
  });
});
