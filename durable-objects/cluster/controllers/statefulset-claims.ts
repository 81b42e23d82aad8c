// A StatefulSet's claims (upstream stateful_set_utils.go getPersistentVolumeClaims and
// updateClaimOwnerRefForSetAndPod): one claim per volumeClaimTemplate and ordinal, named
// `<template>-<set>-<ordinal>`, labelled with the set's selector, and owned as
// persistentVolumeClaimRetentionPolicy says: by the set (whenDeleted: Delete) while the ordinal is in
// range, by the pod (whenScaled: Delete) once it is scaled away, so the garbage collector removes them.
import type { KubeObject, LooseObject, OwnerReference as OwnerRef } from "../../../kube/types.ts";

export const claimName = (template: LooseObject, setName: string, ordinal: number) =>
  `${template.metadata?.name}-${setName}-${ordinal}`;

/** The claims the set's pod at `ordinal` uses, as they are created. */
export function setClaims(set: KubeObject, ordinal: number): KubeObject[] {
  const templates: LooseObject[] = set.spec?.volumeClaimTemplates ?? [];
  const selectorLabels: Record<string, string> = set.spec?.selector?.matchLabels ?? {};
  return templates.map((t) => {
    const metadata: LooseObject = { ...structuredClone(t.metadata ?? {}) };
    metadata.name = claimName(t, set.metadata.name!, ordinal);
    metadata.namespace = set.metadata.namespace;
    metadata.labels = { ...(metadata.labels ?? {}), ...selectorLabels };
    return { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata, spec: structuredClone(t.spec ?? {}) };
  });
}

const controllerRef = (apiVersion: string, kind: string, owner: KubeObject): OwnerRef => ({
  apiVersion,
  kind,
  name: owner.metadata.name!,
  uid: owner.metadata.uid!,
  controller: true,
  blockOwnerDeletion: true,
});

/** The claim's owner references as the retention policy wants them for this pod of the set. */
export function retentionOwners(claim: KubeObject, set: KubeObject, pod: KubeObject, inRange: boolean): OwnerRef[] {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const deleteWithSet = policy.whenDeleted === "Delete";
  const deleteWhenScaled = policy.whenScaled === "Delete";
  const ours = (r: OwnerRef) =>
    (r.kind === "StatefulSet" && r.name === set.metadata.name) || (r.kind === "Pod" && r.name === pod.metadata.name);
  const kept: OwnerRef[] = (claim.metadata.ownerReferences ?? []).filter((r: OwnerRef) => !ours(r));
  const refs = [...kept];
  if (deleteWhenScaled && !inRange) refs.push(controllerRef("v1", "Pod", pod));
  else if (deleteWithSet) refs.push(controllerRef("apps/v1", "StatefulSet", set));
  return refs;
}
