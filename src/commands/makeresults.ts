import type { ArgReader } from "../parse/args.js";
import { ConstantColumn, type Column, Table } from "../table/table.js";
import { defineCommand } from "./command.js";
import { boolOption, intOption, readOption, type OptionHandlers } from "./options.js";

/**
 * `| makeresults [count=<num>] [annotate=<bool>] [splunk_server=<string>] [splunk_server_group=<string>]...`
 * (makeresults doc 9.4, https://help.splunk.com/splunk-enterprise/spl-search-reference/9.4/search-commands/makeresults):
 * "If you do not specify any of the optional arguments, this command runs on the local machine and
 * generates one result with only the _time field."
 */
export interface MakeresultsArgs {
  /** "The number of results to generate." Default 1. */
  readonly count: number;
  /** annotate=true adds _raw, host, source, sourcetype, splunk_server, splunk_server_group. */
  readonly annotate: boolean;
}

/** Most results one makeresults may generate (a bound on user input; Splunk documents none). */
export const MAX_MAKERESULTS = 10_000_000;

/** The value of splunk_server with annotate=true: "The name of the server that the makeresults command is run on". */
export const SERVER_NAME = "spelunk";

export const makeresults = defineCommand<MakeresultsArgs>({
  name: "makeresults",
  generating: () => true,
  parse(r: ArgReader) {
    let count = 1;
    let annotate = false;
    const options: OptionHandlers = {
      count: (o) => {
        count = intOption(o, r);
        if (count > MAX_MAKERESULTS) r.fail("bad-argument", `makeresults: count= is at most ${MAX_MAKERESULTS} but is ${count}`, o.value.span);
      },
      annotate: (o) => (annotate = boolOption(o, r)),
      // One machine: the search head is every server, so where to run does not change the results.
      splunk_server: () => undefined,
      splunk_server_group: () => undefined,
      format: (o) => r.fail("bad-argument", "makeresults: format= and data= (results from inline CSV or JSON) are not supported yet", o.span),
      data: (o) => r.fail("bad-argument", "makeresults: format= and data= (results from inline CSV or JSON) are not supported yet", o.span),
    };
    while (!r.atEnd()) {
      if (!readOption(r, options)) r.failHere("expected count=, annotate=, splunk_server= or splunk_server_group=");
    }
    return { count, annotate };
  },
  run(args, _input, ctx) {
    // "_time: Date and time that you run the makeresults command": the search's start time (now()).
    const n = args.count;
    const columns: Array<[string, Column]> = [["_time", new ConstantColumn(n, ctx.now)]];
    if (args.annotate) {
      // The doc's table: _raw, host, source, sourcetype and splunk_server_group are "None." (empty);
      // splunk_server names the server. Order after _time: the doc's (UNCONFIRMED for Splunk's output).
      for (const name of ["_raw", "host", "source", "sourcetype"]) columns.push([name, new ConstantColumn(n, null)]);
      columns.push(["splunk_server", new ConstantColumn(n, SERVER_NAME)]);
      columns.push(["splunk_server_group", new ConstantColumn(n, null)]);
    }
    return new Table(n, columns);
  },
});
