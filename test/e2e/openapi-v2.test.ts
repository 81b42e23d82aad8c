// Issue 20: /openapi/v2 as upstream serves it (JSON and gnostic protobuf, one ETag, 304 on If-None-Match).
// kubectl 1.27 reads it (in protobuf) for `explain --output=plaintext-openapiv2`. For `create --validate=true`
// kubectl 1.27 and 1.28 ask OpenAPI v3 whether the server validates fields (cli-runtime's QueryParamVerifierV3)
// and, since every PATCH lists fieldValidation there, leave it to the server, as against upstream's apiserver:
// the unknown field is refused with upstream's strict-decoding message and nothing is created.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const DIR = path.dirname(fs.realpathSync(requireKubectl()));
const OLD_BUILDS = ["kubectl.1.27", "kubectl.1.28"].map((name) => ({ name, path: path.join(DIR, name) }));

const manifest = (name: string, extra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
${extra}  containers:
  - name: app
    image: busybox:stable
    ports:
    - containerPort: 8080
    resources:
      limits:
        cpu: 1
        memory: 64Mi
`;

describe("OpenAPI v2", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("serves JSON and protobuf with one ETag, 304 on If-None-Match, 406 otherwise", async () => {
    const json = await h.api("/openapi/v2", { headers: { accept: "application/json" } });
    expect(json.status).toBe(200);
    expect(json.headers["content-type"]).toBe("application/json");
    const doc = JSON.parse(json.body);
    expect(doc.swagger).toBe("2.0");
    expect(doc.definitions["io.k8s.api.core.v1.Pod"]["x-kubernetes-group-version-kind"]).toEqual([
      { group: "", version: "v1", kind: "Pod" },
    ]);
    expect(doc.definitions["io.k8s.api.apps.v1.Deployment"].properties.spec.$ref).toBe(
      "#/definitions/io.k8s.api.apps.v1.DeploymentSpec",
    );
    const etag = json.headers.etag as string;
    expect(etag).toMatch(/^"[0-9A-F]{128}"$/);

    const proto = await h.api("/openapi/v2", {
      headers: { accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf" },
    });
    expect(proto.status).toBe(200);
    expect(proto.headers["content-type"]).toBe("application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
    expect(proto.headers.etag).toBe(etag);

    const again = await h.api("/openapi/v2", { headers: { accept: "application/json", "if-none-match": etag } });
    expect(again.status).toBe(304);
    const refused = await h.api("/openapi/v2", { headers: { accept: "text/html" } });
    expect(refused.status).toBe(406);
    expect(JSON.parse(refused.body)).toMatchObject({ kind: "Status", code: 406, reason: "NotAcceptable" });
  });

  it.each(OLD_BUILDS)("$name create --validate=true refuses an unknown field, passes a valid one", async (b) => {
    const bad = await h.kubectl(["create", "--validate=true", "-f", "-"], {
      binary: b.path,
      stdin: manifest(`bad-${b.name.replace(/\W/g, "")}`, "  foo: bar\n"),
      allowFail: true,
    });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.foo"',
    );
    expect((await h.kubectl(["get", "pods", "-o", "name"])).stdout).not.toContain("bad-");
    const name = `good-${b.name.replace(/\W/g, "")}`;
    const good = await h.kubectl(["create", "--validate=true", "-f", "-"], { binary: b.path, stdin: manifest(name) });
    expect(good.stdout).toContain(`pod/${name} created`);
  });

  it("kubectl.1.27 explain works from v3 and, asked to, from the v2 protobuf", async () => {
    const binary = OLD_BUILDS[0].path;
    const v3 = await h.kubectl(["explain", "pods.spec.containers.ports"], { binary });
    expect(v3.stdout).toContain("containerPort");
    expect(v3.stdout).toMatch(/KIND:\s+Pod/);
    const v2 = await h.kubectl(["explain", "deployments.spec.strategy", "--output=plaintext-openapiv2"], { binary });
    expect(v2.stdout).toMatch(/KIND:\s+Deployment/);
    expect(v2.stdout).toMatch(/RESOURCE:\s+strategy <Object>/);
    expect(v2.stdout).toContain("rollingUpdate");
  });
});
