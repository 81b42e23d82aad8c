// core/v1 pod volumes and their sources. The common sources are modelled field by field; the
// legacy in-tree cloud and network drivers are accepted as free-form objects.
import {
  atomicList,
  boolean,
  core,
  type Definitions,
  enumOf,
  int64,
  integer,
  object,
  preserveUnknown,
  quantity,
  ref,
  type Schema,
  string,
  stringMap,
} from "./dsl.ts";

const mode = (what: string) =>
  integer(
    `Permission bits for ${what}, an octal value from 0000 to 0777 (decimal in JSON). Defaults to 0644; may conflict with fsGroup.`,
  );

const itemsOf = (what: string) =>
  atomicList(
    ref(core("KeyToPath")),
    `Which keys of the ${what} to project and where; without it every key becomes a file named after the key.`,
  );

const legacy = (what: string) => preserveUnknown(`${what} (not modelled here; accepted as written).`);

const readOnly = boolean("Mount read-only; defaults to false.");

export const volumeDefinitions: Definitions = {
  [core("Volume")]: object(
    {
      name: string("The volume's name, a DNS label unique within the pod; containers mount it by this name."),
      emptyDir: ref(core("EmptyDirVolumeSource"), "A scratch directory that lives as long as the pod."),
      hostPath: ref(core("HostPathVolumeSource"), "A file or directory of the node. Use with care."),
      configMap: ref(core("ConfigMapVolumeSource"), "The keys of a config map as files."),
      secret: ref(core("SecretVolumeSource"), "The keys of a secret as files."),
      persistentVolumeClaim: ref(
        core("PersistentVolumeClaimVolumeSource"),
        "A persistent volume claim of the namespace.",
      ),
      projected: ref(
        core("ProjectedVolumeSource"),
        "Several sources (secrets, config maps, downward API, tokens) in one directory.",
      ),
      downwardAPI: ref(core("DownwardAPIVolumeSource"), "Fields of the pod as files."),
      nfs: ref(core("NFSVolumeSource"), "An NFS export."),
      csi: ref(core("CSIVolumeSource"), "An ephemeral volume of a CSI driver."),
      ephemeral: ref(
        core("EphemeralVolumeSource"),
        "A volume provisioned by a claim that lives and dies with the pod.",
      ),
      image: ref(core("ImageVolumeSource"), "The contents of an OCI image or artifact, read-only."),
      iscsi: legacy("An iSCSI disk"),
      gitRepo: legacy("Deprecated: a git repository cloned into the directory"),
      fc: legacy("A Fibre Channel disk"),
      awsElasticBlockStore: legacy("Deprecated: an AWS EBS disk"),
      gcePersistentDisk: legacy("Deprecated: a GCE persistent disk"),
      azureDisk: legacy("Deprecated: an Azure data disk"),
      azureFile: legacy("Deprecated: an Azure file share"),
      cinder: legacy("Deprecated: an OpenStack Cinder volume"),
      cephfs: legacy("Deprecated: a CephFS mount"),
      rbd: legacy("Deprecated: a Ceph RBD image"),
      glusterfs: legacy("Removed: a GlusterFS mount"),
      flexVolume: legacy("Deprecated: a FlexVolume driver"),
      flocker: legacy("Deprecated: a Flocker dataset"),
      vsphereVolume: legacy("Deprecated: a vSphere disk"),
      quobyte: legacy("Deprecated: a Quobyte mount"),
      photonPersistentDisk: legacy("Deprecated: a Photon disk"),
      portworxVolume: legacy("Deprecated: a Portworx volume"),
      scaleIO: legacy("Deprecated: a ScaleIO volume"),
      storageos: legacy("Deprecated: a StorageOS volume"),
    },
    "A named volume of a pod that containers can mount. Exactly one source is set.",
    { required: ["name"] },
  ),
  [core("EmptyDirVolumeSource")]: object(
    {
      medium: string('Where the directory is stored: "" for the node\'s default storage, or Memory for a tmpfs.'),
      sizeLimit: quantity("The most space the directory may use; the pod is evicted when it exceeds it."),
    },
    "An empty directory created when the pod starts and removed when it ends.",
  ),
  [core("HostPathVolumeSource")]: object(
    {
      path: string("The path on the node; a symlink is resolved to its target."),
      type: enumOf(
        ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"],
        'What must exist at path: "" (no check), DirectoryOrCreate, Directory, FileOrCreate, File, Socket, CharDevice or BlockDevice.',
      ),
    },
    "A file or directory of the node, mounted into the pod.",
    { required: ["path"] },
  ),
  [core("ConfigMapVolumeSource")]: object(
    {
      name: string("Name of the config map in the pod's namespace."),
      items: itemsOf("config map"),
      defaultMode: mode("the files"),
      optional: boolean("Whether the config map or the listed keys may be missing."),
    },
    "A config map projected as files, one per key.",
  ),
  [core("SecretVolumeSource")]: object(
    {
      secretName: string("Name of the secret in the pod's namespace."),
      items: itemsOf("secret"),
      defaultMode: mode("the files"),
      optional: boolean("Whether the secret or the listed keys may be missing."),
    },
    "A secret projected as files, one per key.",
  ),
  [core("KeyToPath")]: object(
    {
      key: string("The key to project."),
      path: string("The relative file path to write the key to; must not contain '..'."),
      mode: mode("this file"),
    },
    "Maps one key to a file path.",
    { required: ["key", "path"] },
  ),
  [core("PersistentVolumeClaimVolumeSource")]: object(
    {
      claimName: string("Name of the persistent volume claim in the pod's namespace."),
      readOnly,
    },
    "Mounts the volume bound to a persistent volume claim.",
    { required: ["claimName"] },
  ),
  [core("DownwardAPIVolumeSource")]: object(
    {
      items: atomicList(ref(core("DownwardAPIVolumeFile")), "The files to create."),
      defaultMode: mode("the files"),
    },
    "Information about the pod itself as files.",
  ),
  [core("DownwardAPIVolumeFile")]: object(
    {
      path: string("The relative file path to create; must not contain '..'."),
      fieldRef: ref(core("ObjectFieldSelector"), "A pod field: metadata.name, namespace, labels, annotations or uid."),
      resourceFieldRef: ref(core("ResourceFieldSelector"), "A container's resource limit or request."),
      mode: mode("this file"),
    },
    "One file of pod information.",
    { required: ["path"] },
  ),
  [core("ProjectedVolumeSource")]: object(
    {
      sources: atomicList(ref(core("VolumeProjection")), "The sources to combine."),
      defaultMode: mode("the files"),
    },
    "Several volume sources projected into one directory.",
  ),
  [core("VolumeProjection")]: object(
    {
      secret: ref(core("SecretProjection"), "Keys of a secret."),
      configMap: ref(core("ConfigMapProjection"), "Keys of a config map."),
      downwardAPI: ref(core("DownwardAPIProjection"), "Fields of the pod."),
      serviceAccountToken: ref(core("ServiceAccountTokenProjection"), "A token of the pod's service account."),
      clusterTrustBundle: preserveUnknown(
        "Certificates of ClusterTrustBundle objects (not modelled; accepted as written).",
      ),
    },
    "One source of a projected volume; exactly one field is set.",
  ),
  [core("SecretProjection")]: object(
    { name: string("Name of the secret."), items: itemsOf("secret"), optional: boolean("Whether it may be missing.") },
    "Keys of a secret in a projected volume.",
  ),
  [core("ConfigMapProjection")]: object(
    {
      name: string("Name of the config map."),
      items: itemsOf("config map"),
      optional: boolean("Whether it may be missing."),
    },
    "Keys of a config map in a projected volume.",
  ),
  [core("DownwardAPIProjection")]: object(
    { items: atomicList(ref(core("DownwardAPIVolumeFile")), "The files to create.") },
    "Pod information in a projected volume.",
  ),
  [core("ServiceAccountTokenProjection")]: object(
    {
      audience: string("The audience the token is for; defaults to the API server's identifier."),
      expirationSeconds: int64(
        "Requested validity in seconds; the kubelet refreshes the token before it expires. Minimum 600, default 3600.",
      ),
      path: string("The file path, relative to the mount point, to write the token to."),
    },
    "A service account token written to a file.",
    { required: ["path"] },
  ),
  [core("NFSVolumeSource")]: object(
    {
      server: string("Host name or IP address of the NFS server."),
      path: string("The exported path."),
      readOnly,
    },
    "An NFS mount.",
    { required: ["server", "path"] },
  ),
  [core("CSIVolumeSource")]: object(
    {
      driver: string("The name of the CSI driver."),
      readOnly,
      fsType: string("File system type, such as ext4; passed to the driver."),
      volumeAttributes: stringMap("Driver-specific settings."),
      nodePublishSecretRef: ref(core("LocalObjectReference"), "A secret with credentials for the driver."),
    },
    "An inline ephemeral volume provided by a CSI driver.",
    { required: ["driver"] },
  ),
  [core("EphemeralVolumeSource")]: object(
    {
      volumeClaimTemplate: ref(
        core("PersistentVolumeClaimTemplate"),
        "The claim to create for the pod, named <pod>-<volume>; it is deleted with the pod.",
      ),
    },
    "A volume from a claim created for, and owned by, the pod.",
  ),
  [core("PersistentVolumeClaimTemplate")]: object(
    {
      metadata: ref("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Labels and annotations copied to the claim."),
      spec: ref(core("PersistentVolumeClaimSpec"), "The claim's specification."),
    },
    "A template for a persistent volume claim.",
    { required: ["spec"] },
  ),
  [core("ImageVolumeSource")]: object(
    {
      reference: string("The image or artifact to mount, as for a container image."),
      pullPolicy: enumOf(["Always", "IfNotPresent", "Never"], "When to pull it, as for containers."),
    },
    "An OCI image or artifact mounted read-only.",
  ),
  [core("LocalObjectReference")]: object(
    { name: string("Name of the object in the same namespace.") },
    "A reference to an object in the same namespace.",
    { mapType: "atomic" },
  ),
};

/** Helper exported for claim specs elsewhere. */
export const accessModes: Schema = atomicList(
  string(),
  "How the volume may be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.",
);
