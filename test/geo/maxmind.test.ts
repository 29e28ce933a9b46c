/**
 * A MaxMind-schema City database given with --geoip-db, read with MaxMind's own test databases
 * (fixtures/geoip). Expected values come from MaxMind's JSON source of those databases,
 * source-data/GeoIP2-City-Test.json (maxmind/MaxMind-DB @ 2f18851d), whose keys write IPv4 networks
 * in IPv6 form: "::81.2.69.142/127" is 81.2.69.142/31.
 */
import { describe, expect, it } from "vitest";
import { geoDatabase, GeoDatabaseError, MaxMindCityDatabase, parseGeoAddress } from "../../src/geo/index.js";

const GEOLITE = "fixtures/geoip/GeoLite2-City-Test.mmdb";
const GEOIP2 = "fixtures/geoip/GeoIP2-City-Test.mmdb";

describe("a GeoLite2 City database (--geoip-db)", () => {
  const db = geoDatabase(GEOLITE);

  it("is read in MaxMind's schema", () => {
    expect(db.schema).toBe("maxmind");
  });

  it("places 81.2.69.142 in London, England, United Kingdom (::81.2.69.142/127)", () => {
    expect(db.lookup("81.2.69.142", "en")).toEqual({
      City: "London",
      Country: "United Kingdom",
      Region: "England",
      Continent: "Europe",
      Timezone: "Europe/London",
      lat: 51.5142,
      lon: -0.0931,
    });
  });

  it("places 89.160.20.115 in Linköping, Östergötland County, Sweden (::89.160.20.112/124)", () => {
    expect(db.lookup("89.160.20.115", "en")).toMatchObject({
      City: "Linköping",
      Country: "Sweden",
      Region: "Östergötland County",
      lat: 58.4167,
      lon: 15.6167,
    });
  });

  it("places 175.16.199.10 in Changchun, Jilin Sheng, China (::175.16.199.0/120)", () => {
    expect(db.lookup("175.16.199.10", "en")).toMatchObject({
      City: "Changchun",
      Country: "China",
      Region: "Jilin Sheng",
      lat: 43.88,
      lon: 125.3228,
    });
  });

  it("places 216.160.83.60 in Milton, Washington, United States (::216.160.83.56/125)", () => {
    expect(db.lookup("216.160.83.60", "en")).toMatchObject({
      City: "Milton",
      Country: "United States",
      Region: "Washington",
      lat: 47.2513,
      lon: -122.3149,
    });
  });

  it("uses the first subdivision as Region (2.125.160.218: England, not West Berkshire)", () => {
    expect(db.lookup("2.125.160.218", "en")).toMatchObject({ City: "Boxford", Region: "England" });
  });

  it("locates IPv6 addresses, without a City where the network has none (2001:218::/32 Japan)", () => {
    const record = db.lookup("2001:218::1", "en");
    expect(record).toMatchObject({ Country: "Japan", Continent: "Asia", Timezone: "Asia/Tokyo", lat: 35.68536, lon: 139.75309 });
    expect(record?.City).toBeUndefined();
    expect(record?.Region).toBeUndefined();
  });

  it("reads IPv4-mapped IPv6, CIDR subnets and padded values as their address", () => {
    const london = db.lookup("81.2.69.142", "en");
    expect(db.lookup("::ffff:81.2.69.142", "en")).toEqual(london);
    expect(db.lookup("81.2.69.142/31", "en")).toEqual(london);
    expect(db.lookup(" 81.2.69.142 ", "en")).toEqual(london);
  });

  it("locates nothing for private addresses, addresses not in the database and non-addresses", () => {
    for (const ip of ["10.1.2.3", "192.168.0.1", "127.0.0.1", "fe80::1", "8.8.8.8", "", "-", "host.example.com", "81.2.69", "999.1.1.1"]) {
      expect(db.lookup(ip, "en"), ip).toBeUndefined();
    }
  });

  it("gives German names with lang=de, English where the database has no German name", () => {
    // ::175.16.199.0/120: city de "Chángchūn", country de "China", subdivision has only en/zh-CN.
    expect(db.lookup("175.16.199.10", "de")).toMatchObject({ City: "Chángchūn", Country: "China", Region: "Jilin Sheng", Continent: "Asien" });
    // ::81.2.69.142/127: country de "Vereinigtes Königreich", England has no de name.
    expect(db.lookup("81.2.69.142", "de")).toMatchObject({ City: "London", Country: "Vereinigtes Königreich", Region: "England", Continent: "Europa" });
    // ::216.160.83.56/125: country de "USA", continent de "Nordamerika".
    expect(db.lookup("216.160.83.60", "de")).toMatchObject({ City: "Milton", Country: "USA", Region: "Washington", Continent: "Nordamerika" });
  });

  it("matches a language by its base (lang=zh finds zh-CN, lang=pt finds pt-BR) and in any case", () => {
    expect(db.lookup("89.160.20.115", "zh")).toMatchObject({ City: "林雪平", Country: "瑞典" });
    expect(db.lookup("81.2.69.142", "pt")).toMatchObject({ City: "Londres", Country: "Reino Unido", Region: "Inglaterra" });
    expect(db.lookup("81.2.69.142", "PT-br")).toMatchObject({ Country: "Reino Unido" });
  });

  it("gives codes where there are codes with lang=code", () => {
    expect(db.lookup("81.2.69.142", "code")).toMatchObject({ City: "London", Country: "GB", Region: "ENG", Continent: "EU" });
    expect(db.lookup("89.160.20.115", "code")).toMatchObject({ Country: "SE", Region: "E" });
  });
});

describe("a GeoIP2 City database", () => {
  const db = geoDatabase(GEOIP2);

  it("gives the metro code and time zone of US networks (216.160.83.56/29: 819, America/Los_Angeles)", () => {
    expect(db.lookup("216.160.83.60", "en")).toEqual({
      City: "Milton",
      Country: "United States",
      Region: "Washington",
      Continent: "North America",
      MetroCode: 819,
      Timezone: "America/Los_Angeles",
      lat: 47.2513,
      lon: -122.3149,
    });
  });

  it("locates San Diego (214.78.120.0/22), which the GeoLite2 test database does not have as such", () => {
    expect(db.lookup("214.78.120.5", "en")).toMatchObject({ City: "San Diego", Country: "United States", Region: "California" });
  });

  it("locates nothing for a record with no location (214.1.1.0/24 has only traits.is_anycast)", () => {
    expect(db.lookup("214.1.1.1", "en")).toBeUndefined();
  });
});

describe("opening a database", () => {
  it("opens each file once per process", () => {
    expect(geoDatabase(GEOLITE)).toBe(geoDatabase(GEOLITE));
  });

  it("says which file is missing", () => {
    expect(() => geoDatabase("fixtures/geoip/missing.mmdb")).toThrow(GeoDatabaseError);
    expect(() => geoDatabase("fixtures/geoip/missing.mmdb")).toThrow("cannot open GeoIP database fixtures/geoip/missing.mmdb: no such file");
  });

  it("says when the file is not a MaxMind database", () => {
    expect(() => new MaxMindCityDatabase("fixtures/geoip/README.md")).toThrow(
      "cannot open GeoIP database fixtures/geoip/README.md: not a MaxMind DB (.mmdb) file",
    );
    expect(() => new MaxMindCityDatabase("fixtures/geoip")).toThrow("cannot open GeoIP database fixtures/geoip: it is a directory");
  });
});

describe("addresses", () => {
  it("reads IPv4, IPv6 (zones dropped), mapped IPv4 and CIDR subnets", () => {
    expect(parseGeoAddress("81.2.69.142")).toEqual({ version: 4, text: "81.2.69.142" });
    expect(parseGeoAddress("2001:0218:0000::0001")).toEqual({ version: 6, text: "2001:218::1" });
    expect(parseGeoAddress("fe80::1%eth0")).toEqual({ version: 6, text: "fe80::1" });
    expect(parseGeoAddress("::ffff:8.8.8.8")).toEqual({ version: 4, text: "8.8.8.8" });
    expect(parseGeoAddress("175.16.199.0/24")).toEqual({ version: 4, text: "175.16.199.0" });
  });

  it("refuses what is not an address", () => {
    for (const text of ["", "1.2.3", "1.2.3.4.5", "1..2.3", "256.1.1.1", "1.2.3.1000", "01.2.3.4", "0x7f.1", "1.2.3.4/abc", "example.com", "1.2.3.4:443"])
      expect(parseGeoAddress(text), text).toBeUndefined();
  });
});
