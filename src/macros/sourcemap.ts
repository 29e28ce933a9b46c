/**
 * Source maps for macro expansion.
 *
 * Expanded text is a sequence of segments, each copied verbatim from some source text (the user's
 * search or a macro definition) starting at some offset. Text substituted for a `$arg$` is copied
 * from the caller's text, so its segments point back at the argument as the caller wrote it.
 */
import type { MacroSource, OriginLocator, SearchSource, TextOrigin } from "../diag/diagnostic.js";

export type Source = SearchSource | MacroSource;

/** Expanded text from `start` up to the next segment's start is `source.text` from `sourceOffset`. */
export interface Segment {
  readonly start: number;
  readonly source: Source;
  readonly sourceOffset: number;
}

export class SourceMap implements OriginLocator {
  /**
   * @param segments sorted by start, the first at 0, none empty
   * @param fallback origin of every offset when there are no segments (empty text)
   */
  constructor(
    readonly segments: readonly Segment[],
    readonly fallback: TextOrigin,
  ) {}

  /** The map of a text that went through no expansion. */
  static identity(source: Source): SourceMap {
    const segments = source.text.length > 0 ? [{ start: 0, source, sourceOffset: 0 }] : [];
    return new SourceMap(segments, { source, offset: 0 });
  }

  /** O(log n). Offsets at or past the end map to just after the last segment's text. */
  locate(offset: number): TextOrigin {
    const i = this.indexOf(offset);
    const seg = this.segments[i];
    if (!seg) return this.fallback;
    return { source: seg.source, offset: seg.sourceOffset + Math.max(0, offset - seg.start) };
  }

  /** Index of the last segment starting at or before offset (0 when offset is before the first). */
  indexOf(offset: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** A text together with where each of its characters came from. */
export interface MappedText {
  readonly text: string;
  readonly map: SourceMap;
}

/** Collects slices (joined once at the end) and their segments, merging runs that stay contiguous. */
export class MappedTextBuilder {
  readonly #parts: string[] = [];
  readonly #segments: Segment[] = [];
  #length = 0;

  get length(): number {
    return this.#length;
  }

  /** Appends `source.text[from, to)`. */
  appendSource(source: Source, from: number, to: number): void {
    if (to <= from) return;
    this.#parts.push(source.text.slice(from, to));
    this.#addSegment(source, from, to - from);
  }

  /** Appends `mapped.text[from, to)`, keeping the origin of every character. */
  appendMapped(mapped: MappedText, from: number, to: number): void {
    if (to <= from) return;
    this.#parts.push(mapped.text.slice(from, to));
    const segs = mapped.map.segments;
    // Bounded by the number of segments of `mapped` overlapping [from, to).
    for (let i = mapped.map.indexOf(from); i < segs.length; i++) {
      const seg = segs[i]!;
      if (seg.start >= to) break;
      const segEnd = Math.min(segs[i + 1]?.start ?? mapped.text.length, to);
      const s = Math.max(seg.start, from);
      if (segEnd > s) this.#addSegment(seg.source, seg.sourceOffset + (s - seg.start), segEnd - s);
    }
  }

  build(fallback: TextOrigin): MappedText {
    return { text: this.#parts.join(""), map: new SourceMap(this.#segments, fallback) };
  }

  #addSegment(source: Source, sourceOffset: number, length: number): void {
    const last = this.#segments[this.#segments.length - 1];
    const contiguous = last !== undefined && last.source === source && last.sourceOffset + (this.#length - last.start) === sourceOffset;
    if (!contiguous) this.#segments.push({ start: this.#length, source, sourceOffset });
    this.#length += length;
  }
}
