/**
 * GeoIP2 / GeoLite2 City databases in MaxMind's own schema (the GeoLite2-City.mmdb Splunk ships in
 * $SPLUNK_HOME/share): City = city.names, Country = country.names, Region = subdivisions[0].names,
 * Continent = continent.names, MetroCode = location.metro_code, Timezone = location.time_zone,
 * lat/lon = location.latitude/longitude (spl_semantics.md §3).
 */
import type { CityResponse } from "maxmind";
import { parseGeoAddress } from "./address.js";
import { openMmdb, type MmdbFile } from "./mmdb.js";
import { hasAnyField, RecordMapper, type GeoDatabase, type GeoRecord } from "./record.js";

type Names = Readonly<Record<string, string | undefined>>;

export class MaxMindCityDatabase implements GeoDatabase {
  readonly schema = "maxmind";
  private readonly file: MmdbFile;
  private readonly records = new RecordMapper<CityResponse>(maxMindRecord);

  /** Opens the file now: a bad path fails here, before any row is read. */
  constructor(path: string) {
    this.file = openMmdb(path);
  }

  get path(): string {
    return this.file.path;
  }

  lookup(ip: string, lang: string): GeoRecord | undefined {
    const address = parseGeoAddress(ip);
    if (!address) return undefined;
    const raw = this.file.get(address) as CityResponse | undefined;
    return raw ? this.records.get(raw, lang) : undefined;
  }
}

/** A City record as iplocation's fields; `lang=code` gives ISO codes for Country, Region and Continent. */
export function maxMindRecord(raw: CityResponse, lang: string): GeoRecord | undefined {
  const code = lang === "code";
  const subdivision = raw.subdivisions?.[0];
  const location = raw.location;
  const record: {
    City?: string;
    Country?: string;
    Region?: string;
    Continent?: string;
    MetroCode?: number;
    Timezone?: string;
    lat?: number;
    lon?: number;
  } = {};
  const city = localName(raw.city?.names, lang);
  if (city !== undefined) record.City = city;
  const country = code ? raw.country?.iso_code : localName(raw.country?.names, lang);
  if (country) record.Country = country;
  const region = code ? subdivision?.iso_code : localName(subdivision?.names, lang);
  if (region) record.Region = region;
  const continent = code ? raw.continent?.code : localName(raw.continent?.names, lang);
  if (continent) record.Continent = continent;
  if (typeof location?.metro_code === "number") record.MetroCode = location.metro_code;
  if (location?.time_zone) record.Timezone = location.time_zone;
  if (typeof location?.latitude === "number") record.lat = location.latitude;
  if (typeof location?.longitude === "number") record.lon = location.longitude;
  return hasAnyField(record) ? record : undefined;
}

/**
 * The name in `lang`: the exact key, then any case, then the same base language (`zh` → `zh-CN`,
 * `pt` → `pt-BR`), then English when the database has no name in that language (London has no
 * `zh-CN` city name in MaxMind's test data; it stays "London" rather than going empty).
 */
export function localName(names: object | undefined, lang: string): string | undefined {
  if (!names) return undefined;
  const n = names as Names;
  const exact = n[lang];
  if (exact) return exact;
  if (lang !== "en" && lang !== "code") {
    const wanted = lang.toLowerCase();
    const base = wanted.split(/[-_]/)[0]!;
    let sameBase: string | undefined;
    for (const key of Object.keys(n)) {
      const k = key.toLowerCase();
      if (k === wanted || k.replace("_", "-") === wanted.replace("_", "-")) return n[key] || undefined;
      if (sameBase === undefined && k.split(/[-_]/)[0] === base) sameBase = n[key];
    }
    if (sameBase) return sameBase;
  }
  return n.en || undefined;
}
