/**
 * The DuckDB side of the benchmark: the same Zeek conn file loaded with `read_json`, and seed 1's
 * tstats search written as SQL.
 *
 * What spelunk does through its knowledge (apps/spelunk_zeek, apps/spelunk_cim), the SQL does by
 * hand, as a DuckDB user would:
 * - action comes from conn_state through the add-on's lookup (apps/spelunk_zeek/lookups/zeek_conn_state.csv,
 *   loaded as a table and joined);
 * - app is Zeek's service, dest_port its id.resp_p, src_ip/dest_ip its id.orig_h/id.resp_h;
 * - the CIDR tests are on the dotted-quad text (DuckDB's inet extension is not bundled: it would be
 *   downloaded), which is what spelunk's CIDR matching accepts as IPv4;
 * - values(sourcetype) is the one sourcetype the file was loaded as.
 */
import { resolve } from "node:path";

export const LOOKUP_CSV = resolve(import.meta.dirname, "../apps/spelunk_zeek/lookups/zeek_conn_state.csv");

const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** Loads the file into table `conn`. */
export function loadSql(file: string): string {
  return `CREATE TABLE conn AS SELECT * FROM read_json(${quote(file)}, format = 'newline_delimited')`;
}

/** The lookup and the CIDR macros the query uses (set up once, not timed). */
export function setupSql(): string[] {
  return [
    `CREATE TABLE conn_state AS SELECT * FROM read_csv(${quote(LOOKUP_CSV)}, header = true)`,
    // Second octet of a dotted quad as a number (NULL for anything else).
    `CREATE MACRO octet2(ip) AS TRY_CAST(split_part(ip, '.', 2) AS INTEGER)`,
    `CREATE MACRO is_private(ip) AS coalesce(ip LIKE '10.%' OR ip LIKE '192.168.%' OR (ip LIKE '172.%' AND octet2(ip) BETWEEN 16 AND 31), false)`,
    `CREATE MACRO is_reserved(ip) AS coalesce(is_private(ip) OR (ip LIKE '100.%' AND octet2(ip) BETWEEN 64 AND 127), false)`,
  ];
}

/**
 * Seed 1's tstats stage (through drop_dm_object_name) over table `from`:
 *   where action=allowed (dest_port=139 OR dest_port=445 OR app="smb") AND src_ip IN (private)
 *   AND NOT dest_ip IN (private, 100.64.0.0/10) by src_ip dest_ip dest_port.
 */
export function querySql(from = "conn"): string {
  return `SELECT c."id.orig_h" AS src_ip, c."id.resp_h" AS dest_ip, c."id.resp_p" AS dest_port,
  min(c.ts) AS start_time, max(c.ts) AS end_time,
  list(DISTINCT s.action ORDER BY s.action) AS action,
  list(DISTINCT c.service ORDER BY c.service) FILTER (WHERE c.service IS NOT NULL) AS app,
  'bro:conn:json' AS sourcetype,
  count(*) AS count
FROM ${from} c JOIN conn_state s ON c.conn_state = s.conn_state
WHERE s.action = 'allowed'
  AND (c."id.resp_p" IN (139, 445) OR c.service = 'smb')
  AND is_private(c."id.orig_h")
  AND NOT is_reserved(c."id.resp_h")
GROUP BY ALL`;
}
