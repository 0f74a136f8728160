/** The chart, whose library (the biggest part of the app) loads only where a chart is shown. */

import { lazy } from "./lazy";
import type { PriceChartProps } from "./PriceChart";

export type { PriceChartProps };

export const PriceChart = lazy<PriceChartProps>(
  () => import("./PriceChart").then((module) => module.PriceChart),
  // The same box the chart will fill, so nothing below it moves when it arrives.
  ({ height = 320 }) => <figure class="chart" data-points={0} aria-busy="true" style={{ minHeight: `${height + 28}px` }} />,
);
