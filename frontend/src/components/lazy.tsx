/** Components whose code loads on first use, so each page downloads only what it shows. */

import type { ComponentType, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * `load` runs once, on first render; until it resolves `fallback` stands in (given the
 * same props, so it can take the final size and no layout jumps).
 */
export function lazy<P extends object>(
  load: () => Promise<ComponentType<P>>,
  fallback: (props: P) => JSX.Element | null = () => null,
): ComponentType<P> & { preload: () => Promise<ComponentType<P>> } {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    loading ??= load().then((component) => (loaded = component));
    return loading;
  };
  function Lazy(props: P) {
    const [component, setComponent] = useState<ComponentType<P> | null>(() => loaded);
    useEffect(() => {
      if (component) return undefined;
      let live = true;
      void preload().then((found) => live && setComponent(() => found));
      return () => {
        live = false;
      };
    }, [component]);
    const Shown = component;
    return Shown ? <Shown {...props} /> : fallback(props);
  }
  return Object.assign(Lazy, { preload });
}
