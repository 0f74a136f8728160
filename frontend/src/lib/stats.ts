/** The stats cards of a figure page, following the sales that arrive live. */

export interface SalesStats {
  low: number | null;
  high: number | null;
  sampleSize: number;
  volume: number;
}

/** The stats with one more counted sale (at `price`, in the stats' currency). */
export function withSale<S extends SalesStats>(stats: S, price: number, quantity: number): S {
  return {
    ...stats,
    low: stats.low === null ? price : Math.min(stats.low, price),
    high: stats.high === null ? price : Math.max(stats.high, price),
    sampleSize: stats.sampleSize + 1,
    volume: stats.volume + quantity,
  };
}

/**
 * What the Volatility card is computed from, as the server computes it: the daily median
 * of counted sales (USD) of each day with sales in the stats window, oldest first, and
 * today's counted sale prices, so a live sale can move today's median.
 */
export interface DailyMedians {
  /** The window's length in days, today included. */
  windowDays: number;
  days: { day: string; median: number }[];
  /** The day `todayPrices` belong to (YYYY-MM-DD, UTC). */
  today: string;
  /** Today's counted sale prices, or null when the page did not load them all. */
  todayPrices: number[] | null;
}

const DAY_MS = 86_400_000;

/** The median as PostgreSQL's percentile_cont(0.5) rounded to cents (halves up). */
export function medianPrice(prices: readonly number[]): number {
  const cents = prices.map((p) => Math.round(p * 100)).sort((a, b) => a - b);
  const middle = cents.length >> 1;
  const doubled = cents.length % 2 === 1 ? 2 * cents[middle] : cents[middle - 1] + cents[middle];
  return Math.ceil(doubled / 2) / 100;
}

/**
 * Volatility in percent: the sample standard deviation of the log changes from one day's
 * median to the next day with sales; null with fewer than two changes (as stddev_samp).
 */
export function volatilityPct(medians: readonly number[]): number | null {
  const changes = medians.slice(1).map((m, i) => Math.log(m / medians[i]));
  if (changes.length < 2) return null;
  const mean = changes.reduce((sum, r) => sum + r, 0) / changes.length;
  const variance = changes.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (changes.length - 1);
  return Math.round(Math.sqrt(variance) * 100 * 100) / 100;
}

/**
 * The daily medians with one more counted sale (USD): it joins today's prices, or opens
 * the next day (the window moving on with it). Null when the sale cannot be placed exactly:
 * an earlier day's prices, or today's, were not loaded.
 */
export function withDailySale(basis: DailyMedians, priceUsd: number, observedAt: string): DailyMedians | null {
  const day = observedAt.slice(0, 10);
  if (day < basis.today || basis.todayPrices === null) return null;
  const prices = day === basis.today ? [...basis.todayPrices, priceUsd] : [priceUsd];
  const firstDay = new Date(Date.parse(`${day}T00:00:00Z`) - (basis.windowDays - 1) * DAY_MS).toISOString().slice(0, 10);
  const days = basis.days.filter((d) => d.day !== day && d.day >= firstDay);
  return { ...basis, days: [...days, { day, median: medianPrice(prices) }], today: day, todayPrices: prices };
}

export function volatilityOf(basis: DailyMedians): number | null {
  return volatilityPct(basis.days.map((d) => d.median).filter((m) => m > 0));
}
