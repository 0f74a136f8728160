/** Light/dark theme: the system's preference unless the user picked one (remembered). */

export type Theme = "light" | "dark";
const EVENT = "stonks-theme";

export function currentTheme(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem("theme", theme);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  window.dispatchEvent(new Event(EVENT));
}

export function onThemeChange(listener: () => void): () => void {
  const media = matchMedia("(prefers-color-scheme: dark)");
  window.addEventListener(EVENT, listener);
  media.addEventListener("change", listener);
  return () => {
    window.removeEventListener(EVENT, listener);
    media.removeEventListener("change", listener);
  };
}
