import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { DEMO_KUBECONFIG_NAMES, renderKubeconfig } from "./kubeconfig.ts";

// A long PEM: lineWidth must not fold the base64 or the token.
const caPem = `-----BEGIN CERTIFICATE-----\n${"A".repeat(64)}\n${"B".repeat(64)}\n-----END CERTIFICATE-----\n`;
const server = "https://127.0.0.1:8787/clusters/abcdefghij0123456789";
const token = "tok_-AbC".repeat(6);

describe("renderKubeconfig", () => {
  const config = parse(renderKubeconfig({ server, caPem, token }));

  it("defaults to the demo names and namespace default", () => {
    expect(config).toMatchObject({
      apiVersion: "v1",
      kind: "Config",
      "current-context": DEMO_KUBECONFIG_NAMES.context,
      clusters: [{ name: "flotilla-demo", cluster: { server } }],
      users: [{ name: "flotilla-demo-admin", user: { token } }],
      contexts: [
        {
          name: "flotilla-demo",
          context: { cluster: "flotilla-demo", user: "flotilla-demo-admin", namespace: "default" },
        },
      ],
    });
  });

  it("embeds the CA as base64 that decodes back to the PEM", () => {
    const data = config.clusters[0].cluster["certificate-authority-data"];
    expect(data).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(data, "base64").toString("utf8")).toBe(caPem);
  });

  it("honours explicit names", () => {
    const custom = parse(
      renderKubeconfig({ server, caPem, token, clusterName: "c", userName: "u", contextName: "x", namespace: "ns" }),
    );
    expect(custom["current-context"]).toBe("x");
    expect(custom.contexts).toEqual([{ name: "x", context: { cluster: "c", user: "u", namespace: "ns" } }]);
    expect(custom.clusters[0].name).toBe("c");
    expect(custom.users[0].name).toBe("u");
  });
});
