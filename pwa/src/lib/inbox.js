// The in-app inbox: every notification the server keeps (also those no push reached), the
// unread count for the badge, and marking read. Pages are cached by the service worker, so
// the inbox reads offline like "my applications".
import { request } from "./api.js";

export const PAGE_SIZE = 20;
const COUNT_LIMIT = 100;

/** Tells the badge and the inbox screen to look again. */
export function inboxChanged() {
  window.dispatchEvent(new CustomEvent("inbox"));
}

export function inboxPage(cursor = null) {
  return request(`/me/notifications?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
}

/** "3", or "99+" when there are more than fit one page. */
export async function unreadCount() {
  const page = await request(`/me/notifications?unread=true&limit=${COUNT_LIMIT}`);
  if (page.next_cursor || page.items.length >= COUNT_LIMIT) return `${COUNT_LIMIT - 1}+`;
  return page.items.length ? String(page.items.length) : "";
}

/** ids: the notifications to mark read; none: all of them. */
export async function markRead(ids) {
  const body = ids ? { ids } : { all: true };
  const done = await request("/me/notifications/read", { method: "POST", body });
  inboxChanged();
  inboxPage().catch(() => {}); // the copy kept for offline reading follows
  return done;
}
