/** Components whose code loads on first use, so each page downloads only what it shows. */

import type { ComponentType, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";
import { backoffDelay } from "../lib/backoff";

/**
 * `load` starts on first render; until it resolves `fallback` stands in (given the same
 * props, so it can take the final size and no layout jumps). A failed load (the network
 * went away) is tried again with the usual backoff.
 */
export function lazy<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: (props: P) => JSX.Element | null = () => null,
): ComponentType<P> & { preload: () => Promise<ComponentType<P>> } {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    );
    return loading;
  };
  function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => {
      // The download starts with the first render, not a frame later with the effect.
      if (!loaded) preload().catch(() => undefined);
      return loaded;
    });
    const [failures, setFailures] = useState(0);
    useEffect(() => {
      if (component) return undefined;
      let live = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      preload().then(
        (found) => live && setComponent(() => found),
        () => {
          if (live) timer = setTimeout(() => setFailures((n) => n + 1), backoffDelay(failures + 1));
        },
      );
      return () => {
        live = false;
        clearTimeout(timer);
      };
    }, [component, failures]);
    const Shown = component;
    return Shown ? <Shown {...props} /> : fallback(props);
  }
  return Object.assign(Lazy, { preload });
}
