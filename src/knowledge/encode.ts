/**
 * Dictionary coding of columns (DictColumn): each distinct value stored once, rows holding codes.
 * Searches over a DictColumn test each distinct value once (search/match.ts), which is why
 * search-time fields and data model summaries are stored this way.
 *
 * The work here is done per distinct value wherever it can be: a dictionary-coded column is
 * recoded value by value (and shared as it is when nothing changes), and a computed column is
 * evaluated once per value of the field it reads first, when that value alone decides the result.
 */
import { ColumnBuilder } from "../table/builder.js";
import { ArrayColumn, type Codes, type Column, DictColumn, narrowCodes, NumberColumn, type Table, TakeColumn } from "../table/table.js";
import { DictionaryBuilder } from "../table/dictionary.js";
import { scalarNumber, type Scalar, type Value } from "../table/value.js";

/** Values computed row by row, dictionary-coded (or plain when they are mostly distinct: see ColumnBuilder). */
export function encodeValues(values: readonly Value[]): Column {
  const builder = new ColumnBuilder(values.length);
  for (let row = 0; row < values.length; row++) builder.setShared(row, values[row] ?? null);
  return builder.finish(values.length);
}

/**
 * Code arrays that many columns of one table can share: all null, or all the first (only) value.
 * A summary has dozens of columns that are one or the other; each costs nothing per row this way.
 */
export class SharedCodes {
  private nulls: Int8Array | undefined;
  private zeros: Int8Array | undefined;
  constructor(readonly length: number) {}

  /** `codes` itself, or the shared array with the same contents. */
  share(codes: Codes): Codes {
    if (codes.length !== this.length || codes.length === 0) return codes;
    const first = codes[0]!;
    if (first !== -1 && first !== 0) return codes;
    for (let i = 1; i < codes.length; i++) if (codes[i] !== first) return codes;
    if (first === -1) return (this.nulls ??= new Int8Array(this.length).fill(-1));
    return (this.zeros ??= new Int8Array(this.length));
  }
}

/** Interning of values as encode has always done it: numbers and strings by value, multivalues by their JSON text (the same array once). */
class ValueCoder {
  readonly dictionary = new DictionaryBuilder();
  private readonly arrays = new Map<readonly Scalar[], number>();

  code(v: Value): number {
    if (v === null) return -1;
    if (typeof v === "string") return this.dictionary.code(v);
    if (typeof v === "number") return this.dictionary.codeOfNumber(v);
    // A multivalue: the same array object (shared by rows) is looked up once.
    let code = this.arrays.get(v);
    if (code === undefined) this.arrays.set(v, (code = this.dictionary.codeOfMulti(v, false)));
    return code;
  }
}

/**
 * A column as a summary holds it (numbers coerced for number fields): a missing column is all null
 * (a DictColumn); a dictionary-coded source (what ingest builds) is recoded distinct value by
 * distinct value into a DictColumn, or taken as it is when no value changes and no rows are picked
 * out of it; so is a plain column (NumberColumn, ArrayColumn: values mostly distinct) when no value
 * changes. Other columns are built row by row (ColumnBuilder: dictionary-coded unless mostly distinct).
 */
export function encode(column: Column | undefined, length: number, numeric: boolean, shared?: SharedCodes): Column {
  const dictionary = (codes: Codes, dict: readonly Value[]): DictColumn => new DictColumn(shared ? shared.share(codes) : codes, dict);
  if (!column) return dictionary(new Int8Array(length).fill(-1), []);
  const source = dictionarySource(column);
  if (source) {
    if (!source.rows && source.codes.length === length && (!numeric || source.dict.every((v) => toNumeric(v) === v))) return dictionary(source.codes, source.dict);
    const coder = new ValueCoder();
    const codes = new Int32Array(length);
    const remap = new Int32Array(source.dict.length).fill(-2);
    const { rows } = source;
    for (let row = 0; row < length; row++) {
      const c = source.codes[rows ? rows[row]! : row] ?? -1;
      if (c < 0) {
        codes[row] = -1;
        continue;
      }
      let code = remap[c]!;
      if (code === -2) {
        const v = source.dict[c] ?? null;
        remap[c] = code = coder.code(v !== null && numeric ? toNumeric(v) : v);
      }
      codes[row] = code;
    }
    return dictionary(narrowCodes(codes, coder.dictionary.size), coder.dictionary.values);
  }
  if (column.length === length && (column instanceof NumberColumn || (column instanceof ArrayColumn && !numeric))) return column;
  const builder = new ColumnBuilder(length);
  for (let row = 0; row < length; row++) {
    const v = column.get(row);
    builder.setShared(row, v !== null && numeric ? toNumeric(v) : v);
  }
  const built = builder.finish(length);
  return built instanceof DictColumn ? dictionary(built.codes, built.dict) : built;
}

/** The codes and dictionary behind a DictColumn, directly or through one TakeColumn. */
export function dictionarySource(column: Column): { codes: Codes; dict: readonly Value[]; rows?: Uint32Array } | undefined {
  if (column instanceof DictColumn) return { codes: column.codes, dict: column.dict };
  if (column instanceof TakeColumn && column.base instanceof DictColumn) return { codes: column.base.codes, dict: column.base.dict, rows: column.rows };
  return undefined;
}

function toNumeric(v: Value): Value {
  if (typeof v === "string") return scalarNumber(v) ?? v;
  if (Array.isArray(v)) return v.map((s: Scalar) => (typeof s === "string" ? (scalarNumber(s) ?? s) : s));
  return v;
}

/**
 * A column computed row by row from `table` (a calculated field), dictionary-coded, with the
 * computation run once per distinct value where that gives the same column.
 *
 * `compile` makes the row function over the table it is given. It is given a view of `table` that
 * notes which columns each evaluation reads. The first column the first row reads is the driver;
 * for each distinct value of a dictionary-coded driver, one row is evaluated, and when that
 * evaluation read no other column, its result is every row's with that value (the computation must
 * be deterministic: no random(), no clock). Rows whose value made the evaluation read other columns
 * are evaluated one by one, and so is every row of a plain driver. When every row's result is its
 * driver value, the driver column itself (or its codes) is the result.
 */
export function encodeComputed(table: Table, compile: (probe: Table) => (row: number) => Value, shared?: SharedCodes): Column {
  const length = table.length;
  const probe = new Probe();
  const evaluate = compile(probe.wrap(table));
  const coder = new ValueCoder();
  const finish = (codes: Int32Array): DictColumn => {
    const narrow = narrowCodes(codes, coder.dictionary.size);
    return new DictColumn(shared ? shared.share(narrow) : narrow, coder.dictionary.values);
  };
  const codes = new Int32Array(length);
  if (length === 0) return finish(codes);

  probe.start(undefined);
  const first = evaluate(0);
  const driver = probe.firstRead;
  if (driver === undefined) {
    // Nothing read: the same result for every row.
    codes.fill(coder.code(first));
    return finish(codes);
  }
  const source = dictionarySource(driver.base);
  if (!source) return rowByRow(driver.base, first, evaluate, length);

  const { dict, rows } = source;
  const driverCodes = source.codes;
  const nullSlot = dict.length;
  /** Per driver code (nullSlot for null): its result's code, UNKNOWN, or DEPENDS (evaluate each row). */
  const memo = new Int32Array(dict.length + 1).fill(UNKNOWN);
  let identity = true;
  for (let row = 0; row < length; row++) {
    const c = driverCodes[rows ? rows[row]! : row] ?? -1;
    const slot = c < 0 ? nullSlot : c;
    let code = memo[slot]!;
    if (code === UNKNOWN || code === DEPENDS) {
      probe.start(driver);
      const v = evaluate(row);
      code = coder.code(v);
      if (identity && v !== (c < 0 ? null : dict[c])) identity = false;
      if (memo[slot] === UNKNOWN) memo[slot] = probe.readOthers ? DEPENDS : code;
    }
    codes[row] = code;
  }
  if (identity && !rows && driverCodes.length === length) return new DictColumn(shared ? shared.share(driverCodes) : driverCodes, dict);
  return finish(codes);
}

/** Every row evaluated (a driver whose values are mostly distinct); the driver itself when every result is its value. */
function rowByRow(driver: Column, first: Value, evaluate: (row: number) => Value, length: number): Column {
  const builder = new ColumnBuilder(length);
  let identity = driver.length === length && first === driver.get(0);
  builder.setShared(0, first);
  for (let row = 1; row < length; row++) {
    const v = evaluate(row);
    if (identity && v !== driver.get(row)) identity = false;
    builder.setShared(row, v);
  }
  return identity ? driver : builder.finish(length);
}

const UNKNOWN = -2;
const DEPENDS = -3;

/** Notes the columns an evaluation reads (see encodeComputed). */
class Probe {
  firstRead: ProbeColumn | undefined;
  readOthers = false;
  private driver: ProbeColumn | undefined;

  start(driver: ProbeColumn | undefined): void {
    this.driver = driver;
    this.firstRead = undefined;
    this.readOthers = false;
  }

  read(column: ProbeColumn): void {
    if (this.firstRead === undefined) this.firstRead = column;
    if (column !== this.driver) this.readOthers = true;
  }

  wrap(table: Table): Table {
    return table.mapColumns((c) => new ProbeColumn(c, this));
  }
}

class ProbeColumn implements Column {
  constructor(
    readonly base: Column,
    private readonly probe: Probe,
  ) {}
  get length(): number {
    return this.base.length;
  }
  get(row: number): Value {
    this.probe.read(this);
    return this.base.get(row);
  }
}
