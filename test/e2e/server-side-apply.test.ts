// Server-side apply with the real kubectl: field ownership in managedFields, removal of fields a manager stops
// applying, conflicts between managers (409, upstream's message) and --force-conflicts, and the migration of an
// object from client-side to server-side apply.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "declarative");
const APP = path.join(FIXTURES, "app.yaml");
const APP_V2 = path.join(FIXTURES, "app-v2.yaml");
const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

// biome-ignore lint/suspicious/noExplicitAny: live objects are arbitrary JSON, inspected field by field
type Obj = Record<string, any>;

interface Entry {
  manager: string;
  operation: string;
  apiVersion: string;
  fieldsType: string;
  fieldsV1: Obj;
  time?: string;
}

/** Only what a manager's config expresses about a deployment (no resourceVersion, generation or managers). */
function declared(obj: Obj): Obj {
  return { labels: obj.metadata.labels, annotations: obj.metadata.annotations, spec: obj.spec, data: obj.data };
}

/** A deployment with only a replica count: what a second manager (an autoscaler, say) applies. */
function replicasConfig(replicas: number): string {
  return JSON.stringify({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "shop" }, spec: { replicas } });
}

const CONFLICT_ADVICE =
  "Please review the fields above--they currently have other managers. Here\n" +
  "are the ways you can resolve this warning:\n" +
  "* If you intend to manage all of these fields, please re-run the apply\n" +
  "  command with the `--force-conflicts` flag.\n";

/**
 * The entries of the test's own managers: the deployment controller also owns fields
 * (revision annotation, status) under "kube-controller-manager", as upstream's does.
 */
function ownEntries(managedFields: unknown): Entry[] {
  return ((managedFields ?? []) as Entry[]).filter((e) => e.manager !== "kube-controller-manager");
}

describe("server-side apply with kubectl", () => {
  let h: Harness;

  const get = async (resource: string, ns = "default"): Promise<Obj> =>
    JSON.parse((await h.kubectl(["get", "-n", ns, resource, "-o", "json", "--show-managed-fields"])).stdout);
  const entries = async (resource: string, ns = "default"): Promise<Entry[]> =>
    (await get(resource, ns)).metadata.managedFields ?? [];
  const entryOf = async (resource: string, manager: string, ns = "default"): Promise<Entry | undefined> =>
    (await entries(resource, ns)).find((e) => e.manager === manager);
  const createNamespace = (name: string) =>
    h.kubectl(["create", "-f", "-"], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n` });

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe("one manager", () => {
    it("apply --server-side creates the objects with one Apply entry for manager kubectl", async () => {
      const res = await h.kubectl(["apply", "--server-side", "-f", APP]);
      expect(res.stdout).toBe(
        "deployment.apps/shop serverside-applied\nservice/shop serverside-applied\nconfigmap/shop-config serverside-applied\n",
      );
      for (const [resource, apiVersion] of [
        ["deployment/shop", "apps/v1"],
        ["service/shop", "v1"],
        ["configmap/shop-config", "v1"],
      ] as const) {
        const obj = await get(resource);
        // Server-side apply keeps no last-applied annotation of its own.
        expect(obj.metadata.annotations?.[LAST_APPLIED]).toBeUndefined();
        const all = ownEntries(obj.metadata.managedFields);
        expect(all.map((e) => [e.manager, e.operation, e.apiVersion, e.fieldsType])).toEqual([
          ["kubectl", "Apply", apiVersion, "FieldsV1"],
        ]);
        expect(all[0]?.time).toMatch(RFC3339);
      }
      const deploy = await get("deployment/shop");
      expect(deploy.metadata.labels).toEqual({ app: "shop", tier: "web" });
      expect(deploy.spec.template.spec.containers[0].image).toBe("nginx:1.25");
    });

    it("managedFields hold exactly the applied fields, with upstream's list-map keys", async () => {
      // Container ports and service ports are keyed by port and protocol upstream (protocol's default TCP fills
      // the key when the config leaves it out).
      const web = {
        ".": {},
        "f:env": { 'k:{"name":"MODE"}': { ".": {}, "f:name": {}, "f:value": {} } },
        "f:image": {},
        "f:name": {},
        "f:ports": {
          'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:name": {} },
          'k:{"containerPort":9090,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:name": {} },
        },
      };
      const expected: Record<string, Obj> = {
        "configmap/shop-config": {
          "f:data": { "f:colour": {}, "f:greeting": {} },
          "f:metadata": { "f:labels": { "f:app": {} } },
        },
        "service/shop": {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:ports": {
              'k:{"port":80,"protocol":"TCP"}': { ".": {}, "f:name": {}, "f:port": {}, "f:targetPort": {} },
            },
            "f:selector": { "f:app": {} },
          },
        },
        "deployment/shop": {
          "f:metadata": { "f:labels": { "f:app": {}, "f:tier": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:selector": { "f:matchLabels": { "f:app": {} } },
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"web"}': web } },
            },
          },
        },
      };
      const actual: Record<string, Obj | undefined> = {};
      for (const resource of Object.keys(expected)) actual[resource] = (await entryOf(resource, "kubectl"))?.fieldsV1;
      expect(actual).toEqual(expected);
    });

    it("re-applying the same file writes nothing (same resourceVersions)", async () => {
      const before = await h.kubectl(["get", "-f", APP, "-o", "jsonpath={.items[*].metadata.resourceVersion}"]);
      await h.kubectl(["apply", "--server-side", "-f", APP]);
      const after = await h.kubectl(["get", "-f", APP, "-o", "jsonpath={.items[*].metadata.resourceVersion}"]);
      expect(after.stdout).toBe(before.stdout);
    });

    it("fields dropped from the config are removed from the object; new ones are added", async () => {
      await h.kubectl(["apply", "--server-side", "-f", APP_V2]);
      const deploy = await get("deployment/shop");
      expect(deploy.metadata.labels).toEqual({ app: "shop" });
      const [container, ...others] = deploy.spec.template.spec.containers;
      expect(others).toEqual([]);
      expect(container.image).toBe("nginx:1.27");
      expect(container.ports).toEqual([{ containerPort: 80, name: "http", protocol: "TCP" }]);
      expect(container.env).toEqual([
        { name: "MODE", value: "production" },
        { name: "LOG_LEVEL", value: "debug" },
      ]);
      expect((await get("configmap/shop-config")).data).toEqual({ greeting: "hello", colour: "green" });
      const fields = (await entryOf("deployment/shop", "kubectl"))?.fieldsV1;
      expect(fields?.["f:metadata"]).toEqual({ "f:labels": { "f:app": {} } });
      const web = fields?.["f:spec"]["f:template"]["f:spec"]["f:containers"]['k:{"name":"web"}'];
      expect(Object.keys(web["f:env"]).sort()).toEqual(['k:{"name":"LOG_LEVEL"}', 'k:{"name":"MODE"}']);
      expect(Object.keys(web["f:ports"])).toHaveLength(1);
    });
  });

  describe("two managers", () => {
    it("a second manager changing a field owned by the first gets a 409 conflict; nothing is written", async () => {
      const before = await get("deployment/shop");
      const res = await h.kubectl(["apply", "--server-side", "--field-manager=other", "-f", "-", "-v=6"], {
        stdin: replicasConfig(5),
        allowFail: true,
      });
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/PATCH https:\S+\/deployments\/shop\?\S*fieldManager=other\S* 409 Conflict/);
      expect(await get("deployment/shop")).toEqual(before);
      // An Apply manager is named without an API version (upstream's printManager).
      expect(res.stderr).toContain(`error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas\n`);
      expect(res.stderr).toContain(CONFLICT_ADVICE);
    });

    it("applying the same value is no conflict: the field is shared", async () => {
      await h.kubectl(["apply", "--server-side", "--field-manager=other", "-f", "-"], { stdin: replicasConfig(2) });
      const other = await entryOf("deployment/shop", "other");
      expect(other).toMatchObject({ operation: "Apply", apiVersion: "apps/v1" });
      expect(other?.fieldsV1).toEqual({ "f:spec": { "f:replicas": {} } });
      expect((await entryOf("deployment/shop", "kubectl"))?.fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    });

    it("--force-conflicts takes the field over: new value, ownership moves to the new manager", async () => {
      const res = await h.kubectl(["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"], {
        stdin: replicasConfig(5),
      });
      expect(res.stdout).toBe("deployment.apps/shop serverside-applied\n");
      const deploy = await get("deployment/shop");
      expect(deploy.spec.replicas).toBe(5);
      const byManager = Object.fromEntries(ownEntries(deploy.metadata.managedFields).map((e) => [e.manager, e]));
      expect(Object.keys(byManager).sort()).toEqual(["kubectl", "other"]);
      expect(byManager.other?.fieldsV1).toEqual({ "f:spec": { "f:replicas": {} } });
      expect(byManager.kubectl?.fieldsV1["f:spec"]["f:replicas"]).toBeUndefined();
      // The first manager still owns the rest.
      expect(byManager.kubectl?.fieldsV1["f:spec"]["f:template"]).toBeDefined();
    });

    it("after the takeover, the first manager's file conflicts with the new owner", async () => {
      const back = await h.kubectl(["apply", "--server-side", "-f", APP_V2], { allowFail: true });
      expect(back.code).toBe(1);
      expect(back.stderr).toContain(`error: Apply failed with 1 conflict: conflict with "other": .spec.replicas\n`);
      expect((await get("deployment/shop")).spec.replicas).toBe(5);
    });

    it("a conflict with an Update manager names it with its API version", async () => {
      await h.kubectl(["patch", "configmap", "shop-config", "--type", "merge", "-p", '{"data":{"colour":"red"}}']);
      const patcher = await entryOf("configmap/shop-config", "kubectl-patch");
      expect(patcher).toMatchObject({ operation: "Update", apiVersion: "v1" });
      expect(patcher?.fieldsV1).toEqual({ "f:data": { "f:colour": {} } });

      const configMap = {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "shop-config" },
        data: { colour: "green" },
      };
      const res = await h.kubectl(["apply", "--server-side", "-f", "-"], {
        stdin: JSON.stringify(configMap),
        allowFail: true,
      });
      expect(res.code).toBe(1);
      // Update managers are named with the API version they wrote through (no time: it is not part of the key).
      expect(res.stderr).toContain(
        `error: Apply failed with 1 conflict: conflict with "kubectl-patch" using v1: .data.colour\n`,
      );
      expect((await get("configmap/shop-config")).data.colour).toBe("red");
    });
  });

  describe("from client-side to server-side apply", () => {
    const NS = "migrate";

    it("switching keeps every field; the client-side manager's fields pass to kubectl", async () => {
      await createNamespace(NS);
      await h.kubectl(["apply", "-n", NS, "-f", APP]);
      const csa = await get("deployment/shop", NS);
      expect(ownEntries(csa.metadata.managedFields).map((e) => [e.manager, e.operation])).toEqual([
        ["kubectl-client-side-apply", "Update"],
      ]);

      const res = await h.kubectl(["apply", "--server-side", "-n", NS, "-f", APP]);
      expect(res.stdout).toBe(
        "deployment.apps/shop serverside-applied\nservice/shop serverside-applied\nconfigmap/shop-config serverside-applied\n",
      );
      const ssa = await get("deployment/shop", NS);
      expect(declared(ssa)).toEqual(declared(csa));
      const managers = ownEntries(ssa.metadata.managedFields)
        .map((e) => `${e.manager}/${e.operation}`)
        .sort();
      expect(managers).toEqual(["kubectl-last-applied/Apply", "kubectl/Apply"]);
      const lastApplied = await entryOf("deployment/shop", "kubectl-last-applied", NS);
      expect(lastApplied?.fieldsV1).toEqual({ "f:metadata": { "f:annotations": { [`f:${LAST_APPLIED}`]: {} } } });
      expect((await entryOf("deployment/shop", "kubectl", NS))?.fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    });

    it("after the switch, fields dropped from the file are removed (kubectl really owns them)", async () => {
      await h.kubectl(["apply", "--server-side", "-n", NS, "-f", APP_V2]);
      const deploy = await get("deployment/shop", NS);
      expect(deploy.metadata.labels).toEqual({ app: "shop" });
      const [container] = deploy.spec.template.spec.containers;
      expect(container.image).toBe("nginx:1.27");
      expect(container.ports).toEqual([{ containerPort: 80, name: "http", protocol: "TCP" }]);
      expect(container.env.map((e: Obj) => e.name)).toEqual(["MODE", "LOG_LEVEL"]);
      expect((await get("configmap/shop-config", NS)).data).toEqual({ greeting: "hello", colour: "green" });
    });
  });
});
