import * as z from "./zod";
import { hasNoNul, nulMessage } from "./text";

const email = z.pipe(
  z.string({ error: "Email is required." }).check(z.trim(), z.minLength(1, "Email is required."), z.maxLength(254, "Email is too long.")),
  z.email({ error: "Enter a valid email address." }),
);

export const passwordSchema = z.string({ error: "Password is required." }).check(z.minLength(12, "Use at least 12 characters."), z.maxLength(200, "Use at most 200 characters."));

export const loginSchema = z.object({
  email,
  password: z.string({ error: "Password is required." }).check(z.minLength(1, "Password is required."), z.maxLength(200)),
  redirectTo: z.optional(z.string().check(z.maxLength(500))),
});

export const forgotSchema = z.object({ email });

const samePasswords = z.refine<{ password: string; confirm: string }>((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords are not the same." });

export const setPasswordSchema = z
  .object({ token: z.string().check(z.minLength(16), z.maxLength(200)), password: passwordSchema, confirm: z.string({ error: "Repeat the password." }) })
  .check(samePasswords);

export const changePasswordSchema = z
  .object({ current: z.string({ error: "Enter your current password." }).check(z.minLength(1, "Enter your current password.")), password: passwordSchema, confirm: z.string({ error: "Repeat the new password." }) })
  .check(samePasswords);

export const inviteSchema = z.object({
  email,
  name: z.string({ error: "Name is required." }).check(z.trim(), z.minLength(1, "Name is required."), z.maxLength(120), z.refine(hasNoNul, nulMessage("the name"))),
  role: z.enum(["ADMIN", "ORGANISER", "CHECKIN", "SPONSOR"], { error: "Choose a role." }),
  sponsorId: z.optional(z.string().check(z.maxLength(40))),
});
