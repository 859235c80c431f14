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

/** One element of an array literal of `type` (NULL for null). */
function element(type: ColumnType, v: Cell): string {
  if (v === null) return "NULL";
  switch (type) {
    case "bigint":
    case "float8":
      // Infinity, -Infinity and NaN are float8 input as they are.
      return String(v);
    case "bool":
      return v ? "t" : "f";
    case "timestamptz":
      // ISO 8601 text (rows.ts tsText): digits, '-', ':', '.', 'T', 'Z' only.
      return String(v);
    case "bytea":
      // The array parser removes one level of backslashes: \\x… reaches bytea as \x….
      return `"\\\\x${(v as Buffer).toString("hex")}"`;
    default:
      return quoted(String(v));
  }
}

/** The array literal of column `col` of `rows`, for a `$n::<type>[]` parameter. */
export function arrayLiteral(type: ColumnType, rows: readonly Cell[][], col: number): string {
  const parts = new Array<string>(rows.length);
  for (let i = 0; i < rows.length; i++) parts[i] = element(type, (rows[i] as Cell[])[col] ?? null);
  return `{${parts.join(",")}}`;
}
