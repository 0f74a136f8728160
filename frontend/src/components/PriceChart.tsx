/** A lightweight-charts chart: candles or a line, with volume bars underneath. */

import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type SeriesType,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "preact/hooks";
import type { Bar, Point } from "../lib/candles";
import { onThemeChange } from "../theme";

export interface PriceChartProps {
  mode: "candles" | "line";
  bars: Bar[];
  line: Point[];
  volume?: Point[];
  /** What the chart shows, for screen readers. */
  label: string;
  height?: number;
}

function palette() {
  // The variables hold light-dark() pairs; a probe element resolves them to plain colours.
  const probe = document.createElement("span");
  probe.hidden = true;
  document.body.append(probe);
  const read = (name: string) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  const colors = {
    background: read("--surface"),
    text: read("--text-muted"),
    grid: read("--border"),
    up: read("--up"),
    down: read("--down"),
    accent: read("--accent"),
  };
  probe.remove();
  return colors;
}

const asTime = <T extends { time: number }>(items: T[]) =>
  items.map((item) => ({ ...item, time: item.time as UTCTimestamp }));

export function PriceChart({ mode, bars, line, volume, label, height = 320 }: PriceChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const main = useRef<ISeriesApi<SeriesType> | null>(null);
  const volumeSeries = useRef<ISeriesApi<"Histogram"> | null>(null);

  useEffect(() => {
    if (!container.current) return undefined;
    const colors = palette();
    const created = createChart(container.current, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: colors.background },
        textColor: colors.text,
        attributionLogo: false,
      },
      grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
      rightPriceScale: { borderColor: colors.grid },
      timeScale: { borderColor: colors.grid },
    });
    chart.current = created;
    const stopWatching = onThemeChange(() => {
      const next = palette();
      created.applyOptions({
        layout: { background: { type: ColorType.Solid, color: next.background }, textColor: next.text },
        grid: { vertLines: { color: next.grid }, horzLines: { color: next.grid } },
      });
    });
    return () => {
      stopWatching();
      created.remove();
      chart.current = null;
      main.current = null;
      volumeSeries.current = null;
    };
  }, []);

  useEffect(() => {
    const target = chart.current;
    if (!target) return;
    const colors = palette();
    if (main.current) target.removeSeries(main.current);
    if (volumeSeries.current) target.removeSeries(volumeSeries.current);
    volumeSeries.current = null;
    if (volume) {
      const histogram = target.addSeries(HistogramSeries, {
        priceFormat: { type: "volume" },
        priceScaleId: "",
        color: colors.accent,
        lastValueVisible: false,
        priceLineVisible: false,
      });
      histogram.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      histogram.setData(asTime(volume));
      volumeSeries.current = histogram;
    }
    if (mode === "candles") {
      const candles = target.addSeries(CandlestickSeries, {
        upColor: colors.up,
        downColor: colors.down,
        borderVisible: false,
        wickUpColor: colors.up,
        wickDownColor: colors.down,
      });
      candles.setData(asTime(bars));
      main.current = candles;
    } else {
      const series = target.addSeries(LineSeries, { color: colors.accent, lineWidth: 2 });
      series.setData(asTime(line));
      main.current = series;
    }
    if (volume) target.priceScale("right").applyOptions({ scaleMargins: { top: 0.1, bottom: 0.25 } });
    target.timeScale().fitContent();
  }, [mode, bars, line, volume]);

  const points = mode === "candles" ? bars.length : line.length;
  return (
    <figure class="chart" style={{ height: `${height}px` }} data-points={points}>
      <div ref={container} class="chart-canvas" role="img" aria-label={label} />
    </figure>
  );
}
