// Every route of app/routes, found as `remix build` finds them, with the words its loader and action
// read: the form fields of the zod schemas it imports, the names it reads from a form or a query,
// and the string literals in its source (intents, "on", "new"). A new route is fuzzed without
// anyone editing the fuzz.
import { existsSync, readFileSync, statSync } from "node:fs";
import type { ZodType } from "zod";
import { appFile, routeManifest } from "../app-server";

/** A form field; `[]` in its name stands for an array index (conform's `attendees[0].name`), `{}` for a record key. */
export type FieldName = {
  name: string;
  /** Values its schema names (enum entries, literals). */
  hints: string[];
  /** The schemas that read it (a field of several forms of one route has several): a value one accepts is valid. */
  schemas: ZodType[];
  /** For a record: the schema of its keys, to pick real values it accepts. */
  keySchema?: ZodType;
};

export type FuzzRoute = {
  id: string;
  /** The address with `:param` and `*` where values go, e.g. `/admin/orders/:id`. */
  pattern: string;
  params: string[];
  hasLoader: boolean;
  hasAction: boolean;
  fields: FieldName[];
  /** Names read with `.get("…")` or written as `name="…"`: form fields and query parameters alike. */
  names: string[];
  literals: string[];
  /** The literals its code compares a value with (`case "details":`, `=== "delete"`): what an intent or a checkbox must say. */
  compared: string[];
};

type ZodDef = {
  type: string;
  shape?: Record<string, ZodType>;
  innerType?: ZodType;
  in?: ZodType;
  out?: ZodType;
  element?: ZodType;
  keyType?: ZodType;
  valueType?: ZodType;
  options?: ZodType[];
  left?: ZodType;
  right?: ZodType;
  items?: ZodType[];
  entries?: Record<string, string | number>;
  values?: unknown[];
  getter?: () => ZodType;
};

const defOf = (schema: ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

const isZodSchema = (value: unknown): value is ZodType =>
  typeof value === "object" && value !== null && "_zod" in value && typeof (value as { _zod?: { def?: unknown } })._zod?.def === "object";

/**
 * The field names a form must carry for this schema, as conform names them; `whole` is the schema
 * of the field being walked, with its wrappers (optional, coercion, transforms), to check values with.
 */
function fieldsOf(schema: ZodType, prefix = "", seen = new Set<ZodType>(), whole = schema): FieldName[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const def = defOf(schema);
  const join = (key: string) => (prefix ? `${prefix}.${key}` : key);
  const inner = (next: ZodType) => fieldsOf(next, prefix, seen, whole);
  switch (def.type) {
    case "object":
      return Object.entries(def.shape!).flatMap(([key, value]) => fieldsOf(value, join(key), new Set(seen), value));
    case "array":
      // An array of scalars is one name repeated; an array of objects is indexed.
      return defOf(def.element!).type === "object" ? fieldsOf(def.element!, `${prefix}[]`, seen, def.element!) : fieldsOf(def.element!, prefix, seen, def.element!);
    case "record":
      return [{ name: join("{}"), hints: hintsOf(def.valueType!), schemas: [def.valueType!], keySchema: def.keyType! }];
    case "union":
      return mergeFields(def.options!.flatMap((option) => fieldsOf(option, prefix, new Set(seen), whole)));
    case "intersection":
      return mergeFields([...inner(def.left!), ...inner(def.right!)]);
    case "pipe":
      return inner(defOf(def.in!).type === "transform" ? def.out! : def.in!);
    case "lazy":
      return inner(def.getter!());
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "catch":
    case "readonly":
    case "nonoptional":
      return inner(def.innerType!);
    default:
      return prefix ? [{ name: prefix, hints: hintsOf(schema), schemas: [whole] }] : [];
  }
}

function hintsOf(schema: ZodType): string[] {
  const def = defOf(schema);
  if (def.type === "enum") return Object.values(def.entries!).map(String);
  if (def.type === "literal") return def.values!.map(String);
  if (def.type === "union") return def.options!.flatMap(hintsOf);
  if (def.type === "pipe") return [...hintsOf(def.in!), ...hintsOf(def.out!)];
  if (def.innerType) return hintsOf(def.innerType);
  return [];
}

function mergeFields(fields: FieldName[]): FieldName[] {
  const byName = new Map<string, FieldName>();
  for (const field of fields) {
    const known = byName.get(field.name);
    byName.set(field.name, known ? { ...known, hints: [...new Set([...known.hints, ...field.hints])], schemas: [...new Set([...known.schemas, ...field.schemas])] } : field);
  }
  return [...byName.values()];
}

const matches = (source: string, pattern: RegExp) => [...source.matchAll(pattern)].map((m) => m[1]!);

function sourceOf(spec: string): string | null {
  const file = ["", ".ts", ".tsx"].map((ext) => appFile(`${spec}${ext}`)).find((f) => existsSync(f) && statSync(f).isFile());
  return file ? readFileSync(file, "utf8") : null;
}

/** `import { a, b as c } from "~/validation/x"` → [["validation/x", ["a", "b"]]]. */
function localImports(source: string): [string, string[]][] {
  return [...source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"~\/([^"]+)"/g)].map((m) => [
    m[2]!,
    m[1]!
      .split(",")
      .map((part) => part.trim().replace(/^type\s+/, "").split(/\s+as\s+/)[0]!)
      .filter(Boolean),
  ]);
}

async function vocabulary(routeSource: string) {
  const fields: FieldName[] = [];
  const sources = [routeSource];
  const visited = new Set<string>();
  const follow = async (source: string, depth: number) => {
    for (const [spec, names] of localImports(source)) {
      const key = `${spec}:${names.join(",")}`;
      if (visited.has(key)) continue;
      visited.add(key);
      if (spec.startsWith("validation/")) {
        const module = (await import(appFile(`${spec}.ts`))) as Record<string, unknown>;
        for (const name of names) if (isZodSchema(module[name])) fields.push(...fieldsOf(module[name]));
      } else if (spec.startsWith("route-helpers/") || spec.startsWith("components/")) {
        const imported = sourceOf(spec);
        if (!imported) continue;
        sources.push(imported);
        if (depth < 1) await follow(imported, depth + 1);
      }
    }
  };
  await follow(routeSource, 0);
  const text = sources.join("\n");
  const names = new Set([
    ...matches(text, /\bname=["']([^"'{}]+)["']/g),
    ...matches(text, /\bname:\s*["']([^"']+)["']/g),
    ...matches(text, /\.(?:get|getAll|has)\(\s*["']([^"']+)["']\s*\)/g),
  ]);
  // Schemas written in the route itself: `code: z.string()…`.
  for (const key of matches(routeSource, /\b(\w+):\s*z\./g)) names.add(key);
  const literals = new Set(matches(routeSource, /["']([\w.:-]{1,40})["']/g).filter((l) => !l.startsWith("~")));
  const compared = new Set([...matches(text, /\bcase\s+"([^"]{1,40})"\s*:/g), ...matches(text, /[!=]==\s*"([^"]{1,40})"/g)]);
  return { fields: mergeFields(fields), names: [...names], literals: [...literals], compared: [...compared] };
}

/** Every route under app/routes, with the address it answers and the words it reads. */
export async function fuzzRoutes(): Promise<FuzzRoute[]> {
  const manifest = routeManifest();
  const fullPath = (id: string): string => {
    const route = manifest[id]!;
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  const routes: FuzzRoute[] = [];
  for (const [id, route] of Object.entries(manifest)) {
    if (id === "root") continue;
    const source = readFileSync(appFile(route.file), "utf8");
    const module = (await import(appFile(route.file))) as { loader?: unknown; action?: unknown };
    const pattern = `/${fullPath(id)}`;
    routes.push({
      id,
      pattern,
      params: matches(pattern, /:(\w+)/g).concat(pattern.endsWith("*") ? ["*"] : []),
      hasLoader: Boolean(module.loader),
      hasAction: Boolean(module.action),
      ...(await vocabulary(source)),
    });
  }
  return routes.sort((a, b) => a.id.localeCompare(b.id));
}
