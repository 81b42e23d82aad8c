import { describe, expect, it } from "vitest";
import { GENERATE_NAME_TRIES, generateName, randomSuffix } from "./generate-name.ts";

describe("generateName", () => {
  it("draws five characters of upstream's alphabet", () => {
    expect(randomSuffix()).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it("tries another suffix while the name is taken", () => {
    const suffixes = ["aaaaa", "bbbbb", "ccccc"];
    const taken = new Set(["web-aaaaa", "web-bbbbb"]);
    expect(
      generateName(
        "web-",
        (n) => taken.has(n),
        () => suffixes.shift()!,
      ),
    ).toBe("web-ccccc");
  });

  it("stops after upstream's number of tries, leaving the create to answer AlreadyExists", () => {
    let tries = 0;
    const name = generateName(
      "web-",
      () => true,
      () => `${++tries}`.padStart(5, "0"),
    );
    expect(tries).toBe(GENERATE_NAME_TRIES);
    expect(name).toBe("web-00008");
  });
});
