// One application: applicant, form, documents (zoomable), timeline, and the moves the officer
// may take now, each with what it requires.
import { useState } from "preact/hooks";
import { request, session } from "../../lib/api.js";
import { Field, LoadError, Loading, Notice, useLoad } from "../../lib/ui.jsx";
import { formatDate, pick, statusText, t } from "../lib/i18n.js";
import { addNote, loadApplication, loadProcedure, notesOf } from "../lib/data.js";
import { heldByColleague, inForce, leaseText } from "../lib/leases.js";
import { getAll } from "../lib/store.js";
import { LEASE_HOURS, holdApplications, releaseLease } from "../lib/sync.js";
import { Moves } from "./Moves.jsx";
import { SlaBadge } from "./Queue.jsx";

function Photo({ application, document, names }) {
  const [url, setUrl] = useState(null);
  const [zoom, setZoom] = useState(false);
  const [error, setError] = useState(null);
  async function open() {
    try {
      setUrl((await request(`/applications/${application.id}/documents/${document.id}`)).url);
    } catch (e) {
      setError(e.message);
    }
  }
  const name = names.get(document.requirement) ?? (document.kind === "result" ? t("officer.doc.resultName") : document.requirement);
  const label = t("officer.doc.label", { name, kind: t(`officer.doc.${document.kind}`) });
  if (!url)
    return (
      <li>
        {label} · {t(`officer.doc.status.${document.status}`)}{" "}
        {document.status === "stored" && (
          <button type="button" class="link" onClick={open}>
            {t("officer.doc.view")}
          </button>
        )}
        {error && <span class="error">{error}</span>}
      </li>
    );
  const image = document.content_type.startsWith("image/");
  return (
    <li>
      {label}{" "}
      {image ? (
        <button type="button" class={zoom ? "zoom zoomed" : "zoom"} aria-pressed={zoom ? "true" : "false"} aria-label={t("officer.doc.zoom", { name })} onClick={() => setZoom(!zoom)}>
          <img src={url} alt={label} />
        </button>
      ) : (
        <a href={url} target="_blank" rel="noopener">
          {t("officer.doc.open")}
        </a>
      )}
    </li>
  );
}

/** The server's notes, and where each note of this device not on the server yet stands:
 * waiting in the outbox, refused, or sent (the next pull brings it back as the server's). */
async function notesWithState(application) {
  const waiting = new Set((await getAll("outbox")).map((e) => e.command.command_id));
  const refused = new Set((await getAll("conflicts")).map((c) => c.command_id));
  const { server, local } = await notesOf(application);
  return {
    server,
    local: local.map((n) => ({ ...n, state: waiting.has(n.command_id) ? "waiting" : refused.has(n.command_id) ? "refused" : "sent" })),
  };
}

/** Who holds the file for offline work; the officer takes or ends their own hold (online). */
function LeasePanel({ application, me, online, onChange }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const lease = inForce(application.lease);
  const text = leaseText(lease, me);
  async function act(job) {
    setBusy(true);
    setError(null);
    try {
      await job();
      onChange();
    } catch (e) {
      setError(e.message || t("common.error"));
    } finally {
      setBusy(false);
    }
  }
  const hold = () =>
    act(async () => {
      const [answer] = await holdApplications([application.id]);
      if (answer.outcome === "held") throw new Error(leaseText(answer.lease, me));
    });
  return (
    <section class="lease" aria-labelledby="lease-title">
      <h2 id="lease-title">{t("officer.lease.title")}</h2>
      {text ? <p data-testid="lease">{text}</p> : <p>{t("officer.lease.none")}</p>}
      {online && !lease && !application.ref && (
        <>
          <p class="help">{t("officer.lease.help", { hours: LEASE_HOURS })}</p>
          <button type="button" class="secondary" disabled={busy} onClick={hold}>
            {t("officer.lease.hold", { hours: LEASE_HOURS })}
          </button>
        </>
      )}
      {online && lease && lease.holder_id === me && (
        <button type="button" class="secondary" disabled={busy} onClick={() => act(() => releaseLease(application.id, lease.lease_id))}>
          {t("officer.lease.release")}
        </button>
      )}
      {error && <Notice kind="bad">{error}</Notice>}
    </section>
  );
}

function NoteForm({ application, onAdded }) {
  const [note, setNote] = useState("");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    if (!note.trim()) return setError(t("officer.note.required"));
    setBusy(true);
    setError(null);
    try {
      await addNote(application, note.trim());
      setNote("");
      onAdded();
    } catch (e) {
      setError(e.message || t("common.error"));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="note-form" onSubmit={submit} noValidate>
      <Field label={t("officer.note.label")} required>
        {(props) => <textarea {...props} rows="2" value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
      </Field>
      {error && <Notice kind="bad">{error}</Notice>}
      <button class="secondary" type="submit" disabled={busy}>
        {t("officer.note.add")}
      </button>
    </form>
  );
}

export function Detail({ id }) {
  const loaded = useLoad(async () => {
    const found = await loadApplication(id);
    const procedure = await loadProcedure(found.application.procedure_code).catch(() => null);
    const notes = await notesWithState(found.application);
    return {
      ...found,
      notes,
      me: (await session())?.accountId,
      names: new Map((procedure?.required_documents ?? []).map((d) => [d.code, pick(d, "name")])),
      fields: new Map((procedure?.form_fields ?? []).map((f) => [f.name, f])),
    };
  }, [id]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  const { application: a, offline, names, notes, fields, me } = loaded.data;
  const timeline = [
    ...a.timeline.map((entry) => ({ ...entry, kind: "status" })),
    ...notes.server.map((n) => ({ ...n, kind: "note" })),
  ].sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
  const applicant = a.applicant ?? {};
  return (
    <>
      <p>
        <a href="#/officer">{t("officer.back")}</a>
      </p>
      <h1>{pick(a, "procedure_name")}</h1>
      {offline && <p class="help">{t("officer.detail.local")}</p>}
      <dl class="facts">
        <dt>{t("officer.detail.code")}</dt>
        <dd>{a.receipt_code ?? t("officer.noCode")}</dd>
        <dt>{t("officer.detail.status")}</dt>
        <dd>
          <span class="status">{statusText(a.status)}</span> {a.local && t("officer.waiting")}
        </dd>
        {a.due_date && (
          <>
            <dt>{t("officer.detail.due")}</dt>
            <dd>
              {formatDate(a.due_date)} {a.pending_due_date && <span data-testid="due-pending">{t("officer.waiting")}</span>} {a.sla && <SlaBadge sla={a.sla} left={a.working_days_left} />}
            </dd>
          </>
        )}
        <dt>{t("officer.detail.applicant")}</dt>
        <dd>
          {applicant.full_name} · {applicant.date_of_birth && formatDate(applicant.date_of_birth)} · {t("officer.detail.cccd")} {applicant.citizen_id_number ?? "—"} · {applicant.phone ?? ""}
          {a.applicant_identity_verified !== undefined && <> · {a.applicant_identity_verified ? t("officer.detail.verified") : t("officer.detail.notVerified")}</>}
        </dd>
        {applicant.address && (
          <>
            <dt>{t("officer.detail.address")}</dt>
            <dd>{[applicant.address.street, applicant.address.commune_name, applicant.address.province_name].filter(Boolean).join(", ")}</dd>
          </>
        )}
      </dl>
      <h2>{t("officer.detail.form")}</h2>
      <dl class="facts">
        {Object.entries(a.form ?? {}).map(([key, value]) => (
          <div key={key}>
            <dt>{fields.has(key) ? pick(fields.get(key), "label") : key}</dt>
            <dd>{formValue(fields.get(key), value)}</dd>
          </div>
        ))}
      </dl>
      <h2>{t("officer.detail.documents")}</h2>
      <ul class="docs">
        {a.documents.map((d) => (
          <Photo key={d.id} application={a} document={d} names={names} />
        ))}
        {!a.documents.length && <li>{t("officer.detail.noDocuments")}</li>}
      </ul>
      {a.supplement_request && (
        <>
          <h2>{t("officer.detail.supplement")}</h2>
          <ul>
            {a.supplement_request.missing_documents.map((m) => (
              <li key={m.requirement}>
                {names.get(m.requirement) ?? m.requirement}: {m.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{t("officer.detail.timeline")}</h2>
      <ol class="timeline">
        {timeline.map((entry, index) =>
          entry.kind === "note" ? (
            <li key={index} class="note">
              {t("officer.note.by", { name: entry.author_name })} — {new Date(entry.at).toLocaleString()} — {entry.note}
            </li>
          ) : (
            <li key={index}>
              {statusText(entry.status)} — {new Date(entry.at).toLocaleString()} {entry.note && <>— {entry.note}</>}
              {entry.new_due_date && <> — {t("officer.detail.newDue", { date: formatDate(entry.new_due_date) })}</>}
            </li>
          ),
        )}
        {notes.local.map((n) => (
          <li key={n.command_id} class="note">
            {t("officer.note.entry")} — {new Date(n.at).toLocaleString()} — {n.note} ({t(`officer.note.${n.state}`)})
          </li>
        ))}
      </ol>
      <NoteForm application={a} onAdded={loaded.reload} />
      {a.receipt_code && (
        <p>
          <a href={`#/officer/a/${a.id}/slip`}>{t("officer.slip.open")}</a>
        </p>
      )}
      <LeasePanel application={a} me={me} online={!offline} onChange={loaded.reload} />
      <Moves application={a} online={!offline} heldBy={!offline && heldByColleague(a.lease, me)} onMoved={loaded.reload} />
    </>
  );
}

// A form answer as the officer reads it: a choice by its label, a date in the local format,
// anything else as typed (a field the procedure no longer lists shows its raw value).
function formValue(field, value) {
  if (value === null || value === undefined) return "—";
  if (typeof value === "object") return Object.values(value).join(", ");
  if (field?.type === "select") {
    const option = (field.options ?? []).find((o) => o.value === value);
    if (option) return pick(option, "label");
  }
  if (field?.type === "date") return formatDate(value);
  if (field?.type === "boolean") return t(value ? "officer.detail.yes" : "officer.detail.no");
  return String(value);
}
