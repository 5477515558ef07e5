// A form that must stay on screen, with what was typed, when the database cannot be reached: the
// checkout's attendees, a fetcher's form. Every other action answers an outage by throwing 503 to
// the error boundary (services/outage.server.ts), which takes the form's place on the page.
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { isOutage, outageHeaders, outageMessages } from "~/services/outage.server";

/**
 * The action, answering a database outage with 503 and `reply(message)` in the shape its page
 * reads: as action data, the form and what was typed in it stay, and the page shows the message.
 */
export function keepingFormOnOutage<Args extends ActionFunctionArgs, Result, Reply>(action: (args: Args) => Promise<Result>, reply: (message: string) => Reply) {
  return async (args: Args) => {
    try {
      return await action(args);
    } catch (error) {
      if (isOutage(error, args.request)) return data(reply(outageMessages.formKept), { status: 503, headers: outageHeaders });
      throw error;
    }
  };
}
