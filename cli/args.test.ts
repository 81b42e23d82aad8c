import { describe, expect, it } from "vitest";
import { flag, parseArgs } from "./args.ts";

describe("parseArgs", () => {
  it.each([
    [["clusters", "create", "demo"], ["clusters", "create", "demo"], {}],
    [["tokens", "create", "c", "--role", "view", "--ttl=60"], ["tokens", "create", "c"], { role: "view", ttl: "60" }],
    [["kubeconfig", "c", "--view", "--file", "out.yaml"], ["kubeconfig", "c"], { view: true, file: "out.yaml" }],
    [["login", "--password-stdin", "--email", "a@b.c"], ["login"], { "password-stdin": true, email: "a@b.c" }],
    [["x", "--", "--not-a-flag"], ["x", "--not-a-flag"], {}],
    [["-h"], [], { help: true }],
  ])("%j", (argv, words, flags) => {
    const parsed = parseArgs(argv);
    expect(parsed.words).toEqual(words);
    expect(Object.fromEntries(parsed.flags)).toEqual(flags);
  });

  it("flag() returns only string values", () => {
    const parsed = parseArgs(["--view", "--role", "admin"]);
    expect(flag(parsed, "role")).toBe("admin");
    expect(flag(parsed, "view")).toBeUndefined();
  });
});
