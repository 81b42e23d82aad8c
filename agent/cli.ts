// Standalone entry: `npx tsx agent/cli.ts --server … --join-token …` (the same as `flotilla agent …`).
import { pathToFileURL } from "node:url";
import { AGENT_USAGE, parseAgentArgs, runAgent, UsageError } from "./index.ts";

/** Runs the agent from command-line arguments until SIGINT/SIGTERM; returns the exit code. */
export async function agentMain(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseAgentArgs>;
  try {
    options = parseAgentArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${AGENT_USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(AGENT_USAGE);
    return 0;
  }
  let handle: Awaited<ReturnType<typeof runAgent>>;
  try {
    handle = await runAgent(options);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n`);
    return 1;
  }
  const stop = () => {
    console.log("stopping the agent; pods keep running and are adopted on the next start");
    void handle.stop();
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  await handle.done;
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  agentMain(process.argv.slice(2)).then((code) => process.exit(code));
}
