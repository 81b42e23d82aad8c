import { describe, expect, it } from "vitest";
import { fieldErrorText } from "../../../kube/field-errors.ts";
import type { KubeObject, LooseObject } from "../../../kube/types.ts";
import { podTemplates } from "./podtemplates.ts";

function make(template: LooseObject): KubeObject {
  const o: KubeObject = { apiVersion: "v1", kind: "PodTemplate", metadata: { name: "t" }, template };
  podTemplates.defaults?.(o);
  return o;
}

describe("pod templates", () => {
  it("defaults the template's pod spec", () => {
    const t = make({ spec: { containers: [{ name: "c", image: "busybox" }] } });
    expect((t.template as LooseObject).spec).toMatchObject({ restartPolicy: "Always", dnsPolicy: "ClusterFirst" });
  });

  it("validates the template as a pod template (ValidatePodTemplate)", () => {
    const t = make({ metadata: { labels: { "bad key!": "x" } }, spec: { containers: [{ name: "c" }] } });
    expect((podTemplates.validate?.(t) ?? []).map(fieldErrorText)).toEqual([
      expect.stringMatching(/^template\.labels: Invalid value: "bad key!": /),
      "template.spec.containers[0].image: Required value",
    ]);
  });

  it("prints NAME CONTAINERS IMAGES POD LABELS, none of them wide", () => {
    const t = make({
      metadata: { labels: { app: "web" } },
      spec: {
        containers: [
          { name: "a", image: "nginx" },
          { name: "b", image: "busybox" },
        ],
      },
    });
    expect(podTemplates.columns.map((c) => [c.name, c.priority, c.cell(t, { now: 0 })])).toEqual([
      ["Containers", 0, "a,b"],
      ["Images", 0, "nginx,busybox"],
      ["Pod Labels", 0, "app=web"],
    ]);
  });
});
