/** One POST per page load to /graphql, and live subscriptions over graphql-ws. */

import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql";

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
): Promise<R> {
  let response: Response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
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

export function subscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
): () => void {
  return live().subscribe<R>(
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
