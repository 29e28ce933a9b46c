// The DuckDB side of the benchmark's cold run: a fresh Node.js process that starts DuckDB, runs the
// statements given as a JSON array (load, set up, query), and prints the last one's rows as JSON
// lines, as `spelunk run --format json` prints its results. Plain JavaScript, so that no compiler
// start-up is counted against DuckDB.
//
//   node bench/duckdb-cold.mjs '["CREATE TABLE ...", "SELECT ..."]'
import { DuckDBInstance } from "@duckdb/node-api";

const statements = JSON.parse(process.argv[2] ?? "[]");
const instance = await DuckDBInstance.create(":memory:");
const connection = await instance.connect();
let rows = [];
for (const sql of statements) {
  const reader = await connection.runAndReadAll(sql);
  rows = reader.getRowObjectsJson();
}
let out = "";
for (const row of rows) out += `${JSON.stringify(row)}\n`;
process.stdout.write(out);
connection.closeSync();
instance.closeSync();
