// Request bodies as the API reads them: JSON and YAML as text, Kubernetes protobuf decoded to the same objects.
import { describe, expect, it } from "vitest";
import { StatusError } from "../../../kube/status.ts";
import { KUBECTL_BODIES } from "../../../kube/protobuf/testdata/kubectl-bodies.ts";
import { MAX_BODY_BYTES, mediaType, parseDocument, readBody } from "./decode.ts";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const post = (body: BodyInit, type: string) =>
  new Request("https://x/api/v1/namespaces/default/configmaps", {
    method: "POST",
    body,
    headers: { "content-type": type },
  });
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const read = async (req: Request) => parseDocument(await readBody(req), mediaType(req));

async function failure(p: Promise<unknown>): Promise<StatusError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StatusError);
  return err as StatusError;
}

describe("readBody and parseDocument", () => {
  it.each(KUBECTL_BODIES)("decodes the protobuf body of $command", async ({ body, expected }) => {
    expect(await read(post(fromBase64(body), PROTOBUF))).toEqual(expected);
  });

  it("keeps JSON and YAML as they were", async () => {
    expect(await readBody(post('{"a": 1}', "application/json"))).toBe('{"a": 1}');
    expect(await read(post("a: 1\n", "application/yaml"))).toEqual({ a: 1 });
  });

  it("answers 400 to a malformed protobuf body", async () => {
    const err = await failure(read(post(new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x09]), PROTOBUF)));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
    expect(err.message).toMatch(/^protobuf decode error: length 9 at offset 5 runs past the end/);
  });

  it("answers 400 to JSON sent as protobuf", async () => {
    const err = await failure(read(post('{"kind":"ConfigMap"}', PROTOBUF)));
    expect(err.message).toBe(
      'protobuf decode error: the body does not start with the Kubernetes protobuf prefix "k8s\\x00"',
    );
  });

  it("refuses a protobuf body over the limit before decoding it", async () => {
    const err = await failure(readBody(post(new Uint8Array(MAX_BODY_BYTES + 1), PROTOBUF)));
    expect(err.code).toBe(413);
  });

  it("names protobuf among the accepted media types", () => {
    expect(() => parseDocument("", "text/plain")).toThrow(
      "accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
    );
  });
});
