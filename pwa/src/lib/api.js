// The API client: JSON over fetch, bearer tokens kept in IndexedDB and refreshed under a lock
// (the page and the service worker may both hold a request), problems as ApiError.
import { deleteValue, getValue, setValue } from "./store.js";

export const API = "/api/v1";
let acceptLanguage = "vi";

export function setApiLanguage(lang) {
  acceptLanguage = lang;
}

/** The server answered with an RFC 9457 problem. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
    this.slug = (problem.type || "").split("/").pop();
  }
  /** Worth trying again later: the server or the way to it had trouble, not the request. */
  get transient() {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** No answer came (offline, connection dropped). */
export class NetworkError extends Error {}

export function isTransient(error) {
  return error instanceof NetworkError || (error instanceof ApiError && error.transient);
}

function withLock(name, job) {
  return globalThis.navigator?.locks ? navigator.locks.request(name, job) : job();
}

export async function saveSession(pair) {
  await setValue("auth", {
    access: pair.access_token,
    refresh: pair.refresh_token,
    expiresAt: Date.now() + (pair.expires_in - 30) * 1000,
    accountId: pair.account.id,
  });
}

export async function session() {
  return getValue("auth");
}

export async function dropSession() {
  await deleteValue("auth");
}

async function refreshed(stale) {
  return withLock("motcua-auth", async () => {
    const auth = await getValue("auth");
    if (!auth) return null;
    if (auth.access !== stale.access) return auth; // someone else refreshed meanwhile
    const pair = await request("/auth/refresh", { method: "POST", body: { refresh_token: auth.refresh }, auth: false });
    await saveSession(pair);
    return getValue("auth");
  });
}

async function send(path, { method, body, headers, token }) {
  const all = { Accept: "application/json", "Accept-Language": acceptLanguage, ...headers };
  if (body !== undefined) all["Content-Type"] = "application/json";
  if (token) all.Authorization = `Bearer ${token}`;
  try {
    return await fetch(API + path, { method, headers: all, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new NetworkError("offline");
  }
}

export async function request(path, { method = "GET", body, headers = {}, auth = true } = {}) {
  let tokens = auth ? await getValue("auth") : null;
  if (tokens && tokens.expiresAt < Date.now()) tokens = await refreshedOrNone(tokens);
  let response = await send(path, { method, body, headers, token: tokens?.access });
  if (response.status === 401 && tokens) {
    tokens = await refreshedOrNone(tokens);
    if (tokens) response = await send(path, { method, body, headers, token: tokens.access });
  }
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(response.status, problem);
  }
  return response.status === 204 ? null : response.json();
}

async function refreshedOrNone(tokens) {
  try {
    return await refreshed(tokens);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) {
      await dropSession();
      return null;
    }
    throw error;
  }
}

/** Every page of a cursor-paginated list. */
export async function allPages(path, limit = 100) {
  const items = [];
  let cursor = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await request(`${path}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}
