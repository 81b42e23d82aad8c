import { expect, it } from "vitest";
import { EventLines } from "./container-cache.ts";

it("reads container ids from split, newline-delimited event JSON", () => {
  const lines = new EventLines();
  expect(lines.push('{"status":"start","id":"a1","Actor":{"ID":"a1"}}\n{"Action":"die","Act')).toEqual(["a1"]);
  expect(lines.push('or":{"ID":"b2"}}\n\nnot json\n{"id":"c3"}\n')).toEqual(["b2", "c3"]);
});
