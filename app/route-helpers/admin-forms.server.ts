// What admin pages do with a post: parse (with an optional image), save or delete through a domain
// function, and answer with the form's errors, a 409 with the broken rule's message, or a redirect.
import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import type * as z from "zod";
import { DomainError, messages } from "~/domain/errors";
import { discardImage, parseImageForm, storeImage } from "~/services/uploads.server";
import { asDomainError } from "./images.server";

/** A domain rule broken: the message goes on its field when it names one, else on the form. */
export function replyWithError(submission: { reply: (o: { formErrors?: string[]; fieldErrors?: Record<string, string[]> }) => SubmissionResult<string[]> }, error: DomainError) {
  return error.field ? submission.reply({ fieldErrors: { [error.field]: [error.message] } }) : submission.reply({ formErrors: [error.message] });
}

type ContentActionOptions<S extends z.core.$ZodType> = {
  schema: S;
  /** The file input of the form, when it has one. */
  imageField?: string;
  save: (value: z.output<S>, imageUrl: string | undefined) => Promise<unknown>;
  remove: () => Promise<unknown>;
  /** Where to go after a save or a delete; `done` says which. */
  back: (done: "saved" | "deleted") => string;
};

/** Runs a content form post; call it after `requireUser` in the route's action. */
export async function contentAction<S extends z.core.$ZodType>(request: Request, options: ContentActionOptions<S>) {
  let formData: FormData;
  let image: File | null = null;
  try {
    ({ formData, image } = options.imageField ? await parseImageForm(request, options.imageField) : { formData: await request.formData(), image: null });
  } catch (caught) {
    const error = asDomainError(caught);
    if (!(error instanceof DomainError) || !error.field) throw error;
    // The form was too large to read, so only the message can go back.
    return data({ result: { status: "error", error: { [error.field]: [error.message] } } as SubmissionResult<string[]> }, { status: 413 });
  }

  if (formData.get("intent") === "delete") {
    const submission = parseWithZod(formData, { schema: options.schema });
    if (formData.get("confirm") !== "on") return data({ result: submission.reply({ formErrors: [messages["content.delete-unconfirmed"]()] }) }, { status: 400 });
    try {
      await options.remove();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return data({ result: submission.reply({ formErrors: [error.message] }) }, { status: 409 });
    }
    return redirect(options.back("deleted"));
  }

  const submission = parseWithZod(formData, { schema: options.schema });
  if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
  let imageUrl: string | undefined;
  try {
    imageUrl = image && options.imageField ? await storeImage(image, options.imageField) : undefined;
    await options.save(submission.value, imageUrl);
  } catch (caught) {
    if (imageUrl) await discardImage(imageUrl);
    const error = asDomainError(caught);
    if (!(error instanceof DomainError)) throw error;
    return data({ result: replyWithError(submission, error) }, { status: 409 });
  }
  return redirect(options.back("saved"));
}

/** The id in an edit page's URL: "new" creates. */
export const isNew = (id: string | undefined) => !id || id === "new";

/**
 * Runs one organiser action for a route: its success message, or the broken rule's message with
 * a 409 and nothing changed.
 */
export async function attempt(work: () => Promise<string>) {
  try {
    return { ok: await work(), error: null };
  } catch (error) {
    if (error instanceof DomainError) return data({ ok: null, error: error.message }, { status: 409 });
    throw error;
  }
}
