// The public URL of published Services behind the real Worker, with a fake agent answering the tunnel's
// http streams: no token needed, round robin over ready endpoints, reverse-proxy headers, the caller's own
// Authorization passed on but never one of our tokens, one 404 for every Service that is not published,
// and the plan's public rate (429) and body size (413) limits, apart from the API's.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, call, kube } from "../../../worker/testing/tenants.ts";
import { ADDRESSES, fakeAgent, header, type Setup, setup } from "../testing/fake-agent.ts";
import { carriesFlotillaToken } from "./proxy-http.ts";
import { parsePublicPath } from "./public.ts";

const worker = () => (exports as unknown as { default: Fetcher }).default;
const SERVICES = "/api/v1/namespaces/default/services";

const pub = (s: Setup, rest: string) => `/public/${s.cluster.id}/default/${rest}`;

describe("public URL path", () => {
  it.each([
    ["/public/c1/default/web", { namespace: "default", name: "web", port: "", rest: undefined }],
    ["/public/c1/default/web/", { namespace: "default", name: "web", port: "", rest: "/" }],
    ["/public/c1/ns/web:admin/a/b", { namespace: "ns", name: "web", port: "admin", rest: "/a/b" }],
    ["/public/c1/ns/https:web:443/", { namespace: "ns", name: "web", port: "443", rest: "/" }],
  ])("%s", (path, expected) => {
    expect(parsePublicPath(path)).toMatchObject(expected);
  });

  it.each([
    "/public/c1/default",
    "/public/c1/Default/web/",
    "/public/c1/default/Web/",
    "/public/c1/default/ftp:web:21/",
    "/public/c1/default/a:b:c:d/",
    "/public/c1//web/",
  ])("%s names no service", (path) => {
    expect(parsePublicPath(path)).toBeUndefined();
  });

  it.each([
    ["Bearer fltc_abcdef", true],
    ["Bearer flta_abcdef", true],
    [`Basic ${btoa("me:fltc_abcdef")}`, true],
    [`Basic ${btoa("me:secret")}`, false],
    ["Bearer eyJhbGciOi.app.token", false],
    ["Basic !!!", false],
  ])("%s carries a Flotilla token: %s", (value, expected) => {
    expect(carriesFlotillaToken(value)).toBe(expected);
  });
});

describe("public URL of a published Service", () => {
  it("needs no token, spreads requests round robin over the ready endpoints, and adds reverse-proxy headers", async () => {
    const s = await setup();
    const agent = await fakeAgent(s);
    const counts = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const res = await call("GET", pub(s, "web/hello/there?x=1"));
      expect([i, res.status]).toEqual([i, 200]);
      expect(res.text).toMatch(/^GET 10\.88\.1\.\d:8080\/hello\/there\?x=1 $/);
      const pod = res.headers.get("x-pod")!;
      counts.set(pod, (counts.get(pod) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ "10.88.1.1": 2, "10.88.1.2": 2, "10.88.1.3": 2 });
    const port = await call("POST", pub(s, "web:admin/form"), { body: "a=1", headers: { "content-type": "text/x" } });
    expect(port.text).toMatch(/^POST 10\.88\.1\.\d:9090\/form a=1$/);

    const res = await call("GET", pub(s, "web/h"), {
      headers: { "cf-connecting-ip": "203.0.113.7", "x-forwarded-for": "198.51.100.1", "x-app": "yes" },
    });
    expect(res.status).toBe(200);
    const seen = agent.seen.at(-1)!;
    expect(header(seen, "x-forwarded-for")).toBe("198.51.100.1, 203.0.113.7");
    expect(header(seen, "x-forwarded-proto")).toBe("https");
    expect(header(seen, "x-forwarded-host")).toBe("flotilla.test");
    expect(header(seen, "x-forwarded-prefix")).toBe(`/public/${s.cluster.id}/default/web`);
    expect(header(seen, "x-app")).toBe("yes");
    agent.ws.close();
  });

  it("passes the caller's own Authorization to the app, never one of our tokens", async () => {
    const s = await setup();
    const agent = await fakeAgent(s);
    const basic = `Basic ${btoa("me:app-password")}`;
    for (const [authorization, passed] of [
      [basic, basic],
      ["Bearer app-jwt", "Bearer app-jwt"],
      [`Bearer ${s.cluster.adminToken}`, undefined],
      [`Basic ${btoa(`admin:${s.cluster.adminToken}`)}`, undefined],
    ] as const) {
      const res = await call("GET", pub(s, "web/"), { headers: { authorization } });
      expect(res.status).toBe(200);
      expect([authorization, header(agent.seen.at(-1)!, "authorization")]).toEqual([authorization, passed]);
    }
    agent.ws.close();
  });

  it("passes a WebSocket upgrade to the services proxy's WebSocket path, trying each ready endpoint", async () => {
    const s = await setup();
    const agent = await fakeAgent(s);
    const res = await call("GET", pub(s, "web/chat?room=1"), {
      headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13" },
    });
    expect(res.status).toBe(503);
    expect(res.body.message).toContain("connection refused");
    expect(agent.seen.map((r) => [r.open.kind, r.open.host, r.open.port, r.open.path])).toEqual(
      ADDRESSES.map((ip) => ["websocket", ip, 8080, "/chat?room=1"]),
    );
    expect(header(agent.seen[0], "x-forwarded-prefix")).toBe(`/public/${s.cluster.id}/default/web`);
    agent.ws.close();
  });

  it("redirects the service root without a slash below it", async () => {
    const s = await setup();
    const res = await worker().fetch(`${BASE}${pub(s, "web")}?q=1`, { redirect: "manual" });
    expect([res.status, res.headers.get("location")]).toEqual([301, "web/?q=1"]);
  });

  it("answers one and the same 404 for a missing, an unpublished and a malformed target, and an unknown cluster", async () => {
    const s = await setup();
    const agent = await fakeAgent(s);
    const paths = [
      pub(s, "nope/"),
      pub(s, "private/"),
      pub(s, "private"),
      pub(s, "almost/"),
      `/public/${s.cluster.id}/kube-system/web/`,
      `/public/${s.cluster.id}/default/Web/`,
      `/public/${s.cluster.id}/default`,
      "/public/aaaaaaaaaaaaaaaaaaaaaaaaaa/default/web/",
      "/public/Not-An-Id/default/web/",
    ];
    const answers = new Set<string>();
    for (const path of paths) {
      const res = await call("GET", path);
      expect([path, res.status]).toEqual([path, 404]);
      answers.add(res.text);
      const post = await call("POST", path, { body: "x" });
      expect([path, post.status]).toEqual([path, 404]);
      answers.add(post.text);
    }
    expect(answers.size).toBe(1);
    expect(JSON.parse([...answers][0])).toMatchObject({ code: 404, reason: "NotFound" });
    // The token-protected proxy of the unpublished Service still works for its admin.
    const admin = await call("GET", `/clusters/${s.cluster.id}${SERVICES}/private:http/proxy/`, {
      token: s.cluster.adminToken,
    });
    expect(admin.status).toBe(200);
    expect(agent.seen).toHaveLength(1);
    agent.ws.close();
  });
});

describe("public URL limits of the plan", () => {
  it("refuses past the plan's public rate with 429 and Retry-After, and leaves the API's own rate alone", async () => {
    const s = await setup({ publicRequestsPerSecond: 2 });
    const agent = await fakeAgent(s);
    // The bucket holds two seconds of the rate: 4 requests pass at once, the next are refused.
    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 7; i++) {
      const res = await call("GET", pub(s, "web/"));
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
    expect(statuses.filter((st) => st === 429).length).toBeGreaterThanOrEqual(2);
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused!.body).toMatchObject({ code: 429, reason: "TooManyRequests" });
    expect(refused!.body.message).toMatch(
      /^too many requests: the "test-[0-9a-f]+" plan allows 2 requests per second to this cluster's public services; retry after \ds$/,
    );
    const api = await kube(s.cluster.id, s.cluster.adminToken, "GET", SERVICES);
    expect(api.status).toBe(200);
    // The rate applies to unpublished paths as well: probing costs the same.
    expect((await call("GET", pub(s, "private/"))).status).toBe(429);
    agent.ws.close();
  });

  it("refuses a body past the plan's public limit with 413, whether its length is declared or not", async () => {
    const s = await setup({ publicBodyBytes: 10 });
    const agent = await fakeAgent(s);
    const fits = await call("POST", pub(s, "web/up"), { body: "0123456789" });
    expect([fits.status, fits.text]).toEqual([200, expect.stringMatching(/ 0123456789$/)]);
    const declared = await call("POST", pub(s, "web/up"), { body: "0123456789A" });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatchObject({ code: 413, reason: "RequestEntityTooLarge" });
    expect(declared.body.message).toMatch(
      /^Request entity too large: the "test-[0-9a-f]+" plan allows request bodies of up to 10 bytes to this cluster's public services$/,
    );
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 3; i++) controller.enqueue(new TextEncoder().encode("0123456"));
        controller.close();
      },
    });
    const streamed = await call("PUT", pub(s, "web/up"), { body: chunked });
    expect(streamed.status).toBe(413);
    expect(agent.seen.map((r) => r.body)).toEqual(["0123456789"]);
    agent.ws.close();
  });
});
