import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { httpsRequest } from "../../scripts/local/https-client.ts";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

describe("local server smoke test", () => {
  let h: Harness;
  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("answers /healthz over HTTPS signed by the local CA", async () => {
    const res = await httpsRequest(`${h.flotilla.url}/healthz`, { ca: h.flotilla.caPem });
    expect(res.status).toBe(200);
    expect(res.body.trim()).toBe("ok");
  });

  it("writes a kubeconfig with the CA embedded and the server's root (the token names the demo cluster)", () => {
    const config = parse(fs.readFileSync(h.flotilla.kubeconfigPath, "utf8"));
    const cluster = config.clusters.find((c: { name: string }) => c.name === "flotilla-demo").cluster;
    expect(cluster.server).toBe(`https://127.0.0.1:${h.port}`);
    expect(Buffer.from(cluster["certificate-authority-data"], "base64").toString("utf8")).toBe(
      fs.readFileSync(h.flotilla.caPath, "utf8"),
    );
    expect(config["current-context"]).toBe("flotilla-demo");
    expect(config.users[0].user.token).toBe(h.flotilla.adminToken);
  });

  it("serves kubectl version with server major 1", async () => {
    const { stdout } = await h.kubectl(["version", "-o", "json"]);
    const version = JSON.parse(stdout);
    expect(version.serverVersion?.major).toBe("1");
  });
});
