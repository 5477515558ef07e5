// Who may use what, over HTTP.
import { describe, expect, it } from "vitest";
import { useAppServer } from "../support/app-server";
import { cookieFor } from "../support/auth";

const app = useAppServer();

describe("a refusal says why", () => {
  const get = async (path: string, cookie: string) => {
    const response = await fetch(new URL(path, app.url), { headers: { Cookie: cookie }, redirect: "manual" });
    return { status: response.status, body: await response.text() };
  };

  it("on a page and in a download, with its message, and is not logged as a server error", async () => {
    const door = (await cookieFor("CHECKIN")).cookie;
    for (const path of ["/admin/attendees", "/admin/exports/orders.csv"]) {
      const answer = await get(path, door);
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.body).toContain("Your account does not have access to this page.");
    }
    const unlinked = (await cookieFor("SPONSOR")).cookie;
    expect(await get("/sponsor/leads.csv", unlinked)).toEqual({ status: 403, body: expect.stringContaining("not linked to a sponsor") });
    const organiser = (await cookieFor("ORGANISER")).cookie;
    expect(await get("/admin/sponsors/leads.csv?sponsor=no-such-sponsor", organiser)).toEqual({ status: 404, body: expect.stringContaining("That sponsor does not exist") });
  });
});
