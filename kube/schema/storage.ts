// core/v1 PersistentVolume and storage.k8s.io/v1 StorageClass (PersistentVolumeClaim is in
// statefulset.ts, beside the claim templates that use it). The sources a node can serve (hostPath,
// local) are modelled field by field; network and cloud sources are accepted as written.
import {
  array,
  atomicList,
  boolean,
  core,
  type Definitions,
  enumOf,
  kindObject,
  map,
  object,
  preserveUnknown,
  quantity,
  ref,
  string,
  stringMap,
  time,
} from "./dsl.ts";

const storage = (t: string) => `io.k8s.api.storage.v1.${t}`;

const accessModes = atomicList(
  string(),
  "How the volume may be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
);
const legacy = (what: string) => preserveUnknown(`${what} (not modelled here; accepted as written).`);
const LEGACY_SOURCES = [
  "awsElasticBlockStore",
  "azureDisk",
  "azureFile",
  "cephfs",
  "cinder",
  "fc",
  "flexVolume",
  "flocker",
  "gcePersistentDisk",
  "glusterfs",
  "iscsi",
  "nfs",
  "photonPersistentDisk",
  "portworxVolume",
  "quobyte",
  "rbd",
  "scaleIO",
  "storageos",
  "vsphereVolume",
  "csi",
] as const;

export const storageDefinitions: Definitions = {
  [core("PersistentVolume")]: kindObject(
    { group: "", version: "v1", kind: "PersistentVolume" },
    "A piece of storage in the cluster, provisioned by an administrator or by a storage class; claims bind to it.",
    {
      spec: ref(core("PersistentVolumeSpec"), "What the volume is and who may use it."),
      status: ref(core("PersistentVolumeStatus"), "The volume's observed state. Read-only."),
    },
  ),
  [core("PersistentVolumeSpec")]: object(
    {
      capacity: map(quantity(), "The volume's size, as storage: 10Gi."),
      accessModes,
      claimRef: ref(core("ObjectReference"), "The claim bound to this volume, or reserved for it."),
      persistentVolumeReclaimPolicy: enumOf(
        ["Delete", "Recycle", "Retain"],
        "What happens when its claim goes: Retain (the default for volumes made by hand), Delete or Recycle.",
      ),
      storageClassName: string("The class the volume belongs to; claims of that class only may bind it."),
      mountOptions: atomicList(string(), "Mount options, not validated."),
      volumeMode: enumOf(["Block", "Filesystem"], "Filesystem (the default) or Block for a raw device."),
      nodeAffinity: ref(core("VolumeNodeAffinity"), "The nodes the volume can be reached from."),
      volumeAttributesClassName: string("The VolumeAttributesClass the volume belongs to."),
      hostPath: ref(core("HostPathVolumeSource"), "A directory of one node; for single-node tests."),
      local: ref(core("LocalVolumeSource"), "A directory or disk of one node; needs nodeAffinity."),
      ...Object.fromEntries(LEGACY_SOURCES.map((s) => [s, legacy(`The ${s} volume source`)])),
    },
    "The specification of a persistent volume.",
  ),
  [core("LocalVolumeSource")]: object(
    {
      path: string("The full path of the directory or device on the node."),
      fsType: string("The filesystem of a block device; empty for a directory."),
    },
    "A local disk or directory of a node.",
    { required: ["path"] },
  ),
  [core("VolumeNodeAffinity")]: object(
    { required: ref(core("NodeSelector"), "The nodes the volume can be used from.") },
    "The nodes a persistent volume can be reached from.",
  ),
  [core("PersistentVolumeStatus")]: object(
    {
      phase: string("Pending, Available, Bound, Released or Failed."),
      message: string("Why the volume is in this phase, for people."),
      reason: string("Why the volume is in this phase, in CamelCase."),
      lastPhaseTransitionTime: time("When the phase last changed."),
    },
    "The observed state of a persistent volume.",
  ),
  [storage("StorageClass")]: kindObject(
    { group: "storage.k8s.io", version: "v1", kind: "StorageClass" },
    "A class of storage: which provisioner makes volumes for claims of the class, and how.",
    {
      provisioner: string("The provisioner that makes the class's volumes."),
      parameters: stringMap("Provisioner-specific settings; immutable."),
      reclaimPolicy: enumOf(["Delete", "Retain"], "The reclaim policy of provisioned volumes; defaults to Delete."),
      mountOptions: atomicList(string(), "Mount options of provisioned volumes."),
      allowVolumeExpansion: boolean("Whether claims of the class may grow."),
      volumeBindingMode: enumOf(
        ["Immediate", "WaitForFirstConsumer"],
        "When claims are bound and provisioned: Immediate (the default) or once a pod using them is scheduled.",
      ),
      allowedTopologies: array(
        ref(core("TopologySelectorTerm")),
        "Where volumes may be provisioned; empty means anywhere.",
        { listType: "atomic" },
      ),
    },
    { required: ["provisioner"] },
  ),
  [core("TopologySelectorTerm")]: object(
    {
      matchLabelExpressions: atomicList(
        ref(core("TopologySelectorLabelRequirement")),
        "Label requirements, all of which must hold.",
      ),
    },
    "A topology term: the requirements are ANDed.",
  ),
  [core("TopologySelectorLabelRequirement")]: object(
    {
      key: string("The label key."),
      values: atomicList(string(), "Values, one of which the label must have."),
    },
    "A topology label requirement.",
    { required: ["key", "values"] },
  ),
};
