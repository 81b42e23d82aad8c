/// <reference types="vite/client" />
// For workers tests of the Gateway API: the CRD fixture the e2e test applies with kubectl (read through Vite's
// `?raw`), installed into a cluster, and polling for what the controller writes.
import { parseAllDocuments } from "yaml";
import crds from "../../../test/e2e/fixtures/gateway-api-crds.yaml?raw";
import { kube } from "../../../worker/testing/tenants.ts";
import { until } from "../controllers/workers-helpers.ts";

import type { Json } from "../controllers/workers-helpers.ts";

export type { Json };

export const GW = "/apis/gateway.networking.k8s.io/v1";
const CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";

/** Creates the three CRDs and waits for the class `flotilla` the edge then offers, Accepted. */
export async function installGatewayApi(clusterId: string, token: string): Promise<Json> {
  for (const doc of parseAllDocuments(crds)) {
    const res = await kube(clusterId, token, "POST", CRDS, doc.toJS());
    if (res.status !== 201) throw new Error(`CRD: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return until(async () => {
    const res = await kube(clusterId, token, "GET", `${GW}/gatewayclasses/flotilla`);
    const accepted = res.body?.status?.conditions?.find((c: Json) => c.type === "Accepted");
    return accepted?.status === "True" ? res.body : undefined;
  }, "the GatewayClass flotilla, Accepted");
}

/** The object once `ok` holds for it. */
export function pollObject(clusterId: string, token: string, path: string, ok: (o: Json) => boolean): Promise<Json> {
  return until(async () => {
    const res = await kube(clusterId, token, "GET", path);
    return res.status === 200 && ok(res.body) ? res.body : undefined;
  }, `${path} to settle`);
}

export const condition = (conditions: Json[] | undefined, type: string) =>
  (conditions ?? []).find((c: Json) => c.type === type);
