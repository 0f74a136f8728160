/** Loading data as the signed-in user. */

import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import type { TypedDocumentString } from "../gql/graphql";
import { authedRequest } from "./session";

export interface AuthedState<R> {
  data: R | null;
  error: ApiError | null;
  reload: () => void;
}

export function useAuthedQuery<R, V>(document: TypedDocumentString<R, V>, variables: V): AuthedState<R> {
  const key = JSON.stringify(variables);
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ data: R | null; error: ApiError | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    authedRequest(document, variables).then(
      (data) => live && setState({ data, error: null }),
      (error: unknown) =>
        live && setState((s) => ({ ...s, error: error instanceof ApiError ? error : new ApiError(String(error), null) })),
    );
    return () => {
      live = false;
    };
    // The key stands for the variables' content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [document, key, attempt]);
  return { ...state, reload: () => setAttempt((n) => n + 1) };
}

/** Offers `text` as a file download. */
export function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
