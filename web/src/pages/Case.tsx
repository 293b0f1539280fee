// One case as the caller may see it: its furthest stage, dates and how long the steps
// took; the case numbers of each agency; one timeline across police, prosecutor and
// court (each event in the lane of its part of law enforcement); the suspects with
// the names each agency wrote; the victim records; and restitution claimed, ordered
// and paid. A case that does not exist or lies outside the caller's scope gets the
// same plain sentence as a person.
import { useMemo } from "react";
import { Link, useParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { ApiError, getJson } from "../api";
import type { CaseDetail, CaseEvent, CaseSuspect } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLoad } from "../components/useLoad";
import {
  AREAS,
  StageBadge,
  VerdictBadge,
  areaName,
  areaOf,
  daysText,
  roleText,
  sentenceText,
} from "../components/Stage";
import { formatDate, fullestName, useAgencyName } from "../components/names";
import { formatNumber, formatRupiah } from "../i18n";
import "./Persons.css";
import "./Justice.css";

export default function Case() {
  const { t } = useTranslation("justice");
  const { id = "" } = useParams();
  const valid = /^\d{1,15}$/.test(id);
  const { data, error, loading } = useLoad<CaseDetail | null>(
    (signal) =>
      valid ? getJson<CaseDetail>(`/api/v1/cases/${id}`, undefined, signal) : Promise.resolve(null),
    [id],
  );

  const back = (
    <p className="back">
      <Link to="/perkara">← {t("case.back")}</Link>
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
        <h1>{t("case.notFoundTitle")}</h1>
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
    <section className="person case">
      {back}
      <CaseView c={data} />
    </section>
  );
}

function Duration({ label, days }: { label: string; days: number | null }) {
  const { t } = useTranslation("justice");
  return (
    <div>
      <dt>{label}</dt>
      <dd>{days === null ? <span className="muted">{t("case.notYet")}</span> : daysText(t, days)}</dd>
    </div>
  );
}

function CaseView({ c }: { c: CaseDetail }) {
  const { t } = useTranslation("justice");
  const agencyName = useAgencyName();
  const d = c.durations ?? { report_to_p21_days: null, p21_to_verdict_days: null, report_to_verdict_days: null };

  return (
    <>
      <header className={`person-head case-head area-${areaOf(c.stage)}`}>
        <h1>
          {t("case.title", { id: c.case_id })}{" "}
          <span className={`case-state ${c.closed ? "closed" : "open"}`}>
            {c.closed ? t("closed") : t("open")}
          </span>
        </h1>
        <dl className="facts">
          <div>
            <dt>{t("case.stage")}</dt>
            <dd>
              <StageBadge stage={c.stage} />
            </dd>
          </div>
          <div>
            <dt>{t("case.first")}</dt>
            <dd>
              <time dateTime={c.first_event}>{formatDate(c.first_event)}</time>
            </dd>
          </div>
          <div>
            <dt>{t("case.last")}</dt>
            <dd>
              <time dateTime={c.last_event}>{formatDate(c.last_event)}</time>
              {!c.closed && c.days_since_last_event !== null && (
                <span className="small block">
                  {t("case.idle", { days: daysText(t, c.days_since_last_event) })}
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>{t("case.p19")}</dt>
            <dd className={c.p19_returns > 0 ? "p19" : undefined}>
              {t("case.p19Times", { count: c.p19_returns })}
            </dd>
          </div>
          <div>
            <dt>{t("case.suspects")}</dt>
            <dd>{formatNumber(c.suspects)}</dd>
          </div>
        </dl>
        <h2 className="durations-h">{t("case.durations")}</h2>
        <dl className="facts durations" data-testid="durations">
          <Duration label={t("case.reportToP21")} days={d.report_to_p21_days} />
          <Duration label={t("case.p21ToVerdict")} days={d.p21_to_verdict_days} />
          <Duration label={t("case.reportToVerdict")} days={d.report_to_verdict_days} />
        </dl>
      </header>

      <section aria-labelledby="agency-cases-h">
        <h2 id="agency-cases-h">{t("case.agencyCases")}</h2>
        <p className="small">{t("case.agencyCasesHint")}</p>
        <ul className="agency-case-cards">
          {c.agency_cases.map((a) => (
            <li key={`${a.agency}/${a.case_ref}`} className={`card type-${a.agency_type}`}>
              <span className="small">
                {t(`common:agencyTypes.${a.agency_type}`, { defaultValue: a.agency_type })}
              </span>
              <strong>{agencyName(a.agency)}</strong>
              <span>
                <span className="sr-only">{t("case.caseRef")}: </span>
                <span className="ref">{a.case_ref}</span>
              </span>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">{t("case.timeline")}</h2>
        <p className="small">{t("case.timelineHint")}</p>
        {c.timeline.length === 0 ? (
          <p>{t("case.noTimeline")}</p>
        ) : (
          <Timeline events={c.timeline} agencyName={agencyName} />
        )}
      </section>

      <section aria-labelledby="suspects-h">
        <h2 id="suspects-h">{t("case.suspectsTitle")}</h2>
        {c.suspect_list.length === 0 ? (
          <p>{t("case.noSuspects")}</p>
        ) : (
          <>
            <p className="small">{t("case.suspectsHint")}</p>
            <Suspects suspects={c.suspect_list} events={c.timeline} agencyName={agencyName} />
          </>
        )}
      </section>

      <div className="case-bottom">
        <section aria-labelledby="victims-h">
          <h2 id="victims-h">{t("case.victims")}</h2>
          {c.victims.length === 0 ? (
            <p>{t("case.noVictims")}</p>
          ) : (
            <>
              <p className="small">{t("case.victimsHint")}</p>
              <Victims victims={c.victims} agencyName={agencyName} />
            </>
          )}
        </section>

        <section aria-labelledby="restitution-h">
          <h2 id="restitution-h">{t("case.restitution")}</h2>
          <p className="small">{t("case.restitutionHint")}</p>
          <dl className="kpis restitution" data-testid="restitution">
            {(["claimed", "ordered", "paid"] as const).map((k) => (
              <div className="kpi" key={k}>
                <dt className="label">{t(`case.${k}`)}</dt>
                <dd className="value">{formatRupiah(c.restitution?.[k] ?? null)}</dd>
              </div>
            ))}
          </dl>
        </section>
      </div>
    </>
  );
}

// What a restitution amount means depends on the stage that records it.
function restitutionLabel(stage: string): string {
  if (stage === "tuntutan") return "case.restitutionClaimed";
  if (stage.startsWith("putusan_")) return "case.restitutionOrdered";
  if (stage === "restitusi_dibayar") return "case.restitutionPaid";
  return "case.restitutionAmount";
}

function Timeline({ events, agencyName }: { events: CaseEvent[]; agencyName: (code: string) => string }) {
  const { t } = useTranslation("justice");
  return (
    <div className="case-timeline-wrap">
      <div className="lanes-head" aria-hidden="true">
        <span />
        {AREAS.filter((a) => a !== "other").map((a) => (
          <span key={a} className={`lane-name area-${a}`}>
            {areaName(t, a)}
          </span>
        ))}
      </div>
      <ol className="case-timeline" data-testid="timeline">
        {events.map((e, i) => {
          const area = areaOf(e.stage);
          return (
            <li
              key={`${e.agency}/${e.record_id}/${i}`}
              className={`area-${area}`}
              data-agency-type={e.agency_type}
            >
              <time dateTime={e.date}>{formatDate(e.date)}</time>
              <div className="event">
                <p className="event-head">
                  <StageBadge stage={e.stage} />
                  {e.verdict && <VerdictBadge verdict={e.verdict} />}
                </p>
                <p className="event-agency">
                  <strong>{agencyName(e.agency)}</strong>{" "}
                  <span className="ref">{e.case_ref}</span>
                </p>
                {e.suspect_name && (
                  <p className="event-suspect">
                    {t("case.suspect")}: <strong>{e.suspect_name}</strong>
                    {e.role && (
                      <span className="small">
                        {" "}
                        ({t("case.role")}: {roleText(t, e.role)})
                      </span>
                    )}
                  </p>
                )}
                <EventFacts e={e} />
                {e.notes && <p className="small event-notes">{e.notes}</p>}
                <p className="small event-record">{t("case.record", { record: e.record_id })}</p>
              </div>
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function EventFacts({ e }: { e: CaseEvent }) {
  const { t } = useTranslation("justice");
  const facts: [string, string][] = [];
  if (e.sentence_months != null) facts.push([t("case.sentence"), sentenceText(t, e.sentence_months)]);
  if (e.fine != null) facts.push([t("case.fine"), formatRupiah(e.fine)]);
  if (e.restitution != null) facts.push([t(restitutionLabel(e.stage.code)), formatRupiah(e.restitution)]);
  if (e.articles)
    facts.push([
      t("case.articles"),
      e.articles
        .split(";")
        .map((a) => a.trim())
        .filter(Boolean)
        .join("; "),
    ]);
  if (facts.length === 0) return null;
  return (
    <dl className="event-facts">
      {facts.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Suspects({
  suspects,
  events,
  agencyName,
}: {
  suspects: CaseSuspect[];
  events: CaseEvent[];
  agencyName: (code: string) => string;
}) {
  const { t } = useTranslation("justice");
  // The names each agency wrote for each suspect, from the timeline.
  const byAgency = useMemo(() => {
    const m = new Map<number, Map<string, string[]>>();
    for (const e of events) {
      if (e.suspect_id == null || !e.suspect_name) continue;
      const agencies = m.get(e.suspect_id) ?? new Map<string, string[]>();
      const names = agencies.get(e.agency) ?? [];
      if (!names.includes(e.suspect_name)) names.push(e.suspect_name);
      agencies.set(e.agency, names);
      m.set(e.suspect_id, agencies);
    }
    return m;
  }, [events]);
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="suspects" data-testid="suspects">
        <caption className="sr-only">{t("case.suspectsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("case.col.suspect")}</th>
            <th scope="col">{t("case.col.names")}</th>
            <th scope="col">{t("case.col.roles")}</th>
            <th scope="col">{t("case.col.companies")}</th>
            <th scope="col">{t("case.col.verdict")}</th>
          </tr>
        </thead>
        <tbody>
          {suspects.map((s) => {
            const agencies = byAgency.get(s.suspect_id) ?? new Map<string, string[]>();
            const written = new Set([...agencies.values()].flat());
            const others = s.names.filter((n) => !written.has(n));
            const name = fullestName(s.names.map((n) => ({ parsed: { name: n } })));
            return (
              <tr key={s.suspect_id}>
                <th scope="row" data-label={t("case.col.suspect")}>
                  {name || "—"}
                  <span className="small block">{t("case.suspectNo", { id: s.suspect_id })}</span>
                </th>
                <td data-label={t("case.col.names")}>
                  <ul className="agency-list">
                    {[...agencies.entries()].map(([a, names]) => (
                      <li key={a}>
                        <span className="small">{agencyName(a)}:</span> {names.join(" · ")}
                      </li>
                    ))}
                    {others.length > 0 && <li>{others.join(" · ")}</li>}
                  </ul>
                </td>
                <td data-label={t("case.col.roles")}>
                  {s.roles.length ? s.roles.map((r) => roleText(t, r)).join(", ") : "—"}
                </td>
                <td data-label={t("case.col.companies")}>
                  {s.companies.length ? s.companies.join(", ") : "—"}
                </td>
                <td data-label={t("case.col.verdict")}>
                  {s.verdict ? (
                    <VerdictBadge verdict={s.verdict} />
                  ) : (
                    <span className="muted">{t("case.noVerdict")}</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Victims({
  victims,
  agencyName,
}: {
  victims: { agency: string; record_id: string }[];
  agencyName: (code: string) => string;
}) {
  const { t } = useTranslation("justice");
  const byAgency = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const v of victims) m.set(v.agency, [...(m.get(v.agency) ?? []), v.record_id]);
    return [...m.entries()];
  }, [victims]);
  return (
    <>
      <p>{t("case.victimCount", { count: victims.length })}</p>
      <ul className="victims" data-testid="victims">
        {byAgency.map(([agency, ids]) => (
          <li key={agency}>
            <strong>{agencyName(agency)}</strong>
            <ul className="record-ids">
              {ids.map((id) => (
                <li key={id} className="ref">
                  {id}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </>
  );
}
