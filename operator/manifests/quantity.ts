// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource), as
// far as the operator needs them: the value of a quantity, to size the disk
// outbox and to compare quantities the apiserver rewrote in canonical form
// ("0.5" is stored as "500m", "1024Mi" as "1Gi").

const BINARY: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};
const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

const QUANTITY =
  /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?[0-9]+))?$/;

/** The value of a quantity (a number is taken as is); undefined if it is not one. */
export function quantityValue(q: string | number): number | undefined {
  if (typeof q === "number") return Number.isFinite(q) ? q : undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const [, num, suffix, exp] = m;
  const n = Number(num);
  if (exp !== undefined) return n * 10 ** Number(exp);
  return n * (BINARY[suffix ?? ""] ?? DECIMAL[suffix ?? ""] ?? 1);
}

/** Whether two quantities have the same value ("0.5" and "500m", "1Gi" and "1024Mi"). */
export function sameQuantity(a: string | number, b: string | number): boolean {
  const x = quantityValue(a);
  const y = quantityValue(b);
  if (x === undefined || y === undefined) return a === b;
  return x === y || Math.abs(x - y) <= Math.abs(x) * 1e-12;
}

/** A byte count as the largest exact binary unit: 268435456 -> "256Mi", 1000 -> "1000". */
export function formatBytes(bytes: number): string {
  for (const unit of ["Ei", "Pi", "Ti", "Gi", "Mi", "Ki"]) {
    const size = BINARY[unit] as number;
    if (bytes >= size && bytes % size === 0) return `${bytes / size}${unit}`;
  }
  return String(bytes);
}
