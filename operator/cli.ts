#!/usr/bin/env node
// The `amoskys` command line: the image's entrypoint. Components add their
// subcommands here as they land (operator, agent, analytics, up).
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const commands: Record<
  string,
  { help: string; run: (args: string[]) => number | Promise<number> }
> = {
  operator: {
    help: "run the controller (--collector-image, --nats-url; see operator/README.md)",
    run: async (args) => (await import("./main.ts")).operatorCommand(args),
  },
  agent: {
    help: "run a collector agent (--config /etc/amoskys/agent.yaml; see agents/README.md)",
    run: async (args) => (await import("../agents/main.ts")).agentCommand(args),
  },
  analytics: {
    help: "consume, store and detect; findings to Postgres and Kubernetes (see analytics/README.md)",
    run: async (args) => (await import("../analytics/main.ts")).analyticsCommand(args),
  },
  up: {
    help: "everything in one process, no Kubernetes: -f <manifests> [--data <dir>] [--port <n>] (see embedded/README.md)",
    run: async (args) => (await import("../embedded/main.ts")).upCommand(args),
  },
  get: {
    help: "list devices|findings|rules like kubectl get, from amoskys up (--server/--token, --data) or Kubernetes (--kubeconfig)",
    run: async (args) => (await import("../embedded/get.ts")).getCommand(args),
  },
  version: {
    help: "print the AMOSKYS version",
    run: () => {
      console.log(pkg.version);
      return 0;
    },
  },
  help: {
    help: "list the commands",
    run: () => {
      console.log("usage: amoskys <command>\n\ncommands:");
      for (const [name, c] of Object.entries(commands))
        console.log(`  ${name.padEnd(10)} ${c.help}`);
      return 0;
    },
  },
};

export function main(argv: string[]): number | Promise<number> {
  const [name = "help", ...rest] = argv;
  const cmd = commands[name];
  if (!cmd) {
    console.error(`amoskys: unknown command "${name}" (see: amoskys help)`);
    return 2;
  }
  return cmd.run(rest);
}

// exit() rather than exitCode: a stopped operator may still hold idle sockets.
if (import.meta.main) process.exit(await main(process.argv.slice(2)));
