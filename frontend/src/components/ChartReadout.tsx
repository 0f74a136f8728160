/**
 * The chart's readout (the values of the bucket under the cursor, the last one at first),
 * without the chart library: the lazy chart shows it while the library is on its way, so
 * the numbers are there as soon as the data is.
 */

import { readoutAt, type Bar, type Point, type Readout } from "../lib/candles";
import { formatDay, formatMoney } from "../lib/format";

export interface ComparedLine {
  name: string;
  points: Point[];
}

export interface PriceChartProps {
  mode: "candles" | "line";
  bars: Bar[];
  line: Point[];
  volume?: Point[];
  /** More lines on the same axes (compare); the first one takes the accent colour. */
  compare?: ComparedLine[];
  /** The currency of the prices, for the readout; none for an index. */
  currency?: string;
  /** What the chart shows, for screen readers. */
  label: string;
  height?: number;
}

/** The series a chart draws, and the bucket times its cursor steps through (oldest first). */
export function chartSeries({ mode, bars, line, compare, label }: Pick<PriceChartProps, "mode" | "bars" | "line" | "compare" | "label">) {
  const lines = compare ?? [{ name: label, points: line }];
  const candleBars = mode === "candles" && !compare ? bars : [];
  const all = mode === "candles" && !compare ? bars.map((b) => b.time) : lines.flatMap((l) => l.points.map((p) => p.time));
  return { lines, candleBars, linePoints: lines.map((l) => l.points), times: [...new Set(all)].sort((a, b) => a - b) };
}

function ReadoutText({ readout, currency, compare }: { readout: Readout | null; currency?: string; compare?: ComparedLine[] }) {
  if (!readout) return <>No data</>;
  const money = (value: number | null) => (currency ? formatMoney(value, currency) : (value?.toFixed(1) ?? "—"));
  const day = formatDay(new Date(readout.time * 1000).toISOString());
  if (compare) {
    return (
      <>
        <strong>{day}</strong>
        {compare.map((c, i) => (
          <span key={c.name} class="readout-item">
            {" "}
            · <span class={`swatch s${i}`} aria-hidden="true" />
            {c.name} <span class="money">{money(readout.values[i] ?? null)}</span>
          </span>
        ))}
      </>
    );
  }
  return (
    <>
      <strong>{day}</strong>
      {readout.bar ? (
        <>
          {" "}
          · O <span class="money">{money(readout.bar.open)}</span> H <span class="money">{money(readout.bar.high)}</span> L{" "}
          <span class="money">{money(readout.bar.low)}</span> C <span class="money">{money(readout.bar.close)}</span>
        </>
      ) : (
        <>
          {" "}
          · <span class="money">{money(readout.values[0] ?? null)}</span>
        </>
      )}
      {readout.volume !== null && <> · volume {readout.volume}</>}
    </>
  );
}


export function ChartReadout({
  time,
  series,
  volume,
  currency,
  compare,
}: {
  time: number | null;
  series: { candleBars: Bar[]; linePoints: Point[][] };
  volume?: Point[];
  currency?: string;
  compare?: ComparedLine[];
}) {
  const readout = time === null ? null : readoutAt(time, series.candleBars, series.linePoints, volume ?? []);
  return (
    <figcaption class="chart-readout" data-testid="chart-readout" aria-live="polite">
      <ReadoutText readout={readout} currency={currency} compare={compare} />
    </figcaption>
  );
}
