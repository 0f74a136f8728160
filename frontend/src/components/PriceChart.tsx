/**
 * A lightweight-charts chart: candles or a line (or several lines to compare), with volume
 * bars underneath, and a readout of the bucket under the pointer or the keyboard cursor.
 */

import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type MouseEventParams,
  type SeriesType,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { readoutAt } from "../lib/candles";
import { onThemeChange } from "../theme";
import { ChartReadout, chartSeries, type PriceChartProps } from "./ChartReadout";

export type { PriceChartProps };

const COMPARE_COLORS = ["--accent", "--series-2", "--series-3", "--series-4"];

function palette() {
  // The variables hold light-dark() pairs; a probe element resolves them to plain colours
  // for the theme in force now.
  const probe = document.createElement("span");
  probe.style.display = "none";
  document.body.append(probe);
  const read = (name: string) => {
    probe.style.color = `var(${name})`;
    return getComputedStyle(probe).color;
  };
  const colors = {
    background: read("--surface"),
    text: read("--text-muted"),
    grid: read("--line"),
    up: read("--up"),
    down: read("--down"),
    accent: read("--accent"),
    volume: read("--volume"),
    compare: COMPARE_COLORS.map(read),
  };
  probe.remove();
  return colors;
}
type Palette = ReturnType<typeof palette>;

const asTime = <T extends { time: number }>(items: T[]) =>
  items.map((item) => ({ ...item, time: item.time as UTCTimestamp }));

function chartOptions(colors: Palette) {
  return {
    layout: {
      background: { type: ColorType.Solid, color: colors.background },
      textColor: colors.text,
      attributionLogo: false,
    },
    grid: { vertLines: { color: colors.grid }, horzLines: { color: colors.grid } },
    rightPriceScale: { borderColor: colors.grid },
    timeScale: { borderColor: colors.grid },
  };
}

function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => onThemeChange(() => setVersion((n) => n + 1)), []);
  return version;
}

export function PriceChart({ mode, bars, line, volume, compare, currency, label, height = 320 }: PriceChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const main = useRef<ISeriesApi<SeriesType>[]>([]);
  const volumeSeries = useRef<ISeriesApi<"Histogram"> | null>(null);
  const themeVersion = useThemeVersion();
  const { lines, times, candleBars, linePoints } = useMemo(
    () => chartSeries({ mode, bars, line, compare, label }),
    [mode, bars, line, compare, label],
  );
  const [cursor, setCursor] = useState<number | null>(null);
  const shownTime = cursor ?? times.at(-1) ?? null;

  useEffect(() => {
    if (!container.current) return undefined;
    const created = createChart(container.current, { autoSize: true, ...chartOptions(palette()) });
    chart.current = created;
    const follow = (param: MouseEventParams<Time>) => setCursor(typeof param.time === "number" ? param.time : null);
    created.subscribeCrosshairMove(follow);
    return () => {
      created.unsubscribeCrosshairMove(follow);
      created.remove();
      chart.current = null;
      main.current = [];
      volumeSeries.current = null;
    };
  }, []);

  // Data and colours: a theme switch re-colours everything at once, without a reload.
  useEffect(() => {
    const target = chart.current;
    if (!target) return;
    const colors = palette();
    target.applyOptions(chartOptions(colors));
    for (const series of main.current) target.removeSeries(series);
    main.current = [];
    if (volumeSeries.current) target.removeSeries(volumeSeries.current);
    volumeSeries.current = null;
    if (volume) {
      const histogram = target.addSeries(HistogramSeries, {
        priceFormat: { type: "volume" },
        priceScaleId: "",
        color: colors.volume,
        lastValueVisible: false,
        priceLineVisible: false,
      });
      histogram.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
      histogram.setData(asTime(volume));
      volumeSeries.current = histogram;
    }
    if (mode === "candles" && !compare) {
      const candles = target.addSeries(CandlestickSeries, {
        upColor: colors.up,
        downColor: colors.down,
        borderVisible: false,
        wickUpColor: colors.up,
        wickDownColor: colors.down,
      });
      candles.setData(asTime(bars));
      main.current = [candles];
    } else {
      main.current = lines.map((l, i) => {
        const series = target.addSeries(LineSeries, { color: colors.compare[i] ?? colors.accent, lineWidth: 2 });
        series.setData(asTime(l.points));
        return series;
      });
    }
    if (volume) target.priceScale("right").applyOptions({ scaleMargins: { top: 0.1, bottom: 0.25 } });
    target.timeScale().fitContent();
  }, [mode, bars, lines, volume, compare, themeVersion]);

  // The keyboard moves the same cursor the pointer does: arrows, Home and End.
  const onKeyDown = (event: KeyboardEvent) => {
    if (times.length === 0) return;
    const at = shownTime === null ? times.length - 1 : Math.max(0, times.indexOf(shownTime));
    const moves: Record<string, number> = {
      ArrowLeft: Math.max(0, at - 1),
      ArrowRight: Math.min(times.length - 1, at + 1),
      Home: 0,
      End: times.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const time = times[next];
    setCursor(time);
    const series = main.current[0];
    const there = readoutAt(time, candleBars, linePoints, []);
    const value = there.bar?.close ?? there.values.find((v) => v !== null);
    if (series && chart.current && value !== null && value !== undefined) {
      chart.current.setCrosshairPosition(value, time as UTCTimestamp, series);
    }
  };

  const points = candleBars.length > 0 ? candleBars.length : lines.reduce((n, l) => n + l.points.length, 0);
  return (
    <figure class="chart" data-points={points}>
      <ChartReadout time={shownTime} series={{ candleBars, linePoints }} volume={volume} currency={currency} compare={compare} />
      <div
        ref={container}
        class="chart-canvas"
        style={{ height: `${height}px` }}
        role="img"
        tabIndex={0}
        aria-label={`${label}. Left and right arrow keys step through the buckets; the values show above the chart.`}
        onKeyDown={onKeyDown}
        onBlur={() => {
          chart.current?.clearCrosshairPosition();
          setCursor(null);
        }}
      />
    </figure>
  );
}
