/**
 * GeoIP databases for iplocation. `geoDatabase(path)` opens a MaxMind-schema City database
 * (--geoip-db); `geoDatabase()` is the shipped GeoLite2 City data. Both are opened once per process.
 */
import { FlatCityDatabase } from "./flat.js";
import { MaxMindCityDatabase } from "./maxmind.js";
import type { GeoDatabase } from "./record.js";

export { parseGeoAddress, type GeoAddress } from "./address.js";
export { countryName, FlatCityDatabase, shippedGeoDataDir } from "./flat.js";
export { localName, MaxMindCityDatabase } from "./maxmind.js";
export { GeoDatabaseError } from "./mmdb.js";
export type { GeoDatabase, GeoField, GeoRecord } from "./record.js";

const databases = new Map<string, GeoDatabase>();
let shipped: FlatCityDatabase | undefined;

/**
 * The database at `path` (MaxMind GeoIP2/GeoLite2 City schema), or the shipped data when `path` is
 * absent. A bad path throws GeoDatabaseError ("cannot open GeoIP database PATH: ..."). The shipped
 * data's files are read on first lookup, not here.
 */
export function geoDatabase(path?: string): GeoDatabase {
  if (path === undefined) return (shipped ??= FlatCityDatabase.shipped());
  let db = databases.get(path);
  if (!db) {
    db = new MaxMindCityDatabase(path);
    databases.set(path, db);
  }
  return db;
}
