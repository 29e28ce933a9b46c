/**
 * The interactive REPL (ink). The logic lives in state.ts (a pure state machine) and screen.ts (the
 * lines to draw); this component feeds it keys and the terminal size, draws its lines, and carries out
 * its effects: running searches and meta commands through the backend, cancelling, remembering
 * history, leaving.
 */
import { Box, Static, Text, useApp, useStdin, useStdout } from "ink";
import { useEffect, useRef, useState } from "react";
import type { ReplBackend } from "./backend.js";
import { ScreenLineView } from "./components/screen-line.js";
import type { HistoryStore } from "./history.js";
import { decodeInput } from "./keys.js";
import { screen } from "./screen.js";
import { initialState, step, type Effect, type ReplEvent, type ReplState, type TranscriptItem } from "./state.js";

export interface ReplAppProps {
  readonly backend: ReplBackend;
  readonly history: HistoryStore;
  /** Colours (false under NO_COLOR). */
  readonly color: boolean;
  /** Terminal size; default the output stream's (tests pin it). */
  readonly columns?: number;
  readonly rows?: number;
  /** Called once the REPL has been asked to leave (Ctrl-D, .quit). */
  readonly onExit?: () => void;
}

const toneColor: Partial<Record<string, string>> = { echo: "cyan", error: "red", warning: "yellow" };

const errorText = (error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`;

export function ReplApp(props: ReplAppProps) {
  const { stdout } = useStdout();
  const { internal_eventEmitter: input, setRawMode, isRawModeSupported } = useStdin();
  const { exit } = useApp();
  const latest = useRef(props);
  latest.current = props;
  const size = () => ({ columns: latest.current.columns ?? stdout.columns ?? 80, rows: latest.current.rows ?? stdout.rows ?? 24 });
  const [state, setState] = useState<ReplState>(() => initialState({ ...size(), history: props.history.entries(), loading: true }));
  const current = useRef(state);
  const running = useRef<AbortController | undefined>(undefined);
  const mounted = useRef(true);

  // Events are stepped through `current` (not React state) so that keys arriving between renders see
  // each other's effects.
  const dispatch = (event: ReplEvent): void => {
    if (!mounted.current) return;
    const { backend } = latest.current;
    const next = step(current.current, event, { complete: (text, cursor) => backend.complete(text, cursor) });
    current.current = next.state;
    setState(next.state);
    for (const effect of next.effects) perform(effect);
  };

  const perform = (effect: Effect): void => {
    const { backend, history, onExit } = latest.current;
    switch (effect.type) {
      case "run": {
        const controller = new AbortController();
        running.current = controller;
        // Let the screen show "running…" before the search takes the thread.
        setImmediate(() => {
          backend.run(effect.search, controller.signal).then(
            (outcome) => dispatch({ type: "search-done", id: effect.id, outcome }),
            (error: unknown) => dispatch({ type: "search-done", id: effect.id, outcome: { kind: "error", error } }),
          );
        });
        return;
      }
      case "cancel":
        running.current?.abort();
        return;
      case "meta":
        setImmediate(() => {
          backend.meta(effect.line, (text) => dispatch({ type: "meta-progress", text }), current.current.columns).then(
            (result) => dispatch({ type: "meta-done", id: effect.id, result }),
            (error: unknown) => dispatch({ type: "meta-done", id: effect.id, result: { lines: [errorText(error)], error: true } }),
          );
        });
        return;
      case "remember":
        history.add(effect.text);
        return;
      case "exit":
        running.current?.abort();
        onExit?.();
        exit();
        return;
    }
  };

  useEffect(() => {
    mounted.current = true;
    if (isRawModeSupported) setRawMode(true);
    const onInput = (piece: string) => {
      for (const key of decodeInput(piece)) dispatch({ type: "key", key });
    };
    input.on("input", onInput);
    const onResize = () => dispatch({ type: "resize", ...size() });
    stdout.on("resize", onResize);
    latest.current.backend.load((text) => dispatch({ type: "load-progress", text })).then(
      (r) => dispatch({ type: "loaded", lines: r.lines, ...(r.error ? { error: true } : {}) }),
      (error: unknown) => dispatch({ type: "loaded", lines: [errorText(error)], error: true }),
    );
    return () => {
      mounted.current = false;
      input.off("input", onInput);
      stdout.off("resize", onResize);
      if (isRawModeSupported) setRawMode(false);
    };
  }, []);

  const color = props.color;
  return (
    <>
      <Static items={state.transcript as TranscriptItem[]}>
        {(item: TranscriptItem) => (
          <Text key={item.id} {...(color && toneColor[item.tone] ? { color: toneColor[item.tone]! } : {})} {...(color && item.tone === "dim" ? { dimColor: true } : {})}>
            {item.lines.join("\n")}
          </Text>
        )}
      </Static>
      <Box flexDirection="column">
        {screen(state).map((line, i) => (
          <ScreenLineView key={i} line={line} palette={{ color }} />
        ))}
      </Box>
    </>
  );
}
