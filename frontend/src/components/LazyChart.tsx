/** The chart, whose library (the biggest part of the app) loads only where a chart is shown. */

import { ChartReadout, chartSeries } from "./ChartReadout";
import { lazy } from "./lazy";
import type { PriceChartProps } from "./PriceChart";

export type { PriceChartProps };

/**
 * Until the library is there: the chart's readout (the latest values) and the box the
 * chart will fill, so the numbers show with the data and nothing moves when it arrives.
 */
function ChartWaiting(props: PriceChartProps) {
  const series = chartSeries(props);
  return (
    <figure class="chart" data-points={0} aria-busy="true">
      <ChartReadout time={series.times.at(-1) ?? null} series={series} volume={props.volume} currency={props.currency} compare={props.compare} />
      <div class="chart-canvas" style={{ height: `${props.height ?? 320}px` }} />
    </figure>
  );
}

export const PriceChart = lazy<PriceChartProps>(() => import("./PriceChart").then((module) => module.PriceChart), ChartWaiting);
