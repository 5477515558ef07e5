// Generated requests: a plan made by fast-check (which route, as whom, which method, fields,
// headers and body, what kind of value goes where) and its realisation against the database of
// the moment (real ids, slugs, references and tokens, and the cookies of logged-in roles).
import fc from "fast-check";
import type { FieldName, FuzzRoute } from "./routes";

export const ROLES = ["anonymous", "ADMIN", "ORGANISER", "CHECKIN", "SPONSOR"] as const;
export type FuzzRole = (typeof ROLES)[number];

/** What goes into one slot (a path parameter, a query value, a field value). */
type ValueSpec =
  /** A real value from the database, from the columns the slot's name points to (or any, with `anywhere`). */
  | { kind: "real"; pick: number; anywhere: boolean }
  /** A value the route's own source or schema names (an intent, an enum entry, "on"). */
  | { kind: "literal"; pick: number }
  /** What a person would type into a field of that name. */
  | { kind: "plausible"; pick: number }
  /** A value the field's own schema accepts, found among the others. */
  | { kind: "valid"; pick: number }
  | { kind: "text"; value: string };

/** `indexes`: what `[]` in the name becomes, when not the plan's own list indexes. */
type FieldSpec = { name: string; indexes: number[] | null; keyPick: ValueSpec; values: ValueSpec[]; asFile: FileSpec | null };
type FileSpec = { filename: string; contentType: string; bytes: Uint8Array };

type BodyEncoding = "urlencoded" | "multipart" | "json" | "text" | "none" | "empty";

export type RequestPlan = {
  routeId: string;
  role: FuzzRole;
  method: string;
  /** Remix's single-fetch data request (`/path.data`). */
  dataRequest: boolean;
  /** The row of each table that real values come from, so a reference goes with its own access token. */
  row: number;
  /** What `[]` in field names becomes, so that one attendee's fields stay together. */
  listIndexes: number[];
  params: ValueSpec[];
  pathTweak: string;
  query: { name: ValueSpec | string; value: ValueSpec }[];
  rawQuery: string;
  fields: FieldSpec[];
  encoding: BodyEncoding;
  contentType: string | null;
  rawBodySuffix: string;
  headers: HeaderPlan;
};

type HeaderPlan = {
  origin: "same" | "none" | "app-url" | "other" | "null" | "junk";
  host: "default" | "other" | "localhost" | "junk";
  forwardedFor: string | null;
  cookieJunk: string | null;
  extra: [string, string][];
};

/** The database of the moment, as the plans need it. */
export type World = {
  port: number;
  cookies: Record<Exclude<FuzzRole, "anonymous">, string>;
  /** Rows of key columns per table (ids, slugs, references, tokens), in storage order. */
  rows: Map<string, Record<string, string>[]>;
};

export type BuiltRequest = { method: string; path: string; headers: Record<string, string>; body: Buffer | undefined };

// ---------------------------------------------------------------------------------------------
// Values

const SPECIAL = [
  "",
  " ",
  "\0",
  "a\0b",
  "\u0001",
  "\u0008",
  "\u001b[31m",
  "\u007f",
  "\u0085",
  "\u009b",
  "\u00a0",
  "\u200b",
  "\u200e",
  "\u202e",
  "\u2066",
  "\u2028",
  "\ufeff",
  "\ufffd",
  "\ud800",
  "\udfff",
  "\r\n",
  "line\nbreak",
  "\t",
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "\\",
  "\"",
  "${7*7}",
  "../../etc/passwd",
  "%00",
  "%",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "hasOwnProperty",
  "=1+1",
  "@SUM(A1)",
  "Zoë Ångström",
  "李小龍",
  "مرحبا",
  "👩‍👩‍👧‍👦",
  "e\u0301",
  "null",
  "undefined",
  "true",
  "false",
  "[]",
  "{}",
  "on",
  "off",
  "new",
  "a@b",
  "@",
  "x@example.com",
  "UPPER@EXAMPLE.COM",
];

const NUMBERS = [
  "0",
  "-0",
  "-1",
  "1",
  "2",
  "10",
  "20",
  "21",
  "1.5",
  "1.005",
  "0.001",
  "1e3",
  "1e309",
  "-1e309",
  "NaN",
  "Infinity",
  "-Infinity",
  "9007199254740993",
  "2147483648",
  "-2147483649",
  "99999999999999999999999",
  "0x1F",
  "1_000",
  "+1",
  " 1 ",
  "1,495.00",
  "$1495",
  "100%",
  "٣",
];

const DATES = [
  "2025-09-09",
  "2025-09-10",
  "2025-09-09T09:00",
  "2025-09-10T17:30",
  "2025-02-30T10:00",
  "2025-13-01",
  "0000-01-01T00:00",
  "9999-12-31T23:59",
  "2025-09-09T24:00",
  "1970-01-01T00:00:00Z",
  "09:00",
  "25:61",
  "-1:00",
];

const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBERS) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.bigInt()).map(String) },
  { weight: 2, arbitrary: fc.constantFrom(...DATES) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 20 }) },
  { weight: 1, arbitrary: fc.emailAddress() },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom(41, 81, 121, 255, 1001, 10_001, 300_000), fc.constantFrom("a", "é", "😀", "\u202e", "9", " ")).map(([n, c]) => c.repeat(n)),
  },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...SPECIAL), fc.string({ maxLength: 8 })).map((parts) => parts.join("")) },
);

/** `arbitrary` once in `odds` times, else `fallback`. */
const rarely = <T, F>(arbitrary: fc.Arbitrary<T>, odds: number, fallback: F) =>
  fc.oneof({ weight: odds - 1, arbitrary: fc.constant(fallback) }, { weight: 1, arbitrary });

const valueSpec = (weights: { valid?: number; real: number; literal: number; plausible: number; text: number }): fc.Arbitrary<ValueSpec> =>
  fc.oneof(
    { weight: weights.valid ?? 0, arbitrary: fc.record({ kind: fc.constant("valid" as const), pick: fc.nat() }) },
    { weight: weights.real, arbitrary: fc.record({ kind: fc.constant("real" as const), pick: fc.nat(), anywhere: rarely(fc.constant(true), 5, false) }) },
    { weight: weights.literal, arbitrary: fc.record({ kind: fc.constant("literal" as const), pick: fc.nat() }) },
    { weight: weights.plausible, arbitrary: fc.record({ kind: fc.constant("plausible" as const), pick: fc.nat() }) },
    { weight: weights.text, arbitrary: fc.record({ kind: fc.constant("text" as const), value: text }) },
  );

const fieldValue = valueSpec({ valid: 3, real: 2, literal: 2, plausible: 2, text: 5 });
/** For a whole form as its page would send it (the other plans bring the odd values). */
const formValue = valueSpec({ valid: 1, real: 0, literal: 0, plausible: 0, text: 0 });
const queryValue = valueSpec({ valid: 2, real: 5, literal: 3, plausible: 2, text: 4 });
const linkValue = valueSpec({ valid: 2, real: 6, literal: 1, plausible: 0, text: 1 });
const paramValue = valueSpec({ real: 7, literal: 1, plausible: 0, text: 3 });

/** What a person would type, by the words of a field's name. */
const PLAUSIBLE: [RegExp, string[]][] = [
  [/email/i, ["fuzz@example.com", "organiser@test.example"]],
  [/password|current/i, ["correct horse battery staple", "a-long-enough-password"]],
  [/confirm|featured|share|includes?AttendeeList|override|remove/i, ["on", "true", "correct horse battery staple"]],
  [/amount|price|capacity|rank|position|max|quantit|uses|cents|page|expected/i, ["1", "10", "0", "15", "695.00"]],
  [/day$/i, ["2025-09-09", "2025-09-10"]],
  [/start|end/i, ["09:00", "10:30", "2025-09-01T09:00", "2025-09-20T17:00"]],
  [/website|url/i, ["https://example.com"]],
  [/colou?r|accent/i, ["#336699", "#f0a"]],
  [/code/i, ["MAGNET15", "SPEAKERGUEST", "TEAM200", "INVESTOR"]],
  [/^/, ["Ada Lovelace", "Sample Magnetics", "A short note."]],
];

// ---------------------------------------------------------------------------------------------
// Names

const PROTO_NAMES = [
  "__proto__",
  "__proto__[polluted]",
  "__proto__.polluted",
  "constructor",
  "constructor.prototype.polluted",
  "constructor[prototype][polluted]",
  "prototype",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "a[__proto__]",
  "attendees[__proto__].name",
  "quantities.__proto__",
  "quantities.constructor",
  "buyer[constructor]",
  "[]",
  "a[]",
  "a[0][1]",
  "a..b",
  ".",
  "",
  "intent",
  "_method",
  "_data",
  "_routes",
];

const INDEXES = [0, 0, 0, 1, 1, 2, 19, 20, 21, 1000, 99_999_999, -1];
const listIndexes: fc.Arbitrary<number[]> = fc.oneof(fc.constant<number[]>([0, 0, 0]), fc.constant<number[]>([0, 1, 2]), fc.array(fc.constantFrom(...INDEXES), { minLength: 3, maxLength: 3 }));

function fieldSpec(name: string, value: fc.Arbitrary<ValueSpec>): fc.Arbitrary<FieldSpec> {
  return fc.record({
    name: fc.constant(name),
    indexes: rarely(listIndexes, 8, null),
    keyPick: paramValue,
    // Mostly one value; sometimes the same name repeated (an array where one value is expected).
    values: fc.oneof({ weight: 6, arbitrary: fc.array(value, { minLength: 1, maxLength: 1 }) }, { weight: 1, arbitrary: fc.array(value, { minLength: 0, maxLength: 4 }) }),
    asFile: rarely(fileSpec, 12, null),
  });
}

const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  filename: fc.oneof(fc.constantFrom("photo.png", "logo.jpg", "../../evil.png", "", "a\u202egnp.exe", "x".repeat(300)), fc.string({ maxLength: 12 })),
  contentType: fc.constantFrom("image/png", "image/jpeg", "image/webp", "image/svg+xml", "text/plain", "application/octet-stream", "", "image/png; charset=utf-8"),
  bytes: fc.oneof(
    fc.uint8Array({ maxLength: 64 }),
    // A PNG signature and header with nothing after it.
    fc.constant(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])),
    fc.constant(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
  ),
});

// ---------------------------------------------------------------------------------------------
// Headers

const headerText = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 40 });
const latin1Text = fc.string({ unit: fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 10 });

// No Transfer-Encoding: Node answers a bad one with 400 itself, yet may still hand the request to
// the app, whose work (an export's audit entry) then lands during the next request's check.
const extraHeaders: fc.Arbitrary<[string, string][]> = fc.array(
  fc.oneof(
    fc.tuple(fc.constant("Accept"), fc.constantFrom("text/html", "application/json", "*/*", "text/vnd.turbo-stream.html", "text/x-script", "image/*;q=0")),
    fc.tuple(fc.constant("If-None-Match"), fc.oneof(fc.constantFrom("*", '"abc"', 'W/"x"', '"', ""), headerText)),
    fc.tuple(fc.constant("If-Modified-Since"), fc.constantFrom("Thu, 01 Jan 1970 00:00:00 GMT", "yesterday", "")),
    fc.tuple(fc.constant("Range"), fc.constantFrom("bytes=0-10", "bytes=5-1", "bytes=-", "bytes=0-0,1-1,2-2", "lines=1-2", "bytes=99999999-")),
    fc.tuple(fc.constant("Accept-Encoding"), fc.constantFrom("gzip", "br", "deflate", "identity;q=0", "*;q=0", "x-junk")),
    fc.tuple(fc.constant("Accept-Language"), fc.oneof(fc.constantFrom("fr-CA", "*", "zz;q=2"), headerText)),
    fc.tuple(fc.constant("User-Agent"), fc.oneof(headerText, latin1Text)),
    fc.tuple(fc.constant("Sec-Fetch-Site"), fc.constantFrom("same-origin", "cross-site", "none", "same-site")),
    fc.tuple(fc.constant("X-Forwarded-Proto"), fc.constantFrom("https", "http", "gopher", "https, http")),
    fc.tuple(fc.constant("X-Forwarded-Host"), fc.constantFrom("evil.example", "127.0.0.1", "", "a, b")),
    fc.tuple(fc.constant("Stripe-Signature"), fc.oneof(fc.constantFrom("t=1,v1=abc", "", "v1="), headerText)),
    fc.tuple(fc.constant("X-Remix-Response"), fc.constantFrom("yes", "")),
    fc.tuple(fc.constant("Referer"), fc.constantFrom("https://evil.example/", "not a url", "/tickets")),
    fc.tuple(fc.constant("Expect"), fc.constant("100-continue")),
  ),
  { maxLength: 3 },
);

const headerPlan: fc.Arbitrary<HeaderPlan> = fc.record({
  origin: fc.oneof(
    { weight: 12, arbitrary: fc.constant("same" as const) },
    { weight: 3, arbitrary: fc.constant("none" as const) },
    { weight: 1, arbitrary: fc.constantFrom("app-url" as const, "other" as const, "null" as const, "junk" as const) },
  ),
  host: fc.oneof({ weight: 20, arbitrary: fc.constant("default" as const) }, { weight: 1, arbitrary: fc.constantFrom("other" as const, "localhost" as const, "junk" as const) }),
  // Rate limits count per client address: most requests come from an address of their own.
  forwardedFor: fc.oneof(
    { weight: 8, arbitrary: fc.ipV4() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constantFrom("203.0.113.7", "not-an-ip", "1.2.3.4, 5.6.7.8", "::1", "2001:db8::1", "") },
  ),
  cookieJunk: rarely(fc.constantFrom("re3m_session=garbage", "re3m_session=", "re3m_session=%E0%A4%A", "=;;=", "a=b; re3m_session=eyJ4Ijox.sig", `big=${"x".repeat(5000)}`), 10, null),
  extra: extraHeaders,
});

// ---------------------------------------------------------------------------------------------
// Plans

const RAW_QUERIES = ["%E0%A4%A", "%", "%ZZ", "&&=&", "a=%C0%AF", "_data=routes%2Froot", "index", "_routes=root,routes/_index", "a[b]=c&a[c]=d"];
const PATH_TWEAKS = ["/", "/extra", "//", "/..", "/%2e%2e", "/%2F", ";x=1", "/%E2%80%AE", "/index", "/_index"];
const CONTENT_TYPES = [
  "application/x-www-form-urlencoded; charset=utf-8",
  "APPLICATION/X-WWW-FORM-URLENCODED",
  "application/x-www-form-urlencoded; charset=iso-8859-1",
  "application/x-www-form-urlencoded;charset=utf-16",
  "multipart/form-data",
  "multipart/form-data; boundary=",
  "multipart/form-data; boundary=wrong-boundary",
  "multipart/mixed; boundary=fuzz-boundary",
  "application/json",
  "text/plain",
  "text/html; charset=utf-8",
  "application/octet-stream",
  "",
  "*/*",
  ";;;",
];
const RAW_BODY_SUFFIXES = ["&%E0%A4%A", "&a=%ZZ", "&%", "&b=%C0%AF", "&c=%FF%FE", "&=x", "&&&", "&d", "\r\n\r\n--", "&e=%F0%9F"];

export function planFor(route: FuzzRoute): fc.Arbitrary<RequestPlan> {
  const names = [...new Set([...route.fields.map((f) => f.name), ...route.names])];
  const fieldNames = fc.oneof(
    { weight: 8, arbitrary: names.length > 0 ? fc.constantFrom(...names) : fc.constantFrom(...PROTO_NAMES) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTO_NAMES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const own = [...new Set([...route.fields.map((f) => f.name), ...route.names])];
  const fields = fc.oneof(
    // The whole form, as its page would send it, but for the odd value or an extra field.
    { weight: 3, arbitrary: fc.array(fieldNames, { maxLength: 1 }).chain((more) => fc.tuple(...own.map((name) => fieldSpec(name, formValue)), ...more.map((name) => fieldSpec(name, fieldValue)))) },
    // Some of the form's own fields, plus a few others.
    { weight: 3, arbitrary: fc.tuple(fc.subarray(own), fc.array(fieldNames, { maxLength: 3 })).chain(([some, more]) => fc.tuple(...[...some, ...more].map((name) => fieldSpec(name, fieldValue)))) },
    { weight: 1, arbitrary: fc.array(fieldNames, { maxLength: 8 }).chain((chosen) => fc.tuple(...chosen.map((name) => fieldSpec(name, fieldValue)))) },
  );
  const methods = route.hasAction
    ? fc.oneof({ weight: 11, arbitrary: fc.constant("POST") }, { weight: 6, arbitrary: fc.constant("GET") }, { weight: 3, arbitrary: fc.constantFrom("HEAD", "PUT", "PATCH", "DELETE", "OPTIONS") })
    : fc.oneof({ weight: 14, arbitrary: fc.constant("GET") }, { weight: 3, arbitrary: fc.constant("POST") }, { weight: 3, arbitrary: fc.constantFrom("HEAD", "PUT", "PATCH", "DELETE", "OPTIONS") });
  return fc.record({
    routeId: fc.constant(route.id),
    role: fc.constantFrom(...ROLES),
    method: methods,
    dataRequest: rarely(fc.constant(true), 7, false),
    row: fc.nat(),
    listIndexes,
    params: fc.tuple(...route.params.map(() => paramValue)),
    pathTweak: rarely(fc.constantFrom(...PATH_TWEAKS), 3, ""),
    query: fc.oneof(
      // Every name the route reads, as its own links would carry them (`/orders/:ref?k=`).
      { weight: 2, arbitrary: fc.tuple(...route.names.map((name) => fc.record({ name: fc.constant(name), value: linkValue }))) },
      {
        weight: 3,
        arbitrary: fc.array(
          fc.record({ name: fc.oneof({ weight: 3, arbitrary: route.names.length > 0 ? fc.constantFrom(...route.names) : fieldNames }, fieldNames, paramValue), value: queryValue }),
          { maxLength: 4 },
        ),
      },
    ),
    rawQuery: rarely(fc.constantFrom(...RAW_QUERIES), 3, ""),
    fields,
    encoding: fc.oneof(
      { weight: 12, arbitrary: fc.constant("urlencoded" as const) },
      { weight: 4, arbitrary: fc.constant("multipart" as const) },
      { weight: 1, arbitrary: fc.constantFrom("json" as const, "text" as const, "none" as const, "empty" as const) },
    ),
    contentType: rarely(fc.constantFrom(...CONTENT_TYPES), 8, null),
    rawBodySuffix: rarely(fc.constantFrom(...RAW_BODY_SUFFIXES), 11, ""),
    headers: headerPlan,
  });
}

// ---------------------------------------------------------------------------------------------
// Realisation

/** Words addresses use for a column or a table: `/orders/:ref?k=` are Order.reference and Order.accessToken. */
const SYNONYMS = new Map([
  ["ref", "reference"],
  ["k", "accessToken"],
  ["my", "ticket"],
  ["attendee", "ticket"],
]);

const words = (name: string) =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase().replace(/(ies)$/, "y").replace(/([^s])s$/, "$1"));

/**
 * The columns a slot's name points to, each with a weight: `ticketId` to Ticket.id, `/orders/:ref`
 * to Order.reference, `/my/:token` to Ticket.manageToken, `code` to discount and ticket codes
 * alike. A name that points nowhere gets real values from any column.
 */
function columnsFor(nameWords: string[], rows: World["rows"]): [string, string, number][] {
  const expanded = nameWords.flatMap((w) => words(SYNONYMS.get(w) ?? w));
  const last = expanded.at(-1);
  const found: [string, string, number][] = [];
  for (const [table, tableRows] of rows) {
    const tableWords = words(table);
    const tableScore = expanded.filter((w) => tableWords.includes(w)).length;
    for (const column of Object.keys(tableRows[0]!)) {
      const columnWords = words(column);
      if (last === undefined || columnWords.at(-1) !== last) continue;
      // A name that matches only a column's last word ("id") says nothing of which table.
      if (tableScore === 0 && columnWords.length === 1 && expanded.length > 1) continue;
      found.push([table, column, tableScore * 2 + 2 + expanded.filter((w) => columnWords.includes(w)).length]);
    }
  }
  // A table's name alone ("sessions") stands for its ids.
  if (found.length === 0 && last !== "id" && [...rows.keys()].some((table) => words(table).includes(last!))) return columnsFor([...nameWords, "id"], rows);
  return found;
}

function realValue(spec: { pick: number; anywhere: boolean }, nameWords: string[], row: number, world: World): string | null {
  const matched = spec.anywhere ? [] : columnsFor(nameWords, world.rows);
  const candidates = matched.length > 0 ? matched : [...world.rows].flatMap(([table, rows]) => Object.keys(rows[0]!).map((column) => [table, column, 1] as [string, string, number]));
  const total = candidates.reduce((sum, [, , weight]) => sum + weight, 0);
  let at = spec.pick % Math.max(total, 1);
  const chosen = candidates.find(([, , weight]) => (at -= weight) < 0);
  if (!chosen) return null;
  const tableRows = world.rows.get(chosen[0])!;
  return tableRows[row % tableRows.length]![chosen[1]] ?? null;
}

function resolve(spec: ValueSpec, name: string, route: FuzzRoute, field: FieldName | undefined, row: number, world: World): string {
  switch (spec.kind) {
    case "text":
      return spec.value;
    case "literal": {
      const literals = field?.hints.length && spec.pick % 3 !== 0 ? field.hints : route.literals;
      return literals.length > 0 ? literals[spec.pick % literals.length]! : "";
    }
    case "plausible": {
      const choices = PLAUSIBLE.find(([pattern]) => pattern.test(name))![1];
      return choices[spec.pick % choices.length]!;
    }
    case "real":
      return realValue(spec, words(name), row, world) ?? "";
    case "valid": {
      // A name without a schema (an intent read with formData.get) is valid when it says what the code compares it with.
      if (!field) return spec.pick % 2 === 0 && route.compared.length > 0 ? route.compared[(spec.pick >> 1) % route.compared.length]! : resolve({ kind: "plausible", pick: spec.pick }, name, route, field, row, world);
      const accepted = (value: string) => field.schemas.some((schema) => schema.safeParse(value).success);
      const real = columnsFor(words(name), world.rows).flatMap(([table, column]) => {
        const rows = world.rows.get(table)!;
        return rows[row % rows.length]![column] ?? [];
      });
      const valid = [...real.filter(accepted), ...validAmongKnown(field, route, accepted)];
      return valid.length > 0 ? valid[spec.pick % valid.length]! : resolve({ kind: "plausible", pick: spec.pick }, name, route, field, row, world);
    }
  }
}

/**
 * Real values a record's keys accept (`quantities.<slug>`), from the tables the route's address
 * names first (TicketType for /tickets/checkout), else from any.
 */
function recordKeys(keySchema: NonNullable<FieldName["keySchema"]>, route: FuzzRoute, world: World): string[] {
  const routeWords = words(route.pattern);
  const accepted = (tables: [string, Record<string, string>[]][]) =>
    tables.flatMap(([, rows]) => rows.flatMap((row) => Object.values(row))).filter((value) => typeof value === "string" && keySchema.safeParse(value).success);
  const named = accepted([...world.rows].filter(([table]) => words(table).some((w) => routeWords.includes(w))));
  return named.length > 0 ? named : accepted([...world.rows]);
}

const knownValid = new WeakMap<FieldName, string[]>();

/** The values the fuzz knows (the route's literals, the field's hints, typical input) that the field accepts. */
function validAmongKnown(field: FieldName, route: FuzzRoute, accepted: (value: string) => boolean): string[] {
  let valid = knownValid.get(field);
  if (!valid) {
    const known = new Set([...field.hints, ...PLAUSIBLE.flatMap(([, values]) => values), ...NUMBERS, ...DATES, ...route.literals, "", "on"]);
    valid = [...known].filter(accepted);
    knownValid.set(field, valid);
  }
  return valid;
}

/** Bytes as a URL encodes them; a lone surrogate becomes U+FFFD, as a browser would send it. */
const percentEncode = (value: string) =>
  [...Buffer.from(value, "utf8")].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`)).join("");

const BOUNDARY = "fuzz-boundary";

export function buildRequest(plan: RequestPlan, route: FuzzRoute, world: World): BuiltRequest {
  const fieldNamed = (name: string) => route.fields.find((f) => f.name === name);
  // The address: parameters filled in order, words of the segment before each telling whose value it is.
  let index = 0;
  let path = route.pattern.replace(/:(\w+)|\*$/g, (whole, param: string | undefined, offset: number) => {
    const before = route.pattern.slice(0, offset).split("/").filter(Boolean).at(-1) ?? "";
    const spec = plan.params[index++]!;
    const value = resolve(spec, `${before} ${param ?? "path"}`, route, undefined, plan.row, world);
    return spec.kind === "text" && whole === "*" ? value.split("/").map(percentEncode).join("/") : percentEncode(value);
  });
  path = path.replace(/\/$/, "") + plan.pathTweak;
  if (plan.dataRequest) path = path === "" || path === "/" ? "/_root.data" : `${path.replace(/\/$/, "")}.data`;
  if (!path.startsWith("/")) path = `/${path}`;

  const query = plan.query.map(({ name, value }) => {
    const key = typeof name === "string" ? name : resolve(name, "query", route, undefined, plan.row, world);
    return `${percentEncode(key)}=${percentEncode(resolve(value, key, route, fieldNamed(key), plan.row, world))}`;
  });
  if (plan.rawQuery) query.push(plan.rawQuery);
  if (query.length > 0) path += `?${query.join("&")}`;

  const fields: { name: string; value: string; file: FileSpec | null }[] = [];
  for (const field of plan.fields) {
    let slot = 0;
    const indexes = field.indexes ?? plan.listIndexes;
    let name = field.name.replace(/\[\]/g, () => `[${indexes[slot++ % indexes.length]}]`);
    if (name.includes("{}")) {
      const declared = fieldNamed(field.name);
      const keys = declared?.keySchema ? recordKeys(declared.keySchema, route, world) : [];
      const key = field.keyPick.kind === "real" && keys.length > 0 ? keys[field.keyPick.pick % keys.length]! : resolve(field.keyPick, "key", route, undefined, plan.row, world);
      name = name.replace("{}", key);
    }
    for (const value of field.values) fields.push({ name, value: resolve(value, field.name, route, fieldNamed(field.name), plan.row, world), file: field.asFile });
  }

  const headers: Record<string, string> = {};
  const host = { default: `127.0.0.1:${world.port}`, other: "evil.example", localhost: "localhost:3000", junk: "[::zz]" }[plan.headers.host];
  headers.Host = host;
  const origin = { same: `http://${host}`, none: null, "app-url": "http://localhost:3000", other: "https://evil.example", null: "null", junk: "not a url" }[plan.headers.origin];
  if (origin) headers.Origin = origin;
  if (plan.headers.forwardedFor !== null) headers["X-Forwarded-For"] = plan.headers.forwardedFor;
  const cookies = [plan.role === "anonymous" ? null : world.cookies[plan.role], plan.headers.cookieJunk].filter(Boolean);
  if (cookies.length > 0) headers.Cookie = cookies.join("; ");
  for (const [name, value] of plan.headers.extra) headers[name] = value;

  let body: Buffer | undefined;
  let contentType: string | null = null;
  const sendsBody = plan.method !== "GET" && plan.method !== "HEAD";
  if (sendsBody) {
    switch (plan.encoding) {
      case "urlencoded":
        contentType = "application/x-www-form-urlencoded";
        body = Buffer.from(fields.map((f) => `${percentEncode(f.name)}=${percentEncode(f.value)}`).join("&") + plan.rawBodySuffix, "latin1");
        break;
      case "multipart":
        contentType = `multipart/form-data; boundary=${BOUNDARY}`;
        body = multipart(fields, plan.rawBodySuffix);
        break;
      case "json":
        contentType = "application/json";
        body = Buffer.from(JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, f.value]))));
        break;
      case "text":
        contentType = "text/plain";
        body = Buffer.from(fields.map((f) => `${f.name}=${f.value}`).join("\n"));
        break;
      case "empty":
        contentType = "application/x-www-form-urlencoded";
        body = Buffer.alloc(0);
        break;
      case "none":
        break;
    }
  }
  if (plan.contentType !== null && sendsBody) contentType = plan.contentType;
  if (contentType !== null) headers["Content-Type"] = contentType;
  return { method: plan.method, path, headers, body };
}

function multipart(fields: { name: string; value: string; file: FileSpec | null }[], suffix: string): Buffer {
  const parts: Buffer[] = [];
  for (const field of fields) {
    const disposition = `form-data; name="${field.name.replace(/["\r\n]/g, "_")}"`;
    if (field.file) {
      parts.push(
        Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}; filename="${field.file.filename.replace(/["\r\n]/g, "_")}"\r\nContent-Type: ${field.file.contentType}\r\n\r\n`),
        Buffer.from(field.file.bytes),
        Buffer.from("\r\n"),
      );
    } else {
      parts.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n${field.value}\r\n`));
    }
  }
  // A suffix cuts the body short: no closing boundary.
  parts.push(Buffer.from(suffix ? suffix : `--${BOUNDARY}--\r\n`));
  return Buffer.concat(parts);
}

/** The request as text, to read in a report and to copy into a regression test. */
export function describeRequest(request: BuiltRequest): string {
  const body = request.body === undefined ? "" : `\n\n${JSON.stringify(request.body.toString("latin1").slice(0, 2000))}${request.body.length > 2000 ? ` … (${request.body.length} bytes)` : ""}`;
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value.length > 200 ? `${value.slice(0, 200)}…` : value}`);
  return `${request.method} ${request.path.length > 500 ? `${request.path.slice(0, 500)}…` : request.path}\n${headers.join("\n")}${body}`;
}
