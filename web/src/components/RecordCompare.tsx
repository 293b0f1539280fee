// Source records side by side, one column per record and one row per field of the
// interchange format that any of them fills; rows whose values differ are marked
// (colour and a text label, not colour alone). formatValue shows a value as the reader
// wants it (names for codes); the marking always compares the values as recorded.
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { SourceRecord } from "../api";

// The interchange fields in the order of SPEC section 5.
export const RECORD_FIELDS = [
  "name",
  "nik",
  "sex",
  "birth_date",
  "age",
  "birth_place",
  "origin_region",
  "address",
  "phone",
  "nationality",
  "report_date",
  "case_ref",
  "incident_date",
  "exploitation",
  "recruitment",
  "destination",
  "suspects",
  "notes",
] as const;

function normalise(v: string | undefined): string {
  return (v ?? "").trim().toLocaleLowerCase("id");
}

export type RowState = "same" | "diff" | "single";

export function rowState(values: (string | undefined)[]): RowState {
  const filled = values.map(normalise).filter((v) => v !== "");
  if (filled.length < 2) return "single";
  return filled.every((v) => v === filled[0]) ? "same" : "diff";
}

export function RecordCompare({
  records,
  caption,
  agencyName,
  formatValue,
}: {
  records: SourceRecord[];
  caption: string;
  agencyName?: (code: string) => string;
  formatValue?: (field: string, value: string) => ReactNode;
}) {
  const { t } = useTranslation("explain");
  const rows = RECORD_FIELDS.filter((f) => records.some((r) => (r.parsed[f] ?? "") !== ""));
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="compare">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("field")}</th>
            {records.map((r) => (
              <th scope="col" key={`${r.agency}/${r.record_id}`}>
                <span className="agency">{agencyName ? agencyName(r.agency) : r.agency}</span>
                <br />
                <span className="small">{r.record_id}</span>
              </th>
            ))}
            {records.length > 1 && <th scope="col">{t("comparisonColumn")}</th>}
          </tr>
        </thead>
        <tbody>
          {rows.map((f) => {
            const values = records.map((r) => r.parsed[f]);
            const state = rowState(values);
            return (
              <tr key={f} className={records.length > 1 ? state : undefined}>
                <th scope="row">{t(`common:recordFields.${f}`, { defaultValue: f })}</th>
                {values.map((v, i) => (
                  <td key={i}>
                    {v && v !== "" ? (
                      formatValue ? formatValue(f, v) : v
                    ) : (
                      <span className="small">—</span>
                    )}
                  </td>
                ))}
                {records.length > 1 && <td className="state">{t(`rowState.${state}`)}</td>}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
