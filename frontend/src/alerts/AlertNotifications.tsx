/** An in-app notice whenever one of your alerts fires while the app is open. */

import { useEffect, useState } from "preact/hooks";
import { subscribeAsUser } from "../auth/live";
import type { AlertTriggeredSubscription as Triggered } from "../gql/graphql";
import { formatMoney } from "../lib/format";
import { Link } from "../router";
import { AlertTriggeredSubscription } from "./operations";
import "./alerts.css";

type Firing = Triggered["alertTriggered"]["alertEvent"];

// The newest few stay on screen; older ones make room.
const SHOWN = 3;

export function AlertNotifications() {
  const [firings, setFirings] = useState<Firing[]>([]);
  useEffect(
    () =>
      subscribeAsUser(AlertTriggeredSubscription, {}, (data) =>
        setFirings((shown) => [data.alertTriggered.alertEvent, ...shown].slice(0, SHOWN)),
      ),
    [],
  );
  const dismiss = (id: string) => setFirings((shown) => shown.filter((f) => f.id !== id));
  if (!firings.length) return null;
  return (
    <div class="alert-toasts" role="alert" data-testid="alert-toasts">
      {firings.map((firing) => (
        <div key={firing.id} class="alert-toast card">
          <strong>Alert:</strong> {firing.minifigure.name} ({firing.minifigure.figNum}){" "}
          {firing.kind === "SOLD" ? "sold" : "offered"} at {formatMoney(firing.price, "USD")}.{" "}
          <Link href="/alerts">
            Alerts
          </Link>
          <button type="button" class="icon-button" aria-label="Dismiss" onClick={() => dismiss(firing.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
