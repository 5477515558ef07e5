import * as z from "./zod";
import { hasNoNul, nulMessage } from "./text";

const email = z
  .string({ error: "Email is required." })
  .trim()
  .min(1, "Email is required.")
  .max(254, "Email is too long.")
  .pipe(z.email({ error: "Enter a valid email address." }));

export const passwordSchema = z
  .string({ error: "Password is required." })
  .min(12, "Use at least 12 characters.")
  .max(200, "Use at most 200 characters.");

export const loginSchema = z.object({
  email,
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(200),
  redirectTo: z.string().max(500).optional(),
});

export const forgotSchema = z.object({ email });

export const setPasswordSchema = z
  .object({ token: z.string().min(16).max(200), password: passwordSchema, confirm: z.string({ error: "Repeat the password." }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords are not the same." });

export const changePasswordSchema = z
  .object({ current: z.string({ error: "Enter your current password." }).min(1, "Enter your current password."), password: passwordSchema, confirm: z.string({ error: "Repeat the new password." }) })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The two passwords are not the same." });

export const inviteSchema = z.object({
  email,
  name: z.string({ error: "Name is required." }).trim().min(1, "Name is required.").max(120).refine(hasNoNul, nulMessage("the name")),
  role: z.enum(["ADMIN", "ORGANISER", "CHECKIN", "SPONSOR"], { error: "Choose a role." }),
  sponsorId: z.string().max(40).optional(),
});
