import { useEffect, useMemo, useState } from "preact/hooks";
import { useQuery } from "../api/hooks";
import { ComparePageQuery } from "../api/operations";
import type { ComparePageQuery as CompareData } from "../gql/graphql";
import { PriceChart } from "../components/LazyChart";
import { Empty, ErrorBox, Loading, Updating } from "../components/states";
import { toLine } from "../lib/candles";
import { compareSlots, compareToSearch, MAX_COMPARED, parseCompare, withFigure, type CompareState } from "../lib/compare";
import type { Currency } from "../lib/format";
import { RANGES, rangeWindow } from "../lib/range";
import { Link, navigate } from "../router";

type Compared = NonNullable<CompareData["a"]>;

function ComparedChart({ state, currency }: { state: CompareState; currency: Currency }) {
  const span = useMemo(() => rangeWindow(state.range, new Date()), [state.range]);
  const query = useQuery(ComparePageQuery, {
    ...compareSlots(state.figs),
    condition: state.condition,
    currency,
    from: span.from,
    to: span.to,
    interval: span.interval,
  });
  const { data, error, loading, reload, retryAt } = query;
  // Here the chart is the page: its library downloads while the query (sent first, in a
  // layout effect) is answered, not after. A failure is retried by the chart's own load.
  useEffect(() => {
    PriceChart.preload().catch(() => undefined);
  }, []);
  const figures = useMemo(
    () => (data ? [data.a, data.b, data.c, data.d].filter((f): f is Compared => f !== null && f !== undefined) : []),
    [data],
  );
  const lines = useMemo(
    () => figures.map((f) => ({ name: f.name, points: toLine(f.priceHistory) })),
    [figures],
  );
  if (!data) return error ? <ErrorBox error={error} retry={reload} retryAt={retryAt} /> : <Loading what="the prices to compare" />;
  const missing = state.figs.filter((fig) => !figures.some((f) => f.figNum === fig));
  return (
    <section class={`card ${loading ? "stale" : ""}`} aria-labelledby="compare-title" aria-busy={loading}>
      <h2 id="compare-title">
        Median sold prices, {state.condition === "NEW" ? "new" : "used"}, in {query.dataVariables?.currency ?? currency}{" "}
        <Updating active={loading} />
      </h2>
      {error && <ErrorBox error={error} retry={reload} retryAt={retryAt} stale />}
      {missing.length > 0 && <p class="error-text">No minifigure has the fig number {missing.map((m) => `“${m}”`).join(", ")}.</p>}
      {lines.every((l) => l.points.length === 0) ? (
        <Empty>None of these minifigures sold in this range. Try a longer one.</Empty>
      ) : (
        <PriceChart mode="line" bars={[]} line={[]} compare={lines} currency={query.dataVariables?.currency ?? currency} label={`Median prices of ${figures.map((f) => f.name).join(", ")}`} />
      )}
    </section>
  );
}

export function Compare({ search, currency }: { search: string; currency: Currency }) {
  const state = parseCompare(search);
  const go = (next: CompareState) => navigate(`/compare${compareToSearch(next)}`, { replace: true });
  const [adding, setAdding] = useState("");
  const full = state.figs.length >= MAX_COMPARED;
  return (
    <div class="compare">
      <h1>Compare minifigures</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          go(withFigure(state, adding));
          setAdding("");
        }}
      >
        <label>
          Add a fig number
          <input value={adding} disabled={full} placeholder={full ? "Four at most" : "e.g. sw0001a"} onInput={(e) => setAdding(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={full || !adding.trim()}>
          Add
        </button>
        <div class="toggle" role="group" aria-label="Range">
          {RANGES.map((range) => (
            <button key={range} type="button" aria-pressed={range === state.range} onClick={() => go({ ...state, range })}>
              {range}
            </button>
          ))}
        </div>
      </form>
      {state.figs.length > 0 && (
        <ul class="chips" aria-label="Compared minifigures">
          {state.figs.map((fig, i) => (
            <li key={fig}>
              <span class={`swatch s${i}`} aria-hidden="true" />
              <Link href={`/m/${encodeURIComponent(fig)}`}>{fig}</Link>
              <button type="button" aria-label={`Remove ${fig}`} onClick={() => go({ ...state, figs: state.figs.filter((f) => f !== fig) })}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {state.figs.length === 0 ? (
        <Empty>
          Add up to four fig numbers to see their prices on one chart, or open a minifigure from <Link href="/browse">Browse</Link> and
          choose “Compare”.
        </Empty>
      ) : (
        <ComparedChart state={state} currency={currency} />
      )}
    </div>
  );
}
