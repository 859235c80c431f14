#!/usr/bin/env node
// `amoskys-agent --config <file>`: the same as `amoskys agent`.
import { agentCommand } from "./main.ts";

if (import.meta.main) process.exit(await agentCommand(process.argv.slice(2)));
