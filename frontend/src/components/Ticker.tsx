/** The live tape: every price stored, as it is stored, in the chosen currency when known. */

import { useState } from "preact/hooks";
import { useSubscription } from "../api/hooks";
import { PriceTicksSubscription } from "../api/operations";
import type { PriceTicksSubscription as TickData } from "../gql/graphql";
import { formatMoney, formatTime, fromUsd, type Currency } from "../lib/format";
import { Link } from "../router";

type Tick = TickData["priceTicks"];
const SHOWN = 12;

export function Ticker({
  currency,
  perUsd,
  onTick,
}: {
  currency: Currency;
  /** Units of `currency` per USD; null while unknown (prices then stay in USD). */
  perUsd: number | null;
  onTick?: (tick: Tick) => void;
}) {
  const [ticks, setTicks] = useState<Tick[]>([]);
  useSubscription(PriceTicksSubscription, { filter: null, since: null }, (data) => {
    setTicks((previous) => [data.priceTicks, ...previous.filter((t) => t.eventId !== data.priceTicks.eventId)].slice(0, SHOWN));
    onTick?.(data.priceTicks);
  });
  const shownIn = perUsd === null ? "USD" : currency;
  return (
    <section class="card ticker" aria-labelledby="ticker-title">
      <h2 id="ticker-title">
        Live prices <span class="muted">({shownIn})</span> <span class="live-dot" aria-hidden="true" />
      </h2>
      {ticks.length === 0 ? (
        <p class="state empty">Waiting for the next price… new sales and asks appear here as they are collected.</p>
      ) : (
        <ol class="ticker-list" aria-live="polite" data-testid="ticker">
          {ticks.map((tick) => {
            const price = fromUsd(Number(tick.priceUsd), currency, perUsd);
            return (
              <li key={tick.eventId} class="ticker-item">
                <time class="muted" dateTime={tick.observedAt}>
                  {formatTime(tick.observedAt)}
                </time>
                <span class={`badge ${tick.kind === "SOLD" ? "sold" : "ask"}`}>{tick.kind === "SOLD" ? "Sold" : "Ask"}</span>
                {tick.minifigure ? (
                  <Link href={`/m/${encodeURIComponent(tick.minifigure.figNum)}`}>{tick.minifigure.name}</Link>
                ) : (
                  <span>a deleted minifigure</span>
                )}
                <span class="muted">
                  {tick.condition === "NEW" ? "new" : "used"} · qty {tick.quantity}
                </span>
                <strong class="money">{formatMoney(price.amount, price.currency)}</strong>
                {tick.excludedReason && <span class="muted">(excluded: {tick.excludedReason})</span>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
