// One input of a procedure's form, chosen by the field definition's type.
import { pick, t } from "../lib/i18n.js";
import { UnitPicker } from "../lib/units.jsx";
import { Field } from "../lib/ui.jsx";

const INPUT_TYPES = { text: "text", number: "text", date: "date", phone: "tel", citizen_id: "text" };
const INPUT_MODES = { number: "decimal", phone: "tel", citizen_id: "numeric" };

export function FormField({ field, value, error, onChange, onBlur }) {
  const label = pick(field, "label");
  const help = field.help_vi ? pick(field, "help") : null;
  if (field.type === "admin_unit") {
    return (
      <fieldset style="border:0;padding:0;margin:0">
        <legend class="label">{label}</legend>
        <UnitPicker value={value ?? {}} required={field.required} error={error} provinceLabel={`${label}: ${t("profile.province")}`} communeLabel={`${label}: ${t("profile.commune")}`} onChange={onChange} />
      </fieldset>
    );
  }
  if (field.type === "boolean") {
    return (
      <fieldset style="border:0;padding:0;margin:0">
        <legend class="label">{label}</legend>
        <div class="radio">
          {[true, false].map((choice) => (
            <label key={String(choice)}>
              <input type="radio" name={field.name} checked={value === choice} onChange={() => onChange(choice)} onBlur={onBlur} />
              {choice ? t("form.yes") : t("form.no")}
            </label>
          ))}
        </div>
        {help && <p class="help">{help}</p>}
        {error && <p class="error" role="alert">{error}</p>}
      </fieldset>
    );
  }
  return (
    <Field label={label} required={field.required} error={error} help={help}>
      {(props) => {
        const common = { ...props, name: field.name, value: value ?? "", onBlur, onInput: (e) => onChange(e.currentTarget.value) };
        if (field.type === "long_text") return <textarea {...common} rows={4} />;
        if (field.type === "select") {
          return (
            <select {...common} onChange={(e) => onChange(e.currentTarget.value)}>
              <option value="">{t("unit.choose")}</option>
              {field.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {pick(o, "label")}
                </option>
              ))}
            </select>
          );
        }
        return <input {...common} type={INPUT_TYPES[field.type] ?? "text"} inputMode={INPUT_MODES[field.type]} />;
      }}
    </Field>
  );
}
