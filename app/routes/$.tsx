import { data } from "@remix-run/node";

// Any address no other route claims: a friendly 404 in the site's layout.
export function loader() {
  throw data({ message: "There is no page at this address. Try the agenda, the speakers or the tickets." }, { status: 404 });
}

export default function NotFound() {
  return null;
}

export { RouteErrorBoundary as ErrorBoundary } from "~/components/route-error";
