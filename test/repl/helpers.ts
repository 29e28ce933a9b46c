/** Shared by the REPL tests: completion sources with a few known names. */
import type { CompletionSources } from "../../src/repl/completion.js";

export const fakeSources: CompletionSources = {
  commands: () => ["eval", "eventstats", "head", "iplocation", "stats", "tstats", "where"],
  macros: () => [
    { name: "drop_dm_object_name", arity: 1 },
    { name: "security_content_ctime", arity: 1 },
    { name: "security_content_summariesonly", arity: 0 },
  ],
  dataModels: () => ["Network_Traffic", "Endpoint"],
  datasets: (m) => (m === "Network_Traffic" ? ["All_Traffic", "Blocked_Traffic"] : ["Processes"]),
  dataModelFields: (m) => (m === "Network_Traffic" ? ["All_Traffic.app", "All_Traffic.dest_ip", "All_Traffic.dest_port", "All_Traffic.src_ip"] : ["Processes.process_name"]),
  fields: () => ["dest_ip", "id.orig_h", "service", "src_ip"],
  evalFunctions: () => ["cidrmatch", "if", "isnull", "len", "strftime"],
  statsFunctions: () => ["count", "dc", "values"],
  metaCommands: () => [".datasets", ".expand", ".fields", ".help", ".load"],
};
