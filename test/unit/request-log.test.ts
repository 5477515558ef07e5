import { describe, expect, it } from "vitest";
import { loggedPath } from "~/services/http.server";

describe("the request log", () => {
  it("keeps the secrets some links carry out of the log, and the rest of the address as it was", () => {
    expect(loggedPath("/orders/RE3M-AB12C/pay?k=SKRxUyS2iGxFlhsA0cbEPst96toWBQO7u1eoDnqbQ68")).toBe("/orders/RE3M-AB12C/pay?k=redacted");
    expect(loggedPath("/orders/RE3M-AB12C?k=secret&from=checkout")).toBe("/orders/RE3M-AB12C?k=redacted&from=checkout");
    expect(loggedPath("/my/Zm9vYmFyYmF6/transfer")).toBe("/my/redacted/transfer");
    expect(loggedPath("/my/Zm9vYmFyYmF6")).toBe("/my/redacted");
    expect(loggedPath("/set-password?token=abc")).toBe("/set-password?token=redacted");
    expect(loggedPath("/tickets/checkout?quantities.full-delegate-pass=1&offer=xyz")).toBe("/tickets/checkout?quantities.full-delegate-pass=1&offer=redacted");
    expect(loggedPath("/agenda?day=2025-09-09&track=magnets")).toBe("/agenda?day=2025-09-09&track=magnets");
    expect(loggedPath("/my-agenda")).toBe("/my-agenda");
  });
});
