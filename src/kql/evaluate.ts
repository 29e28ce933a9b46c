/**
 * Evaluating KQL against documents, as Elasticsearch answers the query Kibana builds from it, with
 * the semantics recorded in ../shared/reference/peers.md §2c (detection-rules' Python evaluator):
 *
 * - `field:value` holds when any value of the field (arrays flattened) equals the value. Values are
 *   compared by the field's type when it is known (a mapping declares it): ip fields as addresses,
 *   with CIDR ranges (`10.0.0.0/8`, `"FE80::/10"`) matching the addresses inside them; numeric fields
 *   as numbers; dates as instants; keyword fields as case-sensitive strings. A field of unknown type
 *   is compared by what the document holds: numbers as numbers, an IP address against an address or
 *   range, otherwise strings (the Python evaluator's rule).
 * - `field:(a or b and not c)` applies the boolean list to the field: `a and b` needs both values.
 * - Wildcards are anchored and case-sensitive (`C:\\*.exe` matches the whole value), and match
 *   strings only; `field:*` is true when the field has a value. A quoted `*` is a star.
 * - A value that cannot be of its field's type (`destination.ip:foo`, a wildcard on an ip or numeric
 *   field) is an error, as Elasticsearch rejects the query ("failed to create query").
 * - `field < value` ... compares numbers, addresses, dates (date math allowed, `now-1d`) or strings
 *   by the field's type, or by what both sides parse as when it is unknown.
 * - `parent:{ ... }`: some element of `parent` satisfies the whole inner query (Elasticsearch's
 *   nested query); inner field names are relative to `parent`.
 * - A value without a field matches any leaf of the document.
 * - A field name with `*` (`process.*:x`) stands for every field of the document it matches.
 */
import type ipaddr from "ipaddr.js";
import { diagnostic, SplError } from "../diag/diagnostic.js";
import { isoTime } from "../ingest/time.js";
import { parseCidr, parseIp } from "../search/match.js";
import { isOnlyStars, type KqlLiteral, type KqlNode, type KqlValue, type RangeOp } from "./ast.js";
import { parseDateMath } from "./datemath.js";
import { leaves, valuesAt, type KqlDocument } from "./document.js";
import { patternRegExp } from "./literal.js";
import type { KqlQuery } from "./parser.js";

/** An Elasticsearch field type name (`ip`, `long`, `keyword`, `date` ...), or undefined when unknown. */
export type FieldTypes = (field: string) => string | undefined;

export interface KqlCompileOptions {
  /** Field types (from the ECS mappings); fields it does not know are compared by their values. */
  readonly fieldTypes?: FieldTypes;
  /** `now` for date math in ranges (epoch seconds); default the current time. */
  readonly now?: number;
}

export type DocPredicate = (doc: KqlDocument) => boolean;

type Kind = "ip" | "number" | "date" | "boolean" | "string" | "dynamic";

const NUMERIC_TYPES = new Set(["long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long"]);

export function kindOf(type: string | undefined): Kind {
  if (type === undefined) return "dynamic";
  if (type === "ip") return "ip";
  if (NUMERIC_TYPES.has(type)) return "number";
  if (type === "date" || type === "date_nanos") return "date";
  if (type === "boolean") return "boolean";
  if (type === "keyword" || type === "constant_keyword" || type === "wildcard" || type === "text" || type === "match_only_text") return "string";
  return "dynamic";
}

/** Compiles a parsed query into a document predicate; throws a located SplError for values that cannot fit their field. */
export function compileKql(query: KqlQuery, options: KqlCompileOptions = {}): DocPredicate {
  const c = new Compiler(query, options);
  return c.node(query.ast, "");
}

/** Like compileKql, but only checks the query against the field types. */
export function checkKql(query: KqlQuery, options: KqlCompileOptions = {}): void {
  compileKql(query, options);
}

class Compiler {
  private readonly types: FieldTypes;
  private readonly now: number;
  constructor(
    private readonly query: KqlQuery,
    options: KqlCompileOptions,
  ) {
    this.types = options.fieldTypes ?? (() => undefined);
    this.now = options.now ?? Date.now() / 1000;
  }

  fail(message: string, literal: { span: { start: number; end: number } }): never {
    const { start, end } = literal.span;
    throw new SplError([diagnostic("bad-argument", message, start, end - start)], this.query.text, this.query.locator);
  }

  /** `prefix` is the path of the enclosing nested field ("" at the top), for field types. */
  node(n: KqlNode, prefix: string): DocPredicate {
    switch (n.kind) {
      case "all":
        return () => true;
      case "or": {
        const items = n.items.map((i) => this.node(i, prefix));
        return (doc) => items.some((p) => p(doc));
      }
      case "and": {
        const items = n.items.map((i) => this.node(i, prefix));
        return (doc) => items.every((p) => p(doc));
      }
      case "not": {
        const inner = this.node(n.expr, prefix);
        return (doc) => !inner(doc);
      }
      case "match": {
        if (n.field.pattern !== undefined) return this.wildcardField(n.field, prefix, (kind) => this.value(n.value, kind, n.field.text));
        const kind = kindOf(this.types(prefix + n.field.text));
        const test = this.value(n.value, kind, prefix + n.field.text);
        const path = n.field.text.split(".");
        return (doc) => test(valuesAt(doc, path));
      }
      case "range": {
        if (n.field.pattern !== undefined) return this.wildcardField(n.field, prefix, (kind) => this.range(n.op, n.value, kind, n.field.text));
        const kind = kindOf(this.types(prefix + n.field.text));
        const test = this.range(n.op, n.value, kind, prefix + n.field.text);
        const path = n.field.text.split(".");
        return (doc) => test(valuesAt(doc, path));
      }
      case "nested": {
        const inner = this.node(n.query, `${prefix}${n.field.text}.`);
        const path = n.field.text.split(".");
        return (doc) => valuesAt(doc, path).some((element) => typeof element === "object" && element !== null && inner(element as KqlDocument));
      }
      case "text": {
        if (isOnlyStars(n.literal)) return () => true;
        const match = this.literal(n.literal, "dynamic", "");
        return (doc) => leaves(doc).some(([, v]) => match(v));
      }
    }
  }

  /** A field name with wildcards: the test holds for some field of the document that the name matches. */
  private wildcardField(field: KqlLiteral, prefix: string, build: (kind: Kind) => (values: unknown[]) => boolean): DocPredicate {
    const re = patternRegExp(field.pattern!);
    const tests = new Map<string, (values: unknown[]) => boolean>();
    // Elasticsearch queries the matching fields leniently: a value that cannot be of one field's type
    // just does not match that field.
    const testFor = (path: string) => {
      let t = tests.get(path);
      if (!t) {
        try {
          t = build(kindOf(this.types(prefix + path)));
        } catch (e) {
          if (!(e instanceof SplError)) throw e;
          t = () => false;
        }
        tests.set(path, t);
      }
      return t;
    };
    // Checked once against the declared fields so that a type error is reported before anything runs.
    build("dynamic");
    return (doc) => {
      const byPath = new Map<string, unknown[]>();
      for (const [path, v] of leaves(doc)) {
        if (!re.test(path)) continue;
        let list = byPath.get(path);
        if (!list) byPath.set(path, (list = []));
        list.push(v);
      }
      for (const [path, values] of byPath) if (testFor(path)(values)) return true;
      return false;
    };
  }

  private value(v: KqlValue, kind: Kind, field: string): (values: unknown[]) => boolean {
    switch (v.kind) {
      case "or": {
        const items = v.items.map((i) => this.value(i, kind, field));
        return (values) => items.some((p) => p(values));
      }
      case "and": {
        const items = v.items.map((i) => this.value(i, kind, field));
        return (values) => items.every((p) => p(values));
      }
      case "not": {
        const inner = this.value(v.expr, kind, field);
        return (values) => !inner(values);
      }
      case "literal": {
        if (isOnlyStars(v.literal)) return (values) => values.length > 0;
        const match = this.literal(v.literal, kind, field);
        return (values) => values.some(match);
      }
    }
  }

  /** Does one value of the document equal (or match) the literal? */
  private literal(lit: KqlLiteral, kind: Kind, field: string): (v: unknown) => boolean {
    const text = lit.text;
    if (lit.pattern !== undefined) {
      if (kind !== "string" && kind !== "dynamic") this.fail(`wildcards cannot be used on ${field}, a field of type ${typeName(kind)} (only on keyword fields)`, lit);
      const re = patternRegExp(lit.pattern);
      return (v) => typeof v === "string" && re.test(v);
    }
    switch (kind) {
      case "ip": {
        const test = ipTest(text);
        if (!test) this.fail(`'${text}' is not an IP address or CIDR range, and ${field} is an ip field`, lit);
        return (v) => typeof v === "string" && test(v);
      }
      case "number": {
        const n = numberOf(text);
        if (n === undefined) this.fail(`'${text}' is not a number, and ${field} is a numeric field`, lit);
        return (v) => numberOf(v) === n;
      }
      case "date": {
        const t = parseDateMath(text, this.now);
        if (t === undefined) this.fail(`'${text}' is not a date, and ${field} is a date field`, lit);
        return (v) => timeOf(v) === t;
      }
      case "boolean": {
        const b = text === "true" ? true : text === "false" ? false : undefined;
        if (b === undefined) this.fail(`'${text}' is not true or false, and ${field} is a boolean field`, lit);
        return (v) => v === b || v === String(b);
      }
      case "string":
        return (v) => (typeof v === "string" ? v === text : (typeof v === "number" || typeof v === "boolean") && String(v) === text);
      case "dynamic": {
        const ip = ipTest(text);
        const n = numberOf(text);
        return (v) => {
          if (typeof v === "number") return n !== undefined && v === n;
          if (typeof v === "boolean") return String(v) === text;
          if (typeof v !== "string") return false;
          if (v === text) return true;
          return ip !== undefined && parseIp(v) !== undefined && ip(v);
        };
      }
    }
  }

  private range(op: RangeOp, lit: KqlLiteral, kind: Kind, field: string): (values: unknown[]) => boolean {
    const holds = (c: number) => (op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0);
    const text = lit.text;
    let compare: (v: unknown) => number | undefined;
    switch (kind) {
      case "number": {
        const bound = numberOf(text);
        if (bound === undefined) this.fail(`'${text}' is not a number, and ${field} is a numeric field`, lit);
        compare = (v) => diff(numberOf(v), bound);
        break;
      }
      case "ip": {
        const bound = parseIp(text);
        if (!bound) this.fail(`'${text}' is not an IP address, and ${field} is an ip field`, lit);
        compare = (v) => (typeof v === "string" ? ipCompare(parseIp(v), bound) : undefined);
        break;
      }
      case "date": {
        const bound = parseDateMath(text, this.now);
        if (bound === undefined) this.fail(`'${text}' is not a date, and ${field} is a date field`, lit);
        compare = (v) => diff(timeOf(v), bound);
        break;
      }
      case "boolean":
      case "string":
        compare = (v) => (typeof v === "string" ? stringCompare(v, text) : undefined);
        break;
      case "dynamic": {
        const n = numberOf(text);
        const ip = parseIp(text);
        const time = n === undefined ? parseDateMath(text, this.now) : undefined;
        compare = (v) => {
          if (n !== undefined && numberOf(v) !== undefined) return diff(numberOf(v), n);
          if (ip && typeof v === "string" && parseIp(v)) return ipCompare(parseIp(v), ip);
          if (time !== undefined && timeOf(v) !== undefined) return diff(timeOf(v), time);
          return typeof v === "string" ? stringCompare(v, text) : undefined;
        };
        break;
      }
    }
    return (values) =>
      values.some((v) => {
        const c = compare(v);
        return c !== undefined && holds(c);
      });
  }
}

function typeName(kind: Kind): string {
  return kind === "number" ? "number" : kind;
}

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function numberOf(v: unknown): number | undefined {
  if (typeof v === "number") return Number.isFinite(v) ? v : undefined;
  if (typeof v === "string" && NUMERIC.test(v)) return Number(v);
  return undefined;
}

function timeOf(v: unknown): number | undefined {
  if (typeof v === "number") return v / 1000; // epoch milliseconds, as Elasticsearch stores dates
  if (typeof v === "string") return isoTime(v);
  return undefined;
}

function diff(a: number | undefined, b: number): number | undefined {
  return a === undefined ? undefined : a - b;
}

function stringCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An address or a CIDR range as a test on address strings; undefined when the text is neither. */
export function ipTest(text: string): ((v: string) => boolean) | undefined {
  const range = parseCidr(text);
  if (range) {
    const [base, bits] = range;
    return (v) => {
      const ip = parseIp(v);
      return ip !== undefined && ip.kind() === base.kind() && (ip as ipaddr.IPv4).match(base as ipaddr.IPv4, bits);
    };
  }
  const ip = parseIp(text);
  if (!ip) return undefined;
  const key = ipKey(ip);
  return (v) => {
    const other = parseIp(v);
    return other !== undefined && ipKey(other) === key;
  };
}

/** One spelling per address (IPv4 dotted, IPv6 in RFC 5952 form), as Elasticsearch returns ip values. */
export function ipKey(ip: ipaddr.IPv4 | ipaddr.IPv6): string {
  return ip.kind() === "ipv4" ? ip.toString() : (ip as ipaddr.IPv6).toRFC5952String();
}

/** Addresses ordered as Elasticsearch orders ip values: IPv4 as IPv4-mapped IPv6. */
function ipCompare(a: ipaddr.IPv4 | ipaddr.IPv6 | undefined, b: ipaddr.IPv4 | ipaddr.IPv6): number | undefined {
  if (!a) return undefined;
  const x = a.kind() === "ipv4" ? (a as ipaddr.IPv4).toIPv4MappedAddress().toByteArray() : a.toByteArray();
  const y = b.kind() === "ipv4" ? (b as ipaddr.IPv4).toIPv4MappedAddress().toByteArray() : b.toByteArray();
  for (let i = 0; i < 16; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}
