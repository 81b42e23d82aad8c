// npm start's local node agent: the demo cluster gets a Ready node without any setup, on the docker
// runtime when a Docker or Podman API answers and on the simulated one otherwise.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_NODE } from "../../scripts/local/flotilla.ts";
import { chooseRuntime } from "../../scripts/local/local-agent.ts";
import { type Harness, startHarness } from "./harness.ts";

describe("npm start's local agent", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ agent: true });
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("joins the demo cluster as a Ready node on the runtime it reports", async () => {
    const expected = await chooseRuntime();
    expect(h.flotilla.localAgent?.process.runtime).toBe(expected.runtime);
    expect(h.flotilla.localAgent?.why).toBe(expected.why);
    let table = "";
    for (let i = 0; i < 40 && !new RegExp(`${LOCAL_NODE}\\s+Ready`).test(table); i++) {
      await new Promise((r) => setTimeout(r, 500));
      table = (await h.kubectl(["get", "nodes"])).stdout;
    }
    expect(table).toMatch(new RegExp(`${LOCAL_NODE}\\s+Ready`));
    const runtime = (
      await h.kubectl(["get", "node", LOCAL_NODE, "-o", "jsonpath={.status.nodeInfo.containerRuntimeVersion}"])
    ).stdout;
    expect(runtime).toMatch(expected.runtime === "docker" ? /^(podman|docker):\/\// : /^simulated:\/\//);
  });
});
