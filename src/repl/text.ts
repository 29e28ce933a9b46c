/**
 * Text as the terminal shows it: display width (East Asian wide characters take two columns,
 * combining marks none), cutting to a width with an ellipsis, and making data safe to print (a value
 * from a replayed file must never reach the terminal as a control sequence).
 */

const combining = /\p{M}/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0;
  if (combining.test(ch)) return 0;
  return isWide(cp) ? 2 : 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** `s` cut to at most `width` columns, ending in "…" when cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return "";
  if (displayWidth(s) <= width) return s;
  let out = "";
  let w = 0;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (w + cw > width - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** `s` cut to at most `width` columns from the start, beginning with "…" when cut. */
export function truncateStart(s: string, width: number): string {
  if (width <= 0) return "";
  if (displayWidth(s) <= width) return s;
  const chars = [...s];
  let out = "";
  let w = 0;
  for (let i = chars.length - 1; i >= 0; i--) {
    const cw = charWidth(chars[i]!);
    if (w + cw > width - 1) break;
    out = chars[i]! + out;
    w += cw;
  }
  // Cut at a dot when the tail starts with one: "…src_ip", not "….src_ip".
  return `…${out.startsWith(".") && out.length > 1 ? out.slice(1) : out}`;
}

/** `s` padded with spaces to `width` columns. */
export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + " ".repeat(width - w);
}

/**
 * One line of data made printable: tabs become a space, line breaks "↵", other control characters
 * (ESC included) "�".
 */
export function printable(s: string): string {
  return s.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => (c === "\t" ? " " : c === "\n" || c === "\r" ? "↵" : "\uFFFD"));
}

/** Text of several lines made printable line by line. */
export function printableLines(s: string): string[] {
  return s.split(/\r?\n/).map(printable);
}

/** Hard-wraps one line (no newlines) into pieces of at most `width` columns. */
export function wrapLine(s: string, width: number): string[] {
  const w = Math.max(1, width);
  if (displayWidth(s) <= w) return [s];
  const out: string[] = [];
  let cur = "";
  let cw = 0;
  for (const ch of s) {
    const chw = charWidth(ch);
    if (cw + chw > w && cur !== "") {
      out.push(cur);
      cur = "";
      cw = 0;
    }
    cur += ch;
    cw += chw;
  }
  if (cur !== "" || out.length === 0) out.push(cur);
  return out;
}
