/**
 * Zeek conn logs for the benchmark (bro:conn:json, one JSON object per line, Zeek's field names and
 * order as in fixtures/generators/zeek-conn.ts), deterministic from a seed: the same file on every
 * machine, about 330 bytes an event.
 *
 *   npx tsx bench/generate.ts 1000000 > conn.json
 *
 * A day of traffic of an office network of 4,000 internal hosts (10/8, 172.16/12, 192.168/16, a
 * few IPv6 ULA) talking to one another and to 50,000 public addresses (heavy-headed: a few are most
 * of the traffic), with the ports, services and connection states of such a network:
 *   internal DNS 30%, HTTPS out 24%, internal SMB (445) 10%, HTTP out 6%, NTP out 4%, DNS out 4%,
 *   Kerberos/LDAP 3%, NetBIOS/SMB (139) 2%, SSH 2%, ICMP 2%, inbound scans 2%, RDP 1.5%,
 *   outbound SMB (445/139, also to carrier-grade NAT addresses) 0.4%, SMB on odd ports out 0.05%,
 *   the rest high ports without a service. About 1% of the connections are over IPv6.
 * States follow each kind (SF mostly; S0, REJ, RSTO, RSTR, SH, OTH ... for the rest), so the
 * conn_state → action lookup gives allowed, blocked and dropped traffic.
 */
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import { prng } from "../fixtures/generators/prng.js";

/** Changes whenever the generated data would change: it names the cached files. */
export const GENERATOR_VERSION = 1;

const BASE_TIME = Date.UTC(2024, 2, 1) / 1000;
const DAY = 86_400;

type Rand = () => number;

interface Pools {
  clients: string[];
  clients6: string[];
  dns: string[];
  fileServers: string[];
  dcs: string[];
  jumpHosts: string[];
  external: string[];
  external6: string[];
  cgnat: string[];
}

const isReservedV4 = (a: number, b: number): boolean =>
  a === 0 || a === 10 || a === 127 || a >= 224 || (a === 100 && b >= 64 && b < 128) || (a === 169 && b === 254) || (a === 172 && b >= 16 && b < 32) || (a === 192 && b === 168);

function pools(rand: Rand): Pools {
  const int = (n: number) => Math.floor(rand() * n);
  const clients: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const r = rand();
    if (r < 0.7) clients.push(`10.${1 + int(20)}.${int(256)}.${1 + int(254)}`);
    else if (r < 0.9) clients.push(`192.168.${int(10)}.${1 + int(254)}`);
    else clients.push(`172.${16 + int(16)}.${int(256)}.${1 + int(254)}`);
  }
  const external: string[] = [];
  while (external.length < 50_000) {
    const a = 1 + int(223);
    const b = int(256);
    if (!isReservedV4(a, b)) external.push(`${a}.${b}.${int(256)}.${1 + int(254)}`);
  }
  const hex = () => int(0x10000).toString(16);
  return {
    clients,
    clients6: Array.from({ length: 200 }, () => `fd00:${hex()}:${hex()}::${hex()}`),
    dns: ["10.0.0.5", "10.0.0.6"],
    fileServers: ["10.0.0.8", "10.0.0.9", "10.0.0.10", "192.168.1.5"],
    dcs: ["10.0.0.2", "10.0.0.3"],
    jumpHosts: ["10.0.2.10", "10.0.2.11", "172.16.0.20"],
    external,
    external6: Array.from({ length: 2000 }, () => `2a0${int(10)}:${hex()}:${hex()}:${hex()}::${hex()}`),
    cgnat: Array.from({ length: 500 }, () => `100.${64 + int(64)}.${int(256)}.${1 + int(254)}`),
  };
}

const HISTORY: Record<string, string> = {
  SF: "ShADadFf", S0: "S", S1: "ShADad", S2: "ShADadF", S3: "ShADadf", REJ: "Sr", RSTO: "ShADaR", RSTR: "ShADar",
  RSTOS0: "SR", RSTRH: "Hr", SH: "SF", SHR: "Hf", OTH: "D",
};

/** One connection as a JSON line. */
function line(rand: Rand, p: Pools, ts: number, uid: string): string {
  const int = (n: number) => Math.floor(rand() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  /** Heavy-headed: low indexes much more often. */
  const popular = <T>(xs: readonly T[]): T => xs[Math.floor(xs.length * rand() ** 3)]!;
  const tcpState = (): string => {
    const r = rand();
    return r < 0.7 ? "SF" : r < 0.78 ? "S0" : r < 0.82 ? "REJ" : r < 0.87 ? "RSTO" : r < 0.91 ? "RSTR" : r < 0.93 ? "SH" : r < 0.96 ? "OTH" : r < 0.98 ? "S1" : pick(["S2", "S3", "RSTOS0", "RSTRH", "SHR"]);
  };
  const v6 = rand() < 0.01;
  let src = v6 ? pick(p.clients6) : popular(p.clients);
  let dest: string;
  let port: number;
  let proto = "tcp";
  let service: string | undefined;
  let state = tcpState();
  let localOrig = true;
  let localResp = false;
  let bytesScale = 5_000;
  const k = rand();
  if (k < 0.3) {
    dest = v6 ? "fd00::53" : pick(p.dns);
    [port, proto, service, localResp, bytesScale] = [53, "udp", "dns", true, 200];
    state = rand() < 0.9 ? "SF" : "S0";
  } else if (k < 0.54) {
    dest = v6 ? popular(p.external6) : popular(p.external);
    port = 443;
    service = rand() < 0.85 ? "ssl" : undefined;
    bytesScale = 500_000;
  } else if (k < 0.64) {
    dest = pick(p.fileServers);
    port = 445;
    localResp = true;
    service = pick(["smb", "smb", "smb", "gssapi,smb", "dce_rpc,smb", undefined]);
    bytesScale = 200_000;
  } else if (k < 0.7) {
    dest = popular(p.external);
    port = 80;
    service = rand() < 0.9 ? "http" : undefined;
    bytesScale = 100_000;
  } else if (k < 0.74) {
    dest = popular(p.external);
    [port, proto, service, bytesScale] = [123, "udp", "ntp", 48];
    state = "SF";
  } else if (k < 0.78) {
    dest = pick(["8.8.8.8", "8.8.4.4", "1.1.1.1", "9.9.9.9"]);
    [port, proto, service, bytesScale] = [53, "udp", "dns", 300];
    state = rand() < 0.95 ? "SF" : "S0";
  } else if (k < 0.81) {
    dest = pick(p.dcs);
    localResp = true;
    [port, service] = pick([[88, "krb_tcp"], [389, "ldap"], [636, "ssl"], [135, "dce_rpc"]] as const);
  } else if (k < 0.83) {
    dest = pick(p.fileServers);
    port = 139;
    localResp = true;
    service = rand() < 0.7 ? "smb" : undefined;
  } else if (k < 0.85) {
    const internal = rand() < 0.6;
    dest = internal ? pick(p.jumpHosts) : popular(p.external);
    localResp = internal;
    port = 22;
    service = "ssh";
  } else if (k < 0.87) {
    dest = rand() < 0.5 ? pick(p.dns) : popular(p.external);
    localResp = dest.startsWith("10.");
    [port, proto, state, bytesScale] = [0, "icmp", "OTH", 1000];
  } else if (k < 0.89) {
    // Inbound scans of the usual ports, mostly refused.
    src = popular(p.external);
    dest = popular(p.clients);
    [localOrig, localResp] = [false, true];
    port = pick([22, 23, 445, 139, 3389, 8080, 5900]);
    state = pick(["REJ", "REJ", "S0", "S0", "SF", "RSTOS0"]);
  } else if (k < 0.905) {
    dest = pick(p.jumpHosts);
    localResp = true;
    port = 3389;
    service = rand() < 0.8 ? "rdp" : undefined;
  } else if (k < 0.909) {
    // Outbound SMB: what Detect Outbound SMB Traffic looks for (some of it to carrier-grade NAT).
    dest = rand() < 0.1 ? pick(p.cgnat) : popular(p.external);
    port = rand() < 0.8 ? 445 : 139;
    service = rand() < 0.5 ? "smb" : undefined;
    state = pick(["SF", "SF", "S0", "REJ", "RSTO", "S1"]);
    bytesScale = 20_000;
  } else if (k < 0.9095) {
    dest = popular(p.external);
    port = 1024 + int(60_000);
    service = "smb";
  } else {
    dest = rand() < 0.5 ? popular(p.external) : popular(p.clients);
    localResp = !/^\d+\.\d+/.test(dest) || dest.startsWith("10.") || dest.startsWith("192.168.") || dest.startsWith("172.");
    proto = rand() < 0.8 ? "tcp" : "udp";
    port = 1024 + int(64_000);
    state = pick(["S0", "S0", "REJ", "OTH", "SF"]);
  }
  if (v6 && !src.includes(":")) src = pick(p.clients6);
  if (proto === "udp" && state !== "SF" && state !== "S0") state = "SF";
  const srcPort = proto === "icmp" ? 8 : 1024 + int(64_000);
  const established = state !== "S0" && state !== "REJ" && state !== "RSTOS0" && state !== "SH";
  const origBytes = established ? 40 + int(bytesScale / 10) : 0;
  const respBytes = established ? int(bytesScale) : 0;
  const origPkts = established ? 1 + int(2) + Math.floor(origBytes / 1000) : 1 + int(3);
  const respPkts = established ? 1 + int(2) + Math.floor(respBytes / 1400) : state === "REJ" ? 1 : 0;
  let out = `{"ts":${ts},"uid":"${uid}","id.orig_h":"${src}","id.orig_p":${srcPort},"id.resp_h":"${dest}","id.resp_p":${port},"proto":"${proto}"`;
  if (service !== undefined) out += `,"service":"${service}"`;
  if (state !== "S0" && state !== "REJ") out += `,"duration":${Number((rand() ** 3 * (established ? 60 : 3)).toFixed(6))},"orig_bytes":${origBytes},"resp_bytes":${respBytes}`;
  out += `,"conn_state":"${state}","local_orig":${localOrig},"local_resp":${localResp},"missed_bytes":0,"history":"${proto === "tcp" ? HISTORY[state] : state === "S0" ? "D" : "Dd"}"`;
  out += `,"orig_pkts":${origPkts},"orig_ip_bytes":${origBytes + origPkts * 40},"resp_pkts":${respPkts},"resp_ip_bytes":${respBytes + respPkts * 40}}`;
  return out;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** The connections one JSON line at a time, in time order over one day. */
export function* zeekConnLines(events: number, seed = 8): Generator<string> {
  const rand = prng(seed);
  const p = pools(rand);
  for (let i = 0; i < events; i++) {
    const ts = Number((BASE_TIME + ((i + rand()) * DAY) / events).toFixed(6));
    let uid = "C";
    for (let c = 0; c < 17; c++) uid += BASE62[Math.floor(rand() * 62)];
    yield line(rand, p, ts, uid);
  }
}

/** Writes `events` connections to `path`, in pieces (never the whole file in memory); returns its size. */
export function generateZeekConn(path: string, events: number): number {
  mkdirSync(dirname(path), { recursive: true });
  const partial = `${path}.tmp`;
  const fd = openSync(partial, "w");
  try {
    let piece = "";
    for (const text of zeekConnLines(events)) {
      piece += `${text}\n`;
      if (piece.length >= 1 << 22) {
        writeSync(fd, piece);
        piece = "";
      }
    }
    writeSync(fd, piece);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, path);
  return statSync(path).size;
}

/** The cached dataset of `events` connections in `dir`, generated when missing. */
export function zeekConnDataset(dir: string, events: number): { path: string; bytes: number; generated: boolean } {
  const path = `${dir}/zeek-conn-v${GENERATOR_VERSION}-${events}.json`;
  if (existsSync(path)) return { path, bytes: statSync(path).size, generated: false };
  return { path, bytes: generateZeekConn(path, events), generated: true };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const text of zeekConnLines(Number(process.argv[2] ?? 1000))) process.stdout.write(`${text}\n`);
}
