// Issue 20's ValidatingAdmissionPolicy with the real kubectl: the Kubernetes docs' example (replicas <= 5 on
// deployments, bound in Deny to namespaces labelled environment=test) refuses 6 replicas with upstream's message
// and stores nothing while 3 pass; a Warn binding prints `Warning:`; parameters from a ConfigMap; a policy whose
// CEL does not compile is refused at create; an expression that would run for ages fails quickly.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, requireKubectl, startHarness } from "./harness.ts";

const docsExample = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: "demo-policy.example.com"
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - apiGroups:   ["apps"]
      apiVersions: ["v1"]
      operations:  ["CREATE", "UPDATE"]
      resources:   ["deployments"]
  validations:
    - expression: "object.spec.replicas <= 5"
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: "demo-binding-test.example.com"
spec:
  policyName: "demo-policy.example.com"
  validationActions: [Deny]
  matchResources:
    namespaceSelector:
      matchLabels:
        environment: test
`;

/** A policy on deployment creates in namespaces labelled scenario=<scenario>, and its binding. */
function scoped(name: string, scenario: string, validation: string, bindingSpec: string, policySpec = ""): string {
  return `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: ${name}
spec:
${policySpec}  matchConstraints:
    resourceRules:
    - apiGroups: ["apps"]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["deployments"]
  validations:
${validation}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: ${name}-binding
spec:
  policyName: ${name}
${bindingSpec}
  matchResources:
    namespaceSelector:
      matchLabels:
        scenario: ${scenario}
`;
}

describe("ValidatingAdmissionPolicy with the real kubectl", () => {
  let h: Harness;
  const run = (args: string[], stdin?: string) => h.kubectl(args, { allowFail: true, stdin });
  const create = (...args: string[]) => run(["create", "deployment", ...args]);
  const namespace = async (name: string, label: string) => {
    expect((await run(["create", "namespace", name])).code).toBe(0);
    expect((await run(["label", "namespace", name, label])).code).toBe(0);
  };

  beforeAll(async () => {
    requireKubectl();
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("the docs' example: 6 replicas refused with upstream's message and nothing stored, 3 admitted", async () => {
    const applied = await run(["apply", "-f", "-"], docsExample);
    expect(applied.stdout, applied.stderr).toBe(
      "validatingadmissionpolicy.admissionregistration.k8s.io/demo-policy.example.com created\n" +
        "validatingadmissionpolicybinding.admissionregistration.k8s.io/demo-binding-test.example.com created\n",
    );
    await namespace("vap-test", "environment=test");
    const refused = await create("x", "--image=busybox:stable", "--replicas=6", "-n", "vap-test");
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(
      `deployments.apps "x" is forbidden: ValidatingAdmissionPolicy 'demo-policy.example.com' with binding 'demo-binding-test.example.com' denied request: failed expression: object.spec.replicas <= 5`,
    );
    expect((await run(["get", "deployment", "x", "-n", "vap-test"])).stderr).toContain('"x" not found');
    const admitted = await create("x", "--image=busybox:stable", "--replicas=3", "-n", "vap-test");
    expect(admitted.stdout, admitted.stderr).toBe("deployment.apps/x created\n");
    // The binding's namespaceSelector: elsewhere six replicas are fine.
    const elsewhere = await create("x", "--image=busybox:stable", "--replicas=6", "-n", "default");
    expect(elsewhere.stdout, elsewhere.stderr).toBe("deployment.apps/x created\n");
    const listed = await run(["get", "validatingadmissionpolicies"]);
    expect(listed.stdout).toMatch(/^NAME\s+VALIDATIONS\s+PARAMKIND\s+AGE\ndemo-policy\.example\.com\s+1\s+<unset>/m);
  });

  it("a Warn binding prints Warning: and admits", async () => {
    await namespace("vap-warn", "scenario=warn");
    const yaml = scoped(
      "no-latest",
      "warn",
      `  - expression: "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))"
    message: "images must not use the latest tag"`,
      "  validationActions: [Warn]",
    );
    expect((await run(["apply", "-f", "-"], yaml)).code).toBe(0);
    const res = await create("w", "--image=busybox:latest", "-n", "vap-warn");
    expect(res.stdout, res.stderr).toBe("deployment.apps/w created\n");
    expect(res.stderr).toContain(
      "Warning: Validation failed for ValidatingAdmissionPolicy 'no-latest' with binding 'no-latest-binding': images must not use the latest tag",
    );
  });

  it("takes its parameters from a ConfigMap named by the binding's paramRef", async () => {
    await namespace("vap-params", "scenario=params");
    expect((await run(["create", "configmap", "replica-limit", "--from-literal=max=2", "-n", "vap-params"])).code).toBe(
      0,
    );
    const yaml = scoped(
      "replica-limit",
      "params",
      `  - expression: "object.spec.replicas <= int(params.data.max)"
    messageExpression: "'at most ' + params.data.max + ' replicas'"`,
      `  validationActions: [Deny]
  paramRef:
    name: replica-limit
    parameterNotFoundAction: Deny`,
      "  paramKind:\n    apiVersion: v1\n    kind: ConfigMap\n",
    );
    expect((await run(["apply", "-f", "-"], yaml)).code).toBe(0);
    const refused = await create("p", "--image=busybox:stable", "--replicas=3", "-n", "vap-params");
    expect(refused.stderr).toContain("with binding 'replica-limit-binding' denied request: at most 2 replicas");
    expect((await create("p", "--image=busybox:stable", "--replicas=2", "-n", "vap-params")).code).toBe(0);
  });

  it("refuses a policy whose expression does not compile, with the field path", async () => {
    const yaml = scoped("broken", "broken", `  - expression: "object.spec.replicas <="`, "  validationActions: [Deny]");
    const res = await run(["apply", "-f", "-"], yaml);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      'The ValidatingAdmissionPolicy "broken" is invalid: spec.validations[0].expression: Invalid value: "object.spec.replicas <=": compilation failed:',
    );
    expect((await run(["get", "validatingadmissionpolicy", "broken"])).code).not.toBe(0);
  });

  it("a policy that would evaluate a billion times fails quickly under failurePolicy Fail", async () => {
    await namespace("vap-slow", "scenario=slow");
    const big = `[${Array.from({ length: 1000 }, (_, i) => i).join(",")}]`;
    const yaml = scoped(
      "explode",
      "slow",
      `  - expression: "${big}.all(x, ${big}.all(y, ${big}.all(z, x + y + z >= 0)))"`,
      "  validationActions: [Deny]",
    );
    expect((await run(["apply", "-f", "-"], yaml)).code).toBe(0);
    const res = await create("s", "--image=busybox:stable", "-n", "vap-slow");
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain(
      "ValidatingAdmissionPolicy 'explode' with binding 'explode-binding' denied request: expression",
    );
    expect(res.stderr).toContain("resulted in error: operation cancelled: actual cost limit exceeded");
  });
});
