// The `amoskys` command line: the image's entrypoint. Components add their
// subcommands here as they land (operator, agent, analytics, up).
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

const commands: Record<string, { help: string; run: (args: string[]) => number }> = {
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

export function main(argv: string[]): number {
  const [name = "help", ...rest] = argv;
  const cmd = commands[name];
  if (!cmd) {
    console.error(`amoskys: unknown command "${name}" (see: amoskys help)`);
    return 2;
  }
  return cmd.run(rest);
}

if (import.meta.main) process.exitCode = main(process.argv.slice(2));
