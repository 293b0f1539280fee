// One person as the caller may see it: a header with its name (the fullest one)
// and facts, the facts with where each came from, the records of every agency side
// by side, a timeline of reports and incidents,
// and for each link why the two records were taken for the same person. A person
// that does not exist or lies outside the caller's scope gets one plain sentence.
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { ApiError, getJson } from "../api";
import type { PersonDetail } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLoad } from "../components/useLoad";
import { RecordCompare } from "../components/RecordCompare";
import { PersonFactsTable } from "../components/PersonFacts";
import { Waterfall } from "../components/Waterfall";
import {
  formatDate,
  fullestName,
  sexText,
  useAgencyName,
  useRecordValueFormatter,
  useRegionNames,
} from "../components/names";
import { formatNumber } from "../i18n";
import "./Persons.css";

export default function Person() {
  const { t } = useTranslation("persons");
  const { id = "" } = useParams();
  const valid = /^\d{1,15}$/.test(id);
  const { data, error, loading } = useLoad<PersonDetail | null>(
    (signal) =>
      valid
        ? getJson<PersonDetail>(`/api/v1/persons/${id}`, undefined, signal)
        : Promise.resolve(null),
    [id],
  );

  const back = (
    <p className="back">
      <Link to="/orang">← {t("person.back")}</Link>
    </p>
  );
  if (loading)
    return (
      <section>
        {back}
        <p className="loading" role="status">
          {t("common:loading")}
        </p>
      </section>
    );
  const notFound = !valid || (error instanceof ApiError && error.status === 404);
  if (notFound || !data)
    return (
      <section>
        {back}
        <h1>{t("person.notFoundTitle")}</h1>
        {notFound || !error ? (
          <div className="error" role="alert">
            <p>{t("common:errors.not_found")}</p>
          </div>
        ) : (
          <ErrorMessage error={error} />
        )}
      </section>
    );
  return (
    <section className="person">
      {back}
      <PersonView person={data} />
    </section>
  );
}

function PersonView({ person }: { person: PersonDetail }) {
  const { t } = useTranslation("persons");
  const agencyName = useAgencyName();
  const records = person.records;
  const header = useMemo(() => {
    const fact = (field: string) => person.facts.fields.find((f) => f.field === field)?.value ?? "";
    return {
      name: fullestName(records),
      sex: fact("sex"),
      birthDate: fact("birth_date"),
      origin: fact("origin_region"),
      agencies: [...new Set(records.map((r) => r.agency))],
    };
  }, [records, person.facts]);
  const regions = useRegionNames(header.origin ? [header.origin] : []);
  const formatValue = useRecordValueFormatter(records);
  const byKey = useMemo(
    () => new Map(records.map((r) => [`${r.agency}/${r.record_id}`, r])),
    [records],
  );
  const describe = (key: string) => {
    const r = byKey.get(key);
    if (!r) return key;
    return t("person.recordOf", { agency: agencyName(r.agency), record: r.record_id });
  };

  return (
    <>
      <header className="person-head">
        <h1>{header.name || t("noName")}</h1>
        <dl className="facts">
          <div>
            <dt>{t("col.sex")}</dt>
            <dd>{sexText(t, header.sex)}</dd>
          </div>
          <div>
            <dt>{t("col.birthDate")}</dt>
            <dd>{header.birthDate ? formatDate(header.birthDate) : t("common:unknown")}</dd>
          </div>
          <div>
            <dt>{t("col.origin")}</dt>
            <dd>
              {header.origin ? (regions[header.origin] ?? header.origin) : t("common:unknown")}
            </dd>
          </div>
          <div>
            <dt>{t("person.seenBy")}</dt>
            <dd>
              {t("person.recordsAt", {
                records: t("person.recordCount", { count: records.length }),
                agencies: t("person.agencyCount", { count: header.agencies.length }),
              })}
            </dd>
          </div>
        </dl>
        <p className="small person-id">{t("person.id", { id: person.person_id })}</p>
      </header>

      <section aria-labelledby="facts-h">
        <h2 id="facts-h">{t("facts.title")}</h2>
        <p className="small">{t("facts.hint")}</p>
        <PersonFactsTable facts={person.facts} caption={t("facts.title")} agencyName={agencyName} />
      </section>

      <section aria-labelledby="records-h">
        <h2 id="records-h">{t("person.records")}</h2>
        <p className="small">{t("person.recordsHint")}</p>
        <RecordCompare
          records={records}
          caption={t("person.records")}
          agencyName={agencyName}
          formatValue={formatValue}
        />
      </section>

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t("person.timeline")}</h2>
        {person.timeline.length === 0 ? (
          <p>{t("person.noTimeline")}</p>
        ) : (
          <ol className="timeline">
            {person.timeline.map((e, i) => (
              <li key={i} className={`kind-${e.kind}`}>
                <time dateTime={e.date}>{formatDate(e.date)}</time>
                <span className="what">
                  <strong>{t(`kind.${e.kind}`, { defaultValue: e.kind })}</strong>
                  {" — "}
                  {agencyName(e.agency)}
                </span>
                <span className="small">{e.record_id}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="links-h">
        <h2 id="links-h">{t("person.links")}</h2>
        {person.links.length === 0 ? (
          <p>{t("person.noLinks")}</p>
        ) : (
          <>
            <p className="small">{t("person.linksHint")}</p>
            <div className="links">
              {person.links.map((l, i) => {
                const e = l.explanation;
                return (
                  <article className="card link-card" key={i} aria-labelledby={`link-${i}`}>
                    <h3 id={`link-${i}`}>
                      {t("person.linkTitle", { n: i + 1 })}
                    </h3>
                    <p className="pair">
                      <span>{describe(e.id_l)}</span>
                      <span aria-hidden="true"> ↔ </span>
                      <span className="sr-only">{t("person.and")}</span>
                      <span>{describe(e.id_r)}</span>
                    </p>
                    <p className="probability">
                      {t("person.probability", {
                        probability: formatNumber(e.probability * 100, 1),
                      })}
                    </p>
                    <Waterfall explanation={e} />
                  </article>
                );
              })}
            </div>
          </>
        )}
      </section>
    </>
  );
}
