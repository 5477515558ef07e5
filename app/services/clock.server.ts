// The one source of "now" for routes, so domain functions can take the time as an input.
export const clock = { now: () => new Date() };
