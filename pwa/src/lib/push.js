// Web Push on this phone: offered after the first submission (never on a first visit), turned
// on with the server's VAPID key, the subscription registered with the API; turned off from
// the settings (the API forgets the endpoint, the browser drops the subscription).
import { request } from "./api.js";
import { getValue, setValue } from "./store.js";

export function pushSupported() {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "="));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function subscription() {
  const registration = await navigator.serviceWorker.getRegistration();
  return registration ? registration.pushManager.getSubscription() : null;
}

/** "unsupported" | "denied" | "on" | "off" */
export async function pushState() {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "denied";
  return (await subscription()) ? "on" : "off";
}

/** The offer after a submission: shown until accepted or declined once. */
export async function shouldOfferPush() {
  return (await pushState()) === "off" && !(await getValue("pushOffered"));
}

export async function declinePush() {
  await setValue("pushOffered", true);
}

/** Asks the browser, subscribes with the server's key and registers the subscription. */
export async function enablePush() {
  await setValue("pushOffered", true);
  const permission = await Notification.requestPermission();
  if (permission !== "granted") return permission === "denied" ? "denied" : "off";
  const { public_key: key } = await request("/push/vapid-public-key", { auth: false });
  const registration = await navigator.serviceWorker.ready;
  const made = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  try {
    await request("/push/subscriptions", { method: "POST", body: made.toJSON() });
  } catch (error) {
    await made.unsubscribe().catch(() => {});
    throw error;
  }
  return "on";
}

/**
 * Stops push on this phone: the server first (so nothing is sent to a dead endpoint). On
 * sign-out (`evenOffline`) the browser's subscription goes even when the server cannot be
 * told: the push service then answers 410 and the server forgets the endpoint by itself, so
 * the next person on this phone never sees the account's notifications.
 */
export async function disablePush({ evenOffline = false } = {}) {
  if (!pushSupported()) return "unsupported";
  const current = await subscription();
  if (!current) return "off";
  try {
    await request("/push/subscriptions", { method: "DELETE", body: { endpoint: current.endpoint } });
  } catch (error) {
    if (!evenOffline) throw error;
  }
  await current.unsubscribe();
  return "off";
}
