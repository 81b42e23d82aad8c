import { describe, expect, it } from "vitest";
import type { Container, Pod } from "../../kube/pod-types.ts";
import { commandEnding, containerEnding, DEFAULT_RUN_SECONDS, EXIT_ANNOTATION, FOREVER } from "./simulated-exit.ts";

const c = (command?: string[], args?: string[]): Container => ({ name: "main", image: "busybox", command, args });
const pod = (restartPolicy: string, annotation?: string): Pod => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "p", ...(annotation ? { annotations: { [EXIT_ANNOTATION]: annotation } } : {}) },
  spec: { restartPolicy, containers: [c()] } as Pod["spec"],
});

describe("commandEnding", () => {
  it.each([
    [["true"], { exitCode: 0, afterMs: 0 }],
    [["/bin/false"], { exitCode: 1, afterMs: 0 }],
    [["sleep", "3"], { exitCode: 0, afterMs: 3000 }],
    [["sleep", "1.5m"], { exitCode: 0, afterMs: 90_000 }],
    [["sleep", "infinity"], FOREVER],
    [["echo", "hello", "world"], { exitCode: 0, afterMs: 0 }],
    [["sh", "-c", "exit 3"], { exitCode: 3, afterMs: 0 }],
    [["/bin/sh", "-c", "echo 'a; b'; sleep 2; exit 7"], { exitCode: 7, afterMs: 2000 }],
    [["bash", "-ec", "sleep 1 && false"], { exitCode: 1, afterMs: 1000 }],
    [["sh", "-c", "false || sleep 2"], { exitCode: 0, afterMs: 2000 }],
    [["sh", "-c", "false && sleep 2"], { exitCode: 1, afterMs: 0 }],
    [["sh", "-c", "sleep 1\nexit"], { exitCode: 0, afterMs: 1000 }],
    [["sh", "-c", "exit 300"], { exitCode: 44, afterMs: 0 }],
  ])("%j", (command, ending) => {
    expect(commandEnding(c(command))).toEqual(ending);
  });

  it.each([
    [[]],
    [["nginx", "-g", "daemon off;"]],
    [["sh", "-c", "while true; do sleep 1; done"]],
    [["sh", "-c", "cat /data | wc -l"]],
    [["sh", "-c", "echo $(date)"]],
    [["sh", "script.sh"]],
    [["sleep"]],
    [["sleep", "soon"]],
  ])("unknowable: %j", (command) => {
    expect(commandEnding(c(command))).toBeUndefined();
  });

  it("reads command and args together", () => {
    expect(commandEnding(c(["sh", "-c"], ["sleep 4; exit 2"]))).toEqual({ exitCode: 2, afterMs: 4000 });
    expect(commandEnding(c(undefined, ["sleep", "4"]))).toEqual({ exitCode: 0, afterMs: 4000 });
  });
});

describe("containerEnding", () => {
  it("takes the annotation first, for every container or per container", () => {
    expect(containerEnding(pod("Never", '{"exitCode": 2, "afterSeconds": 1.5}'), c(["true"]))).toEqual({
      exitCode: 2,
      afterMs: 1500,
    });
    expect(containerEnding(pod("Never", '{"main": {"exitCode": 4}, "other": {"exitCode": 0}}'), c())).toEqual({
      exitCode: 4,
      afterMs: 0,
    });
  });

  it("falls back on the command, then the restart policy; a malformed annotation is ignored", () => {
    expect(containerEnding(pod("Always", '{"exitCode": "x"}'), c(["false"]))).toEqual({ exitCode: 1, afterMs: 0 });
    expect(containerEnding(pod("Always", "not json"), c())).toBe(FOREVER);
    expect(containerEnding(pod("Never"), c())).toEqual({ exitCode: 0, afterMs: DEFAULT_RUN_SECONDS * 1000 });
    expect(containerEnding(pod("OnFailure"), c(["nginx"]))).toEqual({
      exitCode: 0,
      afterMs: DEFAULT_RUN_SECONDS * 1000,
    });
  });
});
