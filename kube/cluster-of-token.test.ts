import { describe, expect, it } from "vitest";
import { bearerToken, clusterIssuer, clusterOfToken, clusterToken } from "./cluster-of-token.ts";

const ID = "abcdefghijklmnopqrstuvwxyz";
const SECRET = "A-b_".repeat(10).concat("xyz");

function jwt(claims: unknown): string {
  const enc = (v: unknown) => btoa(JSON.stringify(v)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${enc({ alg: "RS256", kid: "k" })}.${enc(claims)}.c2lnbmF0dXJl`;
}

describe("clusterOfToken", () => {
  it("reads the cluster id of a cluster token, whose secret may itself hold '_'", () => {
    expect(SECRET).toHaveLength(43);
    expect(clusterOfToken(clusterToken(ID, SECRET))).toBe(ID);
  });

  it("reads the cluster of a JWT from its issuer, unverified", () => {
    expect(clusterOfToken(jwt({ iss: clusterIssuer("https://flotilla.example/", ID), sub: "x" }))).toBe(ID);
    expect(clusterOfToken(jwt({ iss: `https://h:8787/clusters/${ID}/` }))).toBe(ID);
  });

  it.each([
    ["an old token without a cluster", `fltc_${SECRET}`],
    ["a short secret", `fltc_${ID}_${SECRET.slice(1)}`],
    ["an upper-case id", `fltc_${ID.toUpperCase()}_${SECRET}`],
    ["an account token", `flta_${SECRET}`],
    ["empty", ""],
    ["upstream's issuer", jwt({ iss: "https://kubernetes.default.svc.cluster.local" })],
    ["an issuer with more path", jwt({ iss: `https://h/x/clusters/${ID}` })],
    ["an issuer that is no URL", jwt({ iss: `/clusters/${ID}` })],
    ["a numeric issuer", jwt({ iss: 5 })],
    ["claims that are no JSON", `e30.${btoa("{nope").replace(/=+$/, "")}.c2ln`],
    ["claims that are not base64url", "e30.%%%.c2ln"],
    ["a huge token", `${jwt({ iss: `https://h/clusters/${ID}` })}${"a".repeat(20_000)}`],
  ])("names no cluster for %s", (_, token) => {
    expect(clusterOfToken(token)).toBeUndefined();
  });
});

describe("bearerToken", () => {
  it("takes the token of a Bearer header, any case, trimmed", () => {
    expect(bearerToken("Bearer abc ")).toBe("abc");
    expect(bearerToken("bearer  abc")).toBe("abc");
    expect(bearerToken("Basic abc")).toBe("");
    expect(bearerToken(undefined)).toBe("");
  });
});
