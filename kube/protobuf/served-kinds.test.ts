// Every kind the server serves, and every body its subresources and DELETE take, must decode from protobuf:
// a kind added to the registry without regenerating the tables (scripts/protobuf-messages.ts) fails here.
import { describe, expect, it } from "vitest";
import { allKinds } from "../../durable-objects/cluster/registry/index.ts";
import { apiVersionOf } from "../../durable-objects/cluster/registry/lookup.ts";
import { decodeKubernetesProtobuf, ProtobufError } from "./decode.ts";
import { MESSAGES, messageFor } from "./messages.ts";
import { bytes, envelope, message } from "./testdata/encode.ts";

const served = allKinds
  .filter((k) => k.protobuf !== false)
  .map((k) => ({ apiVersion: apiVersionOf(k), kind: k.kind, resource: k }));

describe("protobuf bodies of everything served", () => {
  it.each(served)("$apiVersion $kind has a message", ({ apiVersion, kind }) => {
    const name = messageFor(apiVersion, kind);
    expect(name && MESSAGES[name], `${kind} in ${apiVersion}`).toBeTruthy();
    // ObjectMeta is field 1 of every kind: a body naming the object decodes to it.
    const out = decodeKubernetesProtobuf(envelope(apiVersion, kind, message(1, bytes(1, "x"))));
    expect(out.object).toMatchObject({ apiVersion, kind, metadata: { name: "x" } });
  });

  it.each(served.filter((s) => s.resource.subresources))(
    "$apiVersion $kind: its subresources' bodies",
    ({ resource }) => {
      const sub = resource.subresources ?? {};
      if (sub.scale) expect(messageFor("autoscaling/v1", "Scale")).toBe("Scale");
      if (sub.eviction) expect(messageFor("policy/v1", "Eviction")).toBe("Eviction");
      if (sub.binding) expect(messageFor("v1", "Binding")).toBe("Binding");
    },
  );

  it.each([...new Set(served.map((s) => s.apiVersion)), "meta.k8s.io/v1"])("DeleteOptions under %s", (apiVersion) => {
    // DeleteOptions: 1 gracePeriodSeconds (*int64), 4 propagationPolicy (*string).
    const raw = new Uint8Array([0x08, 0x00, ...bytes(4, "Background")]);
    const out = decodeKubernetesProtobuf(envelope(apiVersion, "DeleteOptions", raw));
    expect(out.object).toEqual({
      apiVersion,
      kind: "DeleteOptions",
      gracePeriodSeconds: 0,
      propagationPolicy: "Background",
    });
  });

  it("refuses options under a group version not served, as upstream's scheme does", () => {
    expect(() => decodeKubernetesProtobuf(envelope("example.com/v1", "DeleteOptions", new Uint8Array()))).toThrow(
      new ProtobufError("no protobuf schema for DeleteOptions in example.com/v1"),
    );
  });
});
