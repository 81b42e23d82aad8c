// Bad input on every /v1 route — wrong types, missing and unknown fields, huge bodies (declared
// or streamed), invalid JSON and UTF-8, wrong content types — is a 4xx JSON error, never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import {
  call,
  createCluster,
  randomAddress,
  type Reply,
  signup,
  type Tenant,
  type TenantCluster,
} from "../testing/tenants.ts";
import { MAX_BODY_BYTES } from "./body.ts";

let tenant: Tenant;
let cluster: TenantCluster;
beforeAll(async () => {
  tenant = await signup();
  cluster = await createCluster(tenant);
});

function expectJsonError(res: Reply, status?: number): void {
  expect(res.status, res.text).toBeGreaterThanOrEqual(400);
  expect(res.status, res.text).toBeLessThan(500);
  if (status !== undefined) expect(res.status, res.text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(typeof res.body.error?.code).toBe("string");
  expect(typeof res.body.error?.message).toBe("string");
}

/** Routes that read a JSON body, with a valid body for each (to show the route itself works). */
const bodyRoutes = () => [
  { path: "/v1/signup", auth: false, valid: { email: "x@example.com", password: "long enough password" } },
  { path: "/v1/login", auth: false, valid: { email: "x@example.com", password: "long enough password" } },
  { path: "/v1/clusters", auth: true, valid: { name: "valid-name" } },
  { path: `/v1/clusters/${cluster.id}/tokens`, auth: true, valid: { role: "view" } },
  { path: `/v1/clusters/${cluster.id}/kubeconfig`, auth: true, valid: { role: "view" } },
];

function post(path: string, auth: boolean, body: BodyInit | undefined, headers: Record<string, string>) {
  return call("POST", path, {
    body,
    token: auth ? tenant.token : undefined,
    headers: { "cf-connecting-ip": randomAddress(), ...headers },
  });
}

const JSON_TYPE = { "content-type": "application/json" };

function streamOf(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= bytes) return controller.close();
      const chunk = new Uint8Array(Math.min(4096, bytes - sent)).fill(0x20);
      sent += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
}

const badBodies: [string, () => BodyInit | undefined, Record<string, string>, number][] = [
  ["invalid JSON", () => "{not json", JSON_TYPE, 400],
  ["truncated JSON", () => '{"name": "x"', JSON_TYPE, 400],
  ["a JSON array", () => "[]", JSON_TYPE, 400],
  ["JSON null", () => "null", JSON_TYPE, 400],
  ["a JSON string", () => '"x"', JSON_TYPE, 400],
  ["a JSON number", () => "42", JSON_TYPE, 400],
  ["invalid UTF-8", () => new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), JSON_TYPE, 400],
  ["text/plain", () => '{"name":"x"}', { "content-type": "text/plain" }, 415],
  ["form encoding", () => "name=x", { "content-type": "application/x-www-form-urlencoded" }, 415],
  ["no content type", () => '{"name":"x"}', { "content-type": "" }, 415],
  ["a declared huge body", () => "x".repeat(MAX_BODY_BYTES + 1), JSON_TYPE, 413],
  ["a streamed huge body (no length)", () => streamOf(10 * MAX_BODY_BYTES), JSON_TYPE, 413],
  ["a 5 MB body", () => `{"name":"${"a".repeat(5 * 1024 * 1024)}"}`, JSON_TYPE, 413],
];

describe("every /v1 body route refuses malformed bodies", () => {
  it("accepts the valid body (the routes themselves work)", async () => {
    for (const route of bodyRoutes()) {
      const res = await post(route.path, route.auth, JSON.stringify(route.valid), JSON_TYPE);
      expect(res.status, `${route.path}: ${res.text}`).toBeLessThan(500);
      if (route.auth) expect(res.status, `${route.path}: ${res.text}`).toBe(201);
    }
  });

  for (const [what, body, headers, status] of badBodies)
    it(`${what} → ${status}`, async () => {
      for (const route of bodyRoutes()) {
        const res = await post(route.path, route.auth, body(), headers);
        expectJsonError(res, status);
      }
    });

  it("an empty body → 400 where a body is required", async () => {
    for (const route of bodyRoutes().filter((r) => !r.path.endsWith("/kubeconfig")))
      expectJsonError(await post(route.path, route.auth, undefined, JSON_TYPE), 400);
  });
});

describe("field rules", () => {
  const cases: [string, unknown, RegExp][] = [
    ["/v1/signup", { email: 42, password: "long enough password" }, /"email" must be a string, not number/],
    ["/v1/signup", { email: "x@example.com" }, /"password" is required/],
    [
      "/v1/signup",
      { email: "x\u0000y@example.com", password: "long enough password" },
      /"email" must be an email address/,
    ],
    [
      "/v1/signup",
      { email: "x@exa\u001bmple.com", password: "long enough password" },
      /"email" must be an email address/,
    ],
    ["/v1/signup", { email: "x@example.com", password: ["a"] }, /"password" must be a string, not an array/],
    ["/v1/signup", { email: "x@example.com", password: "long enough password", admin: true }, /unknown field "admin"/],
    ["/v1/login", { email: null, password: "x" }, /"email" must be a string, not null/],
    ["/v1/clusters", {}, /"name" is required/],
    ["/v1/clusters", { name: 7 }, /"name" must be a string/],
    ["/v1/clusters", { name: "Upper_Case" }, /lowercase letters, digits and '-'/],
    ["/v1/clusters", { name: "-x" }, /starting and ending/],
    ["/v1/clusters", { name: "a".repeat(41) }, /at most 40 characters/],
    ["/v1/clusters", { name: "ok", plan: "large" }, /unknown field "plan"/],
    ["tokens", { role: "root" }, /"role" must be one of "admin", "view", "join"/],
    ["tokens", { role: "view", ttlSeconds: "60" }, /"ttlSeconds" must be an integer, not string/],
    ["tokens", { role: "view", ttlSeconds: 1.5 }, /"ttlSeconds" must be an integer/],
    ["tokens", { role: "view", ttlSeconds: 0 }, /between 1 and 31536000/],
    ["tokens", { role: "view", ttlSeconds: 1e12 }, /between 1 and 31536000/],
    ["tokens", {}, /"role" is required/],
    ["kubeconfig", { role: "join" }, /"role" must be one of "admin", "view"/],
  ];
  it.each(cases)("%s %j", async (route, body, message) => {
    const path =
      route === "tokens"
        ? `/v1/clusters/${cluster.id}/tokens`
        : route === "kubeconfig"
          ? `/v1/clusters/${cluster.id}/kubeconfig`
          : route;
    const res = await post(
      path,
      !route.startsWith("/v1/signup") && !route.startsWith("/v1/login"),
      JSON.stringify(body),
      JSON_TYPE,
    );
    expectJsonError(res, 400);
    expect(res.body.error.message).toMatch(message);
  });
});

describe("routes without bodies and unknown paths", () => {
  it("answer JSON 4xx for bad ids, unknown routes and wrong methods, whatever the body", async () => {
    const requests: [string, string][] = [
      ["GET", "/v1/clusters/NOT-AN-ID"],
      ["GET", `/v1/clusters/${"a".repeat(500)}`],
      ["GET", "/v1/clusters/%00%ff"],
      ["DELETE", "/v1/clusters/abc"],
      ["GET", "/v1/clusters/abcdefghijklmnopqrstuvwxyz/tokens"],
      ["DELETE", `/v1/clusters/${cluster.id}/tokens/NO%20SUCH`],
      ["DELETE", `/v1/clusters/${cluster.id}/tokens/view-aaaaaaaaaa`],
      ["GET", "/v1/nothing-here"],
      ["PUT", "/v1/clusters"],
      ["PATCH", `/v1/clusters/${cluster.id}`],
      ["GET", "/v1/signup"],
    ];
    for (const [method, path] of requests) {
      const body = method === "GET" ? undefined : "{garbage";
      const res = await call(method, path, { token: tenant.token, body, headers: JSON_TYPE });
      expect(res.status, `${method} ${path}: ${res.text}`).toBe(404);
      expectJsonError(res);
    }
  });

  it("a DELETE with a body still works (kubectl-style clients send one)", async () => {
    const other = await createCluster(tenant);
    const res = await call("DELETE", `/v1/clusters/${other.id}`, {
      token: tenant.token,
      body: { propagationPolicy: "x" },
    });
    expect(res.status).toBe(200);
  });
});
