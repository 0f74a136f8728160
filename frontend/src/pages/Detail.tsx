import { useMemo } from "preact/hooks";
import { FigureActions } from "../collectors/FigureActions";
import { useQuery, useRebased, useSubscription } from "../api/hooks";
import { DetailPageQuery, PriceTicksSubscription } from "../api/operations";
import type { Condition, DetailPageQuery as DetailData, StatsWindow } from "../gql/graphql";
import { PriceChart } from "../components/LazyChart";
import { Empty, ErrorBox, Loading, Updating } from "../components/states";
import { applySale, toBars, toLine, toVolume, type Candle } from "../lib/candles";
import { saveCsv, toCsv } from "../lib/csv";
import { formatDateTime, formatDay, formatMoney, formatPct, trend, type Currency } from "../lib/format";
import { currencyPerUsd, describeExclusion, mergeRow, tickToRow, type ListingRow } from "../lib/listings";
import { isRange, RANGES, rangeWindow, STATS_DAYS, type Range } from "../lib/range";
import { volatilityOf, withDailySale, withSale, type DailyMedians } from "../lib/stats";
import { Link, navigate } from "../router";
import { useTitle } from "../title";
import { FigureImage } from "../components/FigureImage";

const ROWS = 30;
const RANGE_DAYS: Record<Range, string> = {
  "7D": "7 days",
  "30D": "30 days",
  "90D": "90 days",
  "1Y": "year",
  ALL: "history",
};

interface DetailOptions {
  range: Range;
  condition: Condition;
  chart: "candles" | "line";
}

function parseOptions(search: string): DetailOptions {
  const params = new URLSearchParams(search);
  const range = params.get("range");
  return {
    range: isRange(range) ? range : "90D",
    condition: params.get("condition") === "NEW" ? "NEW" : "USED",
    chart: params.get("chart") === "line" ? "line" : "candles",
  };
}

function optionsSearch(options: DetailOptions): string {
  const params = new URLSearchParams();
  if (options.range !== "90D") params.set("range", options.range);
  if (options.condition !== "USED") params.set("condition", options.condition);
  if (options.chart !== "candles") params.set("chart", options.chart);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function Toggle<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly { value: T; text: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <div class="toggle" role="group" aria-label={label}>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          aria-pressed={option.value === value}
          onClick={() => onChange(option.value)}
        >
          {option.text}
        </button>
      ))}
    </div>
  );
}

function Stat({ label, value, note, tone }: { label: string; value: string; note?: string; tone?: string }) {
  return (
    <div class={`stat ${tone ? `change ${tone}` : ""}`}>
      <dt>{label}</dt>
      <dd>
        <span class="money">{value}</span>
        {note && <small class="muted">{note}</small>}
      </dd>
    </div>
  );
}

type Figure = NonNullable<DetailData["minifigure"]>;

/** What the page shows of a figure, starting from a load and then following live ticks. */
interface LiveFigure {
  candles: Candle[];
  rows: ListingRow[];
  stats: Figure["stats"] | null;
  /** What the Volatility card follows live sales with (null: it cannot, it keeps the load's). */
  dailyMedians: DailyMedians | null;
  lastSale: { price: number; at: string } | null;
}

function dailyMediansOf(figure: Figure, loaded: { window: StatsWindow; today: string }): DailyMedians {
  const { todaysSales } = figure;
  return {
    windowDays: STATS_DAYS[loaded.window],
    days: figure.dailyMedians.flatMap((c) => (c.median === null ? [] : [{ day: c.start.slice(0, 10), median: c.median }])),
    today: loaded.today.slice(0, 10),
    todayPrices: todaysSales.pageInfo.hasNextPage ? null : todaysSales.nodes.flatMap((n) => (n.priceUsd === null ? [] : [n.priceUsd])),
  };
}

function fromLoad(figure: Figure | null, loaded: { window: StatsWindow; today: string } | null): LiveFigure {
  return {
    candles: figure?.priceHistory ?? [],
    rows: (figure?.listings.nodes ?? []).map((n) => ({ ...n, live: false })),
    stats: figure?.stats ?? null,
    dailyMedians: figure && loaded ? dailyMediansOf(figure, loaded) : null,
    lastSale: null,
  };
}

function exportHistory(figure: Figure, candles: Candle[], shown: DetailOptions, currency: string): void {
  const header = ["bucket_start", "open", "high", "low", "close", "median", "volume", "trades", "currency", "condition"];
  const rows = candles.map((c) => [c.start, c.open, c.high, c.low, c.close, c.median, c.volume, c.trades, currency, shown.condition]);
  saveCsv(`${figure.figNum}-${shown.condition.toLowerCase()}-${shown.range.toLowerCase()}.csv`, toCsv(header, rows));
}

export function Detail({ figNum, search, currency }: { figNum: string; search: string; currency: Currency }) {
  const options = parseOptions(search);
  const setOptions = (change: Partial<DetailOptions>) =>
    navigate(`/m/${encodeURIComponent(figNum)}${optionsSearch({ ...options, ...change })}`, { replace: true });
  const span = useMemo(() => rangeWindow(options.range, new Date()), [options.range]);
  const query = useQuery(DetailPageQuery, {
    figNum,
    condition: options.condition,
    currency,
    from: span.from,
    to: span.to,
    interval: span.interval,
    window: span.statsWindow,
    statsFrom: span.statsFrom,
    today: span.today,
  });
  const { data, error, loading, reload, retryAt } = query;
  const figure = data?.minifigure ?? null;
  useTitle(figure?.name ?? figNum);

  // Labels follow the data on screen, not the request on its way: a new range's label
  // arrives with its numbers. The chart type needs no load and follows at once.
  const [shown] = useRebased(data, () => ({ ...options, currency }));
  const shownOptions = { ...shown, chart: options.chart };
  const shownSpan = useMemo(() => rangeWindow(shown.range, new Date()), [shown.range]);
  const [live, setLive] = useRebased(figure, (loaded) => fromLoad(loaded, query.dataVariables));
  const perUsd = useMemo(() => currencyPerUsd(shown.currency, figure?.listings.nodes ?? []), [figure, shown.currency]);

  useSubscription(
    PriceTicksSubscription,
    { filter: { figNums: [figNum], condition: shown.condition }, since: null },
    ({ priceTicks: tick }) => {
      const row = tickToRow(tick, perUsd);
      setLive((previous) => {
        const next = { ...previous, rows: mergeRow(previous.rows, row, ROWS) };
        if (tick.kind !== "SOLD" || tick.excludedReason || row.price === null) return next;
        const sale = { observedAt: tick.observedAt, price: row.price, quantity: tick.quantity };
        const newer = !previous.lastSale || previous.lastSale.at <= tick.observedAt;
        const dailyMedians = previous.dailyMedians && withDailySale(previous.dailyMedians, Number(tick.priceUsd), tick.observedAt);
        const stats = previous.stats && withSale(previous.stats, sale.price, sale.quantity);
        return {
          ...next,
          candles: applySale(previous.candles, sale, shownSpan.interval),
          stats: stats && dailyMedians ? { ...stats, volatilityPct: volatilityOf(dailyMedians) } : stats,
          dailyMedians,
          lastSale: newer ? { price: sale.price, at: tick.observedAt } : previous.lastSale,
        };
      });
    },
    figure !== null,
  );

  const { candles, rows } = live;
  const bars = useMemo(() => toBars(candles), [candles]);
  const line = useMemo(() => toLine(candles), [candles]);
  const volume = useMemo(() => toVolume(candles), [candles]);

  if (!data) {
    return error ? <ErrorBox error={error} retry={reload} retryAt={retryAt} /> : <Loading what={`minifigure ${figNum}`} />;
  }
  if (!figure) {
    return (
      <div>
        <h1>Not found</h1>
        <Empty>
          No minifigure has the fig number “{figNum}”. Check it, or search for it on the <Link href="/browse">browse page</Link>.
        </Empty>
      </div>
    );
  }
  const latest = figure.latestPrice;
  const stats = live.stats ?? figure.stats;
  const money = (amount: number | null | undefined) => formatMoney(amount, shown.currency);
  const conditionWord = shown.condition === "NEW" ? "new" : "used";
  const rangeWords = RANGE_DAYS[shown.range];

  return (
    <article class="detail" aria-busy={loading}>
      <header class="detail-head">
        <FigureImage src={figure.imageUrl} alt={`The ${figure.name} minifigure`} class="portrait" />
        <div>
          <h1>{figure.name}</h1>
          <dl class="facts">
            <div>
              <dt>Fig number</dt>
              <dd>
                <a href={`https://www.bricklink.com/v2/catalog/catalogitem.page?M=${encodeURIComponent(figure.figNum)}`} rel="noopener noreferrer" target="_blank">
                  {figure.figNum} on BrickLink
                </a>
              </dd>
            </div>
            {figure.rebrickableId && (
              <div>
                <dt>Rebrickable</dt>
                <dd>
                  <a href={`https://rebrickable.com/minifigs/${encodeURIComponent(figure.rebrickableId)}/`} rel="noopener noreferrer" target="_blank">
                    {figure.rebrickableId}
                  </a>
                </dd>
              </div>
            )}
            {figure.brickowlId && (
              <div>
                <dt>BrickOwl</dt>
                <dd>{figure.brickowlId}</dd>
              </div>
            )}
            <div>
              <dt>Theme</dt>
              <dd>{figure.theme ?? "—"}</dd>
            </div>
            <div>
              <dt>Released</dt>
              <dd>{figure.yearReleased ?? "—"}</dd>
            </div>
            <div>
              <dt>Parts</dt>
              <dd>{figure.numParts ?? "—"}</dd>
            </div>
          </dl>
          <p>
            <Link href={`/compare?figs=${encodeURIComponent(figure.figNum)}`}>Compare with other minifigures</Link>
          </p>
        </div>
      </header>

      <FigureActions minifigureId={figure.id} figNum={figure.figNum} condition={options.condition} />

      <div class="controls">
        <Toggle
          label="Condition"
          value={options.condition}
          options={[
            { value: "USED", text: "Used" },
            { value: "NEW", text: "New" },
          ]}
          onChange={(condition) => setOptions({ condition })}
        />
        <Toggle
          label="Range"
          value={options.range}
          options={RANGES.map((r) => ({ value: r, text: r }))}
          onChange={(range) => setOptions({ range })}
        />
        <Toggle
          label="Chart type"
          value={options.chart}
          options={[
            { value: "candles", text: "Candles" },
            { value: "line", text: "Line" },
          ]}
          onChange={(chart) => setOptions({ chart })}
        />
        <Updating active={loading} />
      </div>
      {error && <ErrorBox error={error} retry={reload} retryAt={retryAt} stale />}

      <div class={loading ? "stale" : ""}>
        <dl class="stats">
          {live.lastSale ? (
            <Stat label="Last sale" value={money(live.lastSale.price)} note=" just now (live)" />
          ) : (
            <Stat label="Last sale" value={money(latest.lastSale)} note={latest.lastSaleAt ? ` ${formatDay(latest.lastSaleAt)}` : undefined} />
          )}
          <Stat label="Lowest ask" value={money(latest.lowestAsk)} note={latest.lowestAskSource ? ` at ${latest.lowestAskSource}` : undefined} />
          <Stat label="Median" value={money(latest.median)} note={latest.medianDay ? ` ${formatDay(latest.medianDay)}` : undefined} />
          <Stat label={`Change (${rangeWords})`} value={formatPct(stats.changePct)} tone={trend(stats.changePct)} />
          <Stat label="Range" value={`${money(stats.low)} – ${money(stats.high)}`} />
          <Stat label="Volatility" value={formatPct(stats.volatilityPct).replace("+", "")} note=" of daily medians" />
          <Stat label="Sales" value={`${stats.sampleSize}`} note={` ${stats.volume} units`} />
        </dl>

        <section class="card" aria-labelledby="chart-title">
          <div class="card-head">
            <h2 id="chart-title">
              Sold prices, {conditionWord}, in {shown.currency}
            </h2>
            {candles.length > 0 && (
              <button type="button" onClick={() => exportHistory(figure, candles, shownOptions, shown.currency)}>
                Download CSV
              </button>
            )}
          </div>
          {candles.length === 0 ? (
            <Empty>
              No {conditionWord} sales in the last {rangeWords}. Try a longer range or the other condition.
            </Empty>
          ) : (
            <PriceChart
              mode={options.chart}
              bars={bars}
              line={line}
              volume={volume}
              currency={shown.currency}
              label={`${options.chart === "candles" ? "Candlestick" : "Line"} chart of ${conditionWord} sold prices of ${figure.name} over the last ${rangeWords}, ${bars.length} buckets`}
            />
          )}
        </section>

        <section class="card" aria-labelledby="listings-title">
          <h2 id="listings-title">Recent sales and asks ({conditionWord})</h2>
          {rows.length === 0 ? (
            <Empty>No {conditionWord} sales or asks recorded yet. They appear here live as they are collected.</Empty>
          ) : (
            <table class="listings cards" data-testid="listings">
              <thead>
                <tr>
                  <th scope="col">When (UTC)</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Source</th>
                  <th scope="col" class="num">Qty</th>
                  <th scope="col" class="num">Price</th>
                  <th scope="col">Counted</th>
                </tr>
              </thead>
              <tbody aria-live="polite">
                {rows.map((row) => (
                  <tr key={row.id} class={`${row.excludedReason ? "excluded" : ""} ${row.live ? "fresh" : ""}`} data-listing-id={row.id}>
                    <td data-label="When">{formatDateTime(row.observedAt)}</td>
                    <td data-label="Kind">
                      <span class={`badge ${row.kind === "SOLD" ? "sold" : "ask"}`}>{row.kind === "SOLD" ? "Sold" : "Ask"}</span>
                    </td>
                    <td data-label="Source">{row.source}</td>
                    <td data-label="Qty" class="num">
                      {row.quantity}
                    </td>
                    <td data-label="Price" class="num price">
                      <span class="money">{money(row.price)}</span>
                    </td>
                    <td data-label="Counted">
                      {row.excludedReason ? <span class="excluded-reason">Excluded: {describeExclusion(row.excludedReason)}</span> : "Yes"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </article>
  );
}
