/** The tab title: the page's own name first, so tabs and history read as names. */

import { useEffect } from "preact/hooks";

const SITE = "Minifigure Stonks";

export function useTitle(title: string | null): void {
  useEffect(() => {
    if (title !== null) document.title = `${title} · ${SITE}`;
  }, [title]);
}
