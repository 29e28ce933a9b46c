/**
 * Field names from a header line (CSV header row, Zeek #fields), cleaned as Splunk's structured-data
 * header extraction does. props.conf.spec, HEADER_FIELD_ACCEPTABLE_SPECIAL_CHARACTERS: "When this
 * setting is not set, the processor replaces all characters in header field names that are neither
 * alphanumeric or a space (" ") with underscores. For example, if you import a CSV file, and one of
 * the header field names is "field.name", the processor replaces "field.name" with "field_name"";
 * characters listed in the setting are kept. Surrounding white space is trimmed.
 */
export function cleanHeaderName(raw: string, acceptable = ""): string {
  const name = raw.trim();
  let out = "";
  for (const ch of name) {
    const ok = /^[A-Za-z0-9 _]$/.test(ch) || (ch.length === 1 && ch.charCodeAt(0) < 128 && acceptable.includes(ch));
    out += ok ? ch : "_";
  }
  return out;
}
