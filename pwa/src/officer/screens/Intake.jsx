// Counter intake for a walk-in citizen: the procedure, the applicant typed from the ID card
// (the filing joins the citizen's account when the CCCD and the phone match one; the officer
// can look that account up first and tell the citizen before filing), the form,
// photos of the papers taken at the desk, then the receipt slip. On a prepared device the
// intake goes through the outbox with a final code from the device's block, online or not.
import { useEffect, useState } from "preact/hooks";
import { ApiError, NetworkError, allPages, request } from "../../lib/api.js";
import { postForm, preparePhoto } from "../../lib/photos.js";
import { cleanValues, formErrors, normaliseMobile } from "../../lib/rules.js";
import { UnitPicker } from "../../lib/units.jsx";
import { Field, LoadError, Loading, Notice, useLoad } from "../../lib/ui.jsx";
import { FormField } from "../../screens/FormField.jsx";
import { pick, t } from "../lib/i18n.js";
import { dueAfter, loadProcedure, prepared } from "../lib/data.js";
import { kvGet, put } from "../lib/store.js";
import { enqueue, syncNow, takeCode, vnDay } from "../lib/sync.js";

async function procedures() {
  const reference = await kvGet("reference");
  if (reference) return reference.procedures.filter((p) => p.active);
  return allPages("/procedures");
}

/** The one account holding both numbers (GET /officer/citizens): { kind, match?, text }. */
async function findAccount(cccd, phone) {
  const mobile = normaliseMobile(phone);
  if (!/^\d{12}$/.test(cccd.trim()) || !mobile) return { kind: "bad", text: t("officer.intake.findNeeds") };
  try {
    const query = new URLSearchParams({ citizen_id_number: cccd.trim(), phone: mobile });
    const match = await request(`/officer/citizens?${query}`);
    const identity = t(match.identity_verified ? "officer.intake.linkedVerified" : "officer.intake.linkedUnverified");
    return { kind: "ok", text: `${t("officer.intake.linked", { name: match.name_masked })} ${identity}` };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { kind: "warn", text: t("officer.intake.notLinked") };
    if (error instanceof NetworkError) return { kind: "warn", text: t("officer.intake.findOffline") };
    return { kind: "bad", text: error.message || t("common.error") };
  }
}

function AccountLink({ cccd, phone }) {
  const [found, setFound] = useState(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setFound(null), [cccd, phone]); // an answer holds only for the numbers asked
  async function find() {
    setBusy(true);
    setFound(await findAccount(cccd, phone));
    setBusy(false);
  }
  return (
    <div class="account-link">
      <button class="secondary" type="button" onClick={find} disabled={busy}>
        {t("officer.intake.find")}
      </button>
      {found && (
        <p class={`notice ${found.kind}`} role="status" data-testid="account-link">
          {found.text}
        </p>
      )}
    </div>
  );
}

function Applicant({ value, onChange }) {
  const set = (name) => (e) => onChange({ ...value, [name]: e.currentTarget.value });
  return (
    <fieldset class="group">
      <legend class="label">{t("officer.intake.applicant")}</legend>
      <p class="help">{t("officer.intake.linkHelp")}</p>
      <Field label={t("profile.cccd")} required>
        {(props) => <input {...props} inputmode="numeric" value={value.citizen_id_number} onInput={set("citizen_id_number")} />}
      </Field>
      <Field label={t("officer.intake.phone")}>{(props) => <input {...props} type="tel" value={value.phone} onInput={set("phone")} />}</Field>
      <AccountLink cccd={value.citizen_id_number} phone={value.phone} />
      <Field label={t("profile.fullName")} required>
        {(props) => <input {...props} value={value.full_name} onInput={set("full_name")} />}
      </Field>
      <Field label={t("profile.dateOfBirth")} required>
        {(props) => <input {...props} type="date" value={value.date_of_birth} onInput={set("date_of_birth")} />}
      </Field>
      <fieldset class="radio">
        <legend class="label">{t("profile.gender")}</legend>
        {["male", "female"].map((g) => (
          <label key={g}>
            <input type="radio" name="gender" checked={value.gender === g} onChange={() => onChange({ ...value, gender: g })} /> {t(`profile.${g}`)}
          </label>
        ))}
      </fieldset>
      <UnitPicker value={value} required provinceLabel={t("profile.province")} communeLabel={t("profile.commune")} onChange={(unit) => onChange({ ...value, ...unit })} />
      <Field label={t("profile.street")} required>
        {(props) => <input {...props} value={value.street} onInput={set("street")} />}
      </Field>
    </fieldset>
  );
}

function applicantInput(a) {
  const phone = a.phone ? normaliseMobile(a.phone) : null;
  return {
    full_name: a.full_name.trim(),
    date_of_birth: a.date_of_birth,
    gender: a.gender,
    citizen_id_number: a.citizen_id_number.trim(),
    address: { province_code: a.province_code, commune_code: a.commune_code, street: a.street.trim() },
    ...(phone ? { phone } : {}),
  };
}

async function fileOnline(procedure, applicant, form, photos) {
  const key = crypto.randomUUID();
  const draft = await request("/applications", { method: "POST", body: { procedure_code: procedure.code, form, applicant }, headers: { "Idempotency-Key": key } });
  for (const photo of photos) {
    const base = `/applications/${draft.id}/documents`;
    const ticket = await request(`${base}/`, { method: "POST", body: { requirement: photo.requirement, content_type: photo.type, size: photo.size, sha256: photo.sha256 } });
    await postForm(ticket, photo.blob);
    await request(`${base}/${ticket.document_id}/complete`, { method: "POST" });
  }
  const submitted = await request(`/applications/${draft.id}/transitions`, { method: "POST", body: { action: "submit", expected_version: draft.version } });
  return submitted.id;
}

async function fileThroughOutbox(procedure, applicant, form, photos) {
  const code = await takeCode();
  if (!code) throw new Error(t("officer.intake.noCodes"));
  const ref = crypto.randomUUID();
  const uploads = [];
  for (const photo of photos) {
    const upload = { upload_id: crypto.randomUUID(), blob: photo.blob, type: photo.type, size: photo.size, sha256: photo.sha256, name: photo.name, requirement: photo.requirement, sent: false };
    await put("uploads", upload);
    uploads.push(upload);
  }
  const reference = await kvGet("reference");
  const app = {
    id: ref,
    ref,
    local: true,
    version: 2,
    status: "submitted",
    channel: "counter",
    receipt_code: code,
    procedure_code: procedure.code,
    procedure_name_vi: procedure.name_vi,
    procedure_name_en: procedure.name_en,
    unit_name_vi: reference?.unit?.name_vi,
    applicant: { ...applicant, address: { ...applicant.address } },
    form,
    received_on: vnDay(),
    due_date: dueAfter(procedure.processing_days, reference?.calendar),
    documents: [],
    timeline: [],
  };
  await put("apps", app);
  await put("intakes", { ref, app, receipt_code: code });
  await enqueue(
    { type: "counter_intake", application_ref: ref, payload: { procedure_code: procedure.code, applicant, form, receipt_code: code, documents: uploads.map((u) => ({ upload_id: u.upload_id, requirement: u.requirement })) } },
    { appKey: ref, uploads: uploads.map((u) => u.upload_id), summary: { type: "counter_intake", receipt_code: code } },
  );
  syncNow();
  return ref;
}

function IntakeForm({ code }) {
  const procedure = useLoad(() => loadProcedure(code), [code]);
  const [applicant, setApplicant] = useState({ full_name: "", date_of_birth: "", gender: "", citizen_id_number: "", phone: "", province_code: "", commune_code: "", street: "" });
  const [values, setValues] = useState({});
  const [photos, setPhotos] = useState([]);
  const [errors, setErrors] = useState({});
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  if (procedure.error) return <LoadError error={procedure.error} onRetry={procedure.reload} />;
  if (!procedure.data) return <Loading />;
  const p = procedure.data;
  const fields = p.form_fields ?? [];

  async function addPhoto(requirement, file) {
    if (!file) return;
    const prepared = await preparePhoto(file);
    setPhotos((list) => [...list, { ...prepared, requirement, name: file.name }]);
  }

  async function submit(event) {
    event.preventDefault();
    setProblem(null);
    const found = formErrors(fields, values);
    const a = applicant;
    if (!a.full_name.trim() || !a.date_of_birth || !a.gender || !/^\d{12}$/.test(a.citizen_id_number.trim()) || !a.commune_code || !a.street.trim()) found._applicant = t("officer.intake.applicantMissing");
    setErrors(found);
    if (Object.keys(found).length) return setProblem(Object.values(found).join(" "));
    setBusy(true);
    try {
      const input = applicantInput(a);
      const form = cleanValues(fields, values);
      const id = (await prepared()) ? await fileThroughOutbox(p, input, form, photos) : await fileOnline(p, input, form, photos);
      location.hash = `#/officer/a/${id}/slip`;
    } catch (e) {
      setProblem(e.message || t("common.error"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <h2>{pick(p, "name")}</h2>
      <Applicant value={applicant} onChange={setApplicant} />
      {fields.length > 0 && (
        <fieldset class="group">
          <legend class="label">{t("officer.intake.form")}</legend>
          {fields.map((field) => (
            <FormField key={field.name} field={field} value={values[field.name]} error={errors[field.name]} onChange={(v) => setValues((all) => ({ ...all, [field.name]: v }))} />
          ))}
        </fieldset>
      )}
      <fieldset class="group">
        <legend class="label">{t("officer.intake.photos")}</legend>
        {(p.required_documents ?? []).map((d) => (
          <Field key={d.code} label={t("officer.intake.photoOf", { name: pick(d, "name") })}>
            {(props) => <input {...props} type="file" accept="image/*,application/pdf" capture="environment" onChange={(e) => addPhoto(d.code, e.currentTarget.files[0])} />}
          </Field>
        ))}
        <ul>
          {photos.map((photo, index) => (
            <li key={index}>{t("officer.intake.photoAdded", { n: index + 1, name: photo.requirement, kb: Math.round(photo.size / 1024) })}</li>
          ))}
        </ul>
      </fieldset>
      {problem && <Notice kind="bad">{problem}</Notice>}
      <button class="primary" type="submit" disabled={busy}>
        {t("officer.intake.submit")}
      </button>
    </form>
  );
}

export function Intake() {
  const list = useLoad(procedures, []);
  const [code, setCode] = useState("");
  return (
    <>
      <h1>{t("officer.intake.title")}</h1>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      <Field label={t("officer.intake.procedure")} required>
        {(props) => (
          <select {...props} value={code} onChange={(e) => setCode(e.currentTarget.value)}>
            <option value="">{t("unit.choose")}</option>
            {(list.data ?? []).map((p) => (
              <option key={p.code} value={p.code}>
                {pick(p, "name")}
              </option>
            ))}
          </select>
        )}
      </Field>
      {code && <IntakeForm key={code} code={code} />}
    </>
  );
}
