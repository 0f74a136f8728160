/** Sign in, or create an account, with an email and a password. */

import { useState } from "preact/hooks";
import { ApiError, request } from "../api/client";
import { setSession } from "../auth/session";
import { SignInMutation, SignUpMutation } from "../collectors/operations";
import "../collectors/collectors.css";
import { Link, navigate } from "../router";

export function SignIn({ search }: { search: string }) {
  const [creating, setCreating] = useState(new URLSearchParams(search).get("new") === "1");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = new URLSearchParams(search).get("next") ?? "/portfolio";

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const variables = { email: String(form.get("email")), password: String(form.get("password")) };
    setBusy(true);
    setProblem(null);
    try {
      const data = creating ? (await request(SignUpMutation, variables)).signUp : (await request(SignInMutation, variables)).signIn;
      if (data.__typename !== "AuthSession") {
        setProblem(data.message);
        return;
      }
      setSession({
        email: data.viewer.email,
        accessToken: data.accessToken,
        refreshToken: data.refreshToken,
        expiresAt: data.expiresAt,
      });
      navigate(next.startsWith("/") ? next : "/portfolio");
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="card">
      <h1>{creating ? "Create an account" : "Sign in"}</h1>
      <form class="auth-form" onSubmit={submit}>
        <label>
          Email
          <input name="email" type="email" autoComplete="email" required />
        </label>
        <label>
          Password {creating && <span>(at least 10 characters)</span>}
          <input name="password" type="password" autoComplete={creating ? "new-password" : "current-password"} minLength={creating ? 10 : undefined} required />
        </label>
        {problem && (
          <p class="error-text" role="alert">
            {problem}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {creating ? "Create account" : "Sign in"}
        </button>
      </form>
      <p class="muted">
        {creating ? "Have an account? " : "New here? "}
        <button type="button" class="link-button" onClick={() => setCreating(!creating)}>
          {creating ? "Sign in" : "Create an account"}
        </button>
      </p>
      <p class="muted">
        Prices stay public: <Link href="/browse">browse the catalog</Link> without an account.
      </p>
    </div>
  );
}
