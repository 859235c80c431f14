// The Kubernetes CEL library functions our CRD rules call, ported from the Go
// the kube-apiserver runs (k8s.io/apiserver/pkg/cel/library on Go 1.26's
// net/netip and net/url, k8s.io/apimachinery's resource.Quantity and
// validation), so that `amoskys up` accepts and refuses exactly what the
// apiserver does. Pure functions; cel.ts binds them into the evaluator.

// ---- IP addresses (library/ip.go, library/cidr.go on net/netip) ----

export interface IpAddr {
  /** 4 bytes for IPv4, 16 for IPv6. */
  bytes: number[];
  zone: string;
}

/** net/netip parseIPv4: four decimal octets, no leading zeros, each ≤ 255. */
function parseIPv4(s: string): IpAddr | string {
  const fields: number[] = [];
  let val = 0;
  let digits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c >= "0" && c <= "9") {
      if (digits === 1 && val === 0) return "IPv4 field has octet with leading zero";
      val = val * 10 + (c.charCodeAt(0) - 48);
      digits++;
      if (val > 255) return "IPv4 field has value >255";
    } else if (c === ".") {
      if (i === 0 || i === s.length - 1 || s[i - 1] === ".")
        return "IPv4 field must have at least one digit";
      if (fields.length === 3) return "IPv4 address too long";
      fields.push(val);
      val = 0;
      digits = 0;
    } else return "unexpected character";
  }
  if (fields.length < 3) return "IPv4 address too short";
  fields.push(val);
  return { bytes: fields, zone: "" };
}

const hexValue = (c: string): number => {
  const n = c.charCodeAt(0);
  if (n >= 48 && n <= 57) return n - 48;
  if (n >= 97 && n <= 102) return n - 87;
  if (n >= 65 && n <= 70) return n - 55;
  return -1;
};

/** net/netip parseIPv6, with its zone (`%eth0`) split off. */
function parseIPv6(input: string): IpAddr | string {
  let s = input;
  let zone = "";
  const pct = s.indexOf("%");
  if (pct !== -1) {
    zone = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (zone === "") return "zone must be a non-empty string";
  }
  const ip = new Array<number>(16).fill(0);
  let ellipsis = -1;
  if (s.length >= 2 && s[0] === ":" && s[1] === ":") {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return { bytes: ip, zone };
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const h = hexValue(s[off] as string);
      if (h < 0) break;
      acc = acc * 16 + h;
      if (off > 3) return "each group must have 4 or less digits";
      if (acc > 0xffff) return "IPv6 field has value >=2^16";
    }
    if (off === 0) return "each colon-separated field must have at least one digit";
    if (off < s.length && s[off] === ".") {
      if (ellipsis < 0 && i !== 12)
        return "embedded IPv4 address must replace the final 2 fields of the address";
      if (i + 4 > 16)
        return "too many hex fields to fit an embedded IPv4 at the end of the address";
      const v4 = parseIPv4(s);
      if (typeof v4 === "string") return v4;
      ip.splice(i, 4, ...v4.bytes);
      s = "";
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ":") return "unexpected character, want colon";
    if (s.length === 1) return "colon must be followed by more characters";
    s = s.slice(1);
    if (s[0] === ":") {
      if (ellipsis >= 0) return "multiple :: in address";
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return "trailing garbage after address";
  if (i < 16) {
    if (ellipsis < 0) return "address string too short";
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j] as number;
    for (let j = ellipsis + n - 1; j >= ellipsis; j--) ip[j] = 0;
  } else if (ellipsis >= 0) return "the :: must expand to at least one field of zeros";
  return { bytes: ip, zone };
}

/** net/netip.ParseAddr: an address, or why it is not one. */
export function parseAddr(s: string): IpAddr | string {
  for (const c of s) {
    if (c === ".") return parseIPv4(s);
    if (c === ":") return parseIPv6(s);
    if (c === "%") return "missing IPv6 address";
  }
  return "unable to parse IP";
}

const is4In6 = (a: IpAddr): boolean =>
  a.bytes.length === 16 &&
  a.bytes.slice(0, 10).every((b) => b === 0) &&
  a.bytes[10] === 0xff &&
  a.bytes[11] === 0xff;

/** The library's parseIPAddr: no zone, no IPv4-mapped IPv6 address. */
export function parseIP(s: string): IpAddr | string {
  const a = parseAddr(s);
  if (typeof a === "string") return a;
  if (a.zone !== "") return "IP address with zone value is not allowed";
  if (is4In6(a)) return "IPv4-mapped IPv6 address is not allowed";
  return a;
}

export const isIP = (s: string): boolean => typeof parseIP(s) !== "string";

/** net/netip.ParsePrefix, then the library's parseCIDR (no IPv4-mapped address). */
export function parseCIDR(s: string): { addr: IpAddr; bits: number } | string {
  const slash = s.lastIndexOf("/");
  if (slash < 0) return "no '/'";
  const addr = parseAddr(s.slice(0, slash));
  if (typeof addr === "string") return addr;
  if (addr.zone !== "") return "IPv6 zones cannot be present in a prefix";
  const bitsStr = s.slice(slash + 1);
  // strconv.Atoi without sign or leading zeros.
  if (!/^(0|[1-9][0-9]*)$/.test(bitsStr)) return `bad bits after slash: ${bitsStr}`;
  const bits = Number(bitsStr);
  if (bits > addr.bytes.length * 8) return "prefix length out of range";
  if (is4In6(addr)) return "IPv4-mapped IPv6 address is not allowed";
  return { addr, bits };
}

export const isCIDR = (s: string): boolean => typeof parseCIDR(s) !== "string";

// ---- URLs (library/urls.go isURL: url.ParseRequestURI of Go 1.26) ----

const ALNUM = /^[A-Za-z0-9]$/;
const HOST_OK = "-_.~!$&'()*+,;=:[]<>\"";

/** net/url shouldEscape for the host and zone modes (the only ones whose bytes are checked). */
const hostNeedsEscape = (c: string): boolean => !ALNUM.test(c) && !HOST_OK.includes(c);

/** net/url unescape: false when a %-escape or (host, zone) a byte is not allowed. */
function unescapes(s: string, mode: "path" | "host" | "zone" | "user"): boolean {
  for (let i = 0; i < s.length; ) {
    const c = s[i] as string;
    if (c === "%") {
      if (i + 2 >= s.length || hexValue(s[i + 1] as string) < 0 || hexValue(s[i + 2] as string) < 0)
        return false;
      const triple = s.slice(i, i + 3);
      if (mode === "host" && hexValue(s[i + 1] as string) < 8 && triple !== "%25") return false;
      if (mode === "zone") {
        const v = String.fromCharCode(
          hexValue(s[i + 1] as string) * 16 + hexValue(s[i + 2] as string),
        );
        if (triple !== "%25" && v !== " " && v.charCodeAt(0) < 0x80 && hostNeedsEscape(v))
          return false;
        // Non-ASCII escaped bytes: shouldEscape(v, encodeHost) is true for them.
        if (triple !== "%25" && v.charCodeAt(0) >= 0x80) return false;
      }
      i += 3;
    } else {
      if ((mode === "host" || mode === "zone") && c.charCodeAt(0) < 0x80 && hostNeedsEscape(c))
        return false;
      i++;
    }
  }
  return true;
}

const validOptionalPort = (port: string): boolean => port === "" || /^:[0-9]*$/.test(port);

function validHost(scheme: string, host: string): boolean {
  const open = host.lastIndexOf("[");
  if (open > 0) return false;
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close < 0) return false;
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) return false;
    const hostname = host.slice(1, close);
    let unescaped: string;
    const zone = hostname.indexOf("%25");
    if (zone >= 0) {
      if (!unescapes(hostname.slice(0, zone), "host") || !unescapes(hostname.slice(zone), "zone"))
        return false;
      unescaped = decodePercent(hostname);
    } else {
      if (!unescapes(hostname, "host")) return false;
      unescaped = decodePercent(hostname);
    }
    // Only an IPv6 address (IPv4-mapped ones included) may be bracketed.
    const addr = parseAddr(unescaped);
    return typeof addr !== "string" && addr.bytes.length === 16;
  }
  const first = host.indexOf(":");
  if (first !== -1) {
    // urlstrictcolons (the Go 1.26 default): one colon at most for http and https.
    const i = scheme === "http" || scheme === "https" ? first : host.lastIndexOf(":");
    if (!validOptionalPort(host.slice(i))) return false;
  }
  return unescapes(host, "host");
}

/** %XX decoding of a string already checked by unescapes (bytes kept as Latin-1 chars). */
const decodePercent = (s: string): string =>
  s.replace(/%([0-9A-Fa-f]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));

const USERINFO_OK = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

/** url.ParseRequestURI(s) succeeds: an absolute URI or an absolute path, as Go 1.26 parses it. */
export function isURL(raw: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: Go refuses ASCII control bytes.
  if (/[\x00-\x1f\x7f]/.test(raw)) return false;
  if (raw === "") return false;
  if (raw === "*") return true;
  let scheme = "";
  let rest = raw;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ":") {
      if (i === 0) return false; // missing protocol scheme
      scheme = raw.slice(0, i).toLowerCase();
      rest = raw.slice(i + 1);
    }
    break;
  }
  if (rest.endsWith("?") && rest.split("?").length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf("?");
    if (q >= 0) rest = rest.slice(0, q);
  }
  if (!rest.startsWith("/")) return scheme !== ""; // opaque, or not a request URI
  if (scheme !== "" && rest.startsWith("//")) {
    let authority = rest.slice(2);
    rest = "";
    const slash = authority.indexOf("/");
    if (slash >= 0) {
      rest = authority.slice(slash);
      authority = authority.slice(0, slash);
    }
    const at = authority.lastIndexOf("@");
    if (!validHost(scheme, at < 0 ? authority : authority.slice(at + 1))) return false;
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!USERINFO_OK.test(userinfo) || !unescapes(userinfo, "user")) return false;
    }
  }
  return unescapes(rest, "path");
}

// ---- Quantities (library/quantity.go on resource.ParseQuantity) ----

/** An exact quantity: sign × digits × 10^exp, after ParseQuantity's rounding and cap. */
export interface Quantity {
  negative: boolean;
  digits: bigint;
  exp: number;
}

const DECIMAL_SUFFIXES: Record<string, number> = {
  "": 0,
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const INT64_MAX = (1n << 63n) - 1n;

type Suffix = {
  base: 10 | 2;
  exponent: number;
  format: "DecimalSI" | "BinarySI" | "DecimalExponent";
};

function interpretSuffix(s: string): Suffix | undefined {
  const dec = DECIMAL_SUFFIXES[s];
  if (dec !== undefined) return { base: 10, exponent: dec, format: "DecimalSI" };
  const bin = BINARY_SUFFIXES[s];
  if (bin !== undefined) return { base: 2, exponent: bin, format: "BinarySI" };
  if (s.length > 1 && (s[0] === "e" || s[0] === "E")) {
    // strconv.ParseInt(s[1:], 10, 64), then int32(...)
    if (!/^[+-]?[0-9]+$/.test(s.slice(1))) return undefined;
    const v = BigInt(s.slice(1));
    if (v > INT64_MAX || v < -INT64_MAX - 1n) return undefined;
    return { base: 10, exponent: Number(BigInt.asIntN(32, v)), format: "DecimalExponent" };
  }
  return undefined;
}

/** resource.parseQuantityString: sign, number, fraction and suffix, or undefined (ErrFormatWrong). */
function splitQuantity(
  str: string,
): { positive: boolean; value: string; num: string; denom: string; suffix: string } | undefined {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === "-") {
    positive = false;
    pos++;
  } else if (str[0] === "+") pos++;
  while (pos < end && str[pos] === "0") pos++;
  if (pos >= end) return { positive, value: "0", num: "0", denom: "", suffix: "" };
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, value: str, num, denom: "", suffix: "" };
  pos = i;
  if (num === "") num = "0";
  let denom = "";
  if (str[pos] === ".") {
    pos++;
    let j = pos;
    while (j < end && isDigit(str[j])) j++;
    denom = str.slice(pos, j);
    if (j >= end) return { positive, value: str, num, denom, suffix: "" };
    pos = j;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  let k = pos;
  while (k < end && "eEinumkKMGTP".includes(str[k] as string)) k++;
  if (k >= end) return { positive, value, num, denom, suffix: str.slice(suffixStart) };
  if (str[k] === "-" || str[k] === "+") k++;
  while (k < end && isDigit(str[k])) k++;
  if (k < end) return undefined;
  return { positive, value, num, denom, suffix: str.slice(suffixStart) };
}

/** ceil(n / 10^p) for n ≥ 0, p ≥ 0, without building 10^p when it dwarfs n. */
function ceilDivPow10(n: bigint, p: number): bigint {
  if (n === 0n) return 0n;
  if (p > n.toString().length) return 1n;
  const d = 10n ** BigInt(p);
  return (n + d - 1n) / d;
}

/** resource.ParseQuantity: the quantity, or undefined when Kubernetes refuses the string. */
export function parseQuantity(str: string): Quantity | undefined {
  if (str.length === 0) return undefined;
  if (str === "0") return { negative: false, digits: 0n, exp: 0 };
  const parts = splitQuantity(str);
  if (!parts) return undefined;
  const suffix = interpretSuffix(parts.suffix);
  if (!suffix) return undefined;
  const { positive, value, num, denom } = parts;
  let precision = 0;
  let scale = 0;
  let mantissa = 1n;
  if (suffix.format !== "BinarySI") {
    scale = suffix.exponent;
    precision = 18 - (num.length + denom.length);
  } else if (suffix.exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(suffix.exponent);
    precision = 15 - num.length - Math.trunc((suffix.exponent * 3) / 10) - 1;
  } else precision = -1;
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const result = BigInt(num + denom) * mantissa;
      if (result <= INT64_MAX)
        return { negative: !positive && result !== 0n, digits: result, exp: scale };
    }
  }
  // inf.Dec path: needs a digit, rounds up (away from zero) to 10^-9, caps BinarySI at 2^63-1.
  const unsigned = value.replace(/^[+-]/, "");
  if (!/[0-9]/.test(unsigned)) return undefined;
  const [intPart = "", fracPart = ""] = unsigned.split(".");
  let digits = BigInt(`${intPart}${fracPart}` || "0");
  let exp = -fracPart.length;
  if (suffix.base === 10) exp += suffix.exponent;
  else digits *= 1n << BigInt(suffix.exponent);
  if (exp < -9 && digits !== 0n) {
    digits = ceilDivPow10(digits, -9 - exp);
    exp = -9;
  }
  if (
    suffix.format === "BinarySI" &&
    compareMagnitude({ digits, exp }, { digits: INT64_MAX, exp: 0 }) > 0
  ) {
    digits = INT64_MAX;
    exp = 0;
  }
  return { negative: !positive && digits !== 0n, digits, exp };
}

export const isQuantity = (s: string): boolean => parseQuantity(s) !== undefined;

function compareMagnitude(a: { digits: bigint; exp: number }, b: { digits: bigint; exp: number }) {
  if (a.digits === 0n || b.digits === 0n)
    return a.digits === b.digits ? 0 : a.digits === 0n ? -1 : 1;
  // Orders of magnitude first, so 1e999999999 is never expanded.
  const magA = a.digits.toString().length + a.exp;
  const magB = b.digits.toString().length + b.exp;
  if (magA !== magB) return magA < magB ? -1 : 1;
  const e = Math.min(a.exp, b.exp);
  const x = a.digits * 10n ** BigInt(a.exp - e);
  const y = b.digits * 10n ** BigInt(b.exp - e);
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Quantity.Cmp: -1, 0 or 1. */
export function compareQuantity(a: Quantity, b: Quantity): number {
  const sa = a.digits === 0n ? 0 : a.negative ? -1 : 1;
  const sb = b.digits === 0n ? 0 : b.negative ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  const m = compareMagnitude(a, b);
  return sa < 0 ? -m : m;
}

// ---- format library (library/format.go): dns1123Subdomain ----

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** validation.IsDNS1123Subdomain: its error list (empty when valid). */
export function dns1123SubdomainErrors(s: string): string[] {
  const errs: string[] = [];
  if (s.length > 253) errs.push("must be no more than 253 characters");
  if (!DNS1123_SUBDOMAIN.test(s))
    errs.push(
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    );
  return errs;
}

// ---- RE2 patterns for string.matches ----

// One rune, as RE2 counts: a surrogate pair or any other UTF-16 unit.
const PAIR = "[\\ud800-\\udbff][\\udc00-\\udfff]";
const RE2_SPACE = "\\t\\n\\f\\r ";

/**
 * An RE2 pattern (cel-go's `matches`) rewritten for JavaScript's RegExp
 * without flags, matching the same strings: `\s` is RE2's ASCII space set,
 * `.` and negated classes take a whole rune. Constructs whose meaning differs
 * and that are not rewritten here throw, so a rule using one fails to compile
 * instead of being evaluated differently.
 */
export function re2ToJs(pattern: string): string {
  let out = "";
  const fail = (what: string): never => {
    throw new Error(`RE2 pattern ${JSON.stringify(pattern)}: ${what} is not supported here`);
  };
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    if (c.length > 1) fail("a character outside the Basic Multilingual Plane");
    if (c === "\\") {
      const e = chars[++i];
      if (e === undefined) fail("a trailing backslash");
      else if (e === "s") out += `[${RE2_SPACE}]`;
      else if (e === "S") out += `(?:[^${RE2_SPACE}\\ud800-\\udfff]|${PAIR})`;
      else if ("dDwWbBtnrfv".includes(e)) out += `\\${e}`;
      else if (/^[!-/:-@[-`{-~]$/.test(e)) out += `\\${e}`;
      else fail(`the escape \\${e}`);
    } else if (c === ".") out += `(?:[^\\n\\ud800-\\udfff]|${PAIR})`;
    else if (c === "[") {
      let j = i + 1;
      const negated = chars[j] === "^";
      if (negated) j++;
      let body = "";
      let first = true;
      for (; j < chars.length; j++) {
        const d = chars[j] as string;
        if (d.length > 1) fail("a character outside the Basic Multilingual Plane");
        if (d === "]" && !first) break;
        first = false;
        if (d === "[" && chars[j + 1] === ":") fail("a POSIX class");
        if (d === "\\") {
          const e = chars[++j];
          if (e === undefined) fail("a trailing backslash");
          else if (e === "s") body += RE2_SPACE;
          else if ("dwtnrfv".includes(e)) body += `\\${e}`;
          else if (/^[!-/:-@[-`{-~]$/.test(e)) body += `\\${e}`;
          else fail(`the escape \\${e} in a class`);
        } else body += d === "]" ? "\\]" : d;
      }
      if (j >= chars.length) fail("an unterminated class");
      i = j;
      out += negated ? `(?:[^${body}\\ud800-\\udfff]|${PAIR})` : `[${body}]`;
    } else if (c === "(" && chars[i + 1] === "?") {
      if (chars[i + 2] === ":") {
        out += "(?:";
        i += 2;
      } else fail("a group flag");
    } else out += c;
  }
  return out;
}
