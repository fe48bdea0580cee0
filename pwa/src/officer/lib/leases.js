// Work leases as the officer reads them (docs/sync.md §6): whose, until when, and whether a
// colleague's lease holds the officer's moves back.
import { language, t } from "./i18n.js";

/** The lease if it is still in force (an expired one does not move the feed, so a pulled
 * record may carry one whose end has passed). */
export function inForce(lease, now = Date.now()) {
  return lease && Date.parse(lease.expires_at) > now ? lease : null;
}

export function until(iso) {
  return new Date(iso).toLocaleString(language() === "en" ? "en-GB" : "vi-VN", { hour: "2-digit", minute: "2-digit", day: "2-digit", month: "2-digit", year: "numeric" });
}

/** "You hold it until …" / "<name> holds it until …", or null without a lease in force. */
export function leaseText(lease, me) {
  const held = inForce(lease);
  if (!held) return null;
  return held.holder_id === me ? t("officer.lease.mine", { until: until(held.expires_at) }) : t("officer.lease.other", { name: held.holder_name, until: until(held.expires_at) });
}

/** A colleague's lease in force: the officer's moves would be refused. */
export function heldByColleague(lease, me) {
  const held = inForce(lease);
  return held && held.holder_id !== me ? held : null;
}
