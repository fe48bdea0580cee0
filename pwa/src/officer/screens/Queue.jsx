// The unit's work queue, most urgent first: SLA colour and working days left, filters by
// status, procedure and SLA (kept in the URL, so the back key returns to the same view).
import { session } from "../../lib/api.js";
import { LoadError, Loading, useLoad } from "../../lib/ui.jsx";
import { formatDate, pick, statusText, t } from "../lib/i18n.js";
import { loadQueue } from "../lib/data.js";
import { leaseText } from "../lib/leases.js";

const STATUSES = ["submitted", "received", "processing", "supplement_requested", "approved", "result_issued", "returned", "rejected", "completed", "withdrawn"];
const SLAS = ["overdue", "due_soon", "on_track"];

export function SlaBadge({ sla, left }) {
  if (!sla) return null;
  const text = left < 0 ? t("officer.sla.overdueBy", { n: -left }) : t("officer.sla.left", { n: left });
  return (
    <span class={`sla sla-${sla}`}>
      {t(`officer.sla.${sla}`)} · {text}
    </span>
  );
}

export function Queue({ query }) {
  const status = query.get("status") ?? "";
  const sla = query.get("sla") ?? "";
  const procedure = query.get("procedure") ?? "";
  const queue = useLoad(async () => ({ ...(await loadQueue({ status, sla })), me: (await session())?.accountId }), [status, sla]);

  function setFilter(name, value) {
    const next = new URLSearchParams(query);
    if (value) next.set(name, value);
    else next.delete(name);
    location.replace(`#/officer?${next}`);
  }

  const items = queue.data?.items ?? [];
  const procedures = [...new Map(items.map((i) => [i.procedure_code, i])).values()];
  const shown = procedure ? items.filter((i) => i.procedure_code === procedure) : items;
  return (
    <>
      <h1>{t("officer.queue.title")}</h1>
      <div class="filters">
        <label>
          {t("officer.queue.status")}
          <select value={status} onChange={(e) => setFilter("status", e.currentTarget.value)}>
            <option value="">{t("officer.queue.open")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusText(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("officer.queue.procedure")}
          <select value={procedure} onChange={(e) => setFilter("procedure", e.currentTarget.value)}>
            <option value="">{t("officer.queue.all")}</option>
            {procedures.map((p) => (
              <option key={p.procedure_code} value={p.procedure_code}>
                {pick(p, "procedure_name")}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("officer.queue.sla")}
          <select value={sla} onChange={(e) => setFilter("sla", e.currentTarget.value)}>
            <option value="">{t("officer.queue.all")}</option>
            {SLAS.map((s) => (
              <option key={s} value={s}>
                {t(`officer.sla.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {queue.data?.offline && <p class="help">{t("officer.queue.local")}</p>}
      {queue.loading && !queue.data && <Loading />}
      {queue.error && <LoadError error={queue.error} onRetry={queue.reload} />}
      {queue.data && (
        <>
          <p role="status">{t("officer.queue.count", { n: shown.length })}</p>
          <ul class="cards queue">
            {shown.map((item) => (
              <li key={item.id} class={item.sla ? `edge-${item.sla}` : undefined}>
                <a href={`#/officer/a/${item.id}`}>
                  <span class="card-title">{pick(item, "procedure_name")}</span>
                  <span class="card-meta">
                    {item.receipt_code ?? t("officer.noCode")} · {item.applicant_name_masked} · <span class="status">{statusText(item.status)}</span>
                    {item.local && <> · {t("officer.waiting")}</>}
                  </span>
                  <span class="card-meta">
                    {item.due_date && <>{t("officer.due", { date: formatDate(item.due_date) })} </>}
                    <SlaBadge sla={item.sla} left={item.working_days_left} />
                  </span>
                  {leaseText(item.lease, queue.data.me) && (
                    <span class="card-meta lease-meta" data-testid="queue-lease">
                      {leaseText(item.lease, queue.data.me)}
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
