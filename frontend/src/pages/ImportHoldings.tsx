/** Import holdings: a CSV file previewed row by row before saving, or a Brickset collection. */

import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { authedRequest, useSession } from "../auth/session";
import { SignInFirst } from "../collectors/SignInFirst";
import { ImportBricksetMutation, ImportHoldingsCsvMutation, PreviewHoldingsCsvMutation } from "../collectors/operations";
import "../collectors/collectors.css";
import type { ImportRowFieldsFragment } from "../gql/graphql";
import { formatDay, formatMoney } from "../lib/format";
import { Link, navigate } from "../router";

const EXAMPLE = "fig_num,quantity,unit_cost,currency,acquired_on,condition\nsw0001a,2,12.50,EUR,2024-03-01,USED\n";

export function ImportHoldings() {
  const session = useSession();
  if (!session) return <SignInFirst what="Portfolio" here="/portfolio/import" />;
  return <ImportPage />;
}

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : String(error);
}

function RowsTable({ rows }: { rows: ImportRowFieldsFragment[] }) {
  return (
    <div class="table-wrap">
      <table data-testid="import-preview">
        <thead>
          <tr>
            <th>Line</th>
            <th>Problems</th>
            <th>Fig number</th>
            <th class="num">Qty</th>
            <th class="num">Unit cost</th>
            <th>Acquired</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.line} class={row.errors.length ? "invalid" : ""}>
              <td>{row.line}</td>
              <td>
                {row.errors.length ? (
                  <ul class="row-errors">
                    {row.errors.map((e) => (
                      <li key={e.field}>
                        {e.field}: {e.message}
                      </li>
                    ))}
                  </ul>
                ) : (
                  "OK"
                )}
              </td>
              <td>
                {row.figNum}
                {row.minifigure && (
                  <>
                    <br />
                    <small class="muted">{row.minifigure.name}</small>
                  </>
                )}
              </td>
              <td class="num">{row.quantity ?? "—"}</td>
              <td class="num">{row.currency.length === 3 ? formatMoney(row.unitCost, row.currency) : row.unitCost ?? "—"}</td>
              <td>{formatDay(row.acquiredOn)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ImportPage() {
  const [csv, setCsv] = useState("");
  const [rows, setRows] = useState<ImportRowFieldsFragment[] | null>(null);
  const [invalid, setInvalid] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const [brickset, setBrickset] = useState<string | null>(null);
  const [skipped, setSkipped] = useState<ImportRowFieldsFragment[]>([]);

  const readFile = async (event: Event) => {
    const file = (event.currentTarget as HTMLInputElement).files?.[0];
    if (file) {
      setCsv(await file.text());
      setRows(null);
    }
  };
  const preview = async () => {
    setProblem(null);
    try {
      const result = (await authedRequest(PreviewHoldingsCsvMutation, { csv })).previewHoldingsCsv;
      if (result.__typename !== "HoldingsImportPreview") {
        setProblem(result.message);
        setRows(null);
        return;
      }
      setRows(result.rows);
      setInvalid(result.invalidRows);
    } catch (error) {
      setProblem(message(error));
    }
  };
  const save = async () => {
    try {
      const result = (await authedRequest(ImportHoldingsCsvMutation, { csv })).importHoldingsCsv;
      if (result.__typename === "ImportHoldingsSuccess") navigate("/portfolio");
      else setProblem(result.message);
    } catch (error) {
      setProblem(message(error));
    }
  };
  const fromBrickset = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBrickset("Importing…");
    try {
      const input = { apiKey: String(form.get("apiKey")), userHash: String(form.get("userHash")) };
      const result = (await authedRequest(ImportBricksetMutation, { input })).importBricksetCollection;
      if (result.__typename !== "ImportHoldingsSuccess") {
        setBrickset(result.message);
        return;
      }
      setSkipped(result.skipped);
      setBrickset(`Imported ${result.holdings.length} holding(s); ${result.skipped.length} skipped.`);
    } catch (error) {
      setBrickset(message(error));
    }
  };

  return (
    <div>
      <h1>Import holdings</h1>
      <section class="card">
        <h2>From a CSV file</h2>
        <p class="muted">
          Columns: <code>fig_num, quantity, unit_cost, currency, acquired_on</code> (YYYY-MM-DD) and optionally{" "}
          <code>condition</code> (NEW or USED). Nothing is saved until every row is valid.
        </p>
        <div class="stack-form">
          <label>
            File
            <input type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e)} />
          </label>
          <label>
            Or paste it
            <textarea value={csv} placeholder={EXAMPLE} onInput={(e) => setCsv(e.currentTarget.value)} data-testid="csv-text" />
          </label>
          <div class="page-actions">
            <button type="button" onClick={() => void preview()} disabled={!csv.trim()}>
              Preview
            </button>
            <button type="button" onClick={() => void save()} disabled={!rows || invalid > 0 || !rows.length}>
              Import {rows ? `${rows.length - invalid} row(s)` : ""}
            </button>
          </div>
        </div>
        {problem && (
          <p class="error-text" role="alert">
            {problem}
          </p>
        )}
        {rows && (
          <>
            <p role="status">
              {rows.length - invalid} valid, {invalid} with problems{invalid ? ": fix them and preview again." : "."}
            </p>
            <RowsTable rows={rows} />
          </>
        )}
      </section>
      <section class="card">
        <h2>From Brickset</h2>
        <p class="muted">
          Your owned minifigures, with your own Brickset API key and user hash (used for this import only). Costs are
          recorded as 0, to edit later.
        </p>
        <form class="inline-form" onSubmit={(e) => void fromBrickset(e)}>
          <label>
            API key
            <input name="apiKey" required autoComplete="off" />
          </label>
          <label>
            User hash
            <input name="userHash" required autoComplete="off" />
          </label>
          <button type="submit">Import from Brickset</button>
        </form>
        {brickset && <p role="status">{brickset}</p>}
        {skipped.length > 0 && <RowsTable rows={skipped} />}
      </section>
      <p>
        <Link href="/portfolio">Back to the portfolio</Link>
      </p>
    </div>
  );
}
