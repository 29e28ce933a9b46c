/**
 * `iplocation` run over a table, as the executor runs it: the stage parsed from search text, the
 * spec's `run`, a minimal ExecContext. Expected locations from MaxMind's GeoIP2-City-Test.json
 * (fixtures/geoip/README.md) and, for the shipped data, ../shared/data/SOURCES.md.
 */
import { ModelStore } from "../../src/mltk/store.js";
import { describe, expect, it } from "vitest";
import { iplocation, type IplocationArgs } from "../../src/commands/iplocation.js";
import type { ExecContext } from "../../src/exec/context.js";
import { RuntimeError } from "../../src/exec/context.js";
import type { DataSource } from "../../src/exec/datasource.js";
import type { Stage } from "../../src/parse/ast.js";
import { parseSearch } from "../../src/parse/pipeline.js";
import { Table } from "../../src/table/table.js";
import type { Value } from "../../src/table/value.js";

const GEOLITE = "fixtures/geoip/GeoLite2-City-Test.mmdb";
const GEOIP2 = "fixtures/geoip/GeoIP2-City-Test.mmdb";

function context(geoipDb?: string): ExecContext & { warnings: string[] } {
  const warnings: string[] = [];
  return {
    now: 0,
    tz: "UTC",
    data: {} as DataSource,
    models: new ModelStore("models"),
    ...(geoipDb !== undefined ? { geoipDb } : {}),
    warnings,
    warn: (message: string) => void warnings.push(message),
    runSubsearch: () => Promise.resolve(Table.empty()),
  };
}

async function run(search: string, rows: ReadonlyArray<Record<string, Value>>, geoipDb?: string): Promise<Table> {
  const stage = parseSearch(search).stages.at(-1) as Stage<IplocationArgs>;
  expect(stage.name).toBe("iplocation");
  return iplocation.run!(stage.args, Table.fromRows(rows), context(geoipDb), stage);
}

describe("iplocation with a GeoLite2 City database", () => {
  it("adds City, Country, Region, lat and lon to each event, in that order after the event's fields", async () => {
    const out = await run("| iplocation dest_ip", [{ dest_ip: "81.2.69.142", dest_port: "445" }], GEOLITE);
    expect(out.fields()).toEqual(["dest_ip", "dest_port", "City", "Country", "Region", "lat", "lon"]);
    expect(out.row(0)).toEqual({
      dest_ip: "81.2.69.142",
      dest_port: "445",
      City: "London",
      Country: "United Kingdom",
      Region: "England",
      lat: 51.5142,
      lon: -0.0931,
    });
  });

  it("locates each row by its own address", async () => {
    const out = await run(
      "| iplocation ip",
      [{ ip: "89.160.20.115" }, { ip: "175.16.199.10" }, { ip: "216.160.83.60" }, { ip: "2.125.160.218" }],
      GEOLITE,
    );
    expect(out.rows().map((r) => [r.City, r.Country, r.Region])).toEqual([
      ["Linköping", "Sweden", "Östergötland County"],
      ["Changchun", "China", "Jilin Sheng"],
      ["Milton", "United States", "Washington"],
      ["Boxford", "United Kingdom", "England"],
    ]);
  });

  it("adds no fields for private addresses, addresses without a location, and events without the field", async () => {
    const out = await run("| iplocation ip", [{ ip: "10.1.2.3" }, { ip: "8.8.8.8" }, { other: "x" }, { ip: "fe80::1" }], GEOLITE);
    expect(out.rows()).toEqual([{ ip: "10.1.2.3" }, { ip: "8.8.8.8" }, { other: "x" }, { ip: "fe80::1" }]);
  });

  it("leaves a row's own City alone when its address has no location, and replaces it when it has one", async () => {
    const out = await run("| iplocation ip", [{ ip: "10.1.2.3", City: "Intranet" }, { ip: "81.2.69.142", City: "Intranet" }], GEOLITE);
    expect(out.row(0)).toEqual({ ip: "10.1.2.3", City: "Intranet" });
    expect(out.row(1)).toMatchObject({ City: "London" });
  });

  it("gives empty values for what the database does not know about a located address", async () => {
    // 2001:218::/32 has a country and a location but no city or subdivision.
    const out = await run("| iplocation ip", [{ ip: "2001:218::1" }], GEOLITE);
    expect(out.row(0)).toEqual({ ip: "2001:218::1", City: "", Country: "Japan", Region: "", lat: 35.68536, lon: 139.75309 });
  });

  it("locates a multivalue field by its first value", async () => {
    const out = await run("| iplocation ip", [{ ip: ["175.16.199.10", "81.2.69.142"] }, { ip: ["10.0.0.1", "81.2.69.142"] }], GEOLITE);
    expect(out.get(0, "City")).toBe("Changchun");
    expect(out.get(1, "City")).toBeNull();
  });

  it("prefixes every added field with prefix=", async () => {
    const out = await run("| iplocation prefix=iploc_ ip", [{ ip: "81.2.69.142" }], GEOLITE);
    expect(out.fields()).toEqual(["ip", "iploc_City", "iploc_Country", "iploc_Region", "iploc_lat", "iploc_lon"]);
    expect(out.row(0)).toMatchObject({ iploc_City: "London", iploc_Country: "United Kingdom", iploc_lat: 51.5142 });
  });

  it("names places in German with lang=de", async () => {
    const out = await run("| iplocation lang=de ip", [{ ip: "175.16.199.10" }, { ip: "81.2.69.142" }], GEOLITE);
    expect(out.row(0)).toMatchObject({ City: "Chángchūn", Country: "China", Region: "Jilin Sheng" });
    expect(out.row(1)).toMatchObject({ City: "London", Country: "Vereinigtes Königreich", Region: "England" });
  });

  it("reads the IP field of a data model (All_Traffic.dest_ip)", async () => {
    const out = await run("| iplocation All_Traffic.dest_ip", [{ "All_Traffic.dest_ip": "89.160.20.115" }], GEOLITE);
    expect(out.get(0, "Country")).toBe("Sweden");
  });
});

describe("iplocation allfields=true", () => {
  it("also adds Continent, MetroCode and Timezone, in the Search Reference's order", async () => {
    const out = await run("| iplocation allfields=true ip", [{ ip: "216.160.83.60" }], GEOIP2);
    expect(out.fields()).toEqual(["ip", "City", "Continent", "Country", "MetroCode", "Region", "Timezone", "lat", "lon"]);
    expect(out.row(0)).toEqual({
      ip: "216.160.83.60",
      City: "Milton",
      Continent: "North America",
      Country: "United States",
      MetroCode: 819,
      Region: "Washington",
      Timezone: "America/Los_Angeles",
      lat: 47.2513,
      lon: -122.3149,
    });
  });

  it("gives an empty MetroCode outside the US (81.2.69.142 has none)", async () => {
    const out = await run("| iplocation allfields=true prefix=geo_ ip", [{ ip: "81.2.69.142" }], GEOIP2);
    expect(out.row(0)).toMatchObject({ geo_Continent: "Europe", geo_MetroCode: "", geo_Timezone: "Europe/London" });
  });
});

describe("iplocation with the shipped GeoLite2 data (no --geoip-db)", () => {
  it("places 81.2.69.142 in Bracknell, United Kingdom and 8.8.8.8 in the United States", async () => {
    const out = await run("| iplocation dest_ip", [{ dest_ip: "81.2.69.142" }, { dest_ip: "8.8.8.8" }, { dest_ip: "192.168.1.10" }]);
    expect(out.row(0)).toMatchObject({ City: "Bracknell", Country: "United Kingdom", Region: "England", lat: 51.4036, lon: -0.7618 });
    expect(out.row(1)).toMatchObject({ City: "", Country: "United States", Region: "" });
    expect(out.row(2)).toEqual({ dest_ip: "192.168.1.10" });
  });

  it("has an empty Continent and MetroCode with allfields=true, and the time zone", async () => {
    const out = await run("| iplocation allfields=t ip", [{ ip: "81.2.69.142" }]);
    expect(out.row(0)).toMatchObject({ Continent: "", MetroCode: "", Timezone: "Europe/London" });
  });
});

describe("iplocation with a bad --geoip-db", () => {
  it("stops with a message naming the file, pointing at the command", async () => {
    const search = "| iplocation ip";
    const error = await run(search, [{ ip: "81.2.69.142" }], "no/such/GeoLite2-City.mmdb").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).message).toBe("iplocation: cannot open GeoIP database no/such/GeoLite2-City.mmdb: no such file");
    const { start, end } = (error as RuntimeError).span;
    expect(search.slice(start, end)).toBe("iplocation");
  });
});
