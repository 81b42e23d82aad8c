import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../../../kube/pod-types.ts";
import { appCreateOptions } from "./container-spec.ts";

const pod = { metadata: { name: "p", namespace: "default", uid: "u1" }, spec: { containers: [] } } as unknown as Pod;

const options = (container: Partial<Container>) =>
  appCreateOptions({
    nodeName: "n1",
    pod,
    container: { name: "main", image: "busybox:stable", ...container },
    kind: "app",
    attempt: 0,
    infraId: "infra",
    env: [],
    mounts: [],
  });

describe("appCreateOptions: interactive containers as the kubelet creates them", () => {
  it.each([
    ["plain", {}, { Tty: false, OpenStdin: false, StdinOnce: false }],
    ["stdin", { stdin: true }, { Tty: false, OpenStdin: true, StdinOnce: false }],
    ["stdin + stdinOnce", { stdin: true, stdinOnce: true }, { Tty: false, OpenStdin: true, StdinOnce: true }],
    ["kubectl run -i -t", { stdin: true, stdinOnce: true, tty: true }, { Tty: true, OpenStdin: true, StdinOnce: true }],
    // stdinOnce means nothing without stdin (there is no stdin to close).
    ["stdinOnce alone", { stdinOnce: true }, { Tty: false, OpenStdin: false, StdinOnce: false }],
    ["tty alone", { tty: true }, { Tty: true, OpenStdin: false, StdinOnce: false }],
  ] as const)("%s", (_, container, want) => {
    const got = options(container);
    expect({ Tty: got.Tty, OpenStdin: got.OpenStdin, StdinOnce: got.StdinOnce }).toEqual(want);
  });
});
