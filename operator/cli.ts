#!/usr/bin/env node
// The `amoskys` command line: the image's entrypoint. Components add their
// subcommands here as they land (operator, agent, analytics, up).
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

interface Command {
  help: string;
  /** The subcommand's module: loaded for --help too, so --help proves it starts. */
  load?: () => Promise<unknown>;
  run: (args: string[]) => number | Promise<number>;
}

/** A subcommand implemented by `fn` of a module loaded on first use. */
function lazy<M>(
  help: string,
  load: () => Promise<M>,
  fn: (m: M, args: string[]) => number | Promise<number>,
): Command {
  return { help, load, run: async (args) => fn(await load(), args) };
}

const commands: Record<string, Command> = {
  operator: lazy(
    "run the controller (--collector-image, --nats-url; see operator/README.md)",
    () => import("./main.ts"),
    (m, args) => m.operatorCommand(args),
  ),
  agent: lazy(
    "run a collector agent (--config /etc/amoskys/agent.yaml; see agents/README.md)",
    () => import("../agents/main.ts"),
    (m, args) => m.agentCommand(args),
  ),
  analytics: lazy(
    "consume, store and detect; findings to Postgres and Kubernetes (see analytics/README.md)",
    () => import("../analytics/main.ts"),
    (m, args) => m.analyticsCommand(args),
  ),
  up: lazy(
    "everything in one process, no Kubernetes: -f <manifests> [--data <dir>] [--port <n>] (see embedded/README.md)",
    () => import("../embedded/main.ts"),
    (m, args) => m.upCommand(args),
  ),
  get: lazy(
    "list devices|findings|rules like kubectl get, from amoskys up (--server/--token, --data) or Kubernetes (--kubeconfig)",
    () => import("../embedded/get.ts"),
    (m, args) => m.getCommand(args),
  ),
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
      console.log("usage: amoskys <command> [--help]\n\ncommands:");
      for (const [name, c] of Object.entries(commands))
        console.log(`  ${name.padEnd(10)} ${c.help}`);
      return 0;
    },
  },
};

const aliases: Record<string, string> = { "--help": "help", "-h": "help", "--version": "version" };

export async function main(argv: string[]): Promise<number> {
  const [given = "help", ...rest] = argv;
  const name = aliases[given] ?? given;
  const cmd = commands[name];
  if (!cmd) {
    console.error(`amoskys: unknown command "${name}" (see: amoskys --help)`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    await cmd.load?.();
    console.log(`usage: amoskys ${name} [flags]\n\n${cmd.help}`);
    return 0;
  }
  return cmd.run(rest);
}

// exit() rather than exitCode: a stopped operator may still hold idle sockets.
if (import.meta.main) process.exit(await main(process.argv.slice(2)));
