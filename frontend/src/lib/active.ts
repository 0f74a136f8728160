/** The home page's "recently active" minifigures, kept fresh by live ticks. */

export interface ActiveFigure {
  id: string;
  figNum: string;
  name: string;
  imageUrl: string | null;
  /** The last sale, in the page's currency. */
  lastSale: number | null;
  lastSeenAt: string | null;
}

export interface ActivityTick {
  minifigure: { id: string; figNum: string; name: string } | null;
  kind: "SOLD" | "ASK";
  observedAt: string;
}

export function byRecentActivity(figures: readonly ActiveFigure[]): ActiveFigure[] {
  return [...figures].sort((a, b) => (b.lastSeenAt ?? "").localeCompare(a.lastSeenAt ?? ""));
}

/**
 * The figure of `tick` moved to the front (added when new), at most `limit` kept.
 * `salePrice` is the tick's price in the page's currency, or null when unknown (then a
 * sale leaves the shown last sale as it was rather than show a wrong amount).
 */
export function bumpActive(
  figures: readonly ActiveFigure[],
  tick: ActivityTick,
  salePrice: number | null,
  limit: number,
): ActiveFigure[] {
  const figure = tick.minifigure;
  if (!figure) return [...figures];
  const known = figures.find((f) => f.id === figure.id);
  const base: ActiveFigure = known ?? { ...figure, imageUrl: null, lastSale: null, lastSeenAt: null };
  const bumped: ActiveFigure = {
    ...base,
    lastSeenAt: tick.observedAt,
    lastSale: tick.kind === "SOLD" && salePrice !== null ? salePrice : base.lastSale,
  };
  return [bumped, ...figures.filter((f) => f.id !== figure.id)].slice(0, limit);
}
