/** Loading, error and empty states that say what is going on. */

import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import type { ApiError } from "../api/client";

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** The small "updating" mark shown beside data that is being replaced. */
export function Updating({ active }: { active: boolean }) {
  return (
    <span class="updating" role="status" aria-live="polite">
      {active ? "Updating…" : ""}
    </span>
  );
}

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (at === null) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * A failed load. With `stale` the page still shows the data it had; with `retryAt` the
 * next attempt is already planned and counted down.
 */
export function ErrorBox({
  error,
  retry,
  retryAt = null,
  stale = false,
}: {
  error: ApiError;
  retry?: () => void;
  retryAt?: number | null;
  stale?: boolean;
}) {
  const seconds = useSecondsUntil(retryAt);
  return (
    <div class="state error" role="alert">
      <p>
        <strong>{stale ? "Could not refresh." : "Something went wrong."}</strong> {error.message}
        {stale && " Showing the last data loaded."}
        {seconds !== null && ` Trying again in ${seconds} s.`}
      </p>
      {retry && (
        <button type="button" onClick={retry}>
          {seconds !== null ? "Try now" : "Try again"}
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}
