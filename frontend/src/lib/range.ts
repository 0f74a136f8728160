/** Chart ranges: which window of price history, in which buckets, with which stats window. */

export const RANGES = ["7D", "30D", "90D", "1Y", "ALL"] as const;
export type Range = (typeof RANGES)[number];
export type Interval = "DAY" | "WEEK" | "MONTH";
export type StatsWindow = "D7" | "D30" | "D90" | "Y1";

export interface RangeWindow {
  /** Start, inclusive (ISO, UTC midnight). */
  from: string;
  /** End, exclusive: the start of tomorrow (UTC), so today's prices are in. */
  to: string;
  interval: Interval;
  statsWindow: StatsWindow;
  /** Start of the stats window (ISO, UTC midnight): the stats cards' days, today included. */
  statsFrom: string;
  /** Start of today (ISO, UTC midnight): the day live sales fall in. */
  today: string;
}

const DAY_MS = 86_400_000;
// Before the first LEGO minifigure: "all" history.
const ALL_FROM = "1975-01-01T00:00:00.000Z";

/** The days a stats window covers, today included. */
export const STATS_DAYS: Record<StatsWindow, number> = { D7: 7, D30: 30, D90: 90, Y1: 365 };

const SPEC: Record<Range, { days: number | null; interval: Interval; statsWindow: StatsWindow }> = {
  "7D": { days: 7, interval: "DAY", statsWindow: "D7" },
  "30D": { days: 30, interval: "DAY", statsWindow: "D30" },
  "90D": { days: 90, interval: "DAY", statsWindow: "D90" },
  "1Y": { days: 365, interval: "WEEK", statsWindow: "Y1" },
  ALL: { days: null, interval: "MONTH", statsWindow: "Y1" },
};

export function isRange(value: string | null): value is Range {
  return value !== null && (RANGES as readonly string[]).includes(value);
}

function startOfUtcDay(now: Date): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

/** The window of `range` ending today: the last N whole days including today. */
export function rangeWindow(range: Range, now: Date): RangeWindow {
  const spec = SPEC[range];
  const tomorrow = startOfUtcDay(now) + DAY_MS;
  const from = spec.days === null ? ALL_FROM : new Date(tomorrow - spec.days * DAY_MS).toISOString();
  return {
    from,
    to: new Date(tomorrow).toISOString(),
    interval: spec.interval,
    statsWindow: spec.statsWindow,
    statsFrom: new Date(tomorrow - STATS_DAYS[spec.statsWindow] * DAY_MS).toISOString(),
    today: new Date(tomorrow - DAY_MS).toISOString(),
  };
}

/** The start (UTC, seconds) of the bucket holding `iso`: day, Monday-started week, or month. */
export function bucketStart(iso: string, interval: Interval): number {
  const at = new Date(iso);
  let start: number;
  if (interval === "MONTH") {
    start = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1);
  } else {
    start = startOfUtcDay(at);
    if (interval === "WEEK") start -= ((at.getUTCDay() + 6) % 7) * DAY_MS;
  }
  return start / 1000;
}
