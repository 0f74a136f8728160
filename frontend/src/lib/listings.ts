/** The table of recent sales and asks, and live ticks merged into it. */

export interface ListingRow {
  id: string;
  source: string;
  observedAt: string;
  kind: "SOLD" | "ASK";
  condition: "NEW" | "USED";
  quantity: number;
  /** In the chosen currency; null when no rate is known for its day. */
  price: number | null;
  excludedReason: string | null;
  /** Whether it arrived live (highlighted in the table). */
  live?: boolean;
}

export interface Tick {
  listingId: string;
  source: string;
  kind: "SOLD" | "ASK";
  condition: "NEW" | "USED";
  priceUsd: string;
  quantity: number;
  observedAt: string;
  excludedReason?: string | null;
}

/**
 * Units of `currency` per USD, read off an amount priced both ways (its day's rate): live
 * ticks carry USD only. 1 for USD; null when nothing tells.
 */
export function currencyPerUsd(
  currency: string,
  pairs: readonly { price: number | null | undefined; priceUsd: number | null | undefined }[],
): number | null {
  if (currency === "USD") return 1;
  const pair = pairs.find((p) => p.price != null && p.priceUsd != null && p.priceUsd > 0);
  return pair ? pair.price! / pair.priceUsd! : null;
}

/** The tick as a table row; its price is unknown (a dash) when no rate is known. */
export function tickToRow(tick: Tick, perUsd: number | null): ListingRow {
  const usd = Number(tick.priceUsd);
  return {
    id: tick.listingId,
    source: tick.source,
    observedAt: tick.observedAt,
    kind: tick.kind,
    condition: tick.condition,
    quantity: tick.quantity,
    price: perUsd !== null && Number.isFinite(usd) ? Math.round(usd * perUsd * 100) / 100 : null,
    excludedReason: tick.excludedReason ?? null,
    live: true,
  };
}

/** The rows with `row` in place: newest first, no id twice, at most `limit`. */
export function mergeRow(rows: readonly ListingRow[], row: ListingRow, limit: number): ListingRow[] {
  const others = rows.filter((r) => r.id !== row.id);
  const merged = [...others, row].sort((a, b) => b.observedAt.localeCompare(a.observedAt));
  return merged.slice(0, limit);
}

const REASONS: Record<string, string> = {
  lot: "a lot of several figures",
  outlier: "price far from the recent ones",
  parts_only: "parts only",
  custom: "custom or knock-off",
  keychain: "keychain or magnet",
  big_fig: "big fig",
};

/** Why a listing is left out of the statistics, in words. */
export function describeExclusion(reason: string): string {
  return REASONS[reason] ?? reason.replaceAll("_", " ");
}
