// Parses Stripe's request encoding: application/x-www-form-urlencoded with bracket notation
// (`line_items[0][price_data][unit_amount]=1000`, `expand[]=x`, `metadata[orderId]=42`) into nested
// objects and arrays. The SDK sends indexed arrays (`expand[0]=…`); `[]` appends. Query strings of
// GET requests use the same encoding.

export type FormValue = string | FormValue[] | FormObject;
export interface FormObject {
  [key: string]: FormValue;
}

export class FormBodyError extends Error {
  constructor(
    message: string,
    readonly param: string,
  ) {
    super(message);
    this.name = "FormBodyError";
  }
}

// While parsing, arrays are kept as index → value maps so sparse or out-of-order indices
// (`a[5]=x`) cost nothing; they are compacted in index order at the end, as qs does.
type Node = { kind: "object"; entries: Map<string, Node | string> } | { kind: "array"; entries: Map<number, Node | string> };

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_INDEX = 10_000;

function decode(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll("+", " "));
  } catch {
    throw new FormBodyError(`Invalid percent-encoding in request: ${part}`, part);
  }
}

/** `a[b][0][]` → ["a", "b", "0", ""]. Text after an unclosed bracket is taken literally, like qs. */
function splitKey(key: string): string[] {
  const open = key.indexOf("[");
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  const pattern = /\[([^[\]]*)\]/y;
  pattern.lastIndex = open;
  let match: RegExpExecArray | null;
  let end = open;
  while ((match = pattern.exec(key))) {
    segments.push(match[1]);
    end = pattern.lastIndex;
  }
  if (end !== key.length) throw new FormBodyError(`Invalid parameter name: ${key}`, key);
  return segments;
}

const isIndex = (segment: string) => segment === "" || /^\d+$/.test(segment);

function child(parent: Node, segment: string, fullKey: string): Node | string | undefined {
  if (parent.kind === "array") {
    const index = segment === "" ? nextIndex(parent) : Number(segment);
    if (index > MAX_INDEX) throw new FormBodyError(`Array index too large in ${fullKey}`, fullKey);
    return parent.entries.get(index);
  }
  return parent.entries.get(segment);
}

function nextIndex(node: { entries: Map<number, unknown> }): number {
  let max = -1;
  for (const index of node.entries.keys()) max = Math.max(max, index);
  return max + 1;
}

function setChild(parent: Node, segment: string, value: Node | string, fullKey: string): void {
  if (parent.kind === "array") {
    if (!isIndex(segment)) throw new FormBodyError(`Cannot mix array and object parameters in ${fullKey}`, fullKey);
    const index = segment === "" ? nextIndex(parent) : Number(segment);
    if (index > MAX_INDEX) throw new FormBodyError(`Array index too large in ${fullKey}`, fullKey);
    parent.entries.set(index, value);
  } else {
    parent.entries.set(segment, value);
  }
}

function assign(root: Node, segments: string[], value: string, fullKey: string): void {
  let node = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (FORBIDDEN_KEYS.has(segment)) throw new FormBodyError(`Invalid parameter name: ${fullKey}`, fullKey);
    if (node.kind === "array" && !isIndex(segment)) {
      throw new FormBodyError(`Cannot mix array and object parameters in ${fullKey}`, fullKey);
    }
    const last = i === segments.length - 1;
    if (last) {
      const existing = segment === "" ? undefined : child(node, segment, fullKey);
      if (existing !== undefined && typeof existing !== "string") {
        throw new FormBodyError(`Parameter ${fullKey} is both a value and a nested object`, fullKey);
      }
      // A repeated scalar key keeps the last value.
      setChild(node, segment, value, fullKey);
      return;
    }
    const next = segments[i + 1];
    // `[]` in the middle of a key starts a new element each time (`a[][b]=1` → [{ b: "1" }]).
    let target = segment === "" ? undefined : child(node, segment, fullKey);
    if (typeof target === "string") {
      throw new FormBodyError(`Parameter ${fullKey} is both a value and a nested object`, fullKey);
    }
    if (target === undefined) {
      target = isIndex(next) ? { kind: "array", entries: new Map() } : { kind: "object", entries: new Map() };
      setChild(node, segment, target, fullKey);
    }
    node = target;
  }
}

function finish(node: Node | string): FormValue {
  if (typeof node === "string") return node;
  if (node.kind === "array") {
    return [...node.entries.entries()].sort(([a], [b]) => a - b).map(([, value]) => finish(value));
  }
  const out: FormObject = {};
  for (const [key, value] of node.entries) out[key] = finish(value);
  return out;
}

export function parseFormBody(body: string): FormObject {
  const root: Node = { kind: "object", entries: new Map() };
  for (const pair of body.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    const key = decode(rawKey);
    if (key === "") continue;
    assign(root, splitKey(key), decode(rawValue), key);
  }
  return finish(root) as FormObject;
}
