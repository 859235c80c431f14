// `amoskys agent --config <file>` (also `amoskys-agent`): runs until SIGTERM,
// then flushes and exits.
import { parseArgs } from "node:util";
import { createLogger } from "../runtime/log.ts";
import { defaultFactories } from "./collectors/index.ts";
import { AgentConfigError } from "./config.ts";
import { PlacementError } from "./plan.ts";
import { startAgent } from "./runtime.ts";

export async function agentCommand(argv: string[]): Promise<number> {
  let values: {
    config?: string;
    host?: string;
    root?: string;
    "ops-port"?: string;
    "grace-seconds"?: string;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: "string" },
        host: { type: "string" },
        root: { type: "string" },
        "ops-port": { type: "string" },
        "grace-seconds": { type: "string" },
      },
    }));
  } catch (err) {
    console.error(`amoskys agent: ${(err as Error).message}`);
    return 2;
  }
  if (!values.config) {
    console.error("amoskys agent: --config <file> is required");
    return 2;
  }
  const logger = createLogger("agent");
  let agent: Awaited<ReturnType<typeof startAgent>>;
  try {
    agent = await startAgent({
      configPath: values.config,
      factories: defaultFactories,
      logger,
      ...(values.host && { host: values.host }),
      ...(values.root && { root: values.root }),
      ...(values["ops-port"] && { opsPort: Number(values["ops-port"]) }),
    });
  } catch (err) {
    if (err instanceof AgentConfigError || err instanceof PlacementError) {
      console.error(`amoskys agent: ${values.config}: ${err.message}`);
      return 2;
    }
    throw err;
  }
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  logger.info("stopping: flushing batches");
  await agent.stop(Number(values["grace-seconds"] ?? 20) * 1000);
  return 0;
}
