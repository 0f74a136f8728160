import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { TypedDocumentString } from "../gql/graphql";
import { backoffDelay } from "../lib/backoff";
import { ApiError, request, subscribe } from "./client";

export interface QueryState<R, V> {
  /** The last data loaded (for these or earlier variables): kept while a new load runs. */
  data: R | null;
  /** The variables `data` answers; labels follow these, not the ones being loaded. */
  dataVariables: V | null;
  error: ApiError | null;
  loading: boolean;
  /** When the next automatic attempt after a transient failure starts (epoch ms). */
  retryAt: number | null;
  reload: () => void;
}

/**
 * The last answer per query and variables, so a page opened again (back, or while the API
 * is away) shows what it showed before at once, then refreshes.
 */
const lastAnswers = new Map<string, unknown>();
const REMEMBERED = 50;

function remember(key: string, data: unknown): void {
  lastAnswers.delete(key);
  lastAnswers.set(key, data);
  if (lastAnswers.size > REMEMBERED) lastAnswers.delete(lastAnswers.keys().next().value!);
}

interface Loaded<R, V> {
  data: R | null;
  dataVariables: V | null;
  error: ApiError | null;
  loading: boolean;
  retryAt: number | null;
}

/**
 * Loads `document` whenever the variables change. A transient failure (network, server
 * away) is retried on its own with a growing delay; whatever was on screen stays there.
 */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V): QueryState<R, V> {
  const key = JSON.stringify(variables);
  const cacheKey = `${document.toString()}\n${key}`;
  const [attempt, setAttempt] = useState(0);
  const failures = useRef(0);
  const [state, setState] = useState<Loaded<R, V>>(() => {
    const known = lastAnswers.get(cacheKey) as R | undefined;
    return { data: known ?? null, dataVariables: known ? variables : null, error: null, loading: true, retryAt: null };
  });
  // A layout effect: the request leaves as soon as the page is in the DOM, not after the
  // next frame (on a slow phone that frame can wait behind other scripts' parsing).
  useLayoutEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const retryNow = () => setAttempt((n) => n + 1);
    const known = lastAnswers.get(cacheKey) as R | undefined;
    setState((s) => ({
      ...s,
      ...(known ? { data: known, dataVariables: variables } : {}),
      loading: true,
      retryAt: null,
    }));
    request(document, variables, controller.signal).then(
      (data) => {
        failures.current = 0;
        remember(cacheKey, data);
        setState({ data, dataVariables: variables, error: null, loading: false, retryAt: null });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof ApiError ? error : new ApiError(String(error), null);
        let retryAt: number | null = null;
        if (failure.transient) {
          failures.current += 1;
          const delay = backoffDelay(failures.current);
          retryAt = Date.now() + delay;
          timer = setTimeout(() => setAttempt((n) => n + 1), delay);
          // Back online: no need to wait out the delay.
          window.addEventListener("online", retryNow, { once: true });
        }
        setState((s) => ({ ...s, error: failure, loading: false, retryAt }));
      },
    );
    return () => {
      controller.abort();
      clearTimeout(timer);
      window.removeEventListener("online", retryNow);
    };
    // The key stands for the variables' content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}

/**
 * State that starts from `base` and is then changed live; it starts again, in the same
 * render, whenever `base` changes (so no frame shows the new base with the old changes, or
 * an empty state before the first effect).
 */
export function useRebased<B, T>(base: B, init: (base: B) => T): [T, (change: (value: T) => T) => void] {
  const held = useRef<{ base: B; value: T } | null>(null);
  const [, rerender] = useState(0);
  if (held.current === null || held.current.base !== base) held.current = { base, value: init(base) };
  const update = useCallback((change: (value: T) => T) => {
    held.current!.value = change(held.current!.value);
    rerender((n) => n + 1);
  }, []);
  return [held.current.value, update];
}

/** Subscribes while mounted (and re-subscribes when the variables change). */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  enabled = true,
): void {
  const handler = useRef(onData);
  handler.current = onData;
  const key = JSON.stringify(variables);
  useEffect(() => {
    if (!enabled) return undefined;
    return subscribe(document, variables, (data) => handler.current(data));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key, enabled]);
}
