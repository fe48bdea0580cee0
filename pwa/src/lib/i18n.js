// The app's texts in Vietnamese (first) and English, and the server catalogue's form and
// status texts (api/messages/forms.toml and statuses.toml, bundled at build time).
import server from "virtual:form-messages";
import { EN } from "../i18n/en.js";
import { VI } from "../i18n/vi.js";

const CATALOGUES = { vi: VI, en: EN };
export const LANGUAGES = ["vi", "en"];
let current = "vi";

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : "vi";
  if (typeof document !== "undefined") document.documentElement.lang = current;
}

function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** A text of the app in the current language; a missing English text falls back to Vietnamese. */
export function t(key, params = {}) {
  const text = CATALOGUES[current][key] ?? VI[key];
  if (text === undefined) throw new Error(`no text for ${key}`);
  return fill(text, params);
}

/** A text of the server's form validator (forms.toml [fields]). */
export function formText(entry, params = {}) {
  return fill(server.forms.fields[entry][current], params);
}

export function statusText(status) {
  const entry = server.statuses[status] ?? server.statuses.unlisted;
  return fill(entry[current], { status });
}

/** The field of a bilingual record in the current language: pick(p, "name") -> p.name_vi. */
export function pick(record, field) {
  return record[`${field}_${current}`] ?? record[`${field}_vi`];
}

export function formatDate(iso) {
  if (!iso) return "";
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
  return d.toLocaleDateString(current === "vi" ? "vi-VN" : "en-GB", { day: "2-digit", month: "2-digit", year: "numeric" });
}

export function formatMoney(vnd) {
  return vnd === 0 ? t("fee.free") : `${vnd.toLocaleString(current === "vi" ? "vi-VN" : "en-GB")} ₫`;
}

/** What a value of a field type must be (forms.toml [kinds]). */
export function kindText(kind) {
  return server.forms.kinds[kind][current];
}
