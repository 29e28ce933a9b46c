/**
 * What a GeoIP database answers for one address, in iplocation's field names (spl_semantics.md §3).
 * A field is absent when the database has no value for it (8.8.8.8 has a country but no city).
 */
export interface GeoRecord {
  readonly City?: string;
  readonly Country?: string;
  readonly Region?: string;
  readonly Continent?: string;
  readonly MetroCode?: number;
  readonly Timezone?: string;
  readonly lat?: number;
  readonly lon?: number;
}

export type GeoField = keyof GeoRecord;

export interface GeoDatabase {
  /** "maxmind": GeoIP2/GeoLite2 City records; "flat": ip-location-db's geolite2-city records. */
  readonly schema: "maxmind" | "flat";
  /** The file (or, for the flat data, the IPv4 file) it reads. */
  readonly path: string;
  /**
   * The location of `ip` (an IPv4/IPv6 address or CIDR subnet, as a field holds it), names in
   * `lang` ("en", "de", "pt-BR" ..., or "code" for codes where there are codes); undefined for an
   * address the database does not locate (private addresses, text that is not an address).
   */
  lookup(ip: string, lang: string): GeoRecord | undefined;
}

/** True when the record has at least one field (a record with none locates nothing). */
export function hasAnyField(record: Record<string, unknown>): boolean {
  for (const key in record) if (record[key] !== undefined) return true;
  return false;
}

/**
 * Raw database records turned into GeoRecords once per language: the reader hands back the same
 * decoded object for every address of a network's record, so this keys on that object.
 */
export class RecordMapper<R extends object> {
  private readonly byLang = new Map<string, WeakMap<R, GeoRecord | null>>();

  constructor(private readonly map: (raw: R, lang: string) => GeoRecord | undefined) {}

  get(raw: R, lang: string): GeoRecord | undefined {
    let cache = this.byLang.get(lang);
    if (!cache) this.byLang.set(lang, (cache = new WeakMap()));
    let record = cache.get(raw);
    if (record === undefined) {
      record = this.map(raw, lang) ?? null;
      cache.set(raw, record);
    }
    return record ?? undefined;
  }
}
