import { useEffect, useRef, useState } from "preact/hooks";
import { onLiveStatus } from "./api/client";
import { Browse } from "./pages/Browse";
import { Detail } from "./pages/Detail";
import { Home } from "./pages/Home";
import { Sync } from "./pages/Sync";
import { Account } from "./pages/Account";
import { ImportHoldings } from "./pages/ImportHoldings";
import { Portfolio } from "./pages/Portfolio";
import { SignIn } from "./pages/SignIn";
import { Watchlist } from "./pages/Watchlist";
import { useSession } from "./auth/session";
import { CURRENCIES, type Currency } from "./lib/format";
import { Link, useLocation } from "./router";
import { currentTheme, onThemeChange, setTheme } from "./theme";

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

function LiveStatus() {
  const [connected, setConnected] = useState(false);
  useEffect(() => onLiveStatus(setConnected), []);
  // Only pages with live data open the WebSocket; elsewhere there is nothing to report.
  return (
    <span class="live-status" role="status" title="Live updates over WebSocket">
      {connected ? "● Live" : ""}
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
  let title;
  if (path === "/") {
    page = <Home currency={currency} />;
    title = "Market";
  } else if (path === "/browse") {
    page = <Browse search={search} currency={currency} />;
    title = "Browse";
  } else if (detail) {
    const figNum = decodeURIComponent(detail[1]);
    page = <Detail key={figNum} figNum={figNum} search={search} currency={currency} />;
    title = figNum;
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
  useEffect(() => {
    document.title = `${title} · Minifigure Stonks`;
  }, [title]);
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
          <Link href="/sync" aria-current={here("/sync")}>Sync status</Link>
          <Link href="/watchlist" aria-current={here("/watchlist")}>Watchlist</Link>
          <Link href="/portfolio" aria-current={here("/portfolio")}>Portfolio</Link>
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
    </>
  );
}
