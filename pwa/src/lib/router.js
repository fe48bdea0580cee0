// Routes live in the URL's fragment (#/p/CODE), so one cached index.html opens every screen
// offline and the server needs no fallback route.
export function parseRoute(hash = location.hash) {
  const [path, query = ""] = hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(query), hash: hash || "#/" };
}

export function go(hash, { replace = false } = {}) {
  if (replace) location.replace(hash);
  else location.hash = hash;
}
