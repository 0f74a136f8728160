/** One deal: the figure, the ask against the sold median, the offer link, the spread. */

import type { DealFieldsFragment } from "../gql/graphql";
import { formatMoney, type Currency } from "../lib/format";
import { Link } from "../router";
import { FigureImage } from "../components/FigureImage";

export function DealCard({ deal, currency, fresh }: { deal: DealFieldsFragment; currency: Currency; fresh?: boolean }) {
  const figure = deal.minifigure;
  return (
    <li class={`deal-card card${fresh ? " fresh" : ""}`} data-testid="deal">
      <div class="deal-head">
        <Link href={`/m/${encodeURIComponent(figure.figNum)}`} class="fig-link">
          <FigureImage src={figure.imageUrl} class="thumb" />
          <span>
            {figure.name}
            <br />
            <small class="muted">
              {figure.figNum} · {deal.condition === "NEW" ? "new" : "used"}
            </small>
          </span>
        </Link>
        {fresh && <span class="badge ask">New</span>}
      </div>
      <p class="deal-price">
        <strong class="money">{formatMoney(deal.ask, currency)}</strong>{" "}
        <span class="change down">−{deal.discountPct.toFixed(1)}%</span>{" "}
        <span class="muted">
          vs sold median <span class="money">{formatMoney(deal.soldMedian, currency)}</span>
        </span>
      </p>
      <p class="muted deal-source">
        on {deal.listing.source}
        {deal.listing.sellerName ? ` · ${deal.listing.sellerName}` : ""}
      </p>
      {deal.listing.excludedReason === "outlier" && (
        <p class="deal-warning">Far under the other asks too: check the offer before buying.</p>
      )}
      {deal.spread.length > 0 && (
        <p class="deal-spread" aria-label="Current asks by source">
          {deal.spread.map((s) => (
            <span key={s.source} class="spread-item">
              {s.source}: {s.asks} from <span class="money">{formatMoney(s.lowest, currency)}</span>
            </span>
          ))}
        </p>
      )}
      {deal.url && (
        <a class="button-link" href={deal.url} target="_blank" rel="noopener noreferrer nofollow">
          View offer on {deal.listing.source}
        </a>
      )}
    </li>
  );
}
