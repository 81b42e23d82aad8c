// A container's securityContext as runtime options, the way the kubelet hands it to its runtime: capabilities
// added and dropped, no_new_privs when privilege escalation is off, the seccomp profile, and upstream's
// runAsNonRoot verification. What this node cannot give is a ContainerConfigError (the pod says why),
// never a container that runs with less isolation than it asked for.
import type { Container, Pod } from "../../../kube/pod-types.ts";
import { ContainerConfigError } from "../../pod/env.ts";

export interface SecurityOptions {
  CapAdd?: string[];
  CapDrop?: string[];
  SecurityOpt?: string[];
}

/** Kubernetes names capabilities without the CAP_ prefix; the runtime takes either. */
const capability = (name: string) => (name === "ALL" ? "ALL" : name.replace(/^CAP_/, ""));

export function securityOptionsOf(pod: Pod, container: Container): SecurityOptions {
  const sc = container.securityContext ?? {};
  const out: SecurityOptions = {};
  const add = sc.capabilities?.add ?? [];
  const drop = sc.capabilities?.drop ?? [];
  if (add.length > 0) out.CapAdd = add.map(capability);
  if (drop.length > 0) out.CapDrop = drop.map(capability);
  const opts: string[] = [];
  // The kubelet sets no_new_privs unless escalation is allowed (explicitly, or implied by privileged/CAP_SYS_ADMIN).
  if (sc.allowPrivilegeEscalation === false) opts.push("no-new-privileges");
  const seccomp = sc.seccompProfile ?? pod.spec.securityContext?.seccompProfile;
  if (seccomp?.type === "Unconfined") opts.push("seccomp=unconfined");
  else if (seccomp?.type === "Localhost")
    throw new ContainerConfigError(`seccomp profile type Localhost is not supported on this node`);
  if (opts.length > 0) out.SecurityOpt = opts;
  return out;
}

const podRef = (pod: Pod) => `"${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid ?? ""})"`;

/**
 * The kubelet's verifyRunAsNonRoot: with runAsNonRoot, a container must not run as uid 0, whether its
 * runAsUser or its image says so; an image user that is a name cannot be verified and is refused too.
 */
export function verifyRunAsNonRoot(pod: Pod, container: Container, imageUser: string | undefined): void {
  const sc = container.securityContext;
  const nonRoot = sc?.runAsNonRoot ?? pod.spec.securityContext?.runAsNonRoot;
  if (nonRoot !== true) return;
  const uid = sc?.runAsUser ?? pod.spec.securityContext?.runAsUser;
  const where = `(pod: ${podRef(pod)}, container: ${container.name})`;
  if (uid !== undefined) {
    if (uid === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    return;
  }
  const user = (imageUser ?? "").split(":")[0];
  if (user === "" || user === "0")
    throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
  if (!/^\d+$/.test(user))
    throw new ContainerConfigError(
      `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${where}`,
    );
}
