import { useMemo } from "preact/hooks";
import { useQuery, useRebased } from "../api/hooks";
import { HomePageQuery } from "../api/operations";
import type { HomePageQuery as HomeData } from "../gql/graphql";
import { Ticker } from "../components/Ticker";
import { PriceChart } from "../components/LazyChart";
import { Empty, ErrorBox, Loading, Updating } from "../components/states";
import { formatAge, formatMoney, formatPct, fromUsd, trend, type Currency } from "../lib/format";
import { bumpActive, byRecentActivity, type ActiveFigure } from "../lib/active";
import { currencyPerUsd } from "../lib/listings";
import { Link } from "../router";
import { FigureImage } from "../components/FigureImage";

type Mover = HomeData["gainers"][number];
const ACTIVE_SHOWN = 12;

function yearAgo(now: Date): string {
  return new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth(), now.getUTCDate())).toISOString().slice(0, 10);
}

function MoverList({ title, movers, currency }: { title: string; movers: Mover[]; currency: Currency }) {
  return (
    <section class="card" aria-label={title}>
      <h2>{title}</h2>
      {movers.length === 0 ? (
        <Empty>Not enough sales in the last 7 days to call a mover.</Empty>
      ) : (
        <ol class="movers">
          {movers.map((mover) =>
            mover.minifigure ? (
              <li key={mover.minifigure.id}>
                <Link href={`/m/${encodeURIComponent(mover.minifigure.figNum)}`}>{mover.minifigure.name}</Link>
                <span class="muted money">
                  {formatMoney(mover.fromPrice, currency)} → {formatMoney(mover.toPrice, currency)}
                </span>
                <span class={`change ${trend(mover.changePct)}`}>{formatPct(mover.changePct)}</span>
              </li>
            ) : null,
          )}
        </ol>
      )}
    </section>
  );
}

function activeFigures(data: HomeData | null): ActiveFigure[] {
  const loaded = (data?.active.nodes ?? []).map((m) => ({
    id: m.id,
    figNum: m.figNum,
    name: m.name,
    imageUrl: m.imageUrl ?? null,
    lastSale: m.latestPrice.lastSale ?? null,
    lastAsk: null,
    lastSeenAt: m.latestPrice.lastSeenAt ?? null,
  }));
  return byRecentActivity(loaded);
}

function tilePrice(figure: ActiveFigure, currency: Currency): string {
  if (figure.lastSale !== null) return formatMoney(figure.lastSale, currency);
  if (figure.lastAsk !== null) return `ask ${formatMoney(figure.lastAsk, currency)}`;
  return "no sale yet";
}

export function Home({ currency }: { currency: Currency }) {
  const now = useMemo(() => new Date(), []);
  const query = useQuery(HomePageQuery, { indexFrom: yearAgo(now), currency });
  const { data, error, loading, reload, retryAt } = query;
  const shownCurrency = query.dataVariables?.currency ?? currency;
  const index = data?.marketIndex ?? [];
  const line = useMemo(
    () => index.map((p) => ({ time: Date.parse(`${p.start}T00:00:00Z`) / 1000, value: p.value })),
    [index],
  );
  const last = index.at(-1);
  // Ticks carry USD: the rate comes from the loaded sales priced both ways.
  const perUsd = useMemo(
    () =>
      currencyPerUsd(
        shownCurrency,
        (data?.active.nodes ?? []).map((m) => ({ price: m.latestPrice.lastSale, priceUsd: m.latestPrice.lastSaleUsd })),
      ),
    [data, shownCurrency],
  );
  const [active, setActive] = useRebased(data, activeFigures);

  return (
    <div class="home" aria-busy={loading}>
      <h1>
        Market <Updating active={loading && data !== null} />
      </h1>
      {error && <ErrorBox error={error} retry={reload} retryAt={retryAt} stale={data !== null} />}
      <div class="grid two">
        <section class="card" aria-labelledby="index-title">
          <h2 id="index-title">Market index</h2>
          {!data && !error && <Loading what="the market index" />}
          {data && index.length === 0 && <Empty>No prices in the last year yet, so no index.</Empty>}
          {last && (
            <>
              <p class="big">
                {last.value.toFixed(1)}{" "}
                <span class={`change ${trend(last.value - 100)}`}>{formatPct(last.value - 100)} over the year</span>
              </p>
              <p class="muted">Equal-weighted weekly index of used medians (first week = 100), {last.constituents} minifigures.</p>
              <PriceChart mode="line" bars={[]} line={line} label="Market index over the last year" height={200} />
            </>
          )}
        </section>
        <Ticker
          currency={shownCurrency}
          perUsd={perUsd}
          onTick={(tick) => {
            const price = perUsd === null ? null : fromUsd(Number(tick.priceUsd), shownCurrency, perUsd).amount;
            setActive((previous) => bumpActive(previous, tick, price, ACTIVE_SHOWN));
          }}
        />
      </div>
      {data && (
        <>
          <div class="grid two">
            <MoverList title="Top gainers (7 days)" movers={data.gainers} currency={shownCurrency} />
            <MoverList title="Top losers (7 days)" movers={data.losers} currency={shownCurrency} />
          </div>
          <section class="card" aria-labelledby="active-title">
            <h2 id="active-title">Recently active</h2>
            {active.length === 0 ? (
              <Empty>No minifigure has a price yet. Start a worker to collect some.</Empty>
            ) : (
              <ul class="tiles" data-testid="active">
                {active.map((m) => (
                  <li key={m.id} class="tile">
                    <Link href={`/m/${encodeURIComponent(m.figNum)}`}>
                      <FigureImage src={m.imageUrl} />
                      <span class="tile-name">{m.name}</span>
                    </Link>
                    <span class="muted">
                      <span class="money">{tilePrice(m, shownCurrency)}</span> · {formatAge(m.lastSeenAt, new Date())}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
}
