import { useMemo } from "preact/hooks";
import { useQuery } from "../api/hooks";
import { SyncPageQuery } from "../api/operations";
import { Empty, ErrorBox, Loading, Updating } from "../components/states";
import { formatAge, formatDateTime } from "../lib/format";

export function Sync() {
  const now = useMemo(() => new Date(), []);
  const { data, error, loading, reload, retryAt } = useQuery(SyncPageQuery, {});
  if (!data) {
    return error ? <ErrorBox error={error} retry={reload} retryAt={retryAt} /> : <Loading what="the sync status" />;
  }
  return (
    <div class="sync" aria-busy={loading}>
      <h1>
        Sync status <Updating active={loading} />
      </h1>
      {error && <ErrorBox error={error} retry={reload} retryAt={retryAt} stale />}
      <section class="card" aria-labelledby="sources-title">
        <h2 id="sources-title">Sources</h2>
        {data.dataSources.length === 0 ? (
          <Empty>No data sources are registered yet; the worker adds them when it starts.</Empty>
        ) : (
          <div>
            <table class="cards">
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
                    <td class="card-title">
                      {s.name} <span class="muted">{s.code}</span>
                    </td>
                    <td data-label="Kind">{s.kind}</td>
                    <td data-label="Collecting">{s.active ? "Yes" : "No"}</td>
                    <td data-label="Limits">
                      {s.requestsPerMinute ? `${s.requestsPerMinute}/min` : "—"}
                      {s.dailyQuota ? `, ${s.dailyQuota}/day` : ""}
                    </td>
                    <td data-label="Last run">{formatAge(s.lastRunAt, now)}</td>
                    <td data-label="Last success">{formatAge(s.lastSuccessAt, now)}</td>
                    <td data-label="Last error" class={s.lastError ? "error-text" : ""}>
                      {s.lastError ?? "—"}
                    </td>
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
          <div>
            <table class="cards">
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
                    <td class="card-title">{formatDateTime(run.startedAt)}</td>
                    <td data-label="Source">{run.source}</td>
                    <td data-label="Kind">{run.kind}</td>
                    <td data-label="Status">
                      <span class={`badge status-${run.status.toLowerCase()}`}>{run.status.toLowerCase()}</span>
                    </td>
                    <td data-label="Seen" class="num">
                      {run.seen}
                    </td>
                    <td data-label="Saved" class="num">
                      {run.saved}
                    </td>
                    <td data-label="Rejected" class="num">
                      {run.rejected}
                    </td>
                    <td data-label="Error" class={run.error ? "error-text" : ""}>
                      {run.error ?? "—"}
                    </td>
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
