import { describe, expect, it } from "vitest";
import { describeFailure, errorText, RequestError } from "./errors.ts";

describe("describeFailure", () => {
  const cases: { status: number; text: string; want: string }[] = [
    {
      status: 422,
      text: JSON.stringify({ kind: "Status", message: 'Deployment.apps "web" is invalid: spec.replicas: Invalid' }),
      want: 'Deployment.apps "web" is invalid: spec.replicas: Invalid',
    },
    {
      status: 401,
      text: JSON.stringify({ error: { code: "unauthenticated", message: "invalid email or password" } }),
      want: "invalid email or password",
    },
    { status: 502, text: "<html>bad gateway</html>", want: "The server failed (HTTP 502). Try again in a moment." },
    { status: 404, text: "", want: "The request failed (HTTP 404)." },
    { status: 400, text: JSON.stringify({ error: "plain" }), want: "The request failed (HTTP 400)." },
  ];
  for (const { status, text, want } of cases) {
    it(`${status} ${text.slice(0, 30)}`, () => expect(describeFailure(status, text)).toBe(want));
  }
});

describe("errorText", () => {
  it("names network failures", () => {
    expect(errorText(new TypeError("Failed to fetch"))).toMatch(/Cannot reach the server/);
    expect(errorText(new RequestError(409, "taken"))).toBe("taken");
  });
});
