/** What a collectors' page shows to someone not signed in. */

import { Link } from "../router";

export function SignInFirst({ what, here }: { what: string; here: string }) {
  return (
    <div class="card">
      <h1>{what}</h1>
      <p>
        <Link href={`/sign-in?next=${encodeURIComponent(here)}`}>Sign in</Link> or{" "}
        <Link href={`/sign-in?new=1&next=${encodeURIComponent(here)}`}>create an account</Link> to keep a {what.toLowerCase()}.
      </p>
    </div>
  );
}
