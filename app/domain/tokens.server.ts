import { randomBytes, randomInt } from "node:crypto";

// No 0/O, 1/I/L or U: references and badge codes are read aloud and typed from paper.
const ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ";

function code(length: number) {
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** "RE3M-7K2QX": what buyers quote in emails and on the phone. */
export const orderReference = () => `RE3M-${code(5)}`;
/** Printed under the badge QR for typing at a booth; reveals nothing by itself. */
export const badgeShortCode = () => code(8);
/** Unguessable secrets for links and QR codes (256 bits). */
export const secretToken = () => randomBytes(32).toString("base64url");
