// The Pod Security Standards' checks as upstream's pod-security-admission states them (policy/check_*.go):
// each a level, an id, whether a restricted check covers it (overlap: run at baseline only), and a function
// from the pod spec to a violation with upstream's reason and detail wording. Adding a check is adding an
// entry here.
// Not checked yet: seLinuxOptions, appArmorProfile and Windows host processes.
import type { Container, PodSpec } from "../../../kube/pod-types.ts";

export type Level = "privileged" | "baseline" | "restricted";

export interface Violation {
  reason: string;
  detail: string;
}

export interface Check {
  id: string;
  level: Exclude<Level, "privileged">;
  /** A baseline check that a restricted one covers: evaluated at the baseline level only. */
  overlap?: boolean;
  check(spec: PodSpec): Violation | undefined;
}

const quote = (names: Iterable<string>) => [...names].map((n) => JSON.stringify(n)).join(", ");
const plural = (one: string, many: string, n: number) => (n === 1 ? one : many);
const containersText = (names: string[]) => `${plural("container", "containers", names.length)} ${quote(names)}`;
const sorted = (values: Set<string>) => [...values].sort();

function allContainers(spec: PodSpec): Container[] {
  const ephemeral = (spec as { ephemeralContainers?: Container[] }).ephemeralContainers ?? [];
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...ephemeral];
}

/** Containers for which `bad` holds, by name. */
const containersWhere = (spec: PodSpec, bad: (c: Container) => boolean) =>
  allContainers(spec)
    .filter(bad)
    .map((c) => c.name);

const BASELINE_CAPABILITIES = new Set([
  "AUDIT_WRITE",
  "CHOWN",
  "DAC_OVERRIDE",
  "FOWNER",
  "FSETID",
  "KILL",
  "MKNOD",
  "NET_BIND_SERVICE",
  "SETFCAP",
  "SETGID",
  "SETPCAP",
  "SETUID",
  "SYS_CHROOT",
]);

const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
]);

const RESTRICTED_VOLUME_SOURCES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Containers adding capabilities outside `allowed`, and which ones they add. */
function addedCapabilities(spec: PodSpec, allowed: (cap: string) => boolean) {
  const caps = new Set<string>();
  const names = containersWhere(spec, (c) => {
    const bad = (c.securityContext?.capabilities?.add ?? []).filter((cap) => !allowed(cap));
    for (const cap of bad) caps.add(cap);
    return bad.length > 0;
  });
  return { names, caps };
}

/**
 * The shape runAsNonRoot and seccompProfile share: the pod or a container sets a bad value explicitly
 * ("must not set"), or a container sets nothing and the pod sets no good value ("pod or … must set").
 */
function podOrContainers(
  spec: PodSpec,
  field: (sc: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } } | undefined) => string | undefined,
  good: (value: string) => boolean,
) {
  const badValues = new Set<string>();
  const setters: string[] = [];
  const podValue = field(spec.securityContext);
  if (podValue !== undefined && !good(podValue)) {
    setters.push("pod");
    badValues.add(podValue);
  }
  const podGood = podValue !== undefined && good(podValue);
  const explicit: string[] = [];
  const implicit: string[] = [];
  for (const c of allContainers(spec)) {
    const value = field(c.securityContext);
    if (value === undefined) {
      if (!podGood) implicit.push(c.name);
    } else if (!good(value)) {
      explicit.push(c.name);
      badValues.add(value);
    }
  }
  if (explicit.length > 0) setters.push(containersText(explicit));
  return { setters, implicit, badValues };
}

export const CHECKS: readonly Check[] = [
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    check(spec) {
      const names = containersWhere(spec, (c) => c.securityContext?.allowPrivilegeEscalation !== false);
      if (names.length === 0) return undefined;
      return {
        reason: "allowPrivilegeEscalation != false",
        detail: `${containersText(names)} must set securityContext.allowPrivilegeEscalation=false`,
      };
    },
  },
  {
    id: "capabilities_baseline",
    level: "baseline",
    overlap: true,
    check(spec) {
      const { names, caps } = addedCapabilities(spec, (cap) => BASELINE_CAPABILITIES.has(cap));
      if (names.length === 0) return undefined;
      return {
        reason: "non-default capabilities",
        detail: `${containersText(names)} must not include ${quote(sorted(caps))} in securityContext.capabilities.add`,
      };
    },
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    check(spec) {
      const missingDrop = containersWhere(spec, (c) => !(c.securityContext?.capabilities?.drop ?? []).includes("ALL"));
      const { names, caps } = addedCapabilities(spec, (cap) => cap === "NET_BIND_SERVICE");
      const details: string[] = [];
      if (missingDrop.length > 0)
        details.push(`${containersText(missingDrop)} must set securityContext.capabilities.drop=["ALL"]`);
      if (names.length > 0)
        details.push(
          `${containersText(names)} must not include ${quote(sorted(caps))} in securityContext.capabilities.add`,
        );
      return details.length > 0 ? { reason: "unrestricted capabilities", detail: details.join("; ") } : undefined;
    },
  },
  {
    id: "hostNamespaces",
    level: "baseline",
    check(spec) {
      const used = (["hostIPC", "hostNetwork", "hostPID"] as const).filter((f) => spec[f] === true);
      return used.length > 0 ? { reason: "host namespaces", detail: used.join(", ") } : undefined;
    },
  },
  {
    id: "hostPathVolumes",
    level: "baseline",
    overlap: true,
    check(spec) {
      const names = (spec.volumes ?? []).filter((v) => v.hostPath).map((v) => v.name);
      if (names.length === 0) return undefined;
      return { reason: "hostPath volumes", detail: `${plural("volume", "volumes", names.length)} ${quote(names)}` };
    },
  },
  {
    id: "hostPorts",
    level: "baseline",
    check(spec) {
      const ports = new Set<string>();
      const names = containersWhere(spec, (c) => {
        const used = (c.ports ?? []).filter((p) => (p.hostPort ?? 0) !== 0);
        for (const p of used) ports.add(String(p.hostPort));
        return used.length > 0;
      });
      if (names.length === 0) return undefined;
      return {
        reason: "hostPort",
        detail: `${containersText(names)} ${plural("uses", "use", names.length)} ${plural("hostPort", "hostPorts", ports.size)} ${sorted(ports).join(", ")}`,
      };
    },
  },
  {
    id: "privileged",
    level: "baseline",
    check(spec) {
      const names = containersWhere(spec, (c) => c.securityContext?.privileged === true);
      if (names.length === 0) return undefined;
      return { reason: "privileged", detail: `${containersText(names)} must not set securityContext.privileged=true` };
    },
  },
  {
    id: "procMount",
    level: "baseline",
    check(spec) {
      const values = new Set<string>();
      const names = containersWhere(spec, (c) => {
        const mount = c.securityContext?.procMount;
        if (mount === undefined || mount === "Default") return false;
        values.add(mount);
        return true;
      });
      if (names.length === 0) return undefined;
      return {
        reason: "procMount",
        detail: `${containersText(names)} must not set securityContext.procMount to ${quote(sorted(values))}`,
      };
    },
  },
  {
    id: "restrictedVolumes",
    level: "restricted",
    check(spec) {
      const types = new Set<string>();
      const names: string[] = [];
      for (const volume of spec.volumes ?? []) {
        const sources = Object.keys(volume).filter((k) => k !== "name");
        const bad = sources.filter((k) => !RESTRICTED_VOLUME_SOURCES.has(k));
        if (bad.length === 0) continue;
        names.push(volume.name);
        for (const k of bad) types.add(k);
      }
      if (names.length === 0) return undefined;
      return {
        reason: "restricted volume types",
        detail: `${plural("volume", "volumes", names.length)} ${quote(names)} ${plural("uses", "use", names.length)} ${plural("restricted volume type", "restricted volume types", types.size)} ${quote(sorted(types))}`,
      };
    },
  },
  {
    id: "runAsNonRoot",
    level: "restricted",
    check(spec) {
      const { setters, implicit } = podOrContainers(
        spec,
        (sc) => (sc?.runAsNonRoot === undefined ? undefined : String(sc.runAsNonRoot)),
        (v) => v === "true",
      );
      if (setters.length > 0)
        return {
          reason: "runAsNonRoot != true",
          detail: `${setters.join(" and ")} must not set securityContext.runAsNonRoot=false`,
        };
      if (implicit.length > 0)
        return {
          reason: "runAsNonRoot != true",
          detail: `pod or ${containersText(implicit)} must set securityContext.runAsNonRoot=true`,
        };
      return undefined;
    },
  },
  {
    id: "runAsUser",
    level: "restricted",
    check(spec) {
      const setters = spec.securityContext?.runAsUser === 0 ? ["pod"] : [];
      const names = containersWhere(spec, (c) => c.securityContext?.runAsUser === 0);
      if (names.length > 0) setters.push(containersText(names));
      return setters.length > 0
        ? { reason: "runAsUser=0", detail: `${setters.join(" and ")} must not set runAsUser=0` }
        : undefined;
    },
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    overlap: true,
    check(spec) {
      const setters = spec.securityContext?.seccompProfile?.type === "Unconfined" ? ["pod"] : [];
      const names = containersWhere(spec, (c) => c.securityContext?.seccompProfile?.type === "Unconfined");
      if (names.length > 0) setters.push(containersText(names));
      if (setters.length === 0) return undefined;
      return {
        reason: "seccompProfile",
        detail: `${setters.join(" and ")} must not set securityContext.seccompProfile.type to "Unconfined"`,
      };
    },
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    check(spec) {
      const { setters, implicit, badValues } = podOrContainers(
        spec,
        (sc) => (sc?.seccompProfile ? (sc.seccompProfile.type ?? "") : undefined),
        (v) => v === "RuntimeDefault" || v === "Localhost",
      );
      if (setters.length > 0)
        return {
          reason: "seccompProfile",
          detail: `${setters.join(" and ")} must not set securityContext.seccompProfile.type to ${quote(sorted(badValues))}`,
        };
      if (implicit.length > 0)
        return {
          reason: "seccompProfile",
          detail: `pod or ${containersText(implicit)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        };
      return undefined;
    },
  },
  {
    id: "sysctls",
    level: "baseline",
    check(spec) {
      const bad = (spec.securityContext?.sysctls ?? []).map((s) => s.name).filter((n) => !SAFE_SYSCTLS.has(n));
      return bad.length > 0 ? { reason: "forbidden sysctls", detail: bad.join(", ") } : undefined;
    },
  },
];
