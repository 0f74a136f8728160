/** A figure's picture, loaded lazily; the striped placeholder when it has none or it fails to load (offline). */

import { useState } from "preact/hooks";

export function FigureImage({ src, alt = "", class: className = "" }: { src: string | null | undefined; alt?: string; class?: string }) {
  const [failed, setFailed] = useState(false);
  if (!src || failed) return <span class={`${className} noimg`.trim()} aria-hidden="true" />;
  return <img src={src} alt={alt} loading="lazy" class={className || undefined} onError={() => setFailed(true)} />;
}
