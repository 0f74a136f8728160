/** One POST per page load to /graphql, and live subscriptions over graphql-ws. */

import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql";
import { lastEventId } from "../lib/resume";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export async function request<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  signal?: AbortSignal,
  headers: Record<string, string> = {},
): Promise<R> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...headers },
      body: JSON.stringify({ query: document.toString(), variables }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError("The server cannot be reached. Check your connection and retry.", "NETWORK");
  }
  let body: GraphQLResponse<R>;
  try {
    body = (await response.json()) as GraphQLResponse<R>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without data.`, "HTTP");
  }
  const error = body.errors?.[0];
  if (error) throw new ApiError(error.message, error.extensions?.code ?? null);
  if (!body.data) throw new ApiError("The server answered without data.", "EMPTY");
  return body.data;
}

let liveClient: Client | null = null;
type Listener = (connected: boolean) => void;
const listeners = new Set<Listener>();
let connected = false;

function setConnected(value: boolean): void {
  connected = value;
  for (const listener of listeners) listener(value);
}

function live(): Client {
  if (!liveClient) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    liveClient = createClient({
      url: `${scheme}://${location.host}/graphql`,
      lazy: true,
      // Keep trying: a restarted server or a flaky network should not end the live view.
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: () => true,
      on: {
        connected: () => setConnected(true),
        closed: () => setConnected(false),
      },
    });
  }
  return liveClient;
}

export function onLiveStatus(listener: Listener): () => void {
  listeners.add(listener);
  listener(connected);
  return () => listeners.delete(listener);
}

/**
 * Subscribes until the returned function is called. After a reconnect graphql-ws sends
 * this same payload again; `since` in it is kept at the last event received, so the
 * server replays what was missed in between (for operations with a `$since` variable).
 */
export function subscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
): () => void {
  const payload = { query: document.toString(), variables: { ...(variables as Record<string, unknown>) } };
  const resumable = "since" in payload.variables;
  return live().subscribe<R>(payload, {
    next: (result) => {
      if (!result.data) return;
      const since = lastEventId(result.data);
      if (resumable && since) payload.variables.since = since;
      onData(result.data);
    },
    // Connection losses are retried by the client; what ends here is a refusal, and the
    // page keeps showing what it loaded.
    error: () => undefined,
    complete: () => undefined,
  });
}
