/** "Watch" and "Add to portfolio" on a figure's page. */

import { useState } from "preact/hooks";
import { AlertForm } from "../alerts/AlertForm";
import { ApiError } from "../api/client";
import { useAuthedQuery } from "../auth/hooks";
import { authedRequest, useSession } from "../auth/session";
import type { Condition } from "../gql/graphql";
import { CURRENCIES } from "../lib/format";
import { Link } from "../router";
import { AddHoldingMutation, AddToWatchlistMutation, FigureStatusQuery, RemoveFromWatchlistMutation } from "./operations";
import "./collectors.css";

interface Props {
  minifigureId: string;
  figNum: string;
  condition: Condition;
}

export function FigureActions(props: Props) {
  const session = useSession();
  if (!session) {
    return (
      <p class="figure-actions muted">
        <Link href={`/sign-in?next=${encodeURIComponent(`/m/${props.figNum}`)}`}>Sign in</Link>&nbsp;to watch this figure or add it
        to your portfolio.
      </p>
    );
  }
  return <Actions {...props} />;
}

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function Actions({ minifigureId, condition }: Props) {
  const status = useAuthedQuery(FigureStatusQuery, {});
  const [adding, setAdding] = useState(false);
  const [alerting, setAlerting] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const watching = (status.data?.viewer?.watchlist ?? []).some(
    (item) => item.minifigure.id === minifigureId && item.condition === condition,
  );
  const conditionWord = condition === "NEW" ? "new" : "used";

  const toggleWatch = async () => {
    const variables = { minifigureId, condition };
    if (watching) await authedRequest(RemoveFromWatchlistMutation, variables);
    else await authedRequest(AddToWatchlistMutation, variables);
    status.reload();
  };
  const add = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const input = {
      minifigureId,
      condition,
      quantity: Number(form.get("quantity")),
      unitCost: String(form.get("unitCost")),
      currency: String(form.get("currency")),
      acquiredOn: String(form.get("acquiredOn")),
    };
    try {
      const result = (await authedRequest(AddHoldingMutation, { input })).addHolding;
      if (result.__typename === "HoldingSuccess") {
        setAdding(false);
        setNote("Added to your portfolio.");
      } else {
        setNote(result.message);
      }
    } catch (error) {
      setNote(error instanceof ApiError ? error.message : String(error));
    }
  };

  return (
    <div>
      <div class="figure-actions">
        <button type="button" aria-pressed={watching} onClick={() => void toggleWatch()} disabled={!status.data}>
          {watching ? `Watching (${conditionWord}) ✓` : `Watch (${conditionWord})`}
        </button>
        <button type="button" onClick={() => setAdding(!adding)} aria-expanded={adding}>
          Add to portfolio
        </button>
        <button type="button" onClick={() => setAlerting(!alerting)} aria-expanded={alerting}>
          Alert me
        </button>
        <Link href="/portfolio">Portfolio</Link>
      </div>
      {alerting && <AlertForm minifigureId={minifigureId} condition={condition} />}
      {adding && (
        <form class="inline-form card" onSubmit={(e) => void add(e)} aria-label="Add to portfolio">
          <label>
            Quantity
            <input name="quantity" type="number" min={1} defaultValue="1" required />
          </label>
          <label>
            Unit cost
            <input name="unitCost" type="number" min={0} step="0.01" required />
          </label>
          <label>
            Currency
            <select name="currency">
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <label>
            Acquired
            <input name="acquiredOn" type="date" defaultValue={today()} max={today()} required />
          </label>
          <button type="submit">Save ({conditionWord})</button>
        </form>
      )}
      {note && <p role="status">{note}</p>}
    </div>
  );
}
