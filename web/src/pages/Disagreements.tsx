// The secretariat's work list of records that disagree: persons whose records give
// different sexes, birth dates, origins or NIKs, the most recently reported first,
// each with the facts gugus counts, every record's value and the records side by
// side, so that the agencies can be asked to correct theirs.
import { useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { getJson } from "../api";
import type { DisagreementItem, DisagreementPage } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { PersonFactsTable } from "../components/PersonFacts";
import { RecordCompare } from "../components/RecordCompare";
import { fullestName, useAgencyName, useRecordValueFormatter } from "../components/names";
import { useLoad } from "../components/useLoad";
import { formatNumber } from "../i18n";
import "./Persons.css";

const PAGE = 10;

export default function Disagreements() {
  const { t } = useTranslation("persons");
  const [offset, setOffset] = useState(0);
  const { data, error, loading } = useLoad<DisagreementPage>(
    (signal) =>
      getJson<DisagreementPage>(
        "/api/v1/disagreements",
        { limit: String(PAGE), offset: String(offset) },
        signal,
      ),
    [offset],
  );
  const total = data?.total ?? 0;
  const pager = data && total > PAGE && (
    <nav className="pager" aria-label={t("disagreements.pages")}>
      <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
        {t("disagreements.previous")}
      </button>
      <span>
        {t("disagreements.range", {
          from: formatNumber(offset + 1),
          to: formatNumber(Math.min(offset + PAGE, total)),
          total: formatNumber(total),
        })}
      </span>
      <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
        {t("disagreements.next")}
      </button>
    </nav>
  );
  return (
    <section className="disagreements">
      <h1>{t("disagreements.title")}</h1>
      <p className="intro">{t("disagreements.intro")}</p>
      {loading && (
        <p className="loading" role="status">
          {t("common:loading")}
        </p>
      )}
      {error != null && <ErrorMessage error={error} />}
      {data && !loading && (
        <>
          <p className="count" role="status">
            {total === 0
              ? t("disagreements.none")
              : t("disagreements.count", { count: total, formatted: formatNumber(total) })}
          </p>
          {pager}
          {data.persons.map((p) => (
            <DisagreementCard key={p.person_id} item={p} />
          ))}
          {pager}
        </>
      )}
    </section>
  );
}

function DisagreementCard({ item }: { item: DisagreementItem }) {
  const { t } = useTranslation("persons");
  const agencyName = useAgencyName();
  const formatValue = useRecordValueFormatter(item.records);
  const name = fullestName(item.records) || t("noName");
  const fields = item.fields.map((f) => t(`common:recordFields.${f}`)).join(", ");
  return (
    <article className="card disagreement" aria-labelledby={`d-${item.person_id}`}>
      <h2 id={`d-${item.person_id}`}>
        <Link to={`/orang/${item.person_id}`}>{name}</Link>
      </h2>
      <p>
        {t("disagreements.differ", { fields })}{" "}
        <span className="small">
          {t("person.recordCount", { count: item.records.length })} ·{" "}
          {t("person.id", { id: item.person_id })}
        </span>
      </p>
      <PersonFactsTable
        facts={item.facts}
        only={item.fields}
        caption={t("disagreements.factsOf", { name })}
        agencyName={agencyName}
      />
      <details>
        <summary>{t("disagreements.records")}</summary>
        <RecordCompare
          records={item.records}
          caption={t("disagreements.recordsOf", { name })}
          agencyName={agencyName}
          formatValue={formatValue}
        />
      </details>
    </article>
  );
}
