/**
 * The `spelunk` command line. Each verb is a small function over the front end; user errors are
 * printed as located diagnostics (never a stack trace) and give a non-zero exit code.
 */
import { Command, CommanderError, Option } from "commander";
import { CliError } from "./errors.js";
import { splitDataOptions, type DataArg } from "./data-options.js";
import { readSearchSources, type SearchSource } from "./sources.js";
import type { RunCliOptions } from "./run.js";
import type { TestCliOptions } from "./test.js";
import type { ReplCliOptions } from "./repl.js";

// Each verb's engine is imported when that verb runs, so that `spelunk repl` shows its prompt
// without first loading the parser, the ingest code and the MLTK module.
const isElasticRuleFile = (path: string): boolean => path.toLowerCase().endsWith(".toml");

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

const collect = (value: string, previous: string[]) => [...previous, value];

/** Runs the CLI and returns the exit code (the bin sets process.exitCode). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  let exitCode = 0;
  const program = new Command("spelunk")
    .description("Run Splunk detection content offline: macros, SPL, tstats over CIM data models")
    .addOption(new Option("--macros <dir>", "a folder of macro definitions (.yml or macros.conf); repeatable").default([]).argParser(collect))
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError();

  const searchOption = () => new Option("-e, --search <spl>", "the search text itself, instead of a file");

  program
    .command("expand")
    .description("print a search with every macro expanded")
    .addOption(searchOption())
    .argument("[file]", "a .spl file, or a security_content detection .yml")
    .action(async (file: string | undefined, options: { search?: string }) => {
      const [source] = sourcesFrom(options.search, file ? [file] : []);
      const [{ loadLibrary }, { compileSearch }] = await Promise.all([import("./library.js"), import("../compile.js")]);
      const library = loadLibrary(program.opts<{ macros: string[] }>().macros, io.err);
      const { expansion } = compileSearch(source!.text, { sourceName: source!.name, macros: library, ...stem(source!) });
      io.out(`${expansion.text.replace(/\s+$/, "")}\n`);
    });

  program
    .command("check")
    .description("parse and validate searches without data; prints ok or located errors")
    .addOption(searchOption())
    .argument("[files...]", ".spl files, detection .yml files, or folders of them")
    .action(async (files: string[], options: { search?: string }) => {
      const [{ loadLibrary }, { checkSearch }, { checkElasticRuleFile }, { SplError }, { renderDiagnostics }] = await Promise.all([
        import("./library.js"),
        import("../compile.js"),
        import("./elastic.js"),
        import("../diag/diagnostic.js"),
        import("../diag/render.js"),
      ]);
      // Elastic rule files are checked by their own front end (rule TOML and KQL).
      for (const rule of files.filter(isElasticRuleFile)) {
        try {
          checkElasticRuleFile(rule);
          io.out(`${rule}: ok\n`);
        } catch (error) {
          if (!(error instanceof SplError)) throw error;
          io.err(withNewline(renderDiagnostics(error)));
          exitCode = 1;
        }
      }
      const splFiles = files.filter((f) => !isElasticRuleFile(f));
      if (options.search === undefined && splFiles.length === 0 && files.length > 0) return;
      const sources = sourcesFrom(options.search, splFiles);
      const library = loadLibrary(program.opts<{ macros: string[] }>().macros, io.err);
      for (const source of sources) {
        try {
          checkSearch(source.text, { sourceName: source.name, macros: library, ...stem(source) });
          io.out(`${source.name}: ok\n`);
        } catch (error) {
          if (!(error instanceof SplError)) throw error;
          io.err(withNewline(renderDiagnostics(error)));
          exitCode = 1;
        }
      }
    });

  program
    .command("run")
    .description("run a search over replayed datasets and print the results")
    .addOption(searchOption())
    .argument("[file]", "a .spl file, or a security_content detection .yml")
    .option("--data <path>", "a dataset file (JSON lines, Zeek TSV, CSV; gzipped or not) or an attack_data manifest; repeatable, each followed by its own --sourcetype/--source/--host/--index")
    .addOption(new Option("--apps <dir>", "more Splunk app folders (props, transforms, eventtypes, tags, lookups, data models); repeatable").default([]).argParser(collect))
    .addOption(new Option("--format <format>", "table, json (one object per line) or csv; default table on a terminal, json otherwise").choices(["table", "json", "csv"]))
    .option("--tz <zone>", "the search's time zone (IANA name); default the TZ of the process")
    .option("--now <time>", "now() for the search: epoch seconds or ISO-8601; default the current time")
    .option("--earliest <time>", "start of the time range: relative (-24h@h) or absolute")
    .option("--latest <time>", "end of the time range (exclusive)")
    .option("--geoip-db <file>", "a MaxMind-schema GeoIP City database for iplocation")
    .option("--models <dir>", "MLTK's model directory: fit ... into saves there, apply reads from there", "models")
    .option("--schedule", "Elastic rules: run on the rule's schedule over the data's timeline (the default without --now)")
    .addOption(new Option("--mappings <dir>", "Elastic rules: more ECS mapping files or folders; repeatable").default([]).argParser(collect))
    .action(async (file: string | undefined, options: RunCliOptions & { schedule?: boolean; mappings: string[] }) => {
      if (file && isElasticRuleFile(file)) {
        const { elasticRunCommand } = await import("./elastic.js");
        exitCode = await elasticRunCommand(file, { ...options, data: dataArgs, apps: options.apps, io });
        return;
      }
      const [source] = sourcesFrom(options.search, file ? [file] : []);
      const globals = program.opts<{ macros: string[] }>();
      const { runCommand } = await import("./run.js");
      exitCode = await runCommand(source!, { ...options, data: dataArgs, macros: globals.macros, io });
    });

  program
    .command("test")
    .description("run detection tests (security_content YAML, or .spl or Elastic .toml rules with a <stem>.test.yml sidecar)")
    .argument("[paths...]", "detection files or folders (default searches/)")
    .addOption(new Option("--attack-data <dir>", "where attack_data URLs and attack_data: paths are found; repeatable").default([]).argParser(collect))
    .addOption(new Option("--macro <name=definition>", "a macro definition for every test; repeatable").default([]).argParser(collect))
    .option("--schedule", "run each test as Splunk's scheduler would over the replayed timeline")
    .addOption(new Option("--format <format>", "text or json").choices(["text", "json"]).default("text"))
    .option("--junit <file>", "also write JUnit XML")
    .addOption(new Option("--apps <dir>", "more Splunk app folders; repeatable").default([]).argParser(collect))
    .option("--tz <zone>", "time zone of tests that set none (default UTC)")
    .option("--now <time>", "now() of tests that set none (default the current time)")
    .option("--geoip-db <file>", "a MaxMind-schema GeoIP City database for iplocation")
    .addOption(new Option("--mappings <dir>", "Elastic rules: more ECS mapping files or folders; repeatable").default([]).argParser(collect))
    .action(async (paths: string[], options: TestCliOptions) => {
      const { testCommand } = await import("./test.js");
      exitCode = await testCommand(paths, { ...options, macros: program.opts<{ macros: string[] }>().macros }, io);
    });

  program
    .command("repl")
    .description("search replayed datasets interactively; without a terminal, read searches line by line")
    .option("--data <path>", "a dataset file or attack_data manifest; repeatable, each followed by its own --sourcetype/--source/--host/--index")
    .addOption(new Option("--apps <dir>", "more Splunk app folders; repeatable").default([]).argParser(collect))
    .addOption(new Option("--format <format>", "piped input only: table, json or csv").choices(["table", "json", "csv"]))
    .option("--tz <zone>", "the search's time zone (IANA name); default the TZ of the process")
    .option("--now <time>", "now() for the searches: epoch seconds or ISO-8601")
    .option("--earliest <time>", "start of the time range")
    .option("--latest <time>", "end of the time range (exclusive)")
    .option("--geoip-db <file>", "a MaxMind-schema GeoIP City database for iplocation")
    .option("--models <dir>", "MLTK's model directory", "models")
    .action(async (options: ReplCliOptions) => {
      const { replCommand } = await import("./repl.js");
      exitCode = await replCommand({ ...options, data: dataArgs, macros: program.opts<{ macros: string[] }>().macros }, io);
    });

  program
    .command("grammar", { hidden: true })
    .description("write the grammar's syntax diagrams (for grammar/)")
    .option("--out <dir>", "output folder", "grammar")
    .action(async (options: { out: string }) => {
      const { writeGrammarDiagrams } = await import("../parse/diagrams.js");
      const written = writeGrammarDiagrams(options.out);
      io.out(`wrote ${written.join(", ")}\n`);
    });

  let dataArgs: DataArg[] = [];
  try {
    const split = splitDataOptions(argv);
    dataArgs = split.data;
    await program.parseAsync(split.rest, { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    const { SplError } = await import("../diag/diagnostic.js");
    if (error instanceof SplError) {
      const { renderDiagnostics } = await import("../diag/render.js");
      io.err(withNewline(renderDiagnostics(error)));
      return 1;
    }
    if (error instanceof CliError) {
      io.err(`spelunk: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}

function sourcesFrom(search: string | undefined, files: readonly string[]): SearchSource[] {
  if (search !== undefined && files.length > 0) throw new CliError("give either -e SEARCH or files, not both");
  if (search !== undefined) return [{ name: "<search>", text: search }];
  if (files.length === 0) throw new CliError("nothing to do: give -e SEARCH or a file");
  return readSearchSources(files);
}

function stem(source: SearchSource): { detectionStem?: string } {
  return source.stem ? { detectionStem: source.stem } : {};
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
