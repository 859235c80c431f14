// Postgres array literals ('{...}') built column by column for unnest(): one
// text parameter per column instead of a JS array that pg would serialize
// element by element (escapeElement's two regex replaces per value were the
// largest single cost of ingest). Numbers, booleans and timestamps need no
// quoting; text, jsonb and bytea are quoted, escaped only when they must be.
import type { Cell, ColumnType } from "./rows.ts";

const NEEDS_ESCAPE = /["\\]/;
const ESCAPE = /["\\]/g;

function quoted(s: string): string {
  return NEEDS_ESCAPE.test(s) ? `"${s.replace(ESCAPE, "\\$&")}"` : `"${s}"`;
}

/** How one non-null element of a column of `type` is written. */
function encoder(type: ColumnType): (v: Cell) => string {
  switch (type) {
    case "bigint":
    case "float8":
    // Infinity, -Infinity and NaN are float8 input as they are.
    case "timestamptz":
      // ISO 8601 text (rows.ts tsText): digits, '-', ':', '.', 'T', 'Z' only.
      return String;
    case "bool":
      return (v) => (v ? "t" : "f");
    case "bytea":
      // The array parser removes one level of backslashes: \\x… reaches bytea as \x….
      return (v) => `"\\\\x${(v as Buffer).toString("hex")}"`;
    default:
      return (v) => quoted(String(v));
  }
}

/** The array literal of column `col` of `rows`, for a `$n::<type>[]` parameter. */
export function arrayLiteral(type: ColumnType, rows: readonly Cell[][], col: number): string {
  const encode = encoder(type);
  const parts = new Array<string>(rows.length);
  // Columns repeat a value row after row (device, source, producer): encode it once.
  let last: Cell | undefined;
  let lastText = "";
  for (let i = 0; i < rows.length; i++) {
    const v = (rows[i] as Cell[])[col] ?? null;
    if (v !== last || typeof v === "object") {
      lastText = v === null ? "NULL" : encode(v);
      last = v;
    }
    parts[i] = lastText;
  }
  return `{${parts.join(",")}}`;
}
