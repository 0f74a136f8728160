/** A tiny History API router: the path picks the page, the query string holds its state. */

import type { ComponentChildren, JSX } from "preact";
import { useEffect, useState } from "preact/hooks";

export interface Location {
  path: string;
  search: string;
}

const current = (): Location => ({ path: location.pathname, search: location.search });
const subscribers = new Set<() => void>();

export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (url === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  for (const notify of subscribers) notify();
  if (!options.replace) window.scrollTo(0, 0);
}

export function useLocation(): Location {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const update = () => setValue(current());
    subscribers.add(update);
    window.addEventListener("popstate", update);
    return () => {
      subscribers.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return value;
}

type LinkProps = Omit<JSX.HTMLAttributes<HTMLAnchorElement>, "href"> & {
  href: string;
  children: ComponentChildren;
};

export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    // Let the browser handle new tabs and windows.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} onClick={onClick} {...rest}>
      {children}
    </a>
  );
}
