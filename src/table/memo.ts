/**
 * A computation over every row of a table, evaluated once per distinct combination of the
 * dictionary-coded values it reads: what makes search-time knowledge (EVAL-, LOOKUP-, REPORT-,
 * eventtypes, tags) and data model calculations cost a few array reads per event instead of an
 * evaluation per event. Event logs repeat their values; a Zeek conn log of a million events has a
 * handful of states, protocols and services and a few thousand ports.
 *
 * The computation is compiled over a view of the table whose columns note what is read. A
 * deterministic computation reads its first column whatever the row, and which column it reads next
 * depends only on the values read so far; so the evaluations form a decision tree (a trie): a node
 * reads one column and branches on that row's code, a leaf is a result. Each row walks the tree by
 * its codes; only a row that reaches a branch not taken before is evaluated, and its reads extend
 * the tree. A read of a column that is not dictionary-coded (times, byte counts, `_raw`) ends the
 * memo on that branch: rows reaching it are evaluated one by one.
 *
 * The computation must be deterministic (no random(), no clock) and read the row only through the
 * table's columns: callers check (eval's isDeterministic). As a safety net, an evaluation whose
 * reads contradict the tree (hidden state) drops the memo, and the remaining rows are evaluated
 * one by one; a computation with hidden state that happens to read consistently is not caught.
 */
import { type Codes, type Column, ConstantColumn, DictColumn, type Table, TakeColumn } from "./table.js";
import type { Value } from "./value.js";

export interface Evaluated<T> {
  /** Per row: the index of its result in `results`. */
  readonly ids: Int32Array;
  /** Distinct evaluations' results (rows evaluated one by one add one each). */
  readonly results: readonly T[];
  /** The column every evaluation reads first, when there is one. */
  readonly readFirst?: Column;
  /**
   * When that column's code alone decided every row's result: per slot (code + 1; 0 for null) the
   * result id, or -1 where no row has that code.
   */
  readonly byFirstCode?: Int32Array;
}

/** A slot not reached yet; a positive slot is a child node + 1, a negative one a result id (-1 - id). */
const UNKNOWN = 0;
/** Rows reaching this slot are evaluated one by one. */
const EVALUATE = 0x7fffffff;
/** Children of a node over a dictionary up to this size are an array; larger ones a Map (a node deep in the tree sees few of its column's values). */
const ARRAY_CHILDREN = 256;

/** How a probed column gives a row's code: codes (through `rows` for a view), a constant (code 0), or none (not dictionary-coded). */
interface CodeSource {
  readonly codes: Codes | undefined;
  readonly rows: Uint32Array | undefined;
  /** Slots a node over this column needs: its dictionary's size + 1 (slot 0 is null). */
  readonly slots: number;
}

function codeSource(column: Column): CodeSource {
  if (column instanceof DictColumn) return { codes: column.codes, rows: undefined, slots: column.dict.length + 1 };
  if (column instanceof TakeColumn && column.base instanceof DictColumn) return { codes: column.base.codes, rows: column.rows, slots: column.base.dict.length + 1 };
  if (column instanceof ConstantColumn) return { codes: undefined, rows: undefined, slots: 2 };
  return { codes: undefined, rows: undefined, slots: 0 };
}

/** The slot of a row in a node over `s` (code + 1; a constant's one value is slot 1); -1 when `s` has no codes. */
function slotOf(s: CodeSource, row: number): number {
  if (s.codes !== undefined) return s.codes[s.rows !== undefined ? s.rows[row]! : row]! + 1;
  return s.slots === 2 ? 1 : -1;
}

/** The reads of one evaluation: column indexes, in order. */
class Recorder {
  readonly reads: number[] = [];
  recording = false;
}

class ProbeColumn implements Column {
  constructor(
    readonly base: Column,
    private readonly index: number,
    private readonly recorder: Recorder,
  ) {}
  get length(): number {
    return this.base.length;
  }
  get(row: number): Value {
    if (this.recorder.recording) this.recorder.reads.push(this.index);
    return this.base.get(row);
  }
}

/**
 * `compile(view)` gives the row function over `view`, a table with `table`'s columns; every row is
 * evaluated through it, once per distinct path of codes. `maxResults` bounds the results the tree
 * learns (default: a quarter of the rows, at least 4,096): past it, rows on paths not learnt yet
 * are evaluated one by one, as a tree that large saves little.
 */
export function evaluateByCodes<T>(table: Table, compile: (view: Table) => (row: number) => T, maxResults?: number): Evaluated<T> {
  const length = table.length;
  const recorder = new Recorder();
  const sources: CodeSource[] = [];
  const bases: Column[] = [];
  const view = table.mapColumns((column) => {
    sources.push(codeSource(column));
    bases.push(column);
    return new ProbeColumn(column, sources.length - 1, recorder);
  });
  const evaluate = compile(view);
  const ids = new Int32Array(length);
  const results: T[] = [];
  if (length === 0) return { ids, results };
  const limit = maxResults ?? Math.max(4096, length >> 2);

  // The tree: node n reads column nodeColumn[n]; its children by slot.
  const nodeColumn: number[] = [];
  const children: Array<Int32Array | Map<number, number>> = [];
  const addNode = (column: number): number => {
    const slots = sources[column]!.slots;
    nodeColumn.push(column);
    children.push(nodeColumn.length === 1 || slots <= ARRAY_CHILDREN ? new Int32Array(slots) : new Map());
    return nodeColumn.length - 1;
  };
  const getSlot = (node: number, slot: number): number => {
    const ch = children[node]!;
    return ch instanceof Int32Array ? ch[slot]! : (ch.get(slot) ?? UNKNOWN);
  };
  const setSlot = (node: number, slot: number, value: number): void => {
    const ch = children[node]!;
    if (ch instanceof Int32Array) ch[slot] = value;
    else ch.set(slot, value);
  };

  /** Evaluates `row`, recording its reads; false when they contradict the tree (the memo is then dropped). */
  const learn = (row: number): boolean => {
    recorder.reads.length = 0;
    recorder.recording = true;
    let value: T;
    try {
      value = evaluate(row);
    } finally {
      recorder.recording = false;
    }
    const reads = recorder.reads;
    const id = results.push(value) - 1;
    ids[row] = id;
    if (reads.length === 0 || sources[reads[0]!]!.slots === 0) return nodeColumn.length === 0; // no tree (see below)
    if (nodeColumn.length === 0) addNode(reads[0]!);
    let node = 0;
    for (let k = 0; ; ) {
      if (reads[k] !== nodeColumn[node]) return false;
      const slot = slotOf(sources[reads[k]!]!, row);
      // The same column read again on this path: its slot is already known.
      while (k + 1 < reads.length && reads[k + 1] === reads[k]) k++;
      const next = getSlot(node, slot);
      if (k + 1 === reads.length) {
        if (next !== UNKNOWN && next !== EVALUATE) return false;
        if (next === UNKNOWN) setSlot(node, slot, -1 - id);
        return true;
      }
      const column = reads[k + 1]!;
      if (next === EVALUATE) return true;
      if (next < 0) return false;
      if (next > 0) {
        node = next - 1;
        k++;
        continue;
      }
      if (sources[column]!.slots === 0) {
        setSlot(node, slot, EVALUATE);
        return true;
      }
      const child = addNode(column);
      setSlot(node, slot, child + 1);
      node = child;
      k++;
    }
  };

  /** Every row from `from` on, one by one, through columns that note nothing. */
  const direct = (from: number, readFirst: Column | undefined): Evaluated<T> => {
    const plain = compile(table);
    for (let row = from; row < length; row++) ids[row] = results.push(plain(row)) - 1;
    return readFirst ? { ids, results, readFirst } : { ids, results };
  };

  learn(0);
  if (nodeColumn.length === 0) {
    // Nothing read: one result for every row. A first read without codes: no tree at all.
    if (recorder.reads.length > 0) return direct(1, bases[recorder.reads[0]!]);
    ids.fill(0);
    return { ids, results };
  }

  const rootSource = sources[nodeColumn[0]!]!;
  const root = children[0] as Int32Array;
  for (let row = 1; row < length; row++) {
    let v = root[slotOf(rootSource, row)]!;
    while (v > 0 && v !== EVALUATE) {
      const node = v - 1;
      v = getSlot(node, slotOf(sources[nodeColumn[node]!]!, row));
    }
    if (v < 0) ids[row] = -1 - v;
    // Past the limit, rows on new paths are evaluated without growing the tree.
    else if (v === EVALUATE || results.length >= limit) ids[row] = results.push(evaluate(row)) - 1;
    else if (!learn(row)) return direct(row, undefined);
  }
  const readFirst = bases[nodeColumn[0]!]!;
  if (nodeColumn.length > 1) return { ids, results, readFirst };
  const byFirstCode = new Int32Array(root.length);
  for (let slot = 0; slot < root.length; slot++) {
    const v = root[slot]!;
    if (v === EVALUATE) return { ids, results, readFirst };
    byFirstCode[slot] = v < 0 ? -1 - v : -1;
  }
  return { ids, results, readFirst, byFirstCode };
}
