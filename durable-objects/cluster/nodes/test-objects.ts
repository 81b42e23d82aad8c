// Services and Endpoints as tests of what sync tells nodes build them (plain objects, no store).
import type { KubeObject } from "../../../kube/types.ts";

export const serviceObject = (namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { namespace, name },
  spec,
});

export const endpointsObject = (namespace: string, name: string, subsets: unknown[]): KubeObject => ({
  apiVersion: "v1",
  kind: "Endpoints",
  metadata: { namespace, name },
  subsets,
});
