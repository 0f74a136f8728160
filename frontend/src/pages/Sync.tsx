import { useMemo } from "preact/hooks";
import { useQuery } from "../api/hooks";
import { SyncPageQuery } from "../api/operations";
import { Empty, ErrorBox, Loading } from "../components/states";
import { formatAge, formatDateTime } from "../lib/format";

export function Sync() {
  const now = useMemo(() => new Date(), []);
  const { data, error, loading, reload } = useQuery(SyncPageQuery, {});
  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data) return loading ? <Loading what="the sync status" /> : null;
  return (
    <div class="sync">
      <h1>Sync status</h1>
      <section class="card" aria-labelledby="sources-title">
        <h2 id="sources-title">Sources</h2>
        {data.dataSources.length === 0 ? (
          <Empty>No data sources are registered yet; the worker adds them when it starts.</Empty>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Collecting</th>
                  <th scope="col">Limits</th>
                  <th scope="col">Last run</th>
                  <th scope="col">Last success</th>
                  <th scope="col">Last error</th>
                </tr>
              </thead>
              <tbody>
                {data.dataSources.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {s.name} <span class="muted">{s.code}</span>
                    </td>
                    <td>{s.kind}</td>
                    <td>{s.active ? "Yes" : "No"}</td>
                    <td>
                      {s.requestsPerMinute ? `${s.requestsPerMinute}/min` : "—"}
                      {s.dailyQuota ? `, ${s.dailyQuota}/day` : ""}
                    </td>
                    <td>{formatAge(s.lastRunAt, now)}</td>
                    <td>{formatAge(s.lastSuccessAt, now)}</td>
                    <td class={s.lastError ? "error-text" : ""}>{s.lastError ?? "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="runs-title">
        <h2 id="runs-title">Latest runs</h2>
        {data.syncRuns.nodes.length === 0 ? (
          <Empty>No sync has run yet.</Empty>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Started (UTC)</th>
                  <th scope="col">Source</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Status</th>
                  <th scope="col" class="num">Seen</th>
                  <th scope="col" class="num">Saved</th>
                  <th scope="col" class="num">Rejected</th>
                  <th scope="col">Error</th>
                </tr>
              </thead>
              <tbody>
                {data.syncRuns.nodes.map((run) => (
                  <tr key={run.id}>
                    <td>{formatDateTime(run.startedAt)}</td>
                    <td>{run.source}</td>
                    <td>{run.kind}</td>
                    <td>
                      <span class={`badge status-${run.status.toLowerCase()}`}>{run.status.toLowerCase()}</span>
                    </td>
                    <td class="num">{run.seen}</td>
                    <td class="num">{run.saved}</td>
                    <td class="num">{run.rejected}</td>
                    <td class={run.error ? "error-text" : ""}>{run.error ?? "—"}</td>
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
