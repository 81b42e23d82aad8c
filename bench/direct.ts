// `--direct`: the user workerd's own entry socket (plain HTTP on loopback), skipping wrangler's
// proxy workerd (TLS termination, relaying) and what wrangler does per relayed request. The
// Worker → object path is unchanged, so this isolates the cost of local-dev plumbing.
import http from "node:http";
import { listeningPorts, workerdByRole } from "./procs.ts";

function answersHealthz(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", timeout: 2_000 }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => {
        body += c.toString();
      });
      res.on("end", () => resolve(res.statusCode === 200 && body === "ok"));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

/** http://127.0.0.1:<entry port> of the user workerd, found by asking each of its ports for /healthz. */
export async function directEntryUrl(publicPort: number): Promise<string> {
  for (const pid of workerdByRole(publicPort).user)
    for (const port of listeningPorts(pid)) if (await answersHealthz(port)) return `http://127.0.0.1:${port}`;
  throw new Error("found no port of the user workerd answering /healthz");
}
