// The server's rules, as you type: a procedure's form (api/catalogue/forms.py validate_form),
// mobile numbers and CCCD structure (api/accounts/identity.py). Same codes, same catalogue
// texts; the server checks again on every save and submit.
import { formText, kindText, pick } from "./i18n.js";

const CCCD_PROVINCE_CODES = new Set(
  `01 02 04 06 08 10 11 12 14 15 17 19 20 22 24 25 26 27 30 31 33 34 35 36 37 38 40
   42 44 45 46 48 49 51 52 54 56 58 60 62 64 66 67 68 70 72 74 75 77 79 80 82 83 84
   86 87 89 91 92 93 94 95 96`.split(/\s+/),
);
const DEFAULT_MAX_LENGTH = { text: 200, long_text: 4000 };

export function normaliseMobile(raw) {
  const compact = raw.replace(/[\s.\-()]+/g, "");
  let national = compact;
  if (compact.startsWith("+84")) {
    const subscriber = compact.slice(3);
    national = subscriber.startsWith("0") ? subscriber : `0${subscriber}`;
  } else if (compact.startsWith("84") && compact.length === 11) {
    national = `0${compact.slice(2)}`;
  }
  return /^0[35789][0-9]{8}$/.test(national) ? national : null;
}

/** Problems with a CCCD number's structure: [] when sound. */
export function cccdProblems(value) {
  if (!/^[0-9]{12}$/.test(value)) return ["not_12_digits"];
  const problems = [];
  if (value[0] !== "0" || !CCCD_PROVINCE_CODES.has(value.slice(1, 3))) problems.push("unknown_province");
  if (!"0123".includes(value[3])) problems.push("invalid_century_gender_digit");
  return problems;
}

/** Whether the CCCD's 4th–6th digits agree with the birth date and gender (api/accounts/cccd.py). */
export function cccdMatches(value, dateOfBirth, gender) {
  const year = Number(dateOfBirth.slice(0, 4));
  const century = Math.floor((year - 1900) / 100);
  if (year < 1900 || century > 4) return false;
  const digit = century * 2 + (gender === "male" ? 0 : 1);
  return value[3] === String(digit) && value.slice(4, 6) === String(year % 100).padStart(2, "0");
}

function todayInVietnam() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

function dayText(iso) {
  const [y, m, d] = iso.split("-");
  return pick({ text_vi: `${d}/${m}/${y}`, text_en: iso }, "text");
}

function isMissing(value) {
  return value === undefined || value === null || (typeof value === "string" && !value.trim());
}

/** The first problem with one field's value, as the server would word it; null when fine. */
export function fieldError(field, value, { partial = false } = {}) {
  const label = pick(field, "label");
  const kind = field.type;
  if (kind === "admin_unit") return unitError(field, value, label, partial);
  if (isMissing(value)) {
    if (!field.required || partial) return null;
    const chosen = ["select", "boolean"].includes(kind);
    return formText(chosen ? "required-choose" : "required-enter", { label });
  }
  if (kind === "text" || kind === "long_text") {
    const text = value.trim().normalize("NFC");
    const limit = field.max_length ?? DEFAULT_MAX_LENGTH[kind];
    if (field.min_length != null && [...text].length < field.min_length) return formText("too-short", { label, n: field.min_length });
    if ([...text].length > limit) return formText("too-long", { label, n: limit });
    // eslint-disable-next-line no-control-regex
    const controls = kind === "long_text" ? /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/ : /[\x00-\x1f\x7f-\x9f]/;
    if (controls.test(text)) return formText("invalid-characters", { label });
    if (field.pattern && !new RegExp(`^(?:${field.pattern})$`, "u").test(text)) return formText("pattern-mismatch", { label });
    return null;
  }
  if (kind === "number") {
    const n = typeof value === "number" ? value : Number(String(value).replace(",", "."));
    if (!Number.isFinite(n)) return formText("wrong-type", { label, kind: kindText("number") });
    if (field.integer && !Number.isInteger(n)) return formText("not-an-integer", { label });
    if (field.min != null && n < field.min) return formText("below-min", { label, n: field.min.toLocaleString() });
    if (field.max != null && n > field.max) return formText("above-max", { label, n: field.max.toLocaleString() });
    return null;
  }
  if (kind === "date") {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value) || Number.isNaN(Date.parse(value))) return formText("invalid-date", { label });
    if (field.min_date && value < field.min_date) return formText("date-before-min", { label, day: dayText(field.min_date) });
    if (field.max_date && value > field.max_date) return formText("date-after-max", { label, day: dayText(field.max_date) });
    if (field.not_in_future && value > todayInVietnam()) return formText("date-in-future", { label });
    return null;
  }
  if (kind === "select") {
    if (field.options.some((o) => o.value === value)) return null;
    return formText("not-an-option", { label, options: field.options.map((o) => pick(o, "label")).join(", ") });
  }
  if (kind === "phone") return normaliseMobile(value) ? null : formText("invalid-phone", { label });
  if (kind === "citizen_id") return cccdProblems(value.trim()).length ? formText("invalid-citizen-id", { label }) : null;
  return null;
}

function unitError(field, value, label, partial) {
  const province = value?.province_code;
  const commune = value?.commune_code;
  if (!province && !commune) return field.required && !partial ? formText("required-choose", { label }) : null;
  if (!province) return formText("province-required", { label });
  if (!commune && !partial) return formText("commune-required", { label });
  return null;
}

/** Every field's problem: { name: text }. */
export function formErrors(fields, values, options) {
  const errors = {};
  for (const field of fields) {
    const error = fieldError(field, values[field.name], options);
    if (error) errors[field.name] = error;
  }
  return errors;
}

/** The values as the server takes them (numbers as numbers, blanks left out). */
export function cleanValues(fields, values) {
  const out = {};
  for (const field of fields) {
    const value = values[field.name];
    if (isMissing(value)) continue;
    if (field.type === "admin_unit" && !value.province_code) continue;
    out[field.name] = field.type === "number" ? Number(String(value).replace(",", ".")) : value;
  }
  return out;
}
