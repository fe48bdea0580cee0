// The citizen's details, filled once: every application takes the applicant from here.
// The CCCD number is checked as it is typed with the server's rules. Below it, the switch
// for push notifications on this phone.
import { useState } from "preact/hooks";
import { ApiError, request } from "../lib/api.js";
import { t } from "../lib/i18n.js";
import { cccdMatches, cccdProblems } from "../lib/rules.js";
import { PushSettings } from "./Push.jsx";
import { UnitPicker } from "../lib/units.jsx";
import { Field, LoadError, Loading, Notice, useLoad } from "../lib/ui.jsx";

const SERVER_FIELD = { full_name: "fullName", date_of_birth: "dateOfBirth", gender: "gender", citizen_id_number: "cccd", email: "email" };

function fromProfile(p) {
  return {
    fullName: p.full_name ?? "",
    dateOfBirth: p.date_of_birth ?? "",
    gender: p.gender ?? "",
    cccd: p.citizen_id_number ?? "",
    unit: p.address ? { province_code: p.address.province_code, commune_code: p.address.commune_code } : {},
    street: p.address?.street ?? "",
    email: p.email ?? "",
  };
}

function check(v) {
  const errors = {};
  const need = (key, label) => !String(v[key] ?? "").trim() && (errors[key] = `${t(label)} ${t("common.required")}`);
  need("fullName", "profile.fullName");
  need("dateOfBirth", "profile.dateOfBirth");
  need("gender", "profile.gender");
  need("street", "profile.street");
  if (!v.unit.province_code || !v.unit.commune_code) errors.unit = `${t("profile.commune")} ${t("common.required")}`;
  if (cccdProblems(v.cccd).length) errors.cccd = t("profile.cccdInvalid");
  else if (v.dateOfBirth && v.gender && !cccdMatches(v.cccd, v.dateOfBirth, v.gender)) errors.cccd = t("profile.cccdMismatch");
  return errors;
}

export function Profile({ onSaved }) {
  const loaded = useLoad(() => request("/me/profile"), []);
  if (loaded.error) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  return (
    <>
      <ProfileForm initial={fromProfile(loaded.data)} onSaved={onSaved} />
      <PushSettings />
    </>
  );
}

function ProfileForm({ initial, onSaved }) {
  const [v, setV] = useState(initial);
  const [errors, setErrors] = useState({});
  const [touched, setTouched] = useState({});
  const [status, setStatus] = useState(null);
  const set = (key) => (e) => setV({ ...v, [key]: e.currentTarget.value });
  const live = check(v);
  const shown = (key) => errors[key] ?? (touched[key] ? live[key] : null);

  async function save(event) {
    event.preventDefault();
    const found = check(v);
    setErrors(found);
    if (Object.keys(found).length) return setStatus({ kind: "bad", text: t("profile.fix") });
    try {
      await request("/me/profile", {
        method: "PUT",
        body: {
          full_name: v.fullName.trim(),
          date_of_birth: v.dateOfBirth,
          gender: v.gender,
          citizen_id_number: v.cccd,
          address: { ...v.unit, street: v.street.trim() },
          email: v.email.trim() || null,
        },
      });
      setStatus({ kind: "ok", text: t("profile.saved") });
      onSaved();
    } catch (e) {
      const mapped = {};
      for (const item of e instanceof ApiError ? (e.problem.errors ?? []) : []) {
        const key = SERVER_FIELD[item.path.split(".").pop()] ?? (item.path.includes("address") ? "unit" : null);
        if (key) mapped[key] = item.message;
      }
      setErrors(mapped);
      setStatus({ kind: "bad", text: e.message });
    }
  }

  return (
    <form onSubmit={save} noValidate>
      <h1>{t("profile.title")}</h1>
      <p>{t("profile.intro")}</p>
      <Field label={t("profile.fullName")} required error={shown("fullName")}>
        {(p) => <input {...p} autoComplete="name" value={v.fullName} onInput={set("fullName")} />}
      </Field>
      <Field label={t("profile.dateOfBirth")} required error={shown("dateOfBirth")}>
        {(p) => <input {...p} type="date" autoComplete="bday" value={v.dateOfBirth} onInput={set("dateOfBirth")} />}
      </Field>
      <fieldset style="border:0;padding:0;margin:0">
        <legend class="label">{t("profile.gender")}</legend>
        <div class="radio">
          {["male", "female"].map((g) => (
            <label key={g}>
              <input type="radio" name="gender" value={g} checked={v.gender === g} onChange={set("gender")} />
              {t(`profile.${g}`)}
            </label>
          ))}
        </div>
        {shown("gender") && <p class="error" role="alert">{shown("gender")}</p>}
      </fieldset>
      <Field label={t("profile.cccd")} required error={v.cccd.length >= 12 || touched.cccd ? (errors.cccd ?? live.cccd) : null}>
        {(p) => <input {...p} inputMode="numeric" maxLength={12} value={v.cccd} onInput={set("cccd")} onBlur={() => setTouched({ ...touched, cccd: true })} />}
      </Field>
      <UnitPicker value={v.unit} required error={shown("unit")} provinceLabel={t("profile.province")} communeLabel={t("profile.commune")} onChange={(unit) => setV({ ...v, unit })} />
      <Field label={t("profile.street")} required error={shown("street")}>
        {(p) => <input {...p} autoComplete="street-address" value={v.street} onInput={set("street")} />}
      </Field>
      <Field label={t("profile.email")} error={shown("email")}>
        {(p) => <input {...p} type="email" autoComplete="email" value={v.email} onInput={set("email")} />}
      </Field>
      {status && <Notice kind={status.kind}>{status.text}</Notice>}
      <button class="primary" type="submit">
        {t("common.save")}
      </button>
    </form>
  );
}
