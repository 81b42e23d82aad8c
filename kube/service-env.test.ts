import { describe, expect, it } from "vitest";
import { envVariableName, type ServiceEnvEntry, serviceEnvVars, servicesForPod } from "./service-env.ts";

describe("serviceEnvVars", () => {
  // Upstream's golden table (pkg/kubelet/envvars TestFromServices): host = cluster IP, ports as declared.
  const upstream: ServiceEnvEntry[] = [
    { name: "foo-bar", host: "1.2.3.4", ports: [{ port: 8080, protocol: "TCP" }] },
    {
      name: "abc-123",
      host: "5.6.7.8",
      ports: [
        { name: "u-d-p", port: 8081, protocol: "UDP" },
        { name: "t-c-p", port: 8081, protocol: "TCP" },
      ],
    },
    {
      name: "q-u-u-x",
      host: "9.8.7.6",
      ports: [
        { port: 8082, protocol: "TCP" },
        { name: "8083", port: 8083, protocol: "TCP" },
      ],
    },
    {
      name: "super-ipv6",
      host: "2001:DB8::",
      ports: [
        { name: "u-d-p", port: 8084, protocol: "UDP" },
        { name: "t-c-p", port: 8084, protocol: "TCP" },
      ],
    },
    { name: "sctp-1", host: "1.2.3.4", ports: [{ port: 777, protocol: "SCTP" }] },
  ];

  it("matches upstream's golden table", () => {
    expect(serviceEnvVars(upstream)).toEqual([
      ["FOO_BAR_SERVICE_HOST", "1.2.3.4"],
      ["FOO_BAR_SERVICE_PORT", "8080"],
      ["FOO_BAR_PORT", "tcp://1.2.3.4:8080"],
      ["FOO_BAR_PORT_8080_TCP", "tcp://1.2.3.4:8080"],
      ["FOO_BAR_PORT_8080_TCP_PROTO", "tcp"],
      ["FOO_BAR_PORT_8080_TCP_PORT", "8080"],
      ["FOO_BAR_PORT_8080_TCP_ADDR", "1.2.3.4"],
      ["ABC_123_SERVICE_HOST", "5.6.7.8"],
      ["ABC_123_SERVICE_PORT", "8081"],
      ["ABC_123_SERVICE_PORT_U_D_P", "8081"],
      ["ABC_123_SERVICE_PORT_T_C_P", "8081"],
      ["ABC_123_PORT", "udp://5.6.7.8:8081"],
      ["ABC_123_PORT_8081_UDP", "udp://5.6.7.8:8081"],
      ["ABC_123_PORT_8081_UDP_PROTO", "udp"],
      ["ABC_123_PORT_8081_UDP_PORT", "8081"],
      ["ABC_123_PORT_8081_UDP_ADDR", "5.6.7.8"],
      ["ABC_123_PORT_8081_TCP", "tcp://5.6.7.8:8081"],
      ["ABC_123_PORT_8081_TCP_PROTO", "tcp"],
      ["ABC_123_PORT_8081_TCP_PORT", "8081"],
      ["ABC_123_PORT_8081_TCP_ADDR", "5.6.7.8"],
      ["Q_U_U_X_SERVICE_HOST", "9.8.7.6"],
      ["Q_U_U_X_SERVICE_PORT", "8082"],
      ["Q_U_U_X_SERVICE_PORT_8083", "8083"],
      ["Q_U_U_X_PORT", "tcp://9.8.7.6:8082"],
      ["Q_U_U_X_PORT_8082_TCP", "tcp://9.8.7.6:8082"],
      ["Q_U_U_X_PORT_8082_TCP_PROTO", "tcp"],
      ["Q_U_U_X_PORT_8082_TCP_PORT", "8082"],
      ["Q_U_U_X_PORT_8082_TCP_ADDR", "9.8.7.6"],
      ["Q_U_U_X_PORT_8083_TCP", "tcp://9.8.7.6:8083"],
      ["Q_U_U_X_PORT_8083_TCP_PROTO", "tcp"],
      ["Q_U_U_X_PORT_8083_TCP_PORT", "8083"],
      ["Q_U_U_X_PORT_8083_TCP_ADDR", "9.8.7.6"],
      ["SUPER_IPV6_SERVICE_HOST", "2001:DB8::"],
      ["SUPER_IPV6_SERVICE_PORT", "8084"],
      ["SUPER_IPV6_SERVICE_PORT_U_D_P", "8084"],
      ["SUPER_IPV6_SERVICE_PORT_T_C_P", "8084"],
      ["SUPER_IPV6_PORT", "udp://[2001:DB8::]:8084"],
      ["SUPER_IPV6_PORT_8084_UDP", "udp://[2001:DB8::]:8084"],
      ["SUPER_IPV6_PORT_8084_UDP_PROTO", "udp"],
      ["SUPER_IPV6_PORT_8084_UDP_PORT", "8084"],
      ["SUPER_IPV6_PORT_8084_UDP_ADDR", "2001:DB8::"],
      ["SUPER_IPV6_PORT_8084_TCP", "tcp://[2001:DB8::]:8084"],
      ["SUPER_IPV6_PORT_8084_TCP_PROTO", "tcp"],
      ["SUPER_IPV6_PORT_8084_TCP_PORT", "8084"],
      ["SUPER_IPV6_PORT_8084_TCP_ADDR", "2001:DB8::"],
      ["SCTP_1_SERVICE_HOST", "1.2.3.4"],
      ["SCTP_1_SERVICE_PORT", "777"],
      ["SCTP_1_PORT", "sctp://1.2.3.4:777"],
      ["SCTP_1_PORT_777_SCTP", "sctp://1.2.3.4:777"],
      ["SCTP_1_PORT_777_SCTP_PROTO", "sctp"],
      ["SCTP_1_PORT_777_SCTP_PORT", "777"],
      ["SCTP_1_PORT_777_SCTP_ADDR", "1.2.3.4"],
    ]);
  });

  it("points values at the node-local listener while names keep the Service port", () => {
    const env = new Map(
      serviceEnvVars([
        { name: "web", host: "10.88.0.1", ports: [{ name: "http", port: 80, protocol: "TCP", reachAt: 40123 }] },
      ]),
    );
    expect(Object.fromEntries(env)).toEqual({
      WEB_SERVICE_HOST: "10.88.0.1",
      WEB_SERVICE_PORT: "40123",
      WEB_SERVICE_PORT_HTTP: "40123",
      WEB_PORT: "tcp://10.88.0.1:40123",
      WEB_PORT_80_TCP: "tcp://10.88.0.1:40123",
      WEB_PORT_80_TCP_PROTO: "tcp",
      WEB_PORT_80_TCP_PORT: "40123",
      WEB_PORT_80_TCP_ADDR: "10.88.0.1",
    });
  });

  it.each([
    ["no ports", { name: "a", host: "10.0.0.1", ports: [] }],
    ["no host (headless)", { name: "a", host: "", ports: [{ port: 80 }] }],
  ])("gives nothing for a service with %s", (_, service: ServiceEnvEntry) => {
    expect(serviceEnvVars([service])).toEqual([]);
  });

  it.each([
    ["web", "WEB"],
    ["my-svc-2", "MY_SVC_2"],
    ["a-b-c", "A_B_C"],
  ])("names %s as %s", (name, want) => expect(envVariableName(name)).toBe(want));
});

describe("servicesForPod", () => {
  const all = [
    { namespace: "default", name: "kubernetes", tag: "master" },
    { namespace: "default", name: "db", tag: "default-db" },
    { namespace: "team", name: "web", tag: "team-web" },
    { namespace: "team", name: "kubernetes", tag: "team-kubernetes" },
    { namespace: "other", name: "x", tag: "other-x" },
  ];
  const tags = (ns: string, links?: boolean) =>
    servicesForPod(all, ns, links)
      .map((s) => s.tag)
      .sort();

  it.each([
    ["default", true, ["default-db", "master"]],
    ["default", false, ["master"]],
    ["team", true, ["team-kubernetes", "team-web"]],
    ["team", false, ["master"]],
    ["other", undefined, ["master", "other-x"]],
    ["empty", true, ["master"]],
  ])("namespace %s with enableServiceLinks=%s → %j", (ns, links, want) => {
    expect(tags(ns, links as boolean | undefined)).toEqual(want);
  });
});
