/**
 * A WebSocket of its own for the signed-in user's subscriptions: `connection_init` carries
 * `{"authorization": "Bearer ..."}`, read again (and refreshed) on every reconnect.
 */

import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql";
import { authorization, currentSession, onSessionChange } from "./session";

let client: Client | null = null;
let signedInAs: string | null = null;

// Another account (or none) from now on: the open connection acted for the previous one.
onSessionChange(() => {
  const email = currentSession()?.email ?? null;
  if (email === signedInAs) return;
  signedInAs = email;
  void client?.dispose();
  client = null;
});

function userClient(): Client {
  if (!client) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    client = createClient({
      url: `${scheme}://${location.host}/graphql`,
      lazy: true,
      connectionParams: async () => {
        const header = await authorization();
        return header ? { authorization: header } : {};
      },
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
    });
  }
  return client;
}

export function subscribeAsUser<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
): () => void {
  return userClient().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.data) onData(result.data);
      },
      error: () => undefined,
      complete: () => undefined,
    },
  );
}
