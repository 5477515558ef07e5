/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

// Single fetch is on (remix.config.js): loaders' types follow its serialisation.
declare module "@remix-run/server-runtime" {
  interface Future {
    v3_singleFetch: true;
  }
}

export {};

declare module "@remix-run/server-runtime" {
  interface AppLoadContext {
    clientIp?: string;
    /** Ends a checkout post's turn in checkoutQueue (server.ts queues them before Remix). */
    leaveCheckoutQueue?: () => void;
    /** A checkout post from a plain form (a document request), not from the page's script (`.data`). */
    plainFormPost?: boolean;
  }
}
