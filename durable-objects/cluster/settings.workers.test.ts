import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, parseSettings, settingsOf } from "./settings.ts";
import type { AnyJson as Json } from "../../kube/types.ts";

describe("parseSettings", () => {
  it.each([
    ["absent", undefined, DEFAULT_SETTINGS],
    ["empty", {}, DEFAULT_SETTINGS],
    ["one field", { defaultTolerationSeconds: 0 }, { ...DEFAULT_SETTINGS, defaultTolerationSeconds: 0 }],
    [
      "both at their upper bounds",
      { nodeMonitorGracePeriodSeconds: 600, defaultTolerationSeconds: 3600 },
      { nodeMonitorGracePeriodSeconds: 600, defaultTolerationSeconds: 3600 },
    ],
  ])("accepts %s", (_name, raw, want) => {
    expect(parseSettings(raw)).toEqual({ settings: want, problems: [] });
  });

  it.each([
    ["not an object", 5, "settings", "type"],
    ["an array", [], "settings", "type"],
    ["an unknown field", { graceSeconds: 5 }, "settings.graceSeconds", "type"],
    ["a string", { defaultTolerationSeconds: "60" }, "settings.defaultTolerationSeconds", "type"],
    ["a fraction", { defaultTolerationSeconds: 1.5 }, "settings.defaultTolerationSeconds", "type"],
    ["grace too short", { nodeMonitorGracePeriodSeconds: 4 }, "settings.nodeMonitorGracePeriodSeconds", "range"],
    ["grace too long", { nodeMonitorGracePeriodSeconds: 601 }, "settings.nodeMonitorGracePeriodSeconds", "range"],
    ["negative toleration", { defaultTolerationSeconds: -1 }, "settings.defaultTolerationSeconds", "range"],
    ["toleration too long", { defaultTolerationSeconds: 3601 }, "settings.defaultTolerationSeconds", "range"],
  ])("refuses %s", (_name, raw, field, kind) => {
    const result = parseSettings(raw);
    expect(result.settings).toBeUndefined();
    expect(result.problems[0]).toMatchObject({ field, kind });
  });

  it("says the bounds in range messages", () => {
    expect(parseSettings({ nodeMonitorGracePeriodSeconds: 1 }).problems[0].message).toBe(
      '"settings.nodeMonitorGracePeriodSeconds" must be between 5 and 600',
    );
  });
});

describe("settingsOf", () => {
  it("reads records without settings as the defaults", () => {
    expect(settingsOf({ id: "x" })).toEqual({ nodeMonitorGracePeriodSeconds: 50, defaultTolerationSeconds: 60 });
  });
  it("keeps stored values and replaces broken ones with defaults", () => {
    const record = { settings: { nodeMonitorGracePeriodSeconds: 20, defaultTolerationSeconds: -5 } };
    expect(settingsOf(record)).toEqual({ nodeMonitorGracePeriodSeconds: 20, defaultTolerationSeconds: 60 });
  });
});

// The public API through the real Worker (the object's boundary forbids importing worker/ helpers).
const worker = () => (exports as unknown as { default: Fetcher }).default;

async function call(method: string, path: string, token?: string, body?: unknown, ip = "10.9.8.7") {
  const headers: Record<string, string> = { "content-type": "application/json", "cf-connecting-ip": ip };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await worker().fetch(`https://flotilla.test${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

async function signup(): Promise<{ token: string }> {
  const id = crypto.randomUUID();
  const ip = `10.${[...crypto.getRandomValues(new Uint8Array(3))].join(".")}`;
  const res = await call("POST", "/v1/signup", undefined, { email: `s-${id}@flotilla.test`, password: `pw-${id}` }, ip);
  return { token: res.body.token };
}

describe("POST /v1/clusters settings", () => {
  it("accepts settings, shows them on create and on GET, and refuses bad ones", async () => {
    const tenant = await signup();
    const create = (body: unknown) => call("POST", "/v1/clusters", tenant.token, body);

    const made = await create({ name: "tuned", settings: { defaultTolerationSeconds: 30 } });
    expect(made.status).toBe(201);
    expect(made.body.settings).toEqual({ nodeMonitorGracePeriodSeconds: 50, defaultTolerationSeconds: 30 });
    const shown = await call("GET", `/v1/clusters/${made.body.id}`, tenant.token);
    expect(shown.body.settings).toEqual({ nodeMonitorGracePeriodSeconds: 50, defaultTolerationSeconds: 30 });

    const plain = await create({ name: "plain" });
    expect(plain.body.settings).toEqual(DEFAULT_SETTINGS);

    const range = await create({ name: "bad", settings: { nodeMonitorGracePeriodSeconds: 1 } });
    expect(range.status).toBe(422);
    expect(range.body.error).toEqual({
      code: "invalid_settings",
      message: '"settings.nodeMonitorGracePeriodSeconds" must be between 5 and 600',
      field: "settings.nodeMonitorGracePeriodSeconds",
    });
    const typed = await create({ name: "bad", settings: { defaultTolerationSeconds: "soon" } });
    expect(typed.status).toBe(400);
    expect(typed.body.error.field).toBe("settings.defaultTolerationSeconds");
  });
});
