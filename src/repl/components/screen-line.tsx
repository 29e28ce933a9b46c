/** One line of the live screen (screen.ts), with colours only when they are wanted. */
import { Text } from "ink";
import type { LineTone, ScreenLine } from "../screen.js";

export interface Palette {
  readonly color: boolean;
}

type Style = { color?: string; bold?: boolean; dimColor?: boolean; inverse?: boolean };

function style(tone: LineTone, p: Palette): Style {
  if (!p.color) return {};
  switch (tone) {
    case "header":
      return { bold: true };
    case "error":
      return { color: "red" };
    case "caret":
      return { color: "red", bold: true };
    case "warning":
      return { color: "yellow" };
    case "dim":
      return { dimColor: true };
    case "echo":
      return { color: "cyan" };
    case "selected":
      return { color: "cyan" };
    default:
      return {};
  }
}

export function ScreenLineView({ line, palette }: { line: ScreenLine; palette: Palette }) {
  const s = style(line.tone, palette);
  if (line.prefix === undefined) {
    return (
      <Text wrap="truncate-end" {...s}>
        {line.text === "" ? " " : line.text}
      </Text>
    );
  }
  const prefix = <Text {...(palette.color ? { color: line.tone === "caret" ? "red" : "green", bold: true } : {})}>{line.prefix}</Text>;
  if (line.cursor === undefined) {
    return (
      <Text wrap="truncate-end">
        {prefix}
        <Text {...s}>{line.text}</Text>
      </Text>
    );
  }
  const at = line.cursor;
  const cp = line.text.codePointAt(at);
  const under = cp === undefined ? " " : String.fromCodePoint(cp);
  return (
    <Text wrap="truncate-end">
      {prefix}
      <Text {...s}>{line.text.slice(0, at)}</Text>
      <Text inverse>{under}</Text>
      <Text {...s}>{line.text.slice(at + (cp === undefined ? 0 : under.length))}</Text>
    </Text>
  );
}
