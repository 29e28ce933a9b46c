/**
 * Eval functions, with expected values from Splunk's searchbnf examples and function reference
 * (reference/spl_semantics.md §4.7).
 */
import { describe, expect, it } from "vitest";
import { ctx, ev, evalRows } from "./helpers.js";

describe("conditional functions", () => {
  it("if() takes the else branch unless the condition is true", () => {
    expect(ev('if(x > 5, "big", "small")', { x: 7 })).toBe("big");
    expect(ev('if(x > 5, "big", "small")', { x: 1 })).toBe("small");
    expect(ev('if(x > 5, "big", "small")')).toBe("small");
  });

  it("case() returns the value of the first true condition, null when none is", () => {
    const rows = [{ status: 200 }, { status: "404" }, { status: 302 }];
    expect(evalRows('case(status==200, "OK", status==404, "Not found")', rows)).toEqual(["OK", "Not found", null]);
    expect(ev('case(1=2, "a", true(), "default")')).toBe("default");
  });

  it("coalesce() skips nulls but not empty strings", () => {
    expect(ev('coalesce(a, b, "none")', { b: "B" })).toBe("B");
    expect(ev('coalesce(a, b, "none")', { a: "" })).toBe("");
    expect(ev('coalesce(a, b, "none")')).toBe("none");
  });

  it("nullif(), null(), validate()", () => {
    expect(ev("nullif(a, b)", { a: "x", b: "x" })).toBeNull();
    expect(ev("nullif(a, b)", { a: "x", b: "y" })).toBe("x");
    expect(ev("null()")).toBeNull();
    expect(ev('validate(isint(port), "not an integer", port >= 1 AND port <= 65535, "out of range")', { port: "70000" })).toBe("out of range");
    expect(ev('validate(isint(port), "not an integer", port >= 1 AND port <= 65535, "out of range")', { port: "443" })).toBeNull();
  });

  it("isnull, isnotnull, isnum, isint, isstr, isbool", () => {
    expect(ev("isnull(x)")).toBe(true);
    expect(ev("isnotnull(x)", { x: "" })).toBe(true);
    expect(ev("isnum(x)", { x: "445" })).toBe(true);
    expect(ev("isnum(x)", { x: "0x1F" })).toBe(false);
    expect(ev("isint(x)", { x: "4.5" })).toBe(false);
    expect(ev("isint(x)", { x: "45" })).toBe(true);
    expect(ev("isstr(x)", { x: "smb" })).toBe(true);
    expect(ev("isstr(x)", { x: "445" })).toBe(false);
    expect(ev("isbool(1==2)")).toBe(true);
  });

  it("typeof() names the types: NumberStringBoolInvalid (searchbnf example)", () => {
    expect(ev('typeof(12)+typeof("string")+typeof(1==2)+typeof(badfield)')).toBe("NumberStringBoolInvalid");
    expect(ev("typeof(x)", { x: ["a", "b"] })).toBe("Multivalue");
  });

  it("match() finds the regex anywhere in the text, in any value", () => {
    expect(ev('match(x, "^\\d+$")', { x: "445" })).toBe(true);
    expect(ev('match(x, "mb")', { x: "smb" })).toBe(true);
    expect(ev('match(x, "^mb")', { x: "smb" })).toBe(false);
    expect(ev('match(x, "(?i)^SMB$")', { x: "smb" })).toBe(true);
    expect(ev('match(x, "^b")', { x: ["a", "b"] })).toBe(true);
    expect(ev('match(x, "a")')).toBeNull();
  });
});

describe("cidrmatch", () => {
  it("matches IPv4 and IPv6 subnets", () => {
    expect(ev('cidrmatch("123.132.32.0/25", ip)', { ip: "123.132.32.5" })).toBe(true);
    expect(ev('cidrmatch("123.132.32.0/25", ip)', { ip: "123.132.32.200" })).toBe(false);
    expect(ev('cidrmatch("2001:db8::/32", ip)', { ip: "2001:db8::1" })).toBe(true);
    expect(ev('cidrmatch("2001:db8::/32", ip)', { ip: "2001:db9::1" })).toBe(false);
    expect(ev('cidrmatch("10.0.0.0/8", ip)', { ip: "::ffff:10.1.2.3" })).toBe(true);
  });

  it("reads /0, /32, a bare address, and refuses bad subnets", () => {
    expect(ev('cidrmatch("0.0.0.0/0", ip)', { ip: "203.0.113.9" })).toBe(true);
    expect(ev('cidrmatch("10.1.1.1/32", ip)', { ip: "10.1.1.1" })).toBe(true);
    expect(ev('cidrmatch("10.1.1.1", ip)', { ip: "10.1.1.2" })).toBe(false);
    expect(ev("cidrmatch(net, ip)", { net: "10.0.0.0/33", ip: "10.1.1.1" })).toBe(false);
    expect(ev('cidrmatch("10.0.0.0/8", ip)', { ip: "2001:db8::1" })).toBe(false);
    expect(ev('cidrmatch(net, ip)', { net: "192.168.0.0/16", ip: "192.168.4.4" })).toBe(true);
  });

  it("is true for a multivalue when any value is in the subnet", () => {
    expect(ev('cidrmatch("10.0.0.0/8", ip)', { ip: ["192.0.2.1", "10.1.2.3"] })).toBe(true);
    expect(ev('cidrmatch("10.0.0.0/8", ip)', { ip: ["192.0.2.1", "8.8.8.8"] })).toBe(false);
  });

  it("is false for a value that is not an address, null for a missing one", () => {
    expect(ev('cidrmatch("10.0.0.0/8", ip)', { ip: "ten" })).toBe(false);
    expect(ev('cidrmatch("10.0.0.0/8", ip)', { ip: "10" })).toBe(false);
    expect(ev('cidrmatch("10.0.0.0/8", ip)')).toBeNull();
  });
});

describe("text functions", () => {
  it("substr() is 1-based and counts a negative start from the end", () => {
    expect(ev('substr("string", 1, 3) + substr("string", -3)')).toBe("string");
    expect(ev('substr("string", -3)')).toBe("ing");
    expect(ev('substr("string", 2)')).toBe("tring");
    expect(ev('substr("abc", 0, 2)')).toBe("a");
    expect(ev('substr("abc", 5)')).toBe("");
  });

  it("lower, upper, len, trim", () => {
    expect(ev('lower("SMB") . upper("smb")')).toBe("smbSMB");
    expect(ev('len("héllo")')).toBe(5);
    expect(ev('trim("  x \t")')).toBe("x");
    expect(ev('ltrim("  x  ")')).toBe("x  ");
    expect(ev('rtrim("xxaxx", "x")')).toBe("xxa");
  });

  it("works value by value on a multivalue", () => {
    expect(ev("lower(x)", { x: ["A", "B"] })).toEqual(["a", "b"]);
  });

  it("replace() replaces every match, with \\1 group references", () => {
    expect(ev('replace(date, "^(\\d{1,2})/(\\d{1,2})/", "\\2/\\1/")', { date: "1/14/2020" })).toBe("14/1/2020");
    expect(ev('replace(x, "a", "b")', { x: "banana" })).toBe("bbnbnb");
    expect(ev('replace(x, "\\.", "$")', { x: "a.b" })).toBe("a$b");
  });

  it("split() makes a multivalue", () => {
    expect(ev('split("a;b;c", ";")')).toEqual(["a", "b", "c"]);
    expect(ev('split("abc", "")')).toEqual(["a", "b", "c"]);
    expect(ev('split("abc", ";")')).toBe("abc");
  });

  it("urldecode() and hashes", () => {
    expect(ev('urldecode("http%3A%2F%2Fwww.splunk.com%2Fdownload%3Fr%3Dheader")')).toBe("http://www.splunk.com/download?r=header");
    expect(ev('urldecode("caf%C3%A9%2")')).toBe("café%2");
    expect(ev('md5("abc")')).toBe("900150983cd24fb0d6963f7d28e17f72");
    expect(ev('sha1("abc")')).toBe("a9993e364706816aba3e25717850c26c9cd0d89d");
    expect(ev('sha256("abc")')).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("math functions", () => {
  it("round() rounds half away from zero on the decimal value", () => {
    expect(ev("round(2.555, 2)")).toBe(2.56);
    expect(ev("round(3.5)")).toBe(4);
    expect(ev("round(-2.5)")).toBe(-3);
    expect(ev("round(1.005, 2)")).toBe(1.01);
    expect(ev("round(1234.5678, -2)")).toBe(1200);
  });

  it("floor, ceil, abs, sqrt, pow, exp, ln, log, pi", () => {
    expect(ev("floor(1.7) + ceil(1.2) + ceiling(1.2) + abs(-3)")).toBe(8);
    expect(ev("sqrt(16)")).toBe(4);
    expect(ev("sqrt(-1)")).toBeNull();
    expect(ev("pow(2, 10)")).toBe(1024);
    expect(ev("exp(0)")).toBe(1);
    expect(ev("ln(0)")).toBeNull();
    expect(ev("log(1000)")).toBe(3);
    expect(ev("log(8, 2)")).toBe(3);
    expect(ev("pi()")).toBe(Math.PI);
  });

  it("min() and max() rank strings above numbers", () => {
    expect(ev('max(1, 3, 6, 7, "foo", x)', { x: "10" })).toBe("foo");
    expect(ev('min(1, 3, 6, 7, "foo", x)', { x: "10" })).toBe(1);
    expect(ev("max(x)", { x: ["9", "10"] })).toBe("10");
    expect(ev("max(a, b)")).toBeNull();
  });

  it("random() gives an integer from 0 to 2^31-1", () => {
    const r = ev("random()") as number;
    expect(Number.isInteger(r) && r >= 0 && r < 2 ** 31).toBe(true);
  });
});

describe("conversion functions", () => {
  it("tostring() with formats (searchbnf examples)", () => {
    expect(ev("tostring(1==1)")).toBe("True");
    expect(ev("tostring(1==2)")).toBe("False");
    expect(ev('tostring(15, "hex")')).toBe("0xF");
    expect(ev('tostring(12345.6789, "commas")')).toBe("12,345.68");
    expect(ev('tostring(1234567, "commas")')).toBe("1,234,567");
    expect(ev('tostring(615, "duration")')).toBe("00:10:15");
    expect(ev('tostring(90061, "duration")')).toBe("1+01:01:01");
    expect(ev("tostring(2.50)")).toBe("2.5");
    expect(ev("tostring(x)")).toBeNull();
  });

  it("tonumber() reads numbers in a base, null otherwise", () => {
    expect(ev('tonumber("0A4", 16)')).toBe(164);
    expect(ev('tonumber("101", 2)')).toBe(5);
    expect(ev('tonumber("1.5e3")')).toBe(1500);
    expect(ev('tonumber("12abc")')).toBeNull();
    expect(ev('tonumber("12", 2)')).toBeNull();
  });
});

describe("multivalue functions", () => {
  const f = { f: ["a", "b", "c", "d"] };

  it("mvindex() counts from 0, and negative indexes from the end", () => {
    expect(ev("mvindex(f, 0)", f)).toBe("a");
    expect(ev("mvindex(f, -1)", f)).toBe("d");
    expect(ev("mvindex(f, 1, 2)", f)).toEqual(["b", "c"]);
    expect(ev("mvindex(f, -2, -1)", f)).toEqual(["c", "d"]);
    expect(ev("mvindex(f, 2, 10)", f)).toEqual(["c", "d"]);
    expect(ev("mvindex(f, 4)", f)).toBeNull();
    expect(ev("mvindex(f, -5)", f)).toBeNull();
    expect(ev('mvindex("x", 0)')).toBe("x");
  });

  it("mvcount() is null for a missing field", () => {
    expect(ev("mvcount(f)", f)).toBe(4);
    expect(ev('mvcount("x")')).toBe(1);
    expect(ev("mvcount(missing)")).toBeNull();
  });

  it("mvjoin, mvappend, mvdedup, mvsort, mvfind, mvzip, mvrange", () => {
    expect(ev('mvjoin(f, ",")', f)).toBe("a,b,c,d");
    expect(ev('mvappend("localhost", srcip, missing)', { srcip: ["10.0.0.1", "10.0.0.2"] })).toEqual(["localhost", "10.0.0.1", "10.0.0.2"]);
    expect(ev("mvdedup(x)", { x: ["b", "a", "b"] })).toEqual(["b", "a"]);
    expect(ev("mvsort(x)", { x: ["9", "10", "B", "a"] })).toEqual(["10", "9", "B", "a"]);
    expect(ev('mvfind(x, "err\\d+")', { x: ["ok", "err42"] })).toBe(1);
    expect(ev('mvfind(x, "nope")', { x: ["ok", "err42"] })).toBeNull();
    expect(ev("mvzip(h, p)", { h: ["a", "b"], p: ["1", "2", "3"] })).toEqual(["a,1", "b,2"]);
    expect(ev('mvzip(h, p, ":")', { h: "a", p: "1" })).toBe("a:1");
    expect(ev("mvrange(1, 11, 2)")).toEqual([1, 3, 5, 7, 9]);
    expect(ev('mvrange(0, 172800, "1d")')).toEqual([0, 86400]);
  });

  it("mvfilter() keeps the values its expression is true for", () => {
    const email = { email: ["a@x.net", "b@y.com", "c@z.org"] };
    expect(ev('mvfilter(match(email, "\\.net$") OR match(email, "\\.org$"))', email)).toEqual(["a@x.net", "c@z.org"]);
    expect(ev('mvfilter(email = "b@y.com")', email)).toBe("b@y.com");
    expect(ev('mvfilter(email = "none")', email)).toBeNull();
  });

  it("mvmap() applies an expression to each value", () => {
    expect(ev("mvmap(x, x * 10)", { x: ["1", "2"] })).toEqual([10, 20]);
  });
});

describe("time functions", () => {
  const t = { _time: 1591367999.305988 };

  it("now() is the search's start time; time() the wall clock", () => {
    expect(ev("now()")).toBe(ctx.now);
    expect(Math.abs((ev("time()") as number) - Date.now() / 1000)).toBeLessThan(5);
  });

  it("strftime() renders in the search's time zone", () => {
    expect(ev('strftime(_time, "%H")', t)).toBe("14");
    expect(ev('strftime(_time, "%A %H")', t, { now: 0, tz: "America/New_York" })).toBe("Friday 10");
    expect(ev('strftime(_time, "%Y-%m-%dT%H:%M:%S.%3N")', { _time: "0" })).toBe("1970-01-01T00:00:00.000");
    expect(ev('strftime(x, "%H")', { x: "soon" })).toBeNull();
  });

  it("strptime() parses, null when the text does not match", () => {
    expect(ev('strptime("2020-06-05 14:39:59", "%Y-%m-%d %H:%M:%S")')).toBe(1591367999);
    expect(ev('strptime("junk", "%Y-%m-%d")')).toBeNull();
  });

  it("relative_time() applies a modifier: -1d@d is the start of yesterday", () => {
    expect(ev('relative_time(now(), "-1d@d")')).toBe(1591228800);
    expect(ev("relative_time(now(), spec)", { spec: "@h" })).toBe(1591365600);
    expect(ev("relative_time(now(), spec)", { spec: "nonsense" })).toBeNull();
  });

  it("relative_time() snaps to local midnight across a DST change (Europe/Berlin)", () => {
    // 2024-04-01T08:00Z is 10:00 CEST; midnight of 2024-03-31 was CET, 2024-03-30T23:00Z.
    expect(ev('relative_time(t, "-1d@d")', { t: 1711958400 }, { now: 0, tz: "Europe/Berlin" })).toBe(1711839600);
  });
});
