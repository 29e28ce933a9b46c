/** KQL (Kibana Query Language): parse a query, then compile it into a predicate over JSON documents. */
export type { KqlLiteral, KqlNode, KqlValue, RangeOp } from "./ast.js";
export { parseKql, type KqlParseOptions, type KqlQuery } from "./parser.js";
export { checkKql, compileKql, ipKey, ipTest, kindOf, type DocPredicate, type FieldTypes, type KqlCompileOptions } from "./evaluate.js";
export { leaves, setPath, valuesAt, type KqlDocument } from "./document.js";
export { parseDateMath, parseDuration } from "./datemath.js";
