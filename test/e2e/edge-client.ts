// Requests through the local edge to host names under flotilla.localhost, for the edge's e2e tests: curl
// (which resolves `*.localhost` to loopback itself) and Node's https on a keep-alive agent (which does not:
// it connects to 127.0.0.1 and names the host in SNI and Host).
import { execFile } from "node:child_process";
import type http from "node:http";
import https from "node:https";
import { promisify } from "node:util";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import type { Harness } from "./harness.ts";

const run = promisify(execFile);

export interface EdgeAnswer {
  status: number;
  body: string;
  /** The Location of a redirect ("" when none). */
  location: string;
}

/** curl `url` with the local CA and extra `Name: value` headers. */
export async function edgeCurl(caPath: string, url: string, headers: string[] = []): Promise<EdgeAnswer> {
  const args = ["-sS", "--cacert", caPath, "-o", "-", "-w", "\n%{http_code} %{redirect_url}", url];
  for (const header of headers) args.push("-H", header);
  const { stdout } = await run("curl", args);
  const cut = stdout.lastIndexOf("\n");
  const [status, location = ""] = stdout.slice(cut + 1).split(" ");
  return { status: Number(status), body: stdout.slice(0, cut), location };
}

/** GET `/` of `host` at the local edge's `port` on `agent`: `<status> <body>`. */
export function edgeGet(
  agent: https.Agent,
  port: number,
  host: string,
  headers: http.OutgoingHttpHeaders = {},
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const req = https.get(
      { host: "127.0.0.1", port, servername: host, path: "/", headers: { host: `${host}:${port}`, ...headers }, agent },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve(`${res.statusCode} ${body}`));
      },
    );
    req.on("error", reject);
  });
}

/** A second cluster of the harness's account (its names must never reach the first); its id. */
export async function otherCluster(h: Harness): Promise<string> {
  const other = await httpsRequest(`${h.flotilla.url}/v1/clusters`, {
    ca: h.flotilla.caPem,
    method: "POST",
    headers: { authorization: `Bearer ${h.flotilla.accountToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "other" }),
  });
  if (other.status !== 201) throw new Error(`creating a second cluster: ${other.status} ${other.body}`);
  return JSON.parse(other.body).id;
}
