import { useEffect, useMemo, useState } from "preact/hooks";
import { FigureActions } from "../collectors/FigureActions";
import { useQuery, useSubscription } from "../api/hooks";
import { DetailPageQuery, PriceTicksSubscription } from "../api/operations";
import type { Condition } from "../gql/graphql";
import { PriceChart } from "../components/PriceChart";
import { Empty, ErrorBox, Loading } from "../components/states";
import { applySale, toBars, toLine, toVolume, type Candle } from "../lib/candles";
import { formatDateTime, formatDay, formatMoney, formatPct, trend, type Currency } from "../lib/format";
import { currencyPerUsd, describeExclusion, mergeRow, tickToRow, type ListingRow } from "../lib/listings";
import { isRange, RANGES, rangeWindow, type Range } from "../lib/range";
import { navigate } from "../router";

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
        {value}
        {note && <small class="muted">{note}</small>}
      </dd>
    </div>
  );
}

export function Detail({ figNum, search, currency }: { figNum: string; search: string; currency: Currency }) {
  const options = parseOptions(search);
  const setOptions = (change: Partial<DetailOptions>) =>
    navigate(`/m/${encodeURIComponent(figNum)}${optionsSearch({ ...options, ...change })}`, { replace: true });
  const span = useMemo(() => rangeWindow(options.range, new Date()), [options.range]);
  const { data, error, loading, reload } = useQuery(DetailPageQuery, {
    figNum,
    condition: options.condition,
    currency,
    from: span.from,
    to: span.to,
    interval: span.interval,
    window: span.statsWindow,
  });
  const figure = data?.minifigure ?? null;

  // Live state starts from each load and then takes the ticks of this figure.
  const [candles, setCandles] = useState<Candle[]>([]);
  const [rows, setRows] = useState<ListingRow[]>([]);
  const [liveSale, setLiveSale] = useState<{ price: number; at: string } | null>(null);
  useEffect(() => {
    setLiveSale(null);
    setCandles(figure?.priceHistory ?? []);
    setRows((figure?.listings.nodes ?? []).map((n) => ({ ...n, live: false })));
  }, [figure]);
  const perUsd = useMemo(() => currencyPerUsd(figure?.listings.nodes ?? []), [figure]);

  useSubscription(
    PriceTicksSubscription,
    { filter: { figNums: [figNum], condition: options.condition }, since: null },
    ({ priceTicks: tick }) => {
      const row = tickToRow(tick, perUsd);
      setRows((previous) => mergeRow(previous, row, ROWS));
      if (tick.kind === "SOLD" && !tick.excludedReason && row.price !== null) {
        const sale = { observedAt: tick.observedAt, price: row.price, quantity: tick.quantity };
        setCandles((previous) => applySale(previous, sale, span.interval));
        setLiveSale((previous) =>
          previous && previous.at > tick.observedAt ? previous : { price: sale.price, at: tick.observedAt },
        );
      }
    },
    figure !== null,
  );

  const bars = useMemo(() => toBars(candles), [candles]);
  const line = useMemo(() => toLine(candles), [candles]);
  const volume = useMemo(() => toVolume(candles), [candles]);

  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data) return <Loading what={`minifigure ${figNum}`} />;
  if (!figure) {
    return (
      <div>
        <h1>Not found</h1>
        <Empty>No minifigure has the fig number “{figNum}”. Check it, or search for it on the browse page.</Empty>
      </div>
    );
  }
  const latest = figure.latestPrice;
  const stats = figure.stats;
  const conditionWord = options.condition === "NEW" ? "new" : "used";

  return (
    <article class="detail">
      <header class="detail-head">
        {figure.imageUrl ? (
          <img src={figure.imageUrl} alt={`The ${figure.name} minifigure`} class="portrait" />
        ) : (
          <div class="portrait noimg" aria-hidden="true" />
        )}
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
        {loading && <span class="muted" role="status">Updating…</span>}
      </div>

      <dl class="stats">
        {liveSale ? (
          <Stat label="Last sale" value={formatMoney(liveSale.price, currency)} note=" just now (live)" />
        ) : (
          <Stat label="Last sale" value={formatMoney(latest.lastSale, currency)} note={latest.lastSaleAt ? ` ${formatDay(latest.lastSaleAt)}` : undefined} />
        )}
        <Stat label="Lowest ask" value={formatMoney(latest.lowestAsk, currency)} note={latest.lowestAskSource ? ` at ${latest.lowestAskSource}` : undefined} />
        <Stat label="Median" value={formatMoney(latest.median, currency)} note={latest.medianDay ? ` ${formatDay(latest.medianDay)}` : undefined} />
        <Stat label={`Change (${RANGE_DAYS[options.range]})`} value={formatPct(stats.changePct)} tone={trend(stats.changePct)} />
        <Stat label="Range" value={`${formatMoney(stats.low, currency)} – ${formatMoney(stats.high, currency)}`} />
        <Stat label="Volatility" value={formatPct(stats.volatilityPct).replace("+", "")} />
        <Stat label="Sales" value={`${stats.sampleSize}`} note={` ${stats.volume} units`} />
      </dl>

      <section class="card" aria-labelledby="chart-title">
        <h2 id="chart-title">
          Sold prices, {conditionWord}, in {currency}
        </h2>
        {candles.length === 0 ? (
          <Empty>
            No {conditionWord} sales in the last {RANGE_DAYS[options.range]}. Try a longer range or the other condition.
          </Empty>
        ) : (
          <PriceChart
            mode={options.chart}
            bars={bars}
            line={line}
            volume={volume}
            label={`${options.chart === "candles" ? "Candlestick" : "Line"} chart of ${conditionWord} sold prices of ${figure.name} over the last ${RANGE_DAYS[options.range]}, ${bars.length} buckets`}
          />
        )}
      </section>

      <section class="card" aria-labelledby="listings-title">
        <h2 id="listings-title">Recent sales and asks ({conditionWord})</h2>
        {rows.length === 0 ? (
          <Empty>No {conditionWord} sales or asks recorded yet. They appear here live as they are collected.</Empty>
        ) : (
          <div class="table-wrap">
            <table class="listings" data-testid="listings">
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
                    <td>{formatDateTime(row.observedAt)}</td>
                    <td>
                      <span class={`badge ${row.kind === "SOLD" ? "sold" : "ask"}`}>{row.kind === "SOLD" ? "Sold" : "Ask"}</span>
                    </td>
                    <td>{row.source}</td>
                    <td class="num">{row.quantity}</td>
                    <td class="num">{formatMoney(row.price, currency)}</td>
                    <td>{row.excludedReason ? <span class="excluded-reason">Excluded: {describeExclusion(row.excludedReason)}</span> : "Yes"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </article>
  );
}
