// The sync indicator (last sync, items waiting, upload progress, problems) and the sync
// screen: prepare for offline, sync now, and the conflicts the officer resolves.
import { useEffect, useState } from "preact/hooks";
import { Notice } from "../../lib/ui.jsx";
import { statusText, t } from "../lib/i18n.js";
import { inForce, until } from "../lib/leases.js";
import { getAll, put, remove } from "../lib/store.js";
import { LEASE_HOURS, enqueue, onSyncChange, prepare, syncNow, syncStatus } from "../lib/sync.js";

export function useSyncStatus() {
  const [status, setStatus] = useState(null);
  useEffect(() => {
    let live = true;
    const refresh = () => syncStatus().then((s) => live && setStatus(s));
    refresh();
    const off = onSyncChange(refresh);
    const tick = setInterval(refresh, 5000);
    window.addEventListener("online", refresh);
    window.addEventListener("offline", refresh);
    return () => {
      live = false;
      off();
      clearInterval(tick);
      window.removeEventListener("online", refresh);
      window.removeEventListener("offline", refresh);
    };
  }, []);
  return status;
}

const time = (iso) => (iso ? new Date(iso).toLocaleString() : null);

export function SyncIndicator() {
  const s = useSyncStatus();
  if (!s) return null;
  const parts = [
    navigator.onLine ? t("officer.sync.online") : t("officer.sync.offline"),
    s.lastSync ? t("officer.sync.last", { time: time(s.lastSync) }) : t("officer.sync.never"),
    t("officer.sync.waiting", { n: s.waiting }),
  ];
  if (s.conflicts) parts.push(t("officer.sync.conflicts", { n: s.conflicts }));
  if (s.phase === "syncing") parts.push(t("officer.sync.syncing"));
  if (s.progress) parts.push(t("officer.sync.upload", { pct: Math.round(s.progress.fraction * 100) }));
  if (s.problem) parts.push(t(`officer.sync.problem.${s.problem}`));
  return (
    <p class={`sync-bar no-print ${navigator.onLine ? "" : "is-offline"}`} role="status" data-testid="sync-indicator">
      <a href="#/officer/sync">{parts.join(" · ")}</a>
    </p>
  );
}

/** The refusal in words: the field messages when the server listed them, else its detail. */
function problemText(problem) {
  const fields = (problem?.errors ?? []).map((e) => e.message).filter(Boolean);
  return fields.length ? fields.join("; ") : (problem?.detail ?? problem?.title ?? "");
}

/** What the conflict says: a colleague's lease (holder and end), another change first, or a
 * refusal with its reason. */
const leaseOf = ({ current, problem }) => (problem?.type?.endsWith("/application-leased") ? (problem.lease ?? current?.lease) : null);

function conflictText({ current, problem, outcome }) {
  const lease = leaseOf({ current, problem });
  if (lease) return t("officer.conflict.leased", { name: lease.holder_name, until: until(lease.expires_at) });
  if (outcome === "conflict") return t("officer.conflict.changed", { status: current ? statusText(current.status) : "" });
  return t("officer.conflict.rejected", { reason: problemText(problem) });
}

function Conflict({ item, onResolved }) {
  const { entry, current } = item;
  const action = entry.command.payload.action;
  async function takeTheirs() {
    await remove("conflicts", item.command_id);
    onResolved();
  }
  async function reapply() {
    // A new command taken now, on this device: its own id, time, chain and origin.
    const { command_id, depends_on, device_time, base_version, origin_device_id, ...rest } = entry.command;
    await enqueue({ ...rest, base_version: current.version }, { appKey: entry.appKey, uploads: [], summary: entry.summary });
    await remove("conflicts", item.command_id);
    if (current) await put("apps", current);
    syncNow();
    onResolved();
  }
  return (
    <li class="conflict">
      <p>
        <strong>{action ? t(`officer.action.${action}`) : t(`officer.command.${entry.command.type}`)}</strong> · {entry.summary?.receipt_code ?? ""}
      </p>
      <p>{conflictText(item)}</p>
      <div class="row">
        <button type="button" class="secondary" onClick={takeTheirs}>
          {t("officer.conflict.theirs")}
        </button>
        {/* Re-applying while a colleague's hold lasts would only be refused again. */}
        {(action || entry.command.type === "set_new_due_date") && current && !inForce(leaseOf(item)) && (
          <button type="button" class="secondary" onClick={reapply}>
            {t("officer.conflict.mine")}
          </button>
        )}
      </div>
    </li>
  );
}

export function SyncScreen() {
  const s = useSyncStatus();
  const [conflicts, setConflicts] = useState([]);
  const [message, setMessage] = useState(null);
  const [busy, setBusy] = useState(false);
  const [holdMine, setHoldMine] = useState(false);
  const reload = () => getAll("conflicts").then(setConflicts);
  useEffect(() => {
    reload();
    return onSyncChange(reload);
  }, []);

  async function doPrepare() {
    setBusy(true);
    setMessage(null);
    try {
      const { held } = await prepare({ holdMine });
      setMessage({ kind: "ok", text: holdMine ? `${t("officer.sync.prepared")} ${t("officer.sync.heldCount", { n: held })}` : t("officer.sync.prepared") });
    } catch (e) {
      setMessage({ kind: "bad", text: e.message || t("common.error") });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h1>{t("officer.sync.title")}</h1>
      <p>{t("officer.sync.intro")}</p>
      {s && (
        <dl class="facts">
          <dt>{t("officer.sync.device")}</dt>
          <dd>{s.device?.revoked ? t("officer.sync.revoked") : s.device?.registered ? s.device.label : t("officer.sync.notPrepared")}</dd>
          <dt>{t("officer.sync.fresh")}</dt>
          <dd>{time(s.lastSync) ?? t("officer.sync.never")}</dd>
          <dt>{t("officer.sync.codes")}</dt>
          <dd>{s.codesLeft}</dd>
          <dt>{t("officer.sync.outbox")}</dt>
          <dd>{s.waiting}</dd>
        </dl>
      )}
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <label class="check">
        <input type="checkbox" checked={holdMine} aria-describedby="hold-mine-help" onChange={(e) => setHoldMine(e.currentTarget.checked)} />
        {t("officer.sync.holdMine", { hours: LEASE_HOURS })}
      </label>
      <p class="help" id="hold-mine-help">
        {t("officer.sync.holdMineHelp", { hours: LEASE_HOURS })}
      </p>
      <button type="button" class="primary" disabled={busy} onClick={doPrepare}>
        {t("officer.sync.prepare")}
      </button>
      <button type="button" class="secondary" onClick={() => syncNow()}>
        {t("officer.sync.now")}
      </button>
      <h2>{t("officer.conflict.title")}</h2>
      {!conflicts.length && <p>{t("officer.conflict.none")}</p>}
      <ul class="cards conflicts">
        {conflicts.map((item) => (
          <Conflict key={item.command_id} item={item} onResolved={reload} />
        ))}
      </ul>
    </>
  );
}
