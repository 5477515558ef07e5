// Speaker photos and sponsor logos uploaded by organisers. Files are checked by their first bytes
// (never by the name or the browser's claimed type), stored under UPLOADS_DIR with a random name,
// and never overwritten, so they can be cached for a year.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "./env.server";

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** An image the site does not take; routes tell the person why, on the form's `field`. */
export class ImageRefused extends Error {
  constructor(
    readonly reason: "too-large" | "wrong-type",
    readonly field: string,
  ) {
    super(`image refused: ${reason}`);
    this.name = "ImageRefused";
  }
}
export const UPLOADS_PATH = "/uploads/";

const types = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
} as const;
type Extension = keyof typeof types;

/** The image format from the file's magic bytes; SVG (script-capable) and anything else is refused. */
export function imageExtension(bytes: Uint8Array): Extension | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "png";
  if (starts(0xff, 0xd8, 0xff)) return "jpg";
  // "RIFF" <size> "WEBP"
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return "webp";
  return null;
}

export const contentTypeOf = (fileName: string) => types[path.extname(fileName).slice(1) as Extension] ?? null;

const uploadsDir = () => path.resolve(env().UPLOADS_DIR);

/**
 * Reads a form with an image in `fieldName`. The request guard (request-guards.server.ts) has
 * already capped the body at a form plus one image and refused one that does not parse; an image
 * over 2 MB becomes an ImageRefused on that field instead of a 500.
 */
export async function parseImageForm(request: Request, fieldName: string): Promise<{ formData: FormData; image: File | null }> {
  const formData = await request.formData();
  const value = formData.get(fieldName);
  const image = value instanceof File && value.size > 0 ? value : null;
  if (image && image.size > MAX_IMAGE_BYTES) throw new ImageRefused("too-large", fieldName);
  formData.delete(fieldName);
  return { formData, image };
}

/** Checks and stores an image; returns the public URL. */
export async function storeImage(file: File, field: string): Promise<string> {
  if (file.size > MAX_IMAGE_BYTES) throw new ImageRefused("too-large", field);
  const bytes = new Uint8Array(await file.arrayBuffer());
  const extension = imageExtension(bytes);
  if (!extension) throw new ImageRefused("wrong-type", field);
  const name = `${randomBytes(16).toString("hex")}.${extension}`;
  await mkdir(uploadsDir(), { recursive: true });
  await writeFile(path.join(uploadsDir(), name), bytes, { flag: "wx" });
  return `${UPLOADS_PATH}${name}`;
}

/** Removes a file stored by storeImage (when the record it was for could not be saved). */
export async function discardImage(url: string) {
  const name = fileNameOf(url);
  if (name) await rm(path.join(uploadsDir(), name), { force: true });
}

// Only names storeImage makes: no path can climb out of the folder.
const STORED_NAME = /^[0-9a-f]{32}\.(png|jpg|webp)$/;
const fileNameOf = (url: string) => {
  const name = url.startsWith(UPLOADS_PATH) ? url.slice(UPLOADS_PATH.length) : url;
  return STORED_NAME.test(name) ? name : null;
};

/** The bytes and type of a stored image, or null when there is no such file. */
export async function readImage(name: string): Promise<{ body: Buffer; contentType: string } | null> {
  if (!fileNameOf(name)) return null;
  try {
    return { body: await readFile(path.join(uploadsDir(), name)), contentType: contentTypeOf(name)! };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
