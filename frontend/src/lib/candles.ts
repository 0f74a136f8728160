/** Price history as chart series, and live sales folded into the last bucket. */

import { bucketStart, type Interval } from "./range";

export interface Candle {
  start: string;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  median: number | null;
  volume: number;
  trades: number;
}

export interface Bar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface Point {
  time: number;
  value: number;
}

const seconds = (iso: string): number => Math.floor(new Date(iso).getTime() / 1000);

function priced(candle: Candle): candle is Candle & { open: number; high: number; low: number; close: number } {
  return candle.open !== null && candle.high !== null && candle.low !== null && candle.close !== null;
}

/** OHLC bars, oldest first; buckets without a price in the chosen currency are left out. */
export function toBars(candles: readonly Candle[]): Bar[] {
  return candles.filter(priced).map((c) => ({
    time: seconds(c.start),
    open: c.open,
    high: c.high,
    low: c.low,
    close: c.close,
  }));
}

/** The median per bucket (the close where a median is missing), for the line view. */
export function toLine(candles: readonly Pick<Candle, "start" | "median" | "close">[]): Point[] {
  return candles.flatMap((c) => {
    const value = c.median ?? c.close;
    return value === null ? [] : [{ time: seconds(c.start), value }];
  });
}

export function toVolume(candles: readonly Candle[]): Point[] {
  return candles.map((c) => ({ time: seconds(c.start), value: c.volume }));
}

export interface Sale {
  observedAt: string;
  price: number;
  quantity: number;
}

/**
 * The candles with one more sale: it updates the bucket it falls in when that is the
 * last one, or opens a new last bucket; a sale older than the last bucket changes
 * nothing (the next full load has it). The median is left as the server computed it.
 */
export function applySale(candles: readonly Candle[], sale: Sale, interval: Interval): Candle[] {
  const bucket = bucketStart(sale.observedAt, interval);
  const last = candles.at(-1);
  const lastBucket = last ? bucketStart(last.start, interval) : -Infinity;
  if (bucket < lastBucket) return [...candles];
  if (last && bucket === lastBucket) {
    const updated: Candle = {
      ...last,
      open: last.open ?? sale.price,
      high: Math.max(last.high ?? sale.price, sale.price),
      low: Math.min(last.low ?? sale.price, sale.price),
      close: sale.price,
      volume: last.volume + sale.quantity,
      trades: last.trades + 1,
    };
    return [...candles.slice(0, -1), updated];
  }
  const opened: Candle = {
    start: new Date(bucket * 1000).toISOString(),
    open: sale.price,
    high: sale.price,
    low: sale.price,
    close: sale.price,
    median: sale.price,
    volume: sale.quantity,
    trades: 1,
  };
  return [...candles, opened];
}

/** What the chart's readout shows for one bucket. */
export interface Readout {
  time: number;
  bar: Bar | null;
  /** One value per line (null where that line has no point then). */
  values: (number | null)[];
  volume: number | null;
}

export function readoutAt(time: number, bars: readonly Bar[], lines: readonly (readonly Point[])[], volume: readonly Point[]): Readout {
  return {
    time,
    bar: bars.find((b) => b.time === time) ?? null,
    values: lines.map((points) => points.find((p) => p.time === time)?.value ?? null),
    volume: volume.find((p) => p.time === time)?.value ?? null,
  };
}
