// Filling in an application: the form is rendered from the procedure's field definitions and
// checked as the server checks it; photos are made small on the phone; everything is saved on
// the phone as it is typed. Submitting puts the draft in the outbox, which works offline.
import { useEffect, useState } from "preact/hooks";
import { queue } from "../lib/drafts.js";
import { pick, t } from "../lib/i18n.js";
import { preparePhoto } from "../lib/photos.js";
import { cleanValues, fieldError, formErrors } from "../lib/rules.js";
import { deleteDraft, getDraft, putDraft } from "../lib/store.js";
import { Loading, Notice } from "../lib/ui.jsx";
import { FormField } from "./FormField.jsx";
import { PhotoList } from "./Photos.jsx";
import { PushOffer } from "./Push.jsx";

export function useDraft(id) {
  const [draft, setDraft] = useState(null);
  useEffect(() => {
    getDraft(id).then((d) => setDraft(d ?? false));
    const follow = (event) => event.detail.id === id && setDraft({ ...event.detail });
    window.addEventListener("outbox", follow);
    return () => window.removeEventListener("outbox", follow);
  }, [id]);
  return [draft, setDraft];
}

function serverErrors(problem) {
  const out = {};
  for (const item of problem?.errors ?? []) {
    const name = item.path.replace(/^form\./, "").split(".")[0];
    out[name] ??= item.message;
  }
  return out;
}

export function Draft({ id }) {
  const [draft, setDraft] = useDraft(id);
  const [touched, setTouched] = useState({});
  const [tried, setTried] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const state = draft && draft.state;
  useEffect(() => {
    if (state && state !== "draft") window.scrollTo(0, 0);
  }, [state]);
  if (draft === null) return <Loading />;
  if (draft === false) return <Notice kind="bad">{t("common.offlineNoData")}</Notice>;

  const procedure = draft.procedure;
  const fields = procedure.form_fields;
  const editable = draft.state === "draft" || draft.state === "error";
  const fromServer = draft.state === "error" ? serverErrors(draft.problem) : {};
  const errors = formErrors(fields, draft.values);
  const missingDocs = procedure.required_documents.filter((d) => d.required && !draft.photos.some((p) => p.requirement === d.code));

  async function update(change) {
    const next = { ...draft, ...change };
    setDraft(next);
    await putDraft(next);
  }

  async function addPhoto(requirement, file) {
    if (!file) return;
    setPreparing(true);
    try {
      const prepared = await preparePhoto(file);
      const photos = [...draft.photos, { id: crypto.randomUUID(), requirement, ...prepared }];
      await update({ photos });
    } finally {
      setPreparing(false);
    }
  }

  async function submit(event) {
    event.preventDefault();
    setTried(true);
    if (Object.keys(errors).length || missingDocs.length) {
      setTimeout(() => document.querySelector('[aria-invalid="true"], .error')?.focus?.(), 0);
      return;
    }
    const next = { ...draft, form: draft.supplement ? draft.form : cleanValues(fields, draft.values) };
    if (!next.serverId) {
      // A draft the server refused is sent afresh: a new key for a new body.
      next.key = draft.createBody ? crypto.randomUUID() : draft.key;
      next.createBody = undefined;
    }
    setDraft(next);
    await queue(next);
  }

  const problems = Object.keys(errors).length + missingDocs.length;
  return (
    <form onSubmit={submit} noValidate>
      <h1>{t("draft.title", { name: pick(procedure, "name") })}</h1>
      <Status draft={draft} />
      <fieldset disabled={!editable} style="border:0;padding:0;margin:0">
        {fields.length > 0 && <h2>{t("draft.form")}</h2>}
        {fields.map((field) => (
          <FormField
            key={field.name}
            field={field}
            value={draft.values[field.name]}
            error={fromServer[field.name] ?? (tried || touched[field.name] ? fieldError(field, draft.values[field.name]) : null)}
            onBlur={() => setTouched({ ...touched, [field.name]: true })}
            onChange={(value) => update({ values: { ...draft.values, [field.name]: value } })}
          />
        ))}
        <h2>{t("draft.documents")}</h2>
        {procedure.required_documents.map((doc) => (
          <div key={doc.code} class="field">
            <p class="label">
              {pick(doc, "name")} {!doc.required && t("procedure.optional")}
            </p>
            <PhotoList photos={draft.photos.filter((p) => p.requirement === doc.code)} editable={editable} onRemove={(pid) => update({ photos: draft.photos.filter((p) => p.id !== pid) })} />
            {editable && (
              <div class="picker">
                <label>
                  <input type="file" accept="image/*" capture="environment" aria-label={t("draft.photoLabel", { name: pick(doc, "name") })} onChange={(e) => addPhoto(doc.code, e.currentTarget.files[0])} />
                  <span>{t("draft.takePhoto")}</span>
                </label>
                <label>
                  <input type="file" accept="image/*,application/pdf" data-requirement={doc.code} aria-label={`${t("draft.chooseFile")}: ${pick(doc, "name")}`} onChange={(e) => addPhoto(doc.code, e.currentTarget.files[0])} />
                  <span>{t("draft.chooseFile")}</span>
                </label>
              </div>
            )}
            {tried && missingDocs.includes(doc) && <p class="error" role="alert">{t("draft.missingDoc", { name: pick(doc, "name") })}</p>}
          </div>
        ))}
        {preparing && <p role="status">{t("draft.preparing")}</p>}
      </fieldset>
      {tried && problems > 0 && editable && <Notice kind="bad">{t("draft.fix", { n: problems })}</Notice>}
      {editable && (
        <>
          <p class="help">{t("draft.savedLocally")}</p>
          <button class="primary" type="submit">
            {draft.supplement ? t("app.resubmit") : t("draft.submit")}
          </button>
          <button
            class="secondary"
            type="button"
            onClick={async () => {
              await deleteDraft(draft.id);
              location.hash = "#/mine";
            }}
          >
            {t("draft.discard")}
          </button>
        </>
      )}
    </form>
  );
}

function Status({ draft }) {
  if (draft.state === "queued" || draft.state === "sending") {
    const text = navigator.onLine && !draft.lastAttemptError ? t("draft.sending") : t("draft.queued");
    return <Notice kind="warn">{text}</Notice>;
  }
  if (draft.state === "sent") {
    return (
      <>
        <Notice kind="ok">
          <p>{t("draft.sent", { code: draft.receiptCode })}</p>
          <a href={`#/a/${draft.serverId}`}>{t("draft.open")}</a>
        </Notice>
        <PushOffer />
      </>
    );
  }
  if (draft.state === "error") {
    return (
      <Notice kind="bad">
        <p>{t("draft.error", { detail: draft.problem?.detail ?? draft.problem?.title ?? "" })}</p>
      </Notice>
    );
  }
  return null;
}

