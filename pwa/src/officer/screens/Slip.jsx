// The receipt slip the citizen takes home: A5, or an 80 mm thermal roll; the receipt code as
// text and as a QR code of the public tracking page, the due date and what to bring back.
import qrcode from "qrcode-generator";
import { useState } from "preact/hooks";
import { LoadError, Loading, useLoad } from "../../lib/ui.jsx";
import { formatDate, pick, t } from "../lib/i18n.js";
import { loadApplication } from "../lib/data.js";
import { kvGet } from "../lib/store.js";

const PAGES = { a5: "@page { size: A5; margin: 12mm; }", thermal: "@page { size: 80mm 200mm; margin: 3mm; }" };

export function trackingQr(code) {
  const qr = qrcode(0, "M");
  qr.addData(`${location.origin}/#/track/${code}`);
  qr.make();
  return qr.createSvgTag({ cellSize: 4, margin: 2, scalable: true, alt: { text: t("officer.slip.qrAlt", { code }) } });
}

export function Slip({ id }) {
  const [format, setFormat] = useState("a5");
  const loaded = useLoad(async () => ({ ...(await loadApplication(id)), unit: (await kvGet("reference"))?.unit }), [id]);
  if (loaded.loading && !loaded.data) return <Loading />;
  if (loaded.error) return <LoadError error={loaded.error} onRetry={loaded.reload} />;
  const { application: a, unit } = loaded.data;
  const unitName = a.unit_name_vi ?? unit?.name_vi ?? "";
  return (
    <>
      <style>{PAGES[format]}</style>
      <div class="no-print slip-tools">
        <p>
          <a href={`#/officer/a/${id}`}>{t("officer.back")}</a>
        </p>
        <fieldset class="radio">
          <legend class="label">{t("officer.slip.format")}</legend>
          {["a5", "thermal"].map((f) => (
            <label key={f}>
              <input type="radio" name="format" checked={format === f} onChange={() => setFormat(f)} /> {t(`officer.slip.${f}`)}
            </label>
          ))}
        </fieldset>
        <button type="button" class="primary" onClick={() => window.print()}>
          {t("officer.slip.print")}
        </button>
      </div>
      <article class={`slip slip-${format}`} aria-labelledby="slip-title">
        <p class="slip-unit">{unitName}</p>
        <h1 id="slip-title">{t("officer.slip.title")}</h1>
        <p class="slip-code" data-testid="slip-code">
          {a.receipt_code}
        </p>
        <div class="slip-qr" dangerouslySetInnerHTML={{ __html: trackingQr(a.receipt_code) }} />
        <dl class="facts">
          <dt>{t("officer.slip.procedure")}</dt>
          <dd>{pick(a, "procedure_name")}</dd>
          <dt>{t("officer.slip.applicant")}</dt>
          <dd>{a.applicant?.full_name}</dd>
          <dt>{t("officer.slip.received")}</dt>
          <dd>{formatDate(a.received_on ?? a.submitted_at)}</dd>
          <dt>{t("officer.slip.due")}</dt>
          <dd>{a.due_date ? formatDate(a.due_date) : t("officer.slip.dueLater")}</dd>
          <dt>{t("officer.slip.bring")}</dt>
          <dd>{t("officer.slip.bringText")}</dd>
        </dl>
        <p class="slip-track">{t("officer.slip.track", { url: `${location.host}/#/track` })}</p>
      </article>
    </>
  );
}
