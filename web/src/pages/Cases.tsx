// The cases: police, prosecutor and court case numbers linked into one case, newest
// first, each with its furthest stage, how long it has been idle, how often the
// prosecutor sent the file back (P-19) and the agency cases it joins. Filters (stage,
// stalled days, region, year) live in the page's address — they are not personal data —
// so a view can be shared and reloaded; more cases load at the foot of the list.
import { useCallback, useEffect, useState } from "react";
import type { FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { getJson } from "../api";
import type { CasePage, CaseSummary } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { NATIONAL, RegionPicker } from "../components/RegionPicker";
import { STAGE_CODES, StageBadge, daysText, stageName } from "../components/Stage";
import { formatDate, useAgencyName } from "../components/names";
import { useLoad } from "../components/useLoad";
import { useSession } from "../session";
import { formatNumber } from "../i18n";
import "./Dashboard.css";
import "./Justice.css";

const PAGE = 20;

interface Loaded extends CasePage {
  key: string;
}

// A whole number of days, 1 or more; "" is no filter.
const validDays = (s: string) => s === "" || /^[1-9]\d{0,4}$/.test(s);

export default function Cases() {
  const { t } = useTranslation("justice");
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const stage = params.get("tahap") ?? "";
  const stalledParam = params.get("mandek") ?? "";
  const stalled = validDays(stalledParam) ? stalledParam : "";
  const regionParam = params.get("wilayah") ?? "";
  const region = regionParam === NATIONAL ? "" : regionParam;
  const year = params.get("tahun") ?? "";

  const setParam = useCallback(
    (name: string, value: string) => {
      // From the address itself: two filters may change in quick succession.
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(name, value);
      else next.delete(name);
      setParams(next, { replace: true });
    },
    [setParams],
  );

  // The stalled-days box applies itself once the user stops typing (or presses Enter).
  const [stalledText, setStalledText] = useState(stalled);
  useEffect(() => setStalledText(stalled), [stalled]);
  const stalledValid = validDays(stalledText.trim());
  useEffect(() => {
    const v = stalledText.trim();
    if (v === stalled || !validDays(v)) return;
    const timer = window.setTimeout(() => setParam("mandek", v), 500);
    return () => window.clearTimeout(timer);
  }, [stalledText, stalled, setParam]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const v = stalledText.trim();
    if (validDays(v) && v !== stalled) setParam("mandek", v);
  };

  const key = `${stage}|${stalled}|${region}|${year}`;
  const query = { stage, stalled, region, year };
  const first = useLoad<Loaded>(
    async (signal) => ({
      key,
      ...(await getJson<CasePage>("/api/v1/cases", { ...query, limit: PAGE, offset: 0 }, signal)),
    }),
    [key],
  );
  // Pages after the first, for the filter they were asked for.
  const [extra, setExtra] = useState<{ key: string; cases: CaseSummary[] }>({ key: "", cases: [] });
  const [moreBusy, setMoreBusy] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  const data = first.data;
  const stale = first.loading || (data !== null && data.key !== key);
  const list = data ? [...data.cases, ...(extra.key === data.key ? extra.cases : [])] : [];
  const total = data?.total ?? 0;

  const more = async () => {
    if (!data) return;
    setMoreBusy(true);
    setMoreError(null);
    try {
      const page = await getJson<CasePage>("/api/v1/cases", {
        ...query,
        limit: PAGE,
        offset: list.length,
      });
      const seen = new Set(list.map((c) => c.case_id));
      const base = extra.key === data.key ? extra.cases : [];
      setExtra({ key: data.key, cases: [...base, ...page.cases.filter((c) => !seen.has(c.case_id))] });
    } catch (e) {
      setMoreError(e);
    } finally {
      setMoreBusy(false);
    }
  };

  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 12 }, (_, n) => thisYear - n);
  if (year && !years.includes(Number(year))) years.push(Number(year));
  const filtered = !!(stage || stalled || region || year);

  return (
    <section className="cases">
      <h1>{t("cases.title")}</h1>
      <p className="small intro">{t("cases.intro")}</p>

      <form className="card dash-filters case-filters" onSubmit={submit} noValidate>
        <fieldset>
          <legend>{t("cases.filters.legend")}</legend>
          <div className="dash-field dash-field-wide">
            <label htmlFor="case-stage">{t("cases.filters.stage")}</label>
            <select id="case-stage" value={stage} onChange={(e) => setParam("tahap", e.target.value)}>
              <option value="">{t("cases.filters.anyStage")}</option>
              {STAGE_CODES.map((code) => (
                <option key={code} value={code}>
                  {stageName(t, code)}
                </option>
              ))}
              {stage && !(STAGE_CODES as readonly string[]).includes(stage) && (
                <option value={stage}>{stage}</option>
              )}
            </select>
          </div>
          <div className="dash-field case-stalled">
            <label htmlFor="case-stalled">{t("cases.filters.stalled")}</label>
            <input
              id="case-stalled"
              type="text"
              inputMode="numeric"
              pattern="[0-9]*"
              autoComplete="off"
              value={stalledText}
              onChange={(e) => setStalledText(e.target.value)}
              aria-describedby="case-stalled-hint"
              aria-invalid={!stalledValid || undefined}
            />
            <p id="case-stalled-hint" className="small">
              {stalledValid ? t("cases.filters.stalledHint") : (
                <span className="field-error">{t("cases.filters.stalledInvalid")}</span>
              )}
            </p>
          </div>
          <div className="dash-field">
            <label htmlFor="case-year">{t("cases.filters.year")}</label>
            <select id="case-year" value={year} onChange={(e) => setParam("tahun", e.target.value)}>
              <option value="">{t("cases.filters.anyYear")}</option>
              {years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </div>
          <div className="dash-field dash-field-wide case-region">
            <RegionPicker
              label={t("cases.filters.region")}
              value={regionParam}
              root={me?.region || NATIONAL}
              onChange={(code) => setParam("wilayah", code)}
              hint={t("cases.filters.regionHint")}
            />
          </div>
          <div className="dash-field dash-reset">
            <button
              type="button"
              disabled={!filtered && !regionParam && !stalledText}
              onClick={() => {
                setStalledText("");
                setParams(new URLSearchParams(), { replace: true });
              }}
            >
              {t("cases.filters.reset")}
            </button>
          </div>
        </fieldset>
      </form>

      <div role="status" aria-live="polite" className="search-status case-status">
        {stale && data && <p className="loading">{t("cases.updating")}</p>}
        {!stale && data && total === 0 && (
          <p className="notice empty" data-testid="cases-empty">
            {filtered ? t("cases.none") : t("cases.noneAtAll")}
          </p>
        )}
        {!stale && data && total > 0 && (
          <p className="count" data-testid="cases-count">
            {t("cases.showing", {
              count: total,
              shown: formatNumber(list.length),
              formatted: formatNumber(total),
            })}
          </p>
        )}
      </div>
      <ErrorMessage error={first.error} />
      {first.error != null && (
        <button type="button" onClick={first.reload}>
          {t("common:retry")}
        </button>
      )}
      {!data && first.loading && (
        <p className="loading" role="status">
          {t("common:loading")}
        </p>
      )}

      {data && list.length > 0 && (
        <div className={stale ? "dash-stale" : undefined} aria-busy={stale}>
          <CaseTable cases={list} />
        </div>
      )}
      <ErrorMessage error={moreError} />
      {data && !stale && list.length < total && (
        <div className="buttons">
          <button type="button" onClick={more} disabled={moreBusy}>
            {moreBusy ? t("cases.loadingMore") : t("cases.more")}
          </button>
        </div>
      )}
    </section>
  );
}

function CaseTable({ cases }: { cases: CaseSummary[] }) {
  const { t } = useTranslation("justice");
  const agencyName = useAgencyName();
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="case-list">
        <caption className="sr-only">{t("cases.caption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("cases.col.case")}</th>
            <th scope="col">{t("cases.col.stage")}</th>
            <th scope="col">{t("cases.col.first")}</th>
            <th scope="col">{t("cases.col.last")}</th>
            <th scope="col" className="num">{t("cases.col.idle")}</th>
            <th scope="col" className="num">{t("cases.col.p19")}</th>
            <th scope="col" className="num">{t("cases.col.suspects")}</th>
            <th scope="col">{t("cases.col.agencyCases")}</th>
          </tr>
        </thead>
        <tbody>
          {cases.map((c) => (
            <tr key={c.case_id} className={c.closed ? "is-closed" : undefined} data-case={c.case_id}>
              <th scope="row" data-label={t("cases.col.case")}>
                <Link to={`/perkara/${c.case_id}`}>{t("case.title", { id: c.case_id })}</Link>
                {c.closed ? (
                  <span className="case-state closed">{t("closed")}</span>
                ) : (
                  <span className="case-state open">{t("open")}</span>
                )}
              </th>
              <td data-label={t("cases.col.stage")}>
                <StageBadge stage={c.stage} />
              </td>
              <td data-label={t("cases.col.first")}>
                <time dateTime={c.first_event}>{formatDate(c.first_event)}</time>
              </td>
              <td data-label={t("cases.col.last")}>
                <time dateTime={c.last_event}>{formatDate(c.last_event)}</time>
              </td>
              <td data-label={t("cases.col.idle")} className="num">
                {daysText(t, c.days_since_last_event)}
              </td>
              <td data-label={t("cases.col.p19")} className="num">
                {c.p19_returns > 0 ? (
                  <span className="p19" title={t("cases.p19Note", { count: c.p19_returns })}>
                    {formatNumber(c.p19_returns)}
                    <span className="sr-only"> ({t("cases.p19Note", { count: c.p19_returns })})</span>
                  </span>
                ) : (
                  formatNumber(0)
                )}
              </td>
              <td data-label={t("cases.col.suspects")} className="num">
                {formatNumber(c.suspects)}
              </td>
              <td data-label={t("cases.col.agencyCases")}>
                <ul className="agency-cases">
                  {c.agency_cases.map((a) => (
                    <li key={`${a.agency}/${a.case_ref}`}>
                      <span className={`agency-dot type-${a.agency_type}`} aria-hidden="true" />
                      <span className="agency">{agencyName(a.agency)}</span>{" "}
                      <span className="ref">{a.case_ref}</span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
