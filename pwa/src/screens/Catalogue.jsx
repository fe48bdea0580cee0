// The procedure catalogue: search (accent-insensitive, works offline from the cached list)
// and one procedure's page: what to bring, fee, time, legal basis, and "apply".
import { useState } from "preact/hooks";
import { allPages, request } from "../lib/api.js";
import { formatMoney, pick, t } from "../lib/i18n.js";
import { matches } from "../lib/text.js";
import { Field, LoadError, Loading, useLoad } from "../lib/ui.jsx";

export function Catalogue() {
  const [query, setQuery] = useState("");
  const { data, error, loading, reload } = useLoad(() => allPages("/procedures"));
  const shown = (data ?? []).filter((p) => !query || matches(`${p.name_vi} ${p.name_en} ${p.sector_vi} ${p.sector_en} ${p.code}`, query));
  return (
    <section>
      <h1>{t("nav.procedures")}</h1>
      <Field label={t("search.label")}>
        {(props) => <input {...props} type="search" value={query} placeholder={t("search.placeholder")} onInput={(e) => setQuery(e.currentTarget.value)} />}
      </Field>
      {loading && !data && <Loading />}
      {error && <LoadError error={error} onRetry={reload} />}
      {data && (
        <>
          <p class="help" role="status">{shown.length ? t("search.count", { n: shown.length }) : t("search.none")}</p>
          <ul class="cards">
            {shown.map((p) => (
              <li key={p.code}>
                <a href={`#/p/${encodeURIComponent(p.code)}`}>
                  <span class="card-title">{pick(p, "name")}</span>
                  <span class="card-meta">
                    {pick(p, "sector")} · {formatMoney(p.fee_vnd)} · {t("procedure.days", { n: p.processing_days })}
                  </span>
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

export function Procedure({ code }) {
  const { data: p, error, reload } = useLoad(() => request(`/procedures/${encodeURIComponent(code)}`), [code]);
  if (error) return <LoadError error={error} onRetry={reload} />;
  if (!p) return <Loading />;
  return (
    <article>
      <h1>{pick(p, "name")}</h1>
      <p>{pick(p, "summary")}</p>
      <dl class="facts">
        <dt>{t("procedure.fee")}</dt>
        <dd>
          {formatMoney(p.fee_vnd)}
          {pick(p, "fee_note") && <p class="help">{pick(p, "fee_note")}</p>}
        </dd>
        <dt>{t("procedure.time")}</dt>
        <dd>{t("procedure.days", { n: p.processing_days })}</dd>
        <dt>{t("procedure.agency")}</dt>
        <dd>{pick(p, "deciding_agency")}</dd>
      </dl>
      {p.service_level === "info" ? (
        <p class="notice warn">{t("procedure.notOnline")}</p>
      ) : (
        <a class="primary" href={`#/p/${encodeURIComponent(p.code)}/apply`}>
          {t("procedure.apply")}
        </a>
      )}
      <h2>{t("procedure.documents")}</h2>
      <ul>
        {p.required_documents.map((d) => (
          <li key={d.code}>
            {pick(d, "name")} {!d.required && t("procedure.optional")}
          </li>
        ))}
      </ul>
      <h2>{t("procedure.bring")}</h2>
      <p>{pick(p, "what_to_bring")}</p>
      <h2>{t("procedure.legal")}</h2>
      <ul>
        {p.legal_basis.map((law) => (
          <li key={law}>{law}</li>
        ))}
      </ul>
    </article>
  );
}
