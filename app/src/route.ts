import { useEffect, useState } from "react";

export type Route =
  | { page: "collection" }
  | { page: "history" }
  | { page: "privacy" }
  | { page: "market" }
  | { page: "buy" }
  | { page: "link"; code: string }
  | { page: "tx"; hash: `0x${string}` };

/** The page in the URL's hash (#/history, #/tx/0x…), so a static server and the back button just work. */
export function parseRoute(hash: string): Route {
  const [, page, arg] = hash.replace(/^#/, "").split("/");
  if (page === "history" || page === "privacy" || page === "market" || page === "buy") return { page };
  if (page === "link" && arg && /^[A-Za-z0-9_-]{1,2000}$/.test(arg)) return { page: "link", code: arg };
  if (page === "tx" && arg && /^0x[0-9a-fA-F]{64}$/.test(arg)) return { page: "tx", hash: arg as `0x${string}` };
  return { page: "collection" };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
