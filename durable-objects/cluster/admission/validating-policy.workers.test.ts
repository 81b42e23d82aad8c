// ValidatingAdmissionPolicy through the real API inside workerd: CEL compiled at policy create (a bad
// expression is a 422 with its field path), upstream's denial (message, reason, code) that stores
// nothing, Warn as a Warning header, parameters from a ConfigMap, and a runaway expression bounded.
import { describe, expect, it } from "vitest";
import { deployment as workload, type Json, NS } from "../controllers/workers-helpers.ts";
import { type ClusterClient, newCluster } from "../testing/cluster-client.ts";

const AR = "/apis/admissionregistration.k8s.io/v1";
const DEPLOYMENTS = "/apis/apps/v1/namespaces/default/deployments";

const rules = [
  { apiGroups: ["apps"], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["deployments"] },
];

function policy(name: string, spec: Json): Json {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicy",
    metadata: { name },
    spec: { matchConstraints: { resourceRules: rules }, ...spec },
  };
}

function binding(name: string, policyName: string, spec: Json = {}): Json {
  return {
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "ValidatingAdmissionPolicyBinding",
    metadata: { name },
    spec: { policyName, validationActions: ["Deny"], ...spec },
  };
}

const deployment = (name: string, replicas: number) => workload(name, replicas, "busybox:stable");

async function make(c: ClusterClient, path: string, body: Json): Promise<void> {
  const res = await c.request("POST", path, body);
  expect(res.status, res.text).toBe(201);
}

describe("ValidatingAdmissionPolicy", () => {
  it("denies as upstream does, with the policy's reason and code, and stores nothing", async () => {
    const c = await newCluster();
    await make(
      c,
      `${AR}/validatingadmissionpolicies`,
      policy("max-replicas", { validations: [{ expression: "object.spec.replicas <= 5" }] }),
    );
    await make(c, `${AR}/validatingadmissionpolicybindings`, binding("max-replicas-binding", "max-replicas"));
    const refused = await c.request("POST", DEPLOYMENTS, deployment("big", 6));
    expect(refused.status).toBe(422);
    expect(refused.body.reason).toBe("Invalid");
    expect(refused.body.message).toBe(
      `deployments.apps "big" is forbidden: ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: failed expression: object.spec.replicas <= 5`,
    );
    expect((await c.request("GET", `${DEPLOYMENTS}/big`)).status).toBe(404);
    await make(c, DEPLOYMENTS, deployment("small", 3));
    // An update is checked too; a reason of Forbidden answers 403 with the messageExpression's text.
    await make(
      c,
      `${AR}/validatingadmissionpolicies`,
      policy("named", {
        validations: [
          {
            expression: "object.metadata.name != 'small' || object.spec.replicas < 3",
            reason: "Forbidden",
            messageExpression: "'too many: ' + string(object.spec.replicas)",
          },
        ],
      }),
    );
    await make(c, `${AR}/validatingadmissionpolicybindings`, binding("named-binding", "named"));
    const scaled = await c.request(
      "PATCH",
      `${DEPLOYMENTS}/small`,
      { spec: { replicas: 4 } },
      { "content-type": "application/merge-patch+json" },
    );
    expect(scaled.status).toBe(403);
    expect(scaled.body.message).toContain(
      "ValidatingAdmissionPolicy 'named' with binding 'named-binding' denied request: too many: 4",
    );
  });

  it("refuses a policy whose CEL does not compile, with the field path", async () => {
    const c = await newCluster();
    const res = await c.request(
      "POST",
      `${AR}/validatingadmissionpolicies`,
      policy("bad", { validations: [{ expression: "object.spec.replicas <=" }] }),
    );
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0].field).toBe("spec.validations[0].expression");
    expect(res.body.message).toContain("compilation failed");
    expect((await c.request("GET", `${AR}/validatingadmissionpolicies/bad`)).status).toBe(404);
  });

  it("warns for a Warn binding, and reads params from a ConfigMap", async () => {
    const c = await newCluster();
    await make(c, `${NS}/configmaps`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "limits" },
      data: { max: "2" },
    });
    await make(
      c,
      `${AR}/validatingadmissionpolicies`,
      policy("param-max", {
        paramKind: { apiVersion: "v1", kind: "ConfigMap" },
        validations: [{ expression: "object.spec.replicas <= int(params.data.max)", message: "over the limit" }],
      }),
    );
    await make(
      c,
      `${AR}/validatingadmissionpolicybindings`,
      binding("param-max-binding", "param-max", {
        validationActions: ["Warn"],
        paramRef: { name: "limits", parameterNotFoundAction: "Deny" },
      }),
    );
    const res = await c.request("POST", DEPLOYMENTS, deployment("warned", 3));
    expect(res.status).toBe(201);
    expect(res.headers.get("warning")).toContain(
      "Validation failed for ValidatingAdmissionPolicy 'param-max' with binding 'param-max-binding': over the limit",
    );
  });

  it("bounds an expression that would run for ages: the policy's failurePolicy decides, promptly", async () => {
    const c = await newCluster();
    const big = `[${Array.from({ length: 1000 }, (_, i) => i).join(",")}]`;
    await make(
      c,
      `${AR}/validatingadmissionpolicies`,
      policy("slow", { validations: [{ expression: `${big}.all(x, ${big}.all(y, ${big}.all(z, x + y + z >= 0)))` }] }),
    );
    await make(c, `${AR}/validatingadmissionpolicybindings`, binding("slow-binding", "slow"));
    const res = await c.request("POST", DEPLOYMENTS, deployment("any", 1));
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("resulted in error: operation cancelled: actual cost limit exceeded");
  });

  it("checks a delete with object null and oldObject the object going", async () => {
    const c = await newCluster();
    const cmRules = [{ apiGroups: [""], apiVersions: ["v1"], operations: ["DELETE"], resources: ["configmaps"] }];
    const guard = policy("keep", {
      validations: [{ expression: "object == null && oldObject.metadata.name != 'keep'" }],
    });
    guard.spec.matchConstraints.resourceRules = cmRules;
    await make(c, `${AR}/validatingadmissionpolicies`, guard);
    await make(c, `${AR}/validatingadmissionpolicybindings`, binding("keep-binding", "keep"));
    for (const name of ["keep", "drop"])
      await make(c, `${NS}/configmaps`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name } });
    const refused = await c.request("DELETE", `${NS}/configmaps/keep`);
    expect(refused.status).toBe(422);
    expect(refused.body.message).toBe(
      `configmaps "keep" is forbidden: ValidatingAdmissionPolicy 'keep' with binding 'keep-binding' denied request: failed expression: object == null && oldObject.metadata.name != 'keep'`,
    );
    expect((await c.request("GET", `${NS}/configmaps/keep`)).status).toBe(200);
    expect((await c.request("DELETE", `${NS}/configmaps/drop`)).status).toBe(200);
  });
});
