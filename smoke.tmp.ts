import { loadShippedMacros } from "/work/main/src/macros/load.js";
import { expandMacros } from "/work/main/src/macros/expand.js";
import { renderDiagnostics } from "/work/main/src/diag/render.js";
import { SplError } from "/work/main/src/diag/diagnostic.js";
const lib = loadShippedMacros();
console.log(lib.keys());
for (const k of lib.keys()) console.log(k, JSON.stringify(lib.get(k)!.definition), lib.get(k)!.definedAt);
const s = '| tstats `security_content_summariesonly` count from datamodel=Network_Traffic by All_Traffic.dest | `drop_dm_object_name("All_Traffic")` | `drop_dm_object_name(object=All_Traffic)` | `security_content_ctime(firstTime)` | where dest IN `non_public_ip_blocks` | `detect_outbound_smb_traffic_filter`';
const e = expandMacros(s, lib, { sourceName: "x.spl" });
console.log(e.text, e.macrosUsed);
for (const bad of ['| `security_content_ctime` ', 'a\n  | `nope(1, "a,b")` | `x', '```c', 'x `a b` y']) {
  try { expandMacros(bad, lib, { sourceName: "x.spl" }); } catch (err) { if (err instanceof SplError) console.log(renderDiagnostics(err)); else throw err; }
}
