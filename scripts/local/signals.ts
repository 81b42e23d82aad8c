// The local server entries (dev-worker.ts, miniflare-worker.ts) end the same way on a signal: dispose of the
// runtime once, then exit.

export function disposeOnSignals(dispose: () => Promise<unknown>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await dispose().catch(() => {});
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop());
}
