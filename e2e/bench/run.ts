// npm run bench -- <name> [...]: runs benchmarks that compare AMOSKYS with a
// baseline measured in the same run. Names: bus, operator, agents.
const benches: Record<string, () => Promise<{ main: () => Promise<void> }>> = {
  bus: () => import("./bus.ts"),
  operator: () => import("./operator.ts"),
  agents: () => import("./agents.ts"),
  analytics: () => import("./analytics.ts"),
};

const names = process.argv.slice(2);
if (names.length === 0 || names.some((n) => !benches[n])) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}> ...`);
  process.exit(2);
}
for (const n of names) await (await benches[n]?.())?.main();
