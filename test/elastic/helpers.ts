import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Elastic's rule file, read where CI has it (../shared beside the project); Elastic License v2, so not copied into the repository. */
export const RULE_FILE = fileURLToPath(new URL("../../../shared/reference/exfiltration_smb_rare_destination.toml", import.meta.url));
export const RULE_TEXT = readFileSync(RULE_FILE, "utf8");
export const OTRF_SYSMON = fileURLToPath(new URL("../../../shared/data/sysmon_eid3_otrf.jsonl", import.meta.url));
export const SYSMON_JSON = "fixtures/elastic/sysmon_smb_8days.json";
export const SYSMON_XML = "fixtures/elastic/sysmon_smb_8days.xml";
export const SYSMON_XML_SOURCE = "XmlWinEventLog:Microsoft-Windows-Sysmon/Operational";

export const utc = (iso: string) => Date.parse(iso) / 1000;
