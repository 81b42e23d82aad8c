// OpenAPI v3 as kubectl uses it: `kubectl explain` reads field documentation from it, and kubectl's default
// validation (`--validate=strict`) leaves unknown and duplicate fields to the server's strict field validation.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const FIXTURES = path.join(import.meta.dirname, "fixtures", "declarative");
const MISSPELT = path.join(FIXTURES, "misspelt.yaml");
const UNKNOWN_IMAGEE = 'unknown field "spec.template.spec.containers[0].imagee"';

/** `kubectl explain`'s FIELDS section: each field's name, type and description (indented lines under it). */
function explainFields(stdout: string): Map<string, { type: string; description: string }> {
  const fields = new Map<string, { type: string; description: string }>();
  const section = stdout.split(/^FIELDS:$/m)[1] ?? "";
  let current: { type: string; description: string } | undefined;
  for (const line of section.split("\n")) {
    const header = /^ {2}(\S+)\t<(.+)>( -required-)?$/.exec(line);
    if (header?.[1] && header[2]) {
      current = { type: header[2], description: "" };
      fields.set(header[1], current);
    } else if (current && line.startsWith("    ")) current.description += `${line.trim()} `;
  }
  return fields;
}

/** A deployment with a valid container, plus a misspelt extra field in it when `typo`. */
function deployment(name: string, typo = true): string {
  const container = { name: "web", image: "nginx:1.27", ...(typo ? { imagee: "nginx:1.28" } : {}) };
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [container] },
      },
    },
  });
}

describe("kubectl explain and strict field validation", () => {
  let h: Harness;
  const deployments = async (): Promise<string> =>
    (await h.kubectl(["get", "deployments", "-o", "name"], { allowFail: true })).stdout;

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  describe("kubectl explain", () => {
    it("deployment.spec.strategy.rollingUpdate: the field, its type and its documented fields", async () => {
      const res = await h.kubectl(["explain", "deployment.spec.strategy.rollingUpdate"], { allowFail: true });
      expect(res.stderr).toBe("");
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(
        /^GROUP: +apps\nKIND: +Deployment\nVERSION: +v1\n\nFIELD: rollingUpdate <RollingUpdateDeployment>\n/,
      );
      expect(res.stdout).toMatch(/^DESCRIPTION:\n {4}\S.*\n/m);
      const fields = explainFields(res.stdout);
      expect([...fields.keys()]).toEqual(["maxSurge", "maxUnavailable"]);
      for (const [name, field] of fields) {
        expect(field.type, name).toBe("IntOrString");
        // Both are documented as a number or a percentage of the desired pods, as upstream's are.
        expect(field.description, name).toMatch(/percentage/);
      }
    });

    it("a whole kind: its top-level fields with their types", async () => {
      const res = await h.kubectl(["explain", "deployment"]);
      const fields = explainFields(res.stdout);
      expect([...fields.entries()].map(([name, f]) => `${name} <${f.type}>`)).toEqual([
        "apiVersion <string>",
        "kind <string>",
        "metadata <ObjectMeta>",
        "spec <DeploymentSpec>",
        "status <DeploymentStatus>",
      ]);
      for (const [name, field] of fields) expect(field.description.trim(), name).not.toBe("");
    });

    it("a core leaf field: pod.spec.containers.image <string> with a description", async () => {
      const res = await h.kubectl(["explain", "pod.spec.containers.image"]);
      expect(res.stdout).toMatch(/^KIND: +Pod\nVERSION: +v1\n\nFIELD: image <string>\n/);
      expect(res.stdout).toMatch(/^DESCRIPTION:\n {4}\S/m);
    });

    it("a field that does not exist: kubectl says so", async () => {
      const res = await h.kubectl(["explain", "deployment.spec.nope"], { allowFail: true });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe('error: field "nope" does not exist\n');
    });
  });

  describe("field validation", () => {
    it("kubectl create -f with a misspelt field fails with upstream's strict decoding error; nothing is created", async () => {
      const res = await h.kubectl(["create", "-f", MISSPELT], { allowFail: true });
      expect(res.code).toBe(1);
      expect(res.stderr).toBe(
        `Error from server (BadRequest): error when creating "${MISSPELT}": Deployment in version "v1" cannot be ` +
          `handled as a Deployment: strict decoding error: ${UNKNOWN_IMAGEE}\n`,
      );
      expect(await deployments()).not.toContain("misspelt");
    });

    it("kubectl apply -f of a misspelt change to an existing object is refused and changes nothing", async () => {
      await h.kubectl(["create", "-f", "-"], { stdin: deployment("kept", false) });
      const before = (await h.kubectl(["get", "deployment", "kept", "-o", "json"])).stdout;
      const res = await h.kubectl(["apply", "-f", "-"], { stdin: deployment("kept"), allowFail: true });
      expect(res.code).toBe(1);
      // Upstream answers a patch that fails strict decoding with 422 Invalid on the field "patch"
      // (apiserver patch handler), which kubectl prints as "The request is invalid".
      expect(res.stderr).toContain("The request is invalid: patch: Invalid value:");
      expect(res.stderr).toContain(`strict decoding error: ${UNKNOWN_IMAGEE}`);
      expect((await h.kubectl(["get", "deployment", "kept", "-o", "json"])).stdout).toBe(before);
    });

    it("--validate=warn: created, with the server's warning and without the unknown field", async () => {
      const res = await h.kubectl(["create", "--validate=warn", "-f", "-"], { stdin: deployment("warned") });
      expect(res.stdout).toBe("deployment.apps/warned created\n");
      expect(res.stderr).toBe(`Warning: ${UNKNOWN_IMAGEE}\n`);
      const stored = JSON.parse((await h.kubectl(["get", "deployment", "warned", "-o", "json"])).stdout);
      expect(stored.spec.template.spec.containers[0].image).toBe("nginx:1.27");
      expect(stored.spec.template.spec.containers[0]).not.toHaveProperty("imagee");
    });

    it("--validate=false: created silently, the unknown field dropped", async () => {
      const res = await h.kubectl(["create", "--validate=false", "-f", "-"], { stdin: deployment("ignored") });
      expect(res.stdout).toBe("deployment.apps/ignored created\n");
      expect(res.stderr).toBe("");
      const stored = JSON.parse((await h.kubectl(["get", "deployment", "ignored", "-o", "json"])).stdout);
      expect(stored.spec.template.spec.containers[0]).not.toHaveProperty("imagee");
    });

    it("a duplicate field with fieldValidation=Strict: 400 strict decoding error (raw HTTPS)", async () => {
      const res = await h.api("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1"},"data":{"b":"2"}}',
      });
      expect(res.status, res.body).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({
        kind: "Status",
        reason: "BadRequest",
        code: 400,
        message:
          'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data"',
      });
      const after = await h.api("/api/v1/namespaces/default/configmaps/dup");
      expect(after.status).toBe(404);
    });
  });
});
