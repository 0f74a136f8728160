import { useEffect, useRef, useState } from "preact/hooks";
import { onLiveStatus, type LiveState } from "./api/client";
import { useSession } from "./auth/session";
import { AlertNotifications } from "./alerts/AlertNotifications";
import {
  Account,
  Alerts,
  Browse,
  Compare,
  Deals,
  Detail,
  Home,
  ImportHoldings,
  Portfolio,
  SignIn,
  Sync,
  Watchlist,
} from "./pages/lazy";
import { CURRENCIES, type Currency } from "./lib/format";
import { Link, useLocation } from "./router";
import { currentTheme, onThemeChange, setTheme } from "./theme";
import { useTitle } from "./title";

function storedCurrency(): Currency {
  try {
    const saved = localStorage.getItem("currency");
    return (CURRENCIES as readonly string[]).includes(saved ?? "") ? (saved as Currency) : "USD";
  } catch {
    return "USD";
  }
}

function ThemeToggle() {
  const [theme, setLocal] = useState(currentTheme);
  useEffect(() => onThemeChange(() => setLocal(currentTheme())), []);
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button type="button" class="icon-button" onClick={() => setTheme(next)} aria-label={`Switch to ${next} mode`}>
      {theme === "dark" ? "☀" : "☾"}
    </button>
  );
}

const LIVE_TEXT: Record<LiveState, string> = {
  idle: "",
  connecting: "Connecting…",
  live: "● Live",
  reconnecting: "Reconnecting…",
  offline: "Offline · retrying",
};

function LiveStatus() {
  const [state, setState] = useState<LiveState>("idle");
  useEffect(() => onLiveStatus(setState), []);
  // Only pages with live data open the WebSocket; elsewhere there is nothing to report.
  return (
    <span class={`live-status ${state}`} role="status" data-state={state} title="Live updates over WebSocket">
      {LIVE_TEXT[state]}
    </span>
  );
}

export function App() {
  const { path, search } = useLocation();
  const [currency, setCurrency] = useState<Currency>(storedCurrency);
  const chooseCurrency = (value: Currency) => {
    setCurrency(value);
    try {
      localStorage.setItem("currency", value);
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  };
  const session = useSession();
  const detail = /^\/m\/([^/]+)\/?$/.exec(path);
  let page;
  let title: string | null;
  if (path === "/") {
    page = <Home currency={currency} />;
    title = "Market";
  } else if (path === "/browse") {
    page = <Browse search={search} currency={currency} />;
    title = "Browse";
  } else if (detail) {
    const figNum = decodeURIComponent(detail[1]);
    page = <Detail key={figNum} figNum={figNum} search={search} currency={currency} />;
    title = null; // the page names itself after the minifigure
  } else if (path === "/compare") {
    page = <Compare search={search} currency={currency} />;
    title = "Compare";
  } else if (path === "/deals") {
    page = <Deals search={search} currency={currency} />;
    title = "Deals";
  } else if (path === "/sync") {
    page = <Sync />;
    title = "Sync status";
  } else if (path === "/sign-in") {
    page = <SignIn search={search} />;
    title = "Sign in";
  } else if (path === "/account") {
    page = <Account />;
    title = "Account";
  } else if (path === "/watchlist") {
    page = <Watchlist currency={currency} />;
    title = "Watchlist";
  } else if (path === "/portfolio") {
    page = <Portfolio currency={currency} />;
    title = "Portfolio";
  } else if (path === "/alerts") {
    page = <Alerts currency={currency} />;
    title = "Alerts";
  } else if (path === "/portfolio/import") {
    page = <ImportHoldings />;
    title = "Import holdings";
  } else {
    page = (
      <div>
        <h1>Page not found</h1>
        <p>
          There is no page at {path}. Go to the <Link href="/">market</Link> or <Link href="/browse">browse</Link> the catalog.
        </p>
      </div>
    );
    title = "Not found";
  }
  useTitle(title);
  // A new page moves keyboard and screen-reader focus to its content, as a page load would.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path !== firstPath.current) document.getElementById("main")?.focus();
    firstPath.current = "";
  }, [path]);
  const here = (href: string) => (href === "/" ? path === "/" : path.startsWith(href)) ? "page" : undefined;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <Link href="/" class="brand">
          Minifigure Stonks
        </Link>
        <nav aria-label="Main">
          <Link href="/" aria-current={here("/")}>Market</Link>
          <Link href="/browse" aria-current={here("/browse")}>Browse</Link>
          <Link href="/compare" aria-current={here("/compare")}>Compare</Link>
          <Link href="/deals" aria-current={here("/deals")}>Deals</Link>
          <Link href="/sync" aria-current={here("/sync")}>Sync status</Link>
          <Link href="/watchlist" aria-current={here("/watchlist")}>Watchlist</Link>
          <Link href="/portfolio" aria-current={here("/portfolio")}>Portfolio</Link>
          <Link href="/alerts" aria-current={here("/alerts")}>Alerts</Link>
          <Link href={session ? "/account" : "/sign-in"} aria-current={here(session ? "/account" : "/sign-in")}>
            {session ? "Account" : "Sign in"}
          </Link>
        </nav>
        <div class="topbar-tools">
          <LiveStatus />
          <label class="currency">
            <span class="visually-hidden">Currency</span>
            <select value={currency} onChange={(e) => chooseCurrency(e.currentTarget.value as Currency)}>
              {CURRENCIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <ThemeToggle />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      {session && <AlertNotifications key={session.email} />}
    </>
  );
}
