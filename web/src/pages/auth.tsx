// Sign up / log in. The landing text lives here: it is the first thing a signed-out visitor sees.
import { useState } from "preact/hooks";
import { errorText } from "../errors.ts";
import type { Session } from "../session.ts";
import { Alert } from "../ui.tsx";
import { v1 } from "../v1.ts";

export function AuthPage({ onSession, notice }: { onSession: (s: Session) => void; notice?: string }) {
  const [mode, setMode] = useState<"signup" | "login">("signup");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = mode === "signup" ? await v1.signup(email, password) : await v1.login(email, password);
      onSession({ token: res.token, email: res.account.email });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const title = mode === "signup" ? "Create an account" : "Log in";
  return (
    <main class="page narrow">
      <h1>Flotilla</h1>
      <p class="lead">
        Kubernetes-compatible playground clusters at the edge. Get a cluster in seconds, drive it with the real{" "}
        <code>kubectl</code>, and connect your own machines as nodes with one command that needs only outbound HTTPS.
      </p>
      <Alert message={notice} />
      <div class="tabs" role="tablist" aria-label="Account">
        <button type="button" role="tab" aria-selected={mode === "signup"} onClick={() => setMode("signup")}>
          Sign up
        </button>
        <button type="button" role="tab" aria-selected={mode === "login"} onClick={() => setMode("login")}>
          Log in
        </button>
      </div>
      <form class="card" onSubmit={submit} aria-label={title}>
        <h2>{title}</h2>
        <label>
          Email
          <input
            type="email"
            name="email"
            autoComplete="email"
            required
            value={email}
            onInput={(e) => setEmail(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            name="password"
            autoComplete={mode === "signup" ? "new-password" : "current-password"}
            required
            minLength={mode === "signup" ? 10 : undefined}
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {mode === "signup" && <p class="hint">At least 10 characters, not your email.</p>}
        <Alert message={error} />
        <button type="submit" disabled={busy}>
          {mode === "signup" ? "Sign up" : "Log in"}
        </button>
      </form>
    </main>
  );
}
