import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { ApiError, apiErrorOf, ClusterClient, UnreachableError } from "./client.ts";

let server: Server | undefined;
afterEach(() => server?.close());

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/clusters/c1`;
}

it("posts JSON with the bearer token and parses the answer", async () => {
  const url = await serve((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () =>
      res.end(JSON.stringify({ path: req.url, auth: req.headers.authorization, body: JSON.parse(body) })),
    );
  });
  const client = new ClusterClient(url);
  expect(await client.post("/agent/sync", "tok", { a: 1 })).toEqual({
    path: "/clusters/c1/agent/sync",
    auth: "Bearer tok",
    body: { a: 1 },
  });
  client.close();
});

it("turns Status answers into ApiError with the Status message", async () => {
  const url = await serve((_req, res) => {
    res.statusCode = 401;
    res.end(
      JSON.stringify({
        kind: "Status",
        apiVersion: "v1",
        status: "Failure",
        message: "join token is invalid",
        reason: "Unauthorized",
        code: 401,
      }),
    );
  });
  const client = new ClusterClient(url);
  const error = await client.post("/agent/join", "bad", {}).catch((e) => e);
  expect(error).toBeInstanceOf(ApiError);
  expect(error).toMatchObject({ code: 401, message: "join token is invalid", reason: "Unauthorized" });
  client.close();
});

it("reports an unreachable server as UnreachableError", async () => {
  const client = new ClusterClient("http://127.0.0.1:1/clusters/x");
  expect(await client.post("/agent/sync", "t", {}).catch((e) => e)).toBeInstanceOf(UnreachableError);
  client.close();
});

it.each([
  [502, "", UnreachableError],
  [429, '{"message":"slow down","details":{"retryAfterSeconds":3}}', ApiError],
  [500, "boom", ApiError],
])("apiErrorOf(%d)", (code, text, type) => {
  const error = apiErrorOf(code, text);
  expect(error).toBeInstanceOf(type);
  if (code === 429) expect((error as ApiError).retryAfterSeconds).toBe(3);
  if (code === 500) expect(error.message).toBe("boom");
});
