import { expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { validateEphemeralContainersUpdate } from "./pod-ephemeral.ts";
import { pods } from "./pods.ts";

function stored(ephemeral: LooseObject[] = [], annotations?: Record<string, string>): KubeObject {
  const p: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", annotations },
    spec: { containers: [{ name: "app", image: "busybox" }], ephemeralContainers: ephemeral },
  };
  pods.prepareForCreate?.(p);
  pods.defaults?.(p);
  return p;
}

const specErrors = (p: KubeObject) => (pods.validate?.(p) ?? []).map(fieldErrorText);
const debug = { name: "debugger", image: "busybox", targetContainerName: "app", stdin: true, tty: true };

it("accepts a debug container as kubectl debug sends it, defaults filled", () => {
  const p = stored([debug]);
  expect(specErrors(p)).toEqual([]);
  expect(p.spec.ephemeralContainers[0]).toMatchObject({
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    imagePullPolicy: "Always",
  });
});

it("forbids what ephemeral containers may not have, with upstream's paths and words", () => {
  const p = stored([
    {
      ...debug,
      ports: [{ containerPort: 80 }],
      resources: { limits: { cpu: "1" } },
      readinessProbe: { exec: { command: ["true"] } },
      lifecycle: { preStop: { exec: { command: ["true"] } } },
    },
  ]);
  expect(specErrors(p)).toEqual([
    "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
    "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
    "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
    "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container",
  ]);
});

it("needs a name unique across all containers and a target that exists", () => {
  const p = stored([
    { name: "app", image: "busybox" },
    { name: "d", image: "busybox", targetContainerName: "nosuch" },
  ]);
  expect(specErrors(p)).toEqual([
    'spec.ephemeralContainers[0].name: Duplicate value: "app"',
    'spec.ephemeralContainers[1].targetContainerName: Not found: "nosuch"',
  ]);
});

it("lets entries be added, never removed or changed, and none on static pods", () => {
  const old = stored([debug]);
  const added = stored([debug, { name: "second", image: "busybox" }]);
  expect(validateEphemeralContainersUpdate(added, old)).toEqual([]);
  expect(validateEphemeralContainersUpdate(stored([]), old).map(fieldErrorText)).toEqual([
    'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed\n',
  ]);
  expect(validateEphemeralContainersUpdate(stored([{ ...debug, image: "alpine" }]), old).map(fieldErrorText)).toEqual([
    'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be changed\n',
  ]);
  const mirror = { "kubernetes.io/config.mirror": "x" };
  expect(validateEphemeralContainersUpdate(stored([debug], mirror), stored([], mirror)).map(fieldErrorText)).toEqual([
    ": Forbidden: static pods do not support ephemeral containers",
  ]);
});
