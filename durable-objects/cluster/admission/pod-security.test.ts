// The Pod Security levels against upstream's wording: the message kubectl prints for `kubectl run nginx`
// in a restricted namespace (as upstream's docs show it), baseline's checks, and a pod that passes both.
import { describe, expect, it } from "vitest";
import type { PodSpec } from "../../../kube/pod-types.ts";
import { violations } from "./pod-security.ts";

const plain: PodSpec = { containers: [{ name: "nginx", image: "nginx" }] };

const hardened: PodSpec = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
  containers: [
    {
      name: "app",
      image: "busybox:stable",
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, runAsUser: 1000 },
    },
  ],
};

describe("Pod Security levels", () => {
  it("restricted lists every violation of a plain pod, in upstream's order and words", () => {
    expect(violations("restricted", plain)).toEqual([
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false)',
      'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"])',
      'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true)',
      'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    ]);
    expect(violations("baseline", plain)).toEqual([]);
    expect(violations("privileged", plain)).toEqual([]);
  });

  it("a pod that drops all capabilities and runs as non-root passes restricted", () => {
    expect(violations("restricted", hardened)).toEqual([]);
  });

  it("baseline refuses privileged containers, host namespaces, hostPath, host ports, added capabilities", () => {
    const spec: PodSpec = {
      hostNetwork: true,
      hostPID: true,
      volumes: [{ name: "root", hostPath: { path: "/" } }],
      containers: [
        {
          name: "a",
          securityContext: { privileged: true, capabilities: { add: ["NET_ADMIN", "CHOWN", "SYS_TIME"] } },
          ports: [{ containerPort: 80, hostPort: 8080 }],
        },
        { name: "b", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } },
      ],
    };
    expect(violations("baseline", spec)).toEqual([
      "host namespaces (hostNetwork, hostPID)",
      'hostPort (container "a" uses hostPort 8080)',
      'privileged (container "a" must not set securityContext.privileged=true)',
      'non-default capabilities (containers "a", "b" must not include "NET_ADMIN", "SYS_ADMIN", "SYS_TIME" in securityContext.capabilities.add)',
      'hostPath volumes (volume "root")',
    ]);
  });

  it("restricted runs baseline's uncovered checks first, then its own in place of the covered ones", () => {
    const spec: PodSpec = {
      ...hardened,
      volumes: [{ name: "root", hostPath: { path: "/" } }],
      securityContext: { runAsNonRoot: false, seccompProfile: { type: "Unconfined" } },
    };
    expect(violations("restricted", spec)).toEqual([
      'restricted volume types (volume "root" uses restricted volume type "hostPath")',
      "runAsNonRoot != true (pod must not set securityContext.runAsNonRoot=false)",
      'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    ]);
    expect(violations("baseline", spec)).toEqual([
      'hostPath volumes (volume "root")',
      'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
    ]);
  });
});
