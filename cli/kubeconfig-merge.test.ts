import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { mergeKubeconfig } from "./kubeconfig-merge.ts";

const one = (name: string, server: string, token: string) =>
  stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name, cluster: { server } }],
    users: [{ name: `${name}-admin`, user: { token } }],
    contexts: [{ name, context: { cluster: name, user: `${name}-admin` } }],
    "current-context": name,
  });

describe("mergeKubeconfig", () => {
  it("adds a cluster to an empty or missing config", () => {
    for (const existing of [undefined, "", "  \n"]) {
      const merged = parse(mergeKubeconfig(existing, one("a", "https://a", "t1")));
      expect(merged.clusters).toEqual([{ name: "a", cluster: { server: "https://a" } }]);
      expect(merged["current-context"]).toBe("a");
    }
  });

  it("keeps other entries, replaces same-named ones, and switches the current context", () => {
    const existing = stringify({
      ...parse(one("other", "https://other", "x")),
      preferences: { colors: true },
    });
    const first = mergeKubeconfig(existing, one("a", "https://a", "t1"));
    const second = parse(mergeKubeconfig(first, one("a", "https://a2", "t2")));
    expect(second.clusters.map((c: { name: string }) => c.name)).toEqual(["other", "a"]);
    expect(second.clusters[1].cluster.server).toBe("https://a2");
    expect(second.users[1].user.token).toBe("t2");
    expect(second.users).toHaveLength(2);
    expect(second.preferences).toEqual({ colors: true });
    expect(second["current-context"]).toBe("a");
  });
});
