// Uploaded images in forms: a refused image reads like any other broken rule, on its field.
import { DomainError, messages } from "~/domain/errors";
import { ImageRefused, MAX_IMAGE_BYTES } from "~/services/uploads.server";

/** The error as the person should read it: an image refusal becomes the rule it breaks. */
export function asDomainError(error: unknown): unknown {
  if (!(error instanceof ImageRefused)) return error;
  return error.reason === "too-large"
    ? new DomainError("upload.too-large", messages["upload.too-large"](`${MAX_IMAGE_BYTES / 2 ** 20} MB`), error.field)
    : new DomainError("upload.wrong-type", messages["upload.wrong-type"](), error.field);
}
