// A Modbus/TCP server from python3-pymodbus with a fixed, documented register
// layout, so tests know which values a real read must return.
import { copyFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EnvContext, serviceDir } from "../context.ts";
import { freePort } from "../ports.ts";
import { tcpOpen } from "../probe.ts";
import { type Service, startService, waitReady } from "../proc.ts";
import { repoRoot } from "../toolchain.ts";

export interface ModbusLayout {
  unit: number;
  /** Coils, discrete inputs (0/1), holding and input registers (uint16), from address 0. */
  co: number[];
  di: number[];
  hr: number[];
  ir: number[];
}

export interface ModbusEnv {
  host: string;
  port: number;
  layout: ModbusLayout;
  services: Service[];
}

const pad = (xs: number[], n = 200) => [...xs, ...new Array(n - xs.length).fill(0)];

/**
 * The default layout: hr[0..4] = 100..500; hr[10..11] = float32 21.5 big-endian
 * (0x41AC 0x0000); hr[12..13] = int32 -2 (0xFFFF 0xFFFE); ir[i] = 1000 + i.
 */
export const defaultModbusLayout: ModbusLayout = {
  unit: 1,
  co: pad([1, 0, 1, 1, 0, 0, 0, 1]),
  di: pad([0, 1, 0, 1]),
  hr: pad([100, 200, 300, 400, 500, 0, 0, 0, 0, 0, 0x41ac, 0x0000, 0xffff, 0xfffe]),
  ir: Array.from({ length: 200 }, (_, i) => 1000 + i),
};

export async function startModbus(
  ctx: EnvContext,
  layout: ModbusLayout = defaultModbusLayout,
): Promise<ModbusEnv> {
  const dir = await serviceDir(ctx, "modbus", "nobody");
  const port = await freePort();
  const layoutFile = join(dir, "layout.json");
  await writeFile(layoutFile, JSON.stringify(layout));
  // Copied: the checkout may sit where the unprivileged peer user cannot read.
  const script = join(dir, "modbus_server.py");
  await copyFile(join(repoRoot, "e2e/env/peers/modbus_server.py"), script);
  const svc = startService({
    name: "pymodbus",
    command: "/usr/bin/python3", // Debian's, which has pymodbus; not a pyenv one
    args: [script, String(port), layoutFile],
    user: "nobody",
    logFile: join(dir, "pymodbus.log"),
  });
  await waitReady(svc, () => tcpOpen(port));
  return { host: "127.0.0.1", port, layout, services: [svc] };
}
