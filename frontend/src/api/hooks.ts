import { useEffect, useRef, useState } from "preact/hooks";
import type { TypedDocumentString } from "../gql/graphql";
import { ApiError, request, subscribe } from "./client";

export interface QueryState<R> {
  data: R | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Loads `document` whenever the variables change; the previous data stays while loading. */
export function useQuery<R, V>(document: TypedDocumentString<R, V>, variables: V): QueryState<R> {
  const key = JSON.stringify(variables);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: R | null; error: ApiError | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true, error: null }));
    request(document, variables, controller.signal).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const failure = error instanceof ApiError ? error : new ApiError(String(error), null);
        setState((s) => ({ ...s, error: failure, loading: false }));
      },
    );
    return () => controller.abort();
    // The key stands for the variables' content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key, attempt]);
  return { ...state, reload: () => setAttempt((n) => n + 1) };
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
