/** The portfolio: value, cost and P/L (live), its value over time, and the holdings. */

import { useEffect, useState } from "preact/hooks";
import { download, useAuthedQuery } from "../auth/hooks";
import { subscribeAsUser } from "../auth/live";
import { authedRequest, useSession } from "../auth/session";
import { PriceChart } from "../components/PriceChart";
import { Empty, ErrorBox, Loading } from "../components/states";
import { SignInFirst } from "../collectors/SignInFirst";
import {
  ExportsQuery,
  PortfolioQuery,
  PortfolioValueSubscription,
  RemoveHoldingMutation,
} from "../collectors/operations";
import "../collectors/collectors.css";
import type { PortfolioFieldsFragment } from "../gql/graphql";
import { formatDay, formatMoney, formatPct, trend, type Currency } from "../lib/format";
import { Link } from "../router";

const HISTORY_DAYS = 90;

function historyStart(): string {
  const day = new Date();
  day.setUTCDate(day.getUTCDate() - (HISTORY_DAYS - 1));
  return day.toISOString().slice(0, 10);
}

export function Portfolio({ currency }: { currency: Currency }) {
  const session = useSession();
  if (!session) return <SignInFirst what="Portfolio" here="/portfolio" />;
  return <PortfolioPage currency={currency} />;
}

function PortfolioPage({ currency }: { currency: Currency }) {
  const [from] = useState(historyStart);
  const { data, error, reload } = useAuthedQuery(PortfolioQuery, { currency, from });
  const [live, setLive] = useState<PortfolioFieldsFragment | null>(null);
  useEffect(() => {
    setLive(null);
    return subscribeAsUser(PortfolioValueSubscription, { currency }, (update) => setLive(update.portfolioValue.portfolio));
  }, [currency]);

  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data?.viewer) return <Loading what="your portfolio" />;
  const loaded = data.viewer.portfolio;
  // The live value is the newest; until it comes, the loaded one.
  const portfolio: PortfolioFieldsFragment = live && live.currency === loaded.currency ? live : loaded;
  // From the first day anything was held: the days before are all zero.
  const firstHeld = loaded.history.findIndex((p) => p.cost > 0);
  const points = (firstHeld < 0 ? [] : loaded.history.slice(firstHeld)).map((p) => ({
    time: Date.parse(`${p.day}T00:00:00Z`) / 1000,
    value: p.value,
  }));

  const remove = async (id: string) => {
    await authedRequest(RemoveHoldingMutation, { id });
    reload();
  };
  const exportCsv = async () => {
    const exports = await authedRequest(ExportsQuery, {});
    if (exports.viewer) download("holdings.csv", exports.viewer.holdingsCsv);
  };

  return (
    <div>
      <h1>Portfolio</h1>
      <dl class="summary" data-testid="portfolio-summary">
        <div class="card">
          <dt>Value {live && <span class="live-dot" title="Live" />}</dt>
          <dd data-testid="portfolio-value">{formatMoney(portfolio.value, currency)}</dd>
        </div>
        <div class="card">
          <dt>Cost</dt>
          <dd>{formatMoney(portfolio.cost, currency)}</dd>
        </div>
        <div class="card">
          <dt>Profit / loss</dt>
          <dd class={`change ${trend(portfolio.profitLoss)}`}>
            {formatMoney(portfolio.profitLoss, currency)} <small>{formatPct(portfolio.profitLossPct)}</small>
          </dd>
        </div>
      </dl>
      <div class="page-actions">
        <Link href="/portfolio/import">Import holdings (CSV or Brickset)</Link>
        <button type="button" onClick={() => void exportCsv()} disabled={!portfolio.holdings.length}>
          Export CSV
        </button>
      </div>
      {points.length > 1 && (
        <section class="card">
          <h2>Value over the last {HISTORY_DAYS} days</h2>
          <PriceChart mode="line" bars={[]} line={points} label={`Portfolio value in ${currency}`} height={240} />
        </section>
      )}
      {!portfolio.holdings.length ? (
        <Empty>
          No holdings yet. Open a figure and press “Add to portfolio”, or <Link href="/portfolio/import">import a CSV file</Link>.
        </Empty>
      ) : (
        <div class="table-wrap">
          <table data-testid="holdings" class="cards">
            <thead>
              <tr>
                <th>Minifigure</th>
                <th>Condition</th>
                <th class="num">Qty</th>
                <th class="num">Unit cost</th>
                <th>Acquired</th>
                <th class="num">Price</th>
                <th class="num">Value</th>
                <th class="num">P/L</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {portfolio.holdings.map((row) => (
                <tr key={row.holding.id}>
                  <td class="card-title">
                    <Link href={`/m/${encodeURIComponent(row.minifigure.figNum)}`}>{row.minifigure.name}</Link>
                    <br />
                    <small class="muted">{row.minifigure.figNum}</small>
                  </td>
                  <td data-label="Condition">{row.holding.condition === "NEW" ? "New" : "Used"}</td>
                  <td data-label="Qty" class="num">
                    {row.holding.quantity}
                  </td>
                  <td data-label="Unit cost" class="num">
                    <span class="money">{formatMoney(row.holding.unitCost, row.holding.currency)}</span>
                  </td>
                  <td data-label="Acquired">{formatDay(row.holding.acquiredOn)}</td>
                  <td data-label="Price" class="num">
                    <span class="money">{formatMoney(row.unitPrice, currency)}</span>
                  </td>
                  <td data-label="Value" class="num">
                    <span class="money">{formatMoney(row.value, currency)}</span>
                  </td>
                  <td data-label="P/L" class={`num change ${trend(row.profitLoss)}`}>
                    <span class="money">
                      {formatMoney(row.profitLoss, currency)} <small>{formatPct(row.profitLossPct)}</small>
                    </span>
                  </td>
                  <td data-label="">
                    <button type="button" onClick={() => void remove(row.holding.id)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
