// A person's facts (sex, birth date, origin, nationality, NIK, age) as gugus counts
// them, each with how it was chosen and every record's value beside it, so that a
// reader sees where a number comes from and which agency wrote what. Rows whose
// records disagree are marked with colour and a text label.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { FactField, PersonFacts } from "../api";
import { formatDate, sexText, useRegionNames } from "./names";

export function PersonFactsTable({
  facts,
  caption,
  agencyName,
  only,
}: {
  facts: PersonFacts;
  caption: string;
  agencyName: (code: string) => string;
  only?: FactField[]; // show these fields alone (the disagreement list)
}) {
  const { t } = useTranslation("persons");
  const fields = facts.fields.filter((f) => !only || only.includes(f.field));
  const regions = useRegionNames(
    fields
      .filter((f) => f.field === "origin_region")
      .flatMap((f) => [f.value ?? "", ...f.sources.map((s) => s.value)]),
  );
  const show = (field: FactField, value: string | null): ReactNode => {
    if (!value) return t("common:unknown");
    if (field === "sex") return sexText(t, value);
    if (field === "birth_date") return formatDate(value);
    if (field === "origin_region") {
      const name = regions[value];
      return name && name !== value ? `${name} (${value})` : value;
    }
    return value;
  };
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="facts-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("facts.field")}</th>
            <th scope="col">{t("facts.value")}</th>
            <th scope="col">{t("facts.how")}</th>
            <th scope="col">{t("facts.sources")}</th>
          </tr>
        </thead>
        <tbody>
          {fields.map((f) => (
            <tr key={f.field} className={f.disagreement ? "diff" : undefined}>
              <th scope="row">{t(`common:recordFields.${f.field}`)}</th>
              <td>
                {show(f.field, f.value)}
                {f.disagreement && <span className="state-label">{t("facts.disagree")}</span>}
              </td>
              <td>{t(`facts.rule.${f.rule}`)}</td>
              <td>
                {f.sources.length === 0 ? (
                  t("facts.noSource")
                ) : (
                  <ul className="sources">
                    {f.sources.map((s) => (
                      <li key={s.source_record_id}>
                        {agencyName(s.agency)} <span className="small">({s.record_id})</span>:{" "}
                        <strong>{show(f.field, s.value)}</strong>
                        {s.from_nik && <span className="small"> — {t("facts.fromNik")}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
          {!only && (
            <tr>
              <th scope="row">{t("facts.age")}</th>
              <td>{facts.age === null ? t("common:unknown") : t("facts.years", { age: facts.age })}</td>
              <td colSpan={2}>{t("facts.ageHow")}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
