// Typed readers over a parsed form body. Every value arrives as a string; these convert and
// validate it, reporting the full bracketed parameter path the way Stripe does
// (`line_items[0][price_data][unit_amount]`). An empty string means "unset", as in Stripe's API.

import { invalidParam, missingParam, unknownParam, unsupportedParam } from "./errors";
import type { FormObject, FormValue } from "./form-body";

export const paramPath = (prefix: string, key: string) => (prefix ? `${prefix}[${key}]` : key);

/**
 * Rejects parameters outside `known` (Stripe answers `parameter_unknown`, which catches typos) and
 * parameters listed in `unsupported`: real Stripe parameters the emulator does not model, refused so
 * that a test cannot pass while relying on behaviour the emulator fakes.
 */
export function checkParams(
  obj: FormObject,
  prefix: string,
  known: readonly string[],
  unsupported: Readonly<Record<string, string>> = {},
): void {
  for (const key of Object.keys(obj)) {
    const path = paramPath(prefix, key);
    if (key in unsupported) throw unsupportedParam(path, unsupported[key]);
    if (!known.includes(key)) throw unknownParam(path);
  }
}

function present(obj: FormObject, key: string): FormValue | undefined {
  const value = obj[key];
  return value === "" ? undefined : value;
}

export function optionalString(obj: FormObject, key: string, prefix = ""): string | undefined {
  const value = present(obj, key);
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw invalidParam(`Invalid string: ${paramPath(prefix, key)} must be a string`, paramPath(prefix, key));
  return value;
}

export function requiredString(obj: FormObject, key: string, prefix = ""): string {
  const value = optionalString(obj, key, prefix);
  if (value === undefined) throw missingParam(paramPath(prefix, key));
  return value;
}

export function optionalInteger(obj: FormObject, key: string, prefix = "", min = 0): number | undefined {
  const raw = optionalString(obj, key, prefix);
  if (raw === undefined) return undefined;
  const path = paramPath(prefix, key);
  if (!/^-?\d+$/.test(raw.trim())) throw invalidParam(`Invalid integer: ${raw}`, path, "parameter_invalid_integer");
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw invalidParam(`Invalid integer: ${raw}`, path, "parameter_invalid_integer");
  if (value < min) throw invalidParam(`This value must be greater than or equal to ${min}.`, path, "parameter_invalid_integer");
  return value;
}

export function requiredInteger(obj: FormObject, key: string, prefix = "", min = 0): number {
  const value = optionalInteger(obj, key, prefix, min);
  if (value === undefined) throw missingParam(paramPath(prefix, key));
  return value;
}

export function optionalObject(obj: FormObject, key: string, prefix = ""): FormObject | undefined {
  const value = present(obj, key);
  if (value === undefined) return undefined;
  if (typeof value === "string" || Array.isArray(value)) {
    throw invalidParam(`Invalid object: ${paramPath(prefix, key)} must be a hash`, paramPath(prefix, key));
  }
  return value;
}

export function optionalArray(obj: FormObject, key: string, prefix = ""): FormValue[] | undefined {
  const value = present(obj, key);
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalidParam(`Invalid array: ${paramPath(prefix, key)} must be an array`, paramPath(prefix, key));
  return value;
}

/** Elements of an array parameter that must be hashes, e.g. `line_items[0]`. */
export function objectElements(values: FormValue[], path: string): FormObject[] {
  return values.map((value, index) => {
    if (typeof value === "string" || Array.isArray(value)) throw invalidParam(`Invalid object: ${path}[${index}] must be a hash`, `${path}[${index}]`);
    return value;
  });
}

export function optionalEnum<T extends string>(obj: FormObject, key: string, values: readonly T[], prefix = ""): T | undefined {
  const value = optionalString(obj, key, prefix);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    const list = values.length > 1 ? `${values.slice(0, -1).join(", ")}, or ${values[values.length - 1]}` : values[0];
    throw invalidParam(`Invalid ${key}: must be one of ${list}`, paramPath(prefix, key), "parameter_invalid_string");
  }
  return value as T;
}

/** Stripe accepts any case and stores currencies lowercased. */
export function optionalCurrency(obj: FormObject, key: string, prefix = ""): string | undefined {
  const raw = optionalString(obj, key, prefix);
  if (raw === undefined) return undefined;
  const currency = raw.toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) {
    throw invalidParam(`Invalid currency: ${raw}. Currencies are three-letter ISO codes such as cad or usd.`, paramPath(prefix, key));
  }
  return currency;
}

/** Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500. */
export function metadataParam(obj: FormObject, key: string, prefix = ""): Record<string, string> {
  const value = optionalObject(obj, key, prefix);
  const out: Record<string, string> = {};
  if (!value) return out;
  const path = paramPath(prefix, key);
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== "string") throw invalidParam(`Invalid value for ${path}[${name}]: metadata values must be strings`, `${path}[${name}]`);
    if (name.length > 40) throw invalidParam(`Metadata keys can have up to 40 characters: ${name}`, `${path}[${name}]`);
    if (entry.length > 500) throw invalidParam(`Metadata values can have up to 500 characters: ${path}[${name}]`, `${path}[${name}]`);
    if (entry !== "") out[name] = entry;
  }
  if (Object.keys(out).length > 50) throw invalidParam("Metadata can have up to 50 keys.", path);
  return out;
}

/** `expand[]` as a list of dotted paths; a lone string is tolerated. */
export function expandParam(obj: FormObject): string[] {
  const value = present(obj, "expand");
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : undefined;
  if (!list || list.some((item) => typeof item !== "string")) throw invalidParam("Invalid array: expand must be an array of strings", "expand");
  return list as string[];
}

export function optionalUrl(obj: FormObject, key: string, prefix = ""): string | undefined {
  const value = optionalString(obj, key, prefix);
  if (value === undefined) return undefined;
  // `{CHECKOUT_SESSION_ID}` is not valid in a URL as-is; Stripe accepts it as a template.
  try {
    const url = new URL(value.replaceAll("{CHECKOUT_SESSION_ID}", "x"));
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("scheme");
  } catch {
    throw invalidParam("Not a valid URL", paramPath(prefix, key), "url_invalid");
  }
  return value;
}
