// The account token lives in localStorage so a reload keeps you signed in; cluster admin tokens live in
// sessionStorage (minted per browser tab session, never persisted beyond it).

const ACCOUNT_KEY = "flotilla.account";

export interface Session {
  token: string;
  email: string;
}

export function loadSession(): Session | undefined {
  try {
    const raw = localStorage.getItem(ACCOUNT_KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) localStorage.setItem(ACCOUNT_KEY, JSON.stringify(session));
  else localStorage.removeItem(ACCOUNT_KEY);
}

export interface ClusterCredentials {
  token: string;
  kubeconfig: string;
}

export function loadClusterCredentials(clusterId: string): ClusterCredentials | undefined {
  const raw = sessionStorage.getItem(`flotilla.cluster.${clusterId}`);
  return raw ? (JSON.parse(raw) as ClusterCredentials) : undefined;
}

export function saveClusterCredentials(clusterId: string, creds: ClusterCredentials | undefined): void {
  const key = `flotilla.cluster.${clusterId}`;
  if (creds) sessionStorage.setItem(key, JSON.stringify(creds));
  else sessionStorage.removeItem(key);
}
