import { createContext, useContext } from "react";

// The server renders with a placeholder nonce that app/entry.server.tsx replaces with one derived
// from the page; in the browser the nonce is hidden from scripts, so it is empty.
export const NonceContext = createContext("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
