import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../../../kube/pod-types.ts";
import { appCreateOptions, infraCreateOptions } from "./container-spec.ts";

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

describe("the pod's hostname in every container", () => {
  const withSpec = (spec: Partial<Pod["spec"]>) => ({ ...pod, spec: { ...pod.spec, ...spec } }) as Pod;

  it("the infra container carries the pod's hostname (its FQDN with setHostnameAsFQDN); hostNetwork the node's", () => {
    expect(infraCreateOptions("n1", pod).Hostname).toBe("p");
    const fqdn = withSpec({ hostname: "db-0", subdomain: "db", setHostnameAsFQDN: true });
    expect(infraCreateOptions("n1", fqdn).Hostname).toBe("db-0.db.default.svc.cluster.local");
    const host = infraCreateOptions("n1", withSpec({ hostNetwork: true }));
    expect(host.Hostname).toBeUndefined();
    expect(host.HostConfig?.UTSMode).toBe("host");
  });

  it("app containers join the UTS namespace they are given and mount the pod's files", () => {
    const got = appCreateOptions({
      nodeName: "n1",
      pod,
      container: { name: "main", image: "busybox:stable" },
      kind: "app",
      attempt: 0,
      infraId: "infra",
      env: [],
      mounts: [{ source: "/pods/u1/etc-hosts", target: "/etc/hosts", readOnly: false }],
      utsMode: "container:infra",
    });
    expect(got.HostConfig).toMatchObject({ UTSMode: "container:infra", Binds: ["/pods/u1/etc-hosts:/etc/hosts"] });
    expect(options({}).HostConfig?.UTSMode).toBeUndefined();
  });
});
