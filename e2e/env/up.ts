// Holds a test environment open for manual use (and for the teardown tests):
//
//   node e2e/env/up.ts [kube] [nats] [postgres] [mqtt] [snmp] [modbus] [cluster]
//   (default: all but cluster, the cluster with nodes)
//
// Prints one JSON line describing the environment (URLs, credentials, files,
// process ids), then runs until SIGINT/SIGTERM, which stops everything.
import { startEnv } from "./index.ts";

const parts = ["kube", "nats", "postgres", "mqtt", "snmp", "modbus", "cluster"] as const;
const asked = process.argv.slice(2);
for (const a of asked) {
  if (!parts.includes(a as (typeof parts)[number])) {
    console.error(`unknown part ${a}; choose from ${parts.join(", ")}`);
    process.exit(2);
  }
}
const want = (p: string) => asked.includes(p) || (asked.length === 0 && p !== "cluster");
const env = await startEnv({
  kube: want("kube"),
  nats: want("nats"),
  postgres: want("postgres"),
  mqtt: want("mqtt"),
  snmp: want("snmp"),
  modbus: want("modbus"),
  cluster: want("cluster"),
});
const { stop, services, ...info } = env;
const described = {
  pid: process.pid,
  ...info,
  processes: services.map((s) => ({ name: s.name, pid: s.pid, log: s.logFile })),
};
// Strip the service handles nested in each part; keep the data a user needs.
console.log(JSON.stringify(described, (k, v) => (k === "services" ? undefined : v)));
setInterval(() => {}, 1 << 30); // stay alive until a signal; proc.ts's handlers stop the env
