// The dashboard: hash routes (#/, #/clusters/<id>) so that no page path ever shadows an API path
// (/v1, /clusters/<id>/… belong to the Worker).
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { SessionExpired } from "./v1.ts";
import { AuthPage } from "./pages/auth.tsx";
import { ClusterPage } from "./pages/cluster.tsx";
import { ClustersPage } from "./pages/clusters.tsx";
import { loadSession, type Session, saveSession } from "./session.ts";
import { ErrorBoundary } from "./ui.tsx";
import { v1 } from "./v1.ts";

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const update = () => setHash(location.hash);
    addEventListener("hashchange", update);
    return () => removeEventListener("hashchange", update);
  }, []);
  return hash;
}

function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [notice, setNotice] = useState<string>();
  const hash = useHash();

  const signIn = (s: Session) => {
    saveSession(s);
    setNotice(undefined);
    setSession(s);
  };
  const signOut = (message?: string) => {
    saveSession(undefined);
    sessionStorage.clear();
    setNotice(message);
    setSession(undefined);
  };
  // Any /v1 call that finds the session gone sends the user back to log in, saying why.
  const onError = (err: unknown) => {
    if (err instanceof SessionExpired) signOut(err.message);
  };

  if (!session) return <AuthPage onSession={signIn} notice={notice} />;
  const cluster = /^#\/clusters\/([a-z0-9]+)/.exec(hash)?.[1];
  return (
    <>
      <header class="top">
        <a href="#/" class="brand">
          Flotilla
        </a>
        <span class="who">{session.email}</span>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            v1.logout(session.token).catch(() => undefined);
            signOut();
          }}
        >
          Log out
        </button>
      </header>
      {cluster ? (
        <ClusterPage key={cluster} accountToken={session.token} clusterId={cluster} onError={onError} />
      ) : (
        <ClustersPage token={session.token} onError={onError} />
      )}
    </>
  );
}

const root = document.getElementById("app");
if (root) {
  root.textContent = ""; // the shell's loading text
  render(
    <ErrorBoundary>
      <App />
    </ErrorBoundary>,
    root,
  );
}
