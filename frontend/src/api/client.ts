/** One POST per page load to /graphql, and live subscriptions over graphql-ws. */

import type { Client } from "graphql-ws";
import type { TypedDocumentString } from "../gql/graphql";
import { backoffDelay } from "../lib/backoff";
import { lastEventId } from "../lib/resume";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }

  /** Whether trying again later may succeed (the server or the network was away). */
  get transient(): boolean {
    return this.code !== null && TRANSIENT_CODES.has(this.code);
  }
}

const TRANSIENT_CODES = new Set(["NETWORK", "HTTP", "EMPTY", "SERVICE_UNAVAILABLE", "INTERNAL_SERVER_ERROR"]);

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
    throw new ApiError("The server cannot be reached.", "NETWORK");
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

/**
 * The live connection as the header shows it: "idle" when no page listens, "live" while
 * the socket is open, "reconnecting" after it closed, "offline" when the browser says so
 * or several attempts in a row failed (attempts go on, at the longest backoff).
 */
export type LiveState = "idle" | "connecting" | "live" | "reconnecting" | "offline";
type Listener = (state: LiveState) => void;

const OFFLINE_AFTER_FAILURES = 3;
const listeners = new Set<Listener>();
let liveState: LiveState = "idle";
let liveClient: Promise<Client> | null = null;
/** Subscriptions the pages hold open (a closed socket with none is no outage). */
let subscriptions = 0;
/** Closes since the socket was last open: the backoff of every waiting subscription. */
let failures = 0;
/** Retries waiting for their turn; a browser coming back online runs them at once. */
const waiting = new Set<() => void>();

function setLiveState(value: LiveState): void {
  if (value === liveState) return;
  liveState = value;
  for (const listener of listeners) listener(value);
}

function outageState(): LiveState {
  return !navigator.onLine || failures >= OFFLINE_AFTER_FAILURES ? "offline" : "reconnecting";
}

/** The WebSocket client, loaded with its library on first use (pages without live data never do). */
function live(): Promise<Client> {
  if (!liveClient) {
    liveClient = import("graphql-ws").then(({ createClient }) => {
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      window.addEventListener("offline", () => {
        if (subscriptions > 0) setLiveState("offline");
      });
      window.addEventListener("online", () => {
        for (const retry of [...waiting]) retry();
      });
      return createClient({
        url: `${scheme}://${location.host}/graphql`,
        lazy: true,
        // graphql-ws gives up for good on some close codes (4500 among them); every close
        // ends here instead, and subscribe() below retries them all the same way.
        retryAttempts: 0,
        on: {
          connecting: () => {
            if (liveState === "idle") setLiveState("connecting");
          },
          connected: () => {
            failures = 0;
            setLiveState("live");
          },
          closed: () => {
            if (subscriptions === 0) {
              setLiveState("idle");
              return;
            }
            failures += 1;
            setLiveState(outageState());
          },
        },
      });
    });
    // A failed download of the library is tried again on the next subscription attempt.
    liveClient.catch(() => (liveClient = null));
  }
  return liveClient;
}

export function onLiveStatus(listener: Listener): () => void {
  listeners.add(listener);
  listener(liveState);
  return () => listeners.delete(listener);
}

/** A refusal (GraphQL errors) is final; a closed socket or a network error is retried. */
function isRefusal(error: unknown): boolean {
  return Array.isArray(error);
}

/**
 * Subscribes until the returned function is called, through any number of closes: each
 * one (whatever its code) is followed by a new subscription after a backoff. `since` in
 * the payload is kept at the last event received, so the server replays what was missed
 * in between (for operations with a `$since` variable).
 */
export function subscribe<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
): () => void {
  const payload = { query: document.toString(), variables: { ...(variables as Record<string, unknown>) } };
  const resumable = "since" in payload.variables;
  let stopped = false;
  let unsubscribe: () => void = () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const retry = () => {
    clearTimeout(timer);
    waiting.delete(retry);
    start();
  };
  const retryLater = () => {
    if (stopped) return;
    waiting.add(retry);
    timer = setTimeout(retry, backoffDelay(failures));
  };
  const start = () => {
    if (stopped) return;
    live().then((client) => {
      if (stopped) return;
      unsubscribe = client.subscribe<R>(payload, {
        next: (result) => {
          if (!result.data) return;
          const since = lastEventId(result.data);
          if (resumable && since) payload.variables.since = since;
          onData(result.data);
        },
        // A refusal leaves the page showing what it loaded; anything else comes back.
        error: (error) => {
          if (!isRefusal(error)) retryLater();
        },
        // The server ends a subscription only when it goes away (a restart): come back.
        complete: retryLater,
      });
    }, retryLater);
  };
  subscriptions += 1;
  start();
  return () => {
    stopped = true;
    subscriptions -= 1;
    clearTimeout(timer);
    waiting.delete(retry);
    unsubscribe();
  };
}
