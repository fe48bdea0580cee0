// The officer screens' texts (officer/i18n), Vietnamese first, falling back to the citizen
// app's texts for what both share (loading, retry, profile labels, statuses).
import { language, t as shared } from "../../lib/i18n.js";
import { EN } from "../i18n/en.js";
import { VI } from "../i18n/vi.js";

const CATALOGUES = { vi: VI, en: EN };

export function t(key, params = {}) {
  const text = CATALOGUES[language()]?.[key] ?? VI[key];
  if (text === undefined) return shared(key, params);
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

export { formatDate, language, pick, setLanguage, statusText } from "../../lib/i18n.js";
