// Structured JSON logs, one object per line on stderr. Values of fields whose
// names look like secrets are never written.
const SECRET = /pass(word)?|secret|token|private|community|authkey|privkey|credential/i;

export type Level = "debug" | "info" | "warn" | "error";
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (SECRET.test(k)) out[k] = "[redacted]";
    else if (v instanceof Error) out[k] = { name: v.name, message: v.message };
    else out[k] = v;
  }
  return out;
}

export function createLogger(
  component: string,
  opts: { level?: Level; write?: (line: string) => void; base?: Record<string, unknown> } = {},
): Logger {
  const min =
    rank[opts.level ?? (process.env.AMOSKYS_LOG_LEVEL as Level | undefined) ?? "info"] ?? rank.info;
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const base = { component, ...opts.base };
  const log =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (rank[level] < min) return;
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level,
          msg,
          ...redact({ ...base, ...fields }),
        }),
      );
    };
  return {
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    child: (fields) => createLogger(component, { ...opts, base: { ...opts.base, ...fields } }),
  };
}
