/** The pages, each in its own chunk: a visitor downloads the code of the pages they open. */

import { Loading } from "../components/states";
import { lazy } from "../components/lazy";
import type { Currency } from "../lib/format";

interface Searchable {
  search: string;
  currency: Currency;
}

const waiting = () => <Loading what="the page" />;

export const Home = lazy<{ currency: Currency }>(() => import("./Home").then((m) => m.Home), waiting);
export const Browse = lazy<Searchable>(() => import("./Browse").then((m) => m.Browse), waiting);
export const Detail = lazy<Searchable & { figNum: string }>(() => import("./Detail").then((m) => m.Detail), waiting);
export const Compare = lazy<Searchable>(() => import("./Compare").then((m) => m.Compare), waiting);
export const Sync = lazy<Record<string, never>>(() => import("./Sync").then((m) => m.Sync), waiting);
export const SignIn = lazy<{ search: string }>(() => import("./SignIn").then((m) => m.SignIn), waiting);
export const Account = lazy<Record<string, never>>(() => import("./Account").then((m) => m.Account), waiting);
export const Watchlist = lazy<{ currency: Currency }>(() => import("./Watchlist").then((m) => m.Watchlist), waiting);
export const Portfolio = lazy<{ currency: Currency }>(() => import("./Portfolio").then((m) => m.Portfolio), waiting);
export const ImportHoldings = lazy<Record<string, never>>(
  () => import("./ImportHoldings").then((m) => m.ImportHoldings),
  waiting,
);
export const Alerts = lazy<{ currency: Currency }>(() => import("./Alerts").then((m) => m.Alerts), waiting);
export const Deals = lazy<Searchable>(() => import("./Deals").then((m) => m.Deals), waiting);
