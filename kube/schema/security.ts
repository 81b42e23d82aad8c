// core/v1 security settings of containers and pods.
import { atomicList, boolean, core, type Definitions, enumOf, int64, object, ref, type Schema, string } from "./dsl.ts";

/** Fields that exist both per container and per pod; the container's value wins. */
const sharedFields = (scope: string): Record<string, Schema> => ({
  seLinuxOptions: ref(core("SELinuxOptions"), `The SELinux context applied to ${scope}. Not for Windows.`),
  windowsOptions: ref(core("WindowsSecurityContextOptions"), `Windows-specific settings for ${scope}.`),
  runAsUser: int64(`The user ID that runs the entrypoint of ${scope}; defaults to the image's user. Not for Windows.`),
  runAsGroup: int64(`The primary group ID of the process of ${scope}; defaults to the runtime's default.`),
  runAsNonRoot: boolean(`When true the kubelet refuses to start ${scope} if it would run as user 0 (root).`),
  seccompProfile: ref(core("SeccompProfile"), `The seccomp filter applied to ${scope}.`),
  appArmorProfile: ref(core("AppArmorProfile"), `The AppArmor profile applied to ${scope}.`),
});

const profile = (what: string, types: string[]): Schema =>
  object(
    {
      type: enumOf(types, `Which ${what} profile applies: ${types.join(", ")}.`),
      localhostProfile: string(`For type Localhost: the profile's path or name as loaded on the node.`),
    },
    `A ${what} profile.`,
    { required: ["type"] },
  );

export const securityDefinitions: Definitions = {
  [core("SecurityContext")]: object(
    {
      capabilities: ref(core("Capabilities"), "Linux capabilities to add to or drop from the runtime's defaults."),
      privileged: boolean("Run as privileged: equivalent to root on the host. Defaults to false."),
      ...sharedFields("the container"),
      readOnlyRootFilesystem: boolean("Mount the container's root file system read-only. Defaults to false."),
      allowPrivilegeEscalation: boolean(
        "Whether a process may gain more privileges than its parent (no_new_privs off). Always true when privileged or with CAP_SYS_ADMIN.",
      ),
      procMount: enumOf(
        ["Default", "Unmasked"],
        "How /proc is mounted: Default masks and read-only paths, or Unmasked.",
      ),
    },
    "Security settings of one container.",
  ),
  [core("PodSecurityContext")]: object(
    {
      ...sharedFields("all containers of the pod"),
      supplementalGroups: atomicList(
        int64(),
        "Extra group IDs added to the first process of every container, besides its primary group.",
      ),
      supplementalGroupsPolicy: enumOf(
        ["Merge", "Strict"],
        "How supplementary groups are computed: Merge (the default) also adds groups from the image's /etc/group; Strict uses only the listed ones.",
      ),
      fsGroup: int64(
        "A group ID that owns the pod's volumes where supported: files get this group and the setgid bit, and it is added to every container's groups.",
      ),
      fsGroupChangePolicy: enumOf(
        ["Always", "OnRootMismatch"],
        "When volume ownership is changed to fsGroup: Always (the default) or OnRootMismatch (only when the root directory does not match).",
      ),
      sysctls: atomicList(ref(core("Sysctl")), "Namespaced kernel parameters set for the pod."),
      seLinuxChangePolicy: string(
        "How the SELinux label is applied to volumes: MountOption (fast, by mount option) or Recursive (relabel every file).",
      ),
    },
    "Security settings for all containers of a pod; a container's own securityContext takes precedence.",
  ),
  [core("Capabilities")]: object(
    {
      add: atomicList(string(), "Capabilities to add, such as NET_ADMIN."),
      drop: atomicList(string(), "Capabilities to remove, such as ALL."),
    },
    "Linux capabilities added to and removed from a container.",
  ),
  [core("SELinuxOptions")]: object(
    {
      user: string("The SELinux user label."),
      role: string("The SELinux role label."),
      type: string("The SELinux type label."),
      level: string("The SELinux level label."),
    },
    "SELinux labels for a container.",
  ),
  [core("WindowsSecurityContextOptions")]: object(
    {
      gmsaCredentialSpecName: string("Name of the GMSA credential spec to use."),
      gmsaCredentialSpec: string("The contents of the GMSA credential spec named by gmsaCredentialSpecName."),
      runAsUserName: string("The Windows user that runs the entrypoint."),
      hostProcess: boolean("Run as a Windows HostProcess container; all containers of the pod must agree."),
    },
    "Windows-specific security settings.",
  ),
  [core("SeccompProfile")]: profile("seccomp", ["Localhost", "RuntimeDefault", "Unconfined"]),
  [core("AppArmorProfile")]: profile("AppArmor", ["Localhost", "RuntimeDefault", "Unconfined"]),
  [core("Sysctl")]: object(
    { name: string("The kernel parameter to set."), value: string("Its value.") },
    "A kernel parameter.",
    { required: ["name", "value"] },
  ),
};
