/** The account: who is signed in, API keys (create, shown once; revoke), sign out. */

import { useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { useAuthedQuery } from "../auth/hooks";
import { authedRequest, signOut, useSession } from "../auth/session";
import { ErrorBox, Loading } from "../components/states";
import { SignInFirst } from "../collectors/SignInFirst";
import { AccountQuery, CreateApiKeyMutation, RevokeApiKeyMutation } from "../collectors/operations";
import "../collectors/collectors.css";
import type { Scope } from "../gql/graphql";
import { formatDateTime } from "../lib/format";
import { navigate } from "../router";

const SCOPES: Scope[] = ["READ", "WRITE"];

export function Account() {
  const session = useSession();
  if (!session) return <SignInFirst what="Account" here="/account" />;
  return <AccountPage />;
}

function AccountPage() {
  const { data, error, reload } = useAuthedQuery(AccountQuery, {});
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  if (error) return <ErrorBox error={error} retry={reload} />;
  if (!data?.viewer) return <Loading what="your account" />;
  const viewer = data.viewer;

  const create = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const fields = new FormData(form);
    const scopes = SCOPES.filter((scope) => fields.get(scope) === "on");
    setProblem(null);
    try {
      const result = (await authedRequest(CreateApiKeyMutation, { name: String(fields.get("name")), scopes })).createApiKey;
      if (result.__typename !== "CreateApiKeySuccess") {
        setProblem(result.message);
        return;
      }
      setSecret(result.secret);
      form.reset();
      reload();
    } catch (failure) {
      setProblem(failure instanceof ApiError ? failure.message : String(failure));
    }
  };
  const revoke = async (id: string) => {
    await authedRequest(RevokeApiKeyMutation, { id });
    reload();
  };

  return (
    <div>
      <h1>Account</h1>
      <div class="card">
        <p>
          Signed in as <strong data-testid="account-email">{viewer.email}</strong>
        </p>
        <button
          type="button"
          onClick={() => {
            void signOut().then(() => navigate("/"));
          }}
        >
          Sign out
        </button>
      </div>
      <section class="card">
        <h2>API keys</h2>
        <p class="muted">
          For scripts and other clients: send <code>Authorization: Bearer &lt;key&gt;</code>. READ reads your watchlist and
          portfolio; WRITE changes them.
        </p>
        {secret && (
          <div role="status">
            <p>Your new key — copy it now, it is not shown again:</p>
            <p class="secret" data-testid="api-key-secret">
              {secret}
            </p>
          </div>
        )}
        <form class="inline-form" onSubmit={create}>
          <label>
            Name
            <input name="name" required maxLength={100} placeholder="e.g. spreadsheet" />
          </label>
          {SCOPES.map((scope) => (
            <label key={scope}>
              {scope}
              <input type="checkbox" name={scope} defaultChecked={scope === "READ"} />
            </label>
          ))}
          <button type="submit">Create key</button>
        </form>
        {problem && (
          <p class="error-text" role="alert">
            {problem}
          </p>
        )}
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Key</th>
                <th>Scopes</th>
                <th>Created</th>
                <th>Last used</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {viewer.apiKeys.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>stk_{key.prefix}_…</code>
                  </td>
                  <td>{key.scopes.join(", ")}</td>
                  <td>{formatDateTime(key.createdAt)}</td>
                  <td>{formatDateTime(key.lastUsedAt)}</td>
                  <td>
                    {key.revokedAt ? (
                      <span class="muted">Revoked</span>
                    ) : (
                      <button type="button" onClick={() => void revoke(key.id)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
