/**
 * Aggregation terms shared by stats and tstats: `count`, `dc(x)`, `values(x) AS y`,
 * `count(eval(x>1))`, `perc95(x)`, and by-clauses.
 */
import type { EvalExpr, Span } from "../parse/ast.js";
import type { ArgReader } from "../parse/args.js";
import * as T from "../parse/lexer.js";

export interface Aggregation {
  /** Canonical function name: `count`, `dc`, `avg`, `values`, `perc` ... (aliases resolved). */
  readonly fn: string;
  /** For perc/p/exactperc/upperperc: the percentile (perc95 → 95). */
  readonly percentile?: number;
  /** The field aggregated; absent for a bare `count` or an `eval(...)` argument. */
  readonly field?: string;
  /** `count(eval(x>1))`: the expression whose non-null values are aggregated. */
  readonly evalExpr?: EvalExpr;
  /** Output column: the AS name, else the call as written (`values(All_Traffic.dest_port)`), as Splunk names it. */
  readonly as: string;
  readonly span: Span;
}

const aliases: Record<string, string> = { c: "count", distinct_count: "dc", mean: "avg" };

/** searchbnf 8.2.12 [stats-command] function list; perc<N>, p<N>, exactperc<N>, upperperc<N> take a number. */
const functions = new Set([
  "count", "dc", "avg", "stdev", "stdevp", "var", "varp", "sum", "sumsq", "min", "max", "range", "mode", "median",
  "earliest", "latest", "earliest_time", "latest_time", "first", "last", "list", "values", "estdc", "estdc_error",
  "rate", "rate_avg", "rate_sum", "sparkline",
]);

const percentile = /^(perc|p|exactperc|upperperc)(\d+(?:\.\d+)?)$/i;

export function isAggregationStart(r: ArgReader): boolean {
  if (!r.atValue()) return false;
  const word = r.peek()!.image.toLowerCase();
  return functions.has(aliases[word] ?? word) || percentile.test(word);
}

/** One aggregation term with its optional `AS name`. */
export function readAggregation(r: ArgReader): Aggregation {
  const nameToken = r.next();
  const written = nameToken.image.toLowerCase();
  const pct = percentile.exec(written);
  const fn = pct ? pct[1]!.toLowerCase() : (aliases[written] ?? written);
  if (!pct && !functions.has(fn)) {
    r.fail("bad-argument", `${r.command}: unknown statistical function '${nameToken.image}'`, {
      start: nameToken.startOffset,
      end: T.tokenEnd(nameToken),
    });
  }
  let field: string | undefined;
  let evalExpr: EvalExpr | undefined;
  const start = nameToken.startOffset;
  if (r.peek()?.tokenType === T.LParen && r.peek()!.startOffset === T.tokenEnd(nameToken)) {
    const { inner } = r.parenthesised();
    if (fn === "sparkline") {
      // sparkline(count(x), 1h): a chart of another aggregation, kept as written.
      while (!inner.atEnd()) inner.next();
    } else if (inner.atWord("eval") && inner.peek(1)?.tokenType === T.LParen) {
      inner.next();
      const { inner: expr } = inner.parenthesised();
      evalExpr = expr.evalExpression();
    } else {
      field = inner.value("a field name").text;
    }
    inner.end();
  } else if (fn !== "count" && fn !== "sparkline") {
    r.fail("bad-argument", `${r.command}: ${nameToken.image} needs a field, as ${nameToken.image}(field)`, {
      start: nameToken.startOffset,
      end: T.tokenEnd(nameToken),
    });
  }
  const callEnd = r.offset;
  const callText = r.text.slice(start, callEnd).replace(/\s+/g, "");
  let as = callText;
  if (r.acceptWord("as")) as = readOutputName(r);
  const base = { fn, as, span: { start, end: r.offset } };
  return {
    ...base,
    ...(pct ? { percentile: Number(pct[2]) } : {}),
    ...(field !== undefined ? { field } : {}),
    ...(evalExpr ? { evalExpr } : {}),
  };
}

/** Fields of a `by` clause, separated by spaces or commas, up to a word in `stopWords` or an option. */
export function readFieldList(r: ArgReader, stopWords: readonly string[] = [], stopAtOption = false): Array<{ field: string; span: Span }> {
  const out: Array<{ field: string; span: Span }> = [];
  while (!r.atEnd()) {
    if (r.accept(T.Comma)) continue;
    if (stopAtOption && r.atOption()) break;
    if (stopWords.length > 0 && r.atWord(...stopWords)) break;
    if (!r.atValue()) break;
    const v = r.value("a field name");
    out.push({ field: v.text, span: v.span });
  }
  return out;
}

/** An AS name; Splunk keeps `aceFlags(inheritance)` as one name, parentheses and all. */
function readOutputName(r: ArgReader): string {
  const value = r.value("an output field name after AS");
  let name = value.text;
  while (r.peek()?.tokenType === T.LParen && r.peek()!.startOffset === r.offset) {
    const { span } = r.parenthesised();
    name += r.text.slice(span.start, span.end);
  }
  return name;
}
