/** "Alert me" on a figure's page: a price level or a move, over sales or asks. */

import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { authedRequest } from "../auth/session";
import type { AlertDirection, AlertWindow, Condition, ListingKind } from "../gql/graphql";
import { CURRENCIES } from "../lib/format";
import { Link } from "../router";
import { CreateAlertMutation } from "./operations";

interface Props {
  minifigureId: string;
  condition: Condition;
}

type Shape = "price" | "move";

export function AlertForm({ minifigureId, condition }: Props) {
  const [shape, setShape] = useState<Shape>("price");
  const [note, setNote] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const webhookUrl = String(form.get("webhookUrl") ?? "").trim();
    const input = {
      minifigureId,
      condition,
      kind: String(form.get("kind")) as ListingKind,
      direction: String(form.get("direction")) as AlertDirection,
      ...(shape === "price"
        ? { price: String(form.get("price")), currency: String(form.get("currency")) }
        : { changePct: String(form.get("changePct")), window: String(form.get("window")) as AlertWindow }),
      ...(webhookUrl ? { webhookUrl } : {}),
    };
    try {
      const result = (await authedRequest(CreateAlertMutation, { input })).createAlert;
      if (result.__typename === "CreateAlertSuccess") {
        setNote("Alert created.");
        setSecret(webhookUrl ? result.webhookSecret : null);
      } else {
        setNote(result.message);
      }
    } catch (error) {
      setNote(error instanceof ApiError ? error.message : String(error));
    }
  };

  const conditionWord = condition === "NEW" ? "new" : "used";
  return (
    <form class="inline-form card alert-form" onSubmit={(e) => void submit(e)} aria-label="Create an alert">
      <fieldset>
        <legend>Alert me when a {conditionWord} one’s</legend>
        <label>
          <input type="radio" name="shape" checked={shape === "price"} onChange={() => setShape("price")} /> price
          crosses a level
        </label>
        <label>
          <input type="radio" name="shape" checked={shape === "move"} onChange={() => setShape("move")} /> price moves
        </label>
      </fieldset>
      <label>
        Prices
        <select name="kind">
          <option value="SOLD">Sold</option>
          <option value="ASK">Asking</option>
        </select>
      </label>
      <label>
        When
        <select name="direction">
          <option value="BELOW">{shape === "price" ? "below" : "falling by"}</option>
          <option value="ABOVE">{shape === "price" ? "above" : "rising by"}</option>
        </select>
      </label>
      {shape === "price" ? (
        <>
          <label>
            Price
            <input name="price" type="number" min="0.01" step="0.01" required />
          </label>
          <label>
            Currency
            <select name="currency">
              {CURRENCIES.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
        </>
      ) : (
        <>
          <label>
            At least (%)
            <input name="changePct" type="number" min="0.01" max="1000" step="0.01" required />
          </label>
          <label>
            Over
            <select name="window">
              <option value="D1">1 day</option>
              <option value="D7" selected>
                7 days
              </option>
              <option value="D30">30 days</option>
              <option value="D90">90 days</option>
            </select>
          </label>
        </>
      )}
      <label class="wide">
        Webhook URL (optional)
        <input name="webhookUrl" type="url" placeholder="https://example.com/hooks/stonks" />
      </label>
      <button type="submit">Create alert</button>
      {note && (
        <p role="status">
          {note} <Link href="/alerts">Your alerts</Link>
        </p>
      )}
      {secret && (
        <p class="secret" data-testid="webhook-secret">
          Webhook signing secret (shown once): <code>{secret}</code>
        </p>
      )}
    </form>
  );
}
