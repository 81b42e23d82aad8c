import crypto from "node:crypto";
import { readIfExists, writePrivateFile } from "./home.ts";
import { httpsRequest } from "./https-client.ts";

/** The one cluster `npm start` provisions; kept in FLOTILLA_HOME so its id and token survive restarts. */
export interface DemoCluster {
  clusterId: string;
  adminToken: string;
}

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const CLUSTER_ID_LENGTH = 20;

/** 20 lowercase base32 characters (100 random bits): a valid DNS label and URL segment. */
export function newClusterId(random: (n: number) => Buffer = crypto.randomBytes): string {
  // 256 is a multiple of 32, so masking each byte keeps the distribution uniform.
  return Array.from(random(CLUSTER_ID_LENGTH), (b) => BASE32[b & 31]).join("");
}

export function newAdminToken(random: (n: number) => Buffer = crypto.randomBytes): string {
  return random(32).toString("base64url");
}

export function isDemoCluster(value: unknown): value is DemoCluster {
  if (typeof value !== "object" || value === null) return false;
  const { clusterId, adminToken } = value as Record<string, unknown>;
  return (
    typeof clusterId === "string" &&
    /^[a-z0-9]{1,63}$/.test(clusterId) &&
    typeof adminToken === "string" &&
    adminToken.length >= 16
  );
}

/** Reads the demo cluster's id and token, creating (and saving, mode 0600) new ones on first start. */
export function loadOrCreateDemoCluster(file: string): DemoCluster {
  const raw = readIfExists(file);
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (isDemoCluster(parsed)) return { clusterId: parsed.clusterId, adminToken: parsed.adminToken };
    // Never silently replace credentials someone may still use: make them fix or delete the file.
    throw new Error(`${file} is not a valid demo cluster file; delete it to create a new demo cluster`);
  }
  const cluster = { clusterId: newClusterId(), adminToken: newAdminToken() };
  writePrivateFile(file, `${JSON.stringify(cluster, null, 2)}\n`);
  return cluster;
}

/** Provisions the cluster object (idempotent on the server side) through the local-only bootstrap route. */
export async function bootstrapCluster(baseUrl: string, caPem: string, cluster: DemoCluster): Promise<void> {
  const res = await httpsRequest(new URL("/__local/bootstrap", baseUrl), {
    method: "POST",
    ca: caPem,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(cluster),
  });
  if (res.status !== 200) {
    const hint = res.status === 404 ? " (is FLOTILLA_LOCAL_BOOTSTRAP set to true?)" : "";
    throw new Error(`POST /__local/bootstrap answered ${res.status}${hint}: ${res.body.slice(0, 500)}`);
  }
}

export function clusterUrl(baseUrl: string, clusterId: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/clusters/${clusterId}`;
}
