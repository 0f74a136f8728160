/**
 * The signed-in session, kept in localStorage: a short-lived access token sent as
 * `Authorization: Bearer`, and a refresh token traded for a new pair shortly before the
 * access token expires (or when the server says it has). Refresh tokens work once, so
 * only one refresh runs at a time.
 */

import { useEffect, useState } from "preact/hooks";
import { ApiError, request } from "../api/client";
import type { TypedDocumentString } from "../gql/graphql";
import { RefreshSessionMutation, SignOutMutation } from "../collectors/operations";

export interface Session {
  email: string;
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
}

const STORAGE_KEY = "stonks.session";
// Refresh this long before expiry, so a request never leaves with a token about to lapse.
const EARLY_MS = 30_000;

const listeners = new Set<() => void>();
let current: Session | null = load();
let refreshing: Promise<Session | null> | null = null;

function load(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function currentSession(): Session | null {
  return current;
}

export function setSession(session: Session | null): void {
  current = session;
  try {
    if (session) localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Private mode: the session lasts for this page only.
  }
  for (const notify of listeners) notify();
}

/** Calls `listener` whenever the session starts, is renewed or ends. */
export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function useSession(): Session | null {
  const [session, setLocal] = useState(current);
  useEffect(() => {
    const update = () => setLocal(current);
    listeners.add(update);
    return () => {
      listeners.delete(update);
    };
  }, []);
  return session;
}

async function refresh(session: Session): Promise<Session | null> {
  const data = await request(RefreshSessionMutation, { refreshToken: session.refreshToken });
  const result = data.refreshSession;
  if (result.__typename !== "AuthSession") {
    setSession(null); // the session ended (signed out elsewhere, or expired)
    return null;
  }
  const next = {
    email: result.viewer.email,
    accessToken: result.accessToken,
    refreshToken: result.refreshToken,
    expiresAt: result.expiresAt,
  };
  setSession(next);
  return next;
}

function refreshOnce(session: Session): Promise<Session | null> {
  refreshing ??= refresh(session).finally(() => {
    refreshing = null;
  });
  return refreshing;
}

/** The Authorization header value, refreshing the session first when it is about to expire. */
export async function authorization(): Promise<string | null> {
  let session = current;
  if (!session) return null;
  if (Date.parse(session.expiresAt) - EARLY_MS < Date.now()) session = await refreshOnce(session);
  return session ? `Bearer ${session.accessToken}` : null;
}

/** A request as the signed-in user; an expired token is refreshed and the request retried once. */
export async function authedRequest<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  const header = await authorization();
  try {
    return await request(document, variables, undefined, header ? { authorization: header } : {});
  } catch (error) {
    const session = current;
    if (!(error instanceof ApiError) || !session) throw error;
    if (error.code === "INVALID_CREDENTIALS") setSession(null);
    if (error.code !== "TOKEN_EXPIRED") throw error;
    const renewed = await refreshOnce(session);
    if (!renewed) throw error;
    return request(document, variables, undefined, { authorization: `Bearer ${renewed.accessToken}` });
  }
}

export async function signOut(): Promise<void> {
  const session = current;
  setSession(null);
  if (session) await request(SignOutMutation, { refreshToken: session.refreshToken }).catch(() => undefined);
}
