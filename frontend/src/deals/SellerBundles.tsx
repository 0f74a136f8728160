/** Sellers whose current asks cover several watched figures: one order, one shipping. */

import { useAuthedQuery } from "../auth/hooks";
import { ErrorBox } from "../components/states";
import { formatMoney, type Currency } from "../lib/format";
import { Link } from "../router";
import { SellerBundlesQuery } from "./operations";
import "./deals.css";

export function SellerBundles({ currency, watched }: { currency: Currency; watched: number }) {
  const { data, error, reload } = useAuthedQuery(SellerBundlesQuery, { currency });
  if (watched < 2) return null;
  if (error) return <ErrorBox error={error} retry={reload} />;
  const bundles = data?.viewer?.sellerBundles;
  if (!bundles) return null;
  return (
    <section class="bundles" aria-labelledby="bundles-title">
      <h2 id="bundles-title">Seller bundles</h2>
      {bundles.length === 0 ? (
        <p class="muted">No seller offers two or more of your watched figures right now.</p>
      ) : (
        <ul class="deal-list" data-testid="bundles">
          {bundles.map((bundle) => (
            <li key={`${bundle.source}:${bundle.sellerName}`} class="card bundle">
              <h3>
                {bundle.sellerName} <span class="muted">on {bundle.source}</span>
              </h3>
              <p class="muted">
                {bundle.figuresCovered} of your figures for{" "}
                <strong class="money">{formatMoney(bundle.total, currency)}</strong>, one shipping
                {bundle.sellerCountry ? ` from ${bundle.sellerCountry}` : ""}
              </p>
              <ul>
                {bundle.items.map((item) => (
                  <li key={item.listing.id}>
                    <Link href={`/m/${encodeURIComponent(item.minifigure.figNum)}`}>
                      {item.minifigure.name} <small class="muted">({item.condition === "NEW" ? "new" : "used"})</small>
                    </Link>
                    {item.url ? (
                      <a href={item.url} target="_blank" rel="noopener noreferrer nofollow" class="money">
                        {formatMoney(item.price, currency)} ↗
                      </a>
                    ) : (
                      <span class="money">{formatMoney(item.price, currency)}</span>
                    )}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
