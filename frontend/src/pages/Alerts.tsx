/** Your alerts: the rules, their firings (live) and each webhook's delivery log. */

import { useEffect } from "preact/hooks";
import { AlertTriggeredSubscription, AlertsQuery, DeleteAlertMutation } from "../alerts/operations";
import "../alerts/alerts.css";
import { useAuthedQuery } from "../auth/hooks";
import { subscribeAsUser } from "../auth/live";
import { authedRequest, useSession } from "../auth/session";
import { SignInFirst } from "../collectors/SignInFirst";
import "../collectors/collectors.css";
import { Empty, ErrorBox, Loading } from "../components/states";
import type { AlertsQuery as AlertsData } from "../gql/graphql";
import { formatDateTime, formatMoney, formatPct, type Currency } from "../lib/format";
import { Link } from "../router";

type Alert = NonNullable<AlertsData["viewer"]>["alerts"][number];

export function Alerts({ currency }: { currency: Currency }) {
  const session = useSession();
  if (!session) return <SignInFirst what="Alerts" here="/alerts" />;
  return <AlertsPage currency={currency} />;
}

function rule(alert: Alert): string {
  const prices = alert.kind === "SOLD" ? "sells" : "is offered";
  if (alert.price != null) {
    const side = alert.direction === "BELOW" ? "below" : "above";
    return `${prices} ${side} ${formatMoney(alert.price, alert.currency ?? "USD")}`;
  }
  const side = alert.direction === "BELOW" ? "falls" : "rises";
  return `${prices}: ${side} ${alert.changePct}% or more vs the ${alert.window?.slice(1)}-day median`;
}

function AlertsPage({ currency }: { currency: Currency }) {
  const { data, error, reload } = useAuthedQuery(AlertsQuery, { currency });
  // A firing while the page is open: the list and the history show it at once.
  useEffect(() => subscribeAsUser(AlertTriggeredSubscription, {}, () => reload()), []);

  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data?.viewer) return <Loading what="your alerts" />;
  const { alerts, alertEvents } = data.viewer;
  const remove = async (id: string) => {
    await authedRequest(DeleteAlertMutation, { id });
    reload();
  };

  return (
    <div class="alerts-page">
      <h1>Alerts</h1>
      <section>
        <h2>Rules</h2>
        {!alerts.length ? (
          <Empty>No alerts yet. Open a figure and press “Alert me”.</Empty>
        ) : (
          <ul class="alert-rules" data-testid="alert-rules">
            {alerts.map((alert) => (
              <li key={alert.id} class="card">
                <div class="alert-rule-head">
                  <Link href={`/m/${encodeURIComponent(alert.minifigure.figNum)}`}>{alert.minifigure.name}</Link>{" "}
                  <small class="muted">
                    {alert.minifigure.figNum} · {alert.condition === "NEW" ? "new" : "used"}
                  </small>
                  <button type="button" onClick={() => void remove(alert.id)}>
                    Delete
                  </button>
                </div>
                <p>
                  When it {rule(alert)}. {alert.armed ? "Armed." : "Fired; quiet until a price is back on the other side."}
                </p>
                {alert.webhookUrl && (
                  <details>
                    <summary>
                      Webhook: <code>{alert.webhookUrl}</code> ({alert.webhookDeliveries.length} attempts)
                    </summary>
                    <table class="deliveries" data-testid="webhook-deliveries">
                      <thead>
                        <tr>
                          <th>When</th>
                          <th class="num">Attempt</th>
                          <th class="num">Status</th>
                          <th>Error</th>
                        </tr>
                      </thead>
                      <tbody>
                        {alert.webhookDeliveries.map((d) => (
                          <tr key={`${d.alertEventId}-${d.attempt}`}>
                            <td>{formatDateTime(d.attemptedAt)}</td>
                            <td class="num">{d.attempt}</td>
                            <td class="num">{d.statusCode ?? "–"}</td>
                            <td>{d.error ?? ""}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <h2>Firings</h2>
        {!alertEvents.edges.length ? (
          <Empty>Nothing has fired yet.</Empty>
        ) : (
          <div class="table-wrap">
            <table data-testid="alert-events">
              <thead>
                <tr>
                  <th>Fired</th>
                  <th>Minifigure</th>
                  <th class="num">Price</th>
                  <th class="num">Move</th>
                  <th>Webhook</th>
                </tr>
              </thead>
              <tbody>
                {alertEvents.edges.map(({ node }) => (
                  <tr key={node.id}>
                    <td>{formatDateTime(node.firedAt)}</td>
                    <td>
                      {node.minifigure.name}
                      <br />
                      <small class="muted">
                        {node.minifigure.figNum} · {node.kind === "SOLD" ? "sold" : "ask"} · {node.source}
                      </small>
                    </td>
                    <td class="num">{formatMoney(node.price, currency)}</td>
                    <td class="num">{node.changePct == null ? "" : formatPct(node.changePct)}</td>
                    <td>{node.webhookStatus?.toLowerCase() ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
