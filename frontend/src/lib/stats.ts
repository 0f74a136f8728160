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
