/** The watchlist: followed figures with their latest sale and 7/30-day changes. */

import { download, useAuthedQuery } from "../auth/hooks";
import { authedRequest, useSession } from "../auth/session";
import { Empty, ErrorBox, Loading } from "../components/states";
import { SignInFirst } from "../collectors/SignInFirst";
import { SellerBundles } from "../deals/SellerBundles";
import { ExportsQuery, RemoveFromWatchlistMutation, WatchlistQuery } from "../collectors/operations";
import "../collectors/collectors.css";
import type { Condition } from "../gql/graphql";
import { formatDateTime, formatMoney, formatPct, trend, type Currency } from "../lib/format";
import { Link } from "../router";
import { FigureImage } from "../components/FigureImage";

export function Watchlist({ currency }: { currency: Currency }) {
  const session = useSession();
  if (!session) return <SignInFirst what="Watchlist" here="/watchlist" />;
  return <WatchlistPage currency={currency} />;
}

function WatchlistPage({ currency }: { currency: Currency }) {
  const { data, error, reload } = useAuthedQuery(WatchlistQuery, { currency });
  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data?.viewer) return <Loading what="your watchlist" />;
  const items = data.viewer.watchlist;
  const remove = async (minifigureId: string, condition: Condition) => {
    await authedRequest(RemoveFromWatchlistMutation, { minifigureId, condition });
    reload();
  };
  const exportCsv = async () => {
    const exports = await authedRequest(ExportsQuery, {});
    if (exports.viewer) download("watchlist.csv", exports.viewer.watchlistCsv);
  };
  return (
    <div>
      <h1>Watchlist</h1>
      <div class="page-actions">
        <button type="button" onClick={() => void exportCsv()} disabled={!items.length}>
          Export CSV
        </button>
      </div>
      {!items.length ? (
        <Empty>
          Nothing watched yet. Open a figure from <Link href="/browse">Browse</Link> and press “Watch”.
        </Empty>
      ) : (
        <div class="table-wrap">
          <table data-testid="watchlist" class="cards">
            <thead>
              <tr>
                <th>Minifigure</th>
                <th>Condition</th>
                <th class="num">Last sale</th>
                <th>Sold</th>
                <th class="num">7 days</th>
                <th class="num">30 days</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <td class="card-title">
                    <Link href={`/m/${encodeURIComponent(item.minifigure.figNum)}`} class="fig-link">
                      <FigureImage src={item.minifigure.imageUrl} class="thumb" />
                      <span>
                        {item.minifigure.name}
                        <br />
                        <small class="muted">{item.minifigure.figNum}</small>
                      </span>
                    </Link>
                  </td>
                  <td data-label="Condition">{item.condition === "NEW" ? "New" : "Used"}</td>
                  <td data-label="Last sale" class="num">
                    <span class="money">{formatMoney(item.lastSalePrice, currency)}</span>
                  </td>
                  <td data-label="Sold">{formatDateTime(item.lastSaleAt)}</td>
                  <td data-label="7 days" class={`num change ${trend(item.change7dPct)}`}>
                    {formatPct(item.change7dPct)}
                  </td>
                  <td data-label="30 days" class={`num change ${trend(item.change30dPct)}`}>
                    {formatPct(item.change30dPct)}
                  </td>
                  <td>
                    <button type="button" onClick={() => void remove(item.minifigure.id, item.condition)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SellerBundles currency={currency} watched={items.length} />
    </div>
  );
}
