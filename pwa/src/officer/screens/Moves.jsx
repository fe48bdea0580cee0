// The moves an officer may take now. Each opens its own small form with what the move needs:
// a reason (return, reject), the complete list of missing documents at once (supplement: "one
// complete request"), a new date and the apology (late file), the result file (issue).
import { useState } from "preact/hooks";
import { ApiError } from "../../lib/api.js";
import { Field, Notice, useLoad } from "../../lib/ui.jsx";
import { pick, t } from "../lib/i18n.js";
import { loadProcedure, move } from "../lib/data.js";
import { until } from "../lib/leases.js";
import { STAFF_MOVES, offered } from "../lib/moves.js";

function SupplementList({ procedureCode, picked, onChange }) {
  const procedure = useLoad(() => loadProcedure(procedureCode), [procedureCode]);
  const documents = procedure.data?.required_documents ?? [];
  return (
    <fieldset class="missing">
      <legend class="label">{t("officer.move.missingLegend")}</legend>
      <p class="help">{t("officer.move.missingHelp")}</p>
      {documents.map((d) => {
        const on = d.code in picked;
        return (
          <div key={d.code} class="missing-doc">
            <label class="check">
              <input
                type="checkbox"
                checked={on}
                onChange={() => {
                  const next = { ...picked };
                  if (on) delete next[d.code];
                  else next[d.code] = "";
                  onChange(next);
                }}
              />
              {pick(d, "name")}
            </label>
            {on && (
              <Field label={t("officer.move.missingReason", { name: pick(d, "name") })} required>
                {(props) => <input {...props} value={picked[d.code]} onInput={(e) => onChange({ ...picked, [d.code]: e.currentTarget.value })} />}
              </Field>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}

function MoveForm({ application, action, onDone, onCancel }) {
  const rule = STAFF_MOVES[action];
  const [note, setNote] = useState("");
  const [picked, setPicked] = useState({});
  const [allListed, setAllListed] = useState(false);
  const [newDue, setNewDue] = useState("");
  const [file, setFile] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const hasResult = application.documents?.some((d) => d.kind === "result" && (d.status === "stored" || (application.local && d.status === "pending")));

  async function submit(event) {
    event.preventDefault();
    setError(null);
    const missing = Object.entries(picked).map(([requirement, reason]) => ({ requirement, reason: reason.trim() }));
    if (rule.note && !note.trim()) return setError(t(`officer.move.noteRequired.${action}`));
    if (rule.missing && (!missing.length || missing.some((m) => !m.reason))) return setError(t("officer.move.missingRequired"));
    if (rule.missing && !allListed) return setError(t("officer.move.allListedRequired"));
    if (rule.newDueDate && !newDue) return setError(t("officer.move.newDueRequired"));
    if (rule.result && !hasResult && !file) return setError(t("officer.move.resultRequired"));
    setBusy(true);
    try {
      const outcome = await move(application, action, {
        note: note.trim() || undefined,
        missing_documents: rule.missing ? missing : undefined,
        new_due_date: newDue || undefined,
        result: rule.result && !hasResult ? file : undefined,
      });
      onDone(outcome);
    } catch (e) {
      setError(refusal(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="move-form" onSubmit={submit} noValidate>
      <h3>{t(`officer.action.${action}`)}</h3>
      {rule.missing && <SupplementList procedureCode={application.procedure_code} picked={picked} onChange={setPicked} />}
      {rule.missing && (
        <label class="check">
          <input type="checkbox" checked={allListed} onChange={(e) => setAllListed(e.currentTarget.checked)} />
          {t("officer.move.allListed", { n: Object.keys(picked).length })}
        </label>
      )}
      {rule.newDueDate && (
        <Field label={t("officer.move.newDue")} required>
          {(props) => <input {...props} type="date" value={newDue} onInput={(e) => setNewDue(e.currentTarget.value)} />}
        </Field>
      )}
      {rule.result && !hasResult && (
        <Field label={t("officer.move.resultFile")} required>
          {(props) => <input {...props} type="file" accept="image/*,application/pdf" onChange={(e) => setFile(e.currentTarget.files[0] ?? null)} />}
        </Field>
      )}
      {rule.note && (
        <Field label={t(`officer.move.noteLabel.${action}`)} required>
          {(props) => <textarea {...props} rows="3" value={note} onInput={(e) => setNote(e.currentTarget.value)} />}
        </Field>
      )}
      {error && <Notice kind="bad">{error}</Notice>}
      <div class="row">
        <button class="primary" type="submit" disabled={busy}>
          {t("officer.move.confirm", { action: t(`officer.action.${action}`) })}
        </button>
        <button class="secondary" type="button" onClick={onCancel}>
          {t("officer.move.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Why the server refused an online move, in the officer's words: a colleague's lease names
 * the holder and its end (the body carries `lease`). */
function refusal(e) {
  if (e instanceof ApiError && e.slug === "version-conflict") return t("officer.move.conflict");
  if (e instanceof ApiError && e.slug === "application-leased" && e.problem.lease) return t("officer.move.leased", { name: e.problem.lease.holder_name, until: until(e.problem.lease.expires_at) });
  return e.message || t("common.error");
}

/** The moves open now; `heldBy` (a colleague's lease in force, seen online) disables them and
 * says why: the server would refuse them. */
export function Moves({ application, online, heldBy, onMoved }) {
  const [open, setOpen] = useState(null);
  const [done, setDone] = useState(null);
  const actions = offered(application, online);
  return (
    <section aria-labelledby="moves-title">
      <h2 id="moves-title">{t("officer.moves.title")}</h2>
      {done && <Notice>{done}</Notice>}
      {!actions.length && <p>{t("officer.moves.none")}</p>}
      {heldBy && actions.length > 0 && (
        <p class="help" id="moves-held" data-testid="moves-held">
          {t("officer.moves.held", { name: heldBy.holder_name, until: until(heldBy.expires_at) })}
        </p>
      )}
      {!open && (
        <div class="actions">
          {actions.map((action) => (
            <button key={action} type="button" class="secondary" disabled={!!heldBy} aria-describedby={heldBy ? "moves-held" : undefined} onClick={() => setOpen(action)}>
              {t(`officer.action.${action}`)}
            </button>
          ))}
        </div>
      )}
      {open && (
        <MoveForm
          application={application}
          action={open}
          onCancel={() => setOpen(null)}
          onDone={(outcome) => {
            setDone(outcome.queued ? t("officer.moves.queued") : t("officer.moves.done", { action: t(`officer.action.${open}`) }));
            setOpen(null);
            onMoved();
          }}
        />
      )}
    </section>
  );
}
