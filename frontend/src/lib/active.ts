/** The home page's "recently active" minifigures, kept fresh by live ticks. */

export interface ActiveFigure {
  id: string;
  figNum: string;
  name: string;
  imageUrl: string | null;
  /** The last counted sale, in the page's currency. */
  lastSale: number | null;
  /** The last ask seen live, in the page's currency (the load brings sales only). */
  lastAsk: number | null;
  lastSeenAt: string | null;
}

export interface ActivityTick {
  minifigure: { id: string; figNum: string; name: string } | null;
  kind: "SOLD" | "ASK";
  observedAt: string;
  excludedReason?: string | null;
}

export function byRecentActivity(figures: readonly ActiveFigure[]): ActiveFigure[] {
  return [...figures].sort((a, b) => (b.lastSeenAt ?? "").localeCompare(a.lastSeenAt ?? ""));
}

/**
 * The figure of `tick` moved to the front (added when new), at most `limit` kept.
 * `price` is the tick's price in the page's currency, or null when unknown; an unknown or
 * excluded price leaves the shown prices as they were rather than show a wrong amount,
 * and an ask never hides a known sale.
 */
export function bumpActive(
  figures: readonly ActiveFigure[],
  tick: ActivityTick,
  price: number | null,
  limit: number,
): ActiveFigure[] {
  const figure = tick.minifigure;
  if (!figure) return [...figures];
  const known = figures.find((f) => f.id === figure.id);
  const base: ActiveFigure = known ?? { ...figure, imageUrl: null, lastSale: null, lastAsk: null, lastSeenAt: null };
  const counted = price !== null && !tick.excludedReason;
  const bumped: ActiveFigure = {
    ...base,
    lastSeenAt: tick.observedAt,
    lastSale: counted && tick.kind === "SOLD" ? price : base.lastSale,
    lastAsk: counted && tick.kind === "ASK" ? price : base.lastAsk,
  };
  return [bumped, ...figures.filter((f) => f.id !== figure.id)].slice(0, limit);
}
