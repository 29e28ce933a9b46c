/**
 * The address iplocation looks up, read from a field value: an IPv4 or IPv6 address, or a CIDR
 * subnet (the 9.4 Search Reference: "supports IPv4 and IPv6 addresses and subnets that use CIDR
 * notation"; a subnet is looked up by its address part). IPv4-mapped IPv6 (`::ffff:1.2.3.4`) is
 * read as the IPv4 address it carries. Anything else (host names, empty strings) is no address.
 */
import ipaddr from "ipaddr.js";

export interface GeoAddress {
  readonly version: 4 | 6;
  /** Canonical text, as the MaxMind DB reader parses it (`1.2.3.4`, `2001:db8::1`). */
  readonly text: string;
}

export function parseGeoAddress(value: string): GeoAddress | undefined {
  let text = value.trim();
  const slash = text.indexOf("/");
  if (slash >= 0) {
    if (!/^\d{1,3}$/.test(text.slice(slash + 1))) return undefined;
    text = text.slice(0, slash);
  }
  if (text.length === 0 || text.length > 64) return undefined;
  if (isPlainIPv4(text)) return { version: 4, text };
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) ip = ipaddr.IPv4.parse(text);
  else if (ipaddr.IPv6.isValid(text)) ip = ipaddr.IPv6.parse(text);
  else return undefined;
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return { version: 4, text: v6.toIPv4Address().toString() };
    // The zone of a link-local address (fe80::1%eth0) plays no part in a lookup.
    return { version: 6, text: new ipaddr.IPv6(v6.parts).toString() };
  }
  return { version: 4, text: ip.toString() };
}

/**
 * Dotted-quad IPv4 in canonical form (four decimal octets 0-255, no leading zeros): the common case,
 * checked without regular expressions or allocation. Other forms go through ipaddr.js.
 */
function isPlainIPv4(text: string): boolean {
  let parts = 0;
  let digits = 0;
  let octet = 0;
  let lead = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46; // a final "." closes the last octet
    if (c === 46) {
      if (digits === 0 || octet > 255 || (digits > 1 && lead === 48)) return false;
      parts++;
      digits = 0;
      octet = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) lead = c;
      if (++digits > 3) return false;
      octet = octet * 10 + (c - 48);
    } else {
      return false;
    }
  }
  return parts === 4;
}
