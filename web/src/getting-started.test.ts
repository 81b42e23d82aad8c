import { describe, expect, it } from "vitest";
import { hasPrivateCa, joinCommand, kubeconfigFileName, shellQuote, tokenFromKubeconfig } from "./getting-started.ts";

const kubeconfig = `apiVersion: v1
kind: Config
clusters:
  - name: flotilla-demo
    cluster:
      server: https://127.0.0.1:8787/clusters/abc
      certificate-authority-data: LS0tLS1CRUdJTi==
users:
  - name: flotilla-demo-admin
    user:
      token: fltc_secret123
`;

describe("tokenFromKubeconfig", () => {
  it("finds the user's token", () => expect(tokenFromKubeconfig(kubeconfig)).toBe("fltc_secret123"));
  it("accepts a quoted token", () => expect(tokenFromKubeconfig('    token: "fltc_q"\n')).toBe("fltc_q"));
  it("is undefined without a token", () => expect(tokenFromKubeconfig("users: []\n")).toBeUndefined());
});

describe("hasPrivateCa", () => {
  it("sees the embedded CA", () => expect(hasPrivateCa(kubeconfig)).toBe(true));
  it("is false for a public certificate", () => expect(hasPrivateCa("server: https://x\n")).toBe(false));
});

describe("shellQuote", () => {
  const cases: [string, string][] = [
    ["fltc_abc-123", "fltc_abc-123"],
    ["https://h:8787/clusters/x", "https://h:8787/clusters/x"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
  ];
  for (const [input, want] of cases) it(input, () => expect(shellQuote(input)).toBe(want));
});

describe("joinCommand", () => {
  it("carries server and token, and the CA file for a private CA", () => {
    expect(joinCommand({ server: "https://h/clusters/x", joinToken: "fltc_j", privateCa: false })).toBe(
      "npx flotilla agent --server https://h/clusters/x --join-token fltc_j",
    );
    expect(joinCommand({ server: "https://h/clusters/x", joinToken: "fltc_j", privateCa: true })).toMatch(
      / --ca-file \.flotilla\/ca\.pem$/,
    );
  });
});

describe("kubeconfigFileName", () => {
  it("keeps DNS names and replaces the rest", () => {
    expect(kubeconfigFileName("demo-1")).toBe("demo-1-kubeconfig.yaml");
    expect(kubeconfigFileName("a/b")).toBe("a-b-kubeconfig.yaml");
  });
});
