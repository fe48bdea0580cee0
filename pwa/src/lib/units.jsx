// Province → commune pickers, from the API (cached by the service worker for offline use).
import { request } from "./api.js";
import { pick, t } from "./i18n.js";
import { Field, useLoad } from "./ui.jsx";

export function UnitPicker({ value = {}, onChange, required, error, provinceLabel, communeLabel }) {
  const provinces = useLoad(() => request("/provinces/"), []);
  const province = value.province_code || "";
  const communes = useLoad(() => (province ? request(`/provinces/${province}/communes`) : Promise.resolve(null)), [province]);
  return (
    <>
      <Field label={provinceLabel} required={required} error={error && !province ? error : null}>
        {(props) => (
          <select {...props} value={province} onChange={(e) => onChange({ province_code: e.currentTarget.value, commune_code: "" })}>
            <option value="">{t("unit.choose")}</option>
            {(provinces.data?.items ?? []).map((u) => (
              <option key={u.code} value={u.code}>
                {pick(u, "full_name")}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={communeLabel} required={required} error={error && province ? error : null}>
        {(props) => (
          <select {...props} value={value.commune_code || ""} disabled={!province} onChange={(e) => onChange({ province_code: province, commune_code: e.currentTarget.value })}>
            <option value="">{t("unit.choose")}</option>
            {(communes.data?.items ?? []).map((u) => (
              <option key={u.code} value={u.code}>
                {pick(u, "full_name")}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}
