// For workers tests: a pod created in "default" through the write path, with one busybox container "c"
// unless the spec given says otherwise.
import type { KubeObject } from "../../../kube/types.ts";
import type { ApiContext } from "../context.ts";
import { createObject } from "../writes/create.ts";
import { SYSTEM_WRITE } from "../writes/options.ts";

export function createTestPod(ctx: ApiContext, name: string, spec: Record<string, unknown> = {}): KubeObject {
  return createObject(
    ctx,
    ctx.kinds.byResource("pods")!,
    "default",
    {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name },
      spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
    } as KubeObject,
    SYSTEM_WRITE,
  );
}
