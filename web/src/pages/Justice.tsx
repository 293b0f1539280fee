// Law enforcement against trafficking in numbers, as UNODC's questionnaire and the
// US TIP report count it: per year (calendar, or the TIP report's April–March years),
// optionally per province, the cases and the suspect persons named, prosecuted,
// convicted and acquitted, and restitution ordered and paid. Numbers under k arrive
// hidden and are shown as hidden, never as 0. Every chart has its table.
import { useCallback, useEffect, useMemo, useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { getJson } from "../api";
import type { JusticeRow, JusticeTable } from "../api";
import { Chart } from "../components/Chart";
import { ErrorMessage } from "../components/ErrorMessage";
import { useRegionNames } from "../components/names";
import { useLoad } from "../components/useLoad";
import i18n, { formatNumber, formatRupiah } from "../i18n";
import "./Dashboard.css";
import "./Justice.css";

const COUNTS = ["cases", "suspects_named", "prosecuted", "convicted", "acquitted"] as const;
const MONEY = ["restitution_ordered", "restitution_paid"] as const;
type Column = (typeof COUNTS)[number] | (typeof MONEY)[number];

const COLOURS: Record<Column, string> = {
  cases: "#c2410c",
  suspects_named: "#0b5cad",
  prosecuted: "#7aa7d6",
  convicted: "#116329",
  acquitted: "#8e3b8f",
  restitution_ordered: "#8b1a1a",
  restitution_paid: "#116329",
};

interface Loaded extends JusticeTable {
  key: string;
}

const numberFormatter = (v: unknown) => (typeof v === "number" ? formatNumber(v) : String(v));
const rupiahFormatter = (v: unknown) => (typeof v === "number" ? formatRupiah(v) : String(v));
// Axis labels: "450 jt" / "450M".
const compactRupiah = (v: unknown) =>
  typeof v === "number"
    ? new Intl.NumberFormat(i18n.language === "en" ? "en-GB" : "id-ID", {
        notation: "compact",
        maximumFractionDigits: 1,
      }).format(v)
    : String(v);

function yearLabel(t: TFunction, year: number, yearStart: number): string {
  if (yearStart === 1) return String(year);
  return t("dash.tipYear", { from: year, to: String(year + 1).slice(-2) });
}

// Vertical bars per year, one series per column; hidden numbers are gaps.
function columnsOption(
  t: TFunction,
  rows: JusticeRow[],
  columns: readonly Column[],
  label: string,
  yearStart: number,
  money: boolean,
  narrow: boolean,
) {
  const format = money ? rupiahFormatter : numberFormatter;
  return {
    aria: { enabled: true, label: { description: label } },
    grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
    legend: { type: "scroll", top: 0, left: "center" },
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: format },
    xAxis: {
      type: "category",
      data: rows.map((r) => yearLabel(t, r.year, yearStart)),
      axisTick: { show: false },
      axisLabel: { color: "#1b1f24" },
    },
    yAxis: {
      type: "value",
      minInterval: money ? undefined : 1,
      axisLabel: { formatter: money ? compactRupiah : numberFormatter },
    },
    series: columns.map((c) => ({
      type: "bar",
      name: t(`dash.col.${c}`),
      data: rows.map((r) => r[c]),
      barMaxWidth: money ? 28 : 18,
      itemStyle: { color: COLOURS[c], borderRadius: [3, 3, 0, 0] },
      // Numbers on the bars where there is room for them (not on a phone).
      label:
        money || rows.length > 8 || narrow
          ? undefined
          : {
              show: true,
              position: "top",
              formatter: (p: { value: number }) => (p.value ? formatNumber(p.value) : ""),
            },
    })),
  };
}

function Cell({ value, k, money = false }: { value: number | null; k: number; money?: boolean }) {
  const { t } = useTranslation("justice");
  if (value === null) return <span className="hidden-count">{t("hidden", { k })}</span>;
  return <>{money ? formatRupiah(value) : formatNumber(value)}</>;
}

export default function Justice() {
  const { t, i18n: i } = useTranslation("justice");
  const [params, setParams] = useSearchParams();
  const yearStart = params.get("tahun") === "april" ? 4 : 1;
  const byProvince = params.get("menurut") === "provinsi";
  const chosenProvince = params.get("provinsi") ?? "";

  const setParam = useCallback(
    (name: string, value: string) => {
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(name, value);
      else next.delete(name);
      setParams(next, { replace: true });
    },
    [setParams],
  );

  // The radio buttons follow a click at once; the address (and the numbers) follow it.
  const [period, setPeriod] = useState(yearStart);
  const [perProvince, setPerProvince] = useState(byProvince);
  useEffect(() => setPeriod(yearStart), [yearStart]);
  useEffect(() => setPerProvince(byProvince), [byProvince]);

  const key = `${yearStart}|${byProvince}`;
  const load = useLoad<Loaded>(
    async (signal) => ({
      key,
      ...(await getJson<JusticeTable>(
        "/api/v1/justice",
        { by: byProvince ? "province" : "year", year_start: yearStart, format: "json" },
        signal,
      )),
    }),
    [key],
  );
  const data = load.data;
  const stale = load.loading || (data !== null && data.key !== key);
  const k = data?.k ?? 5;
  const shownStart = data?.year_start ?? yearStart;
  const rows = useMemo(() => data?.rows ?? [], [data]);

  const provinceCodes = useMemo(
    () => [...new Set(rows.map((r) => r.province ?? "").filter(Boolean))],
    [rows],
  );
  const names = useRegionNames(provinceCodes);
  const provinceName = (code: string) => names[code] ?? code;
  const provinces = [...provinceCodes].sort((a, b) =>
    provinceName(a).localeCompare(provinceName(b)),
  );
  const province = byProvince
    ? provinces.includes(chosenProvince)
      ? chosenProvince
      : (provinces[0] ?? "")
    : "";
  // The rows the charts draw: all years, or the chosen province's.
  const chartRows = useMemo(
    () => (byProvince ? rows.filter((r) => r.province === province) : rows),
    [rows, byProvince, province],
  );
  const hiddenInChart = chartRows.some((r) => COUNTS.some((c) => r[c] === null));
  const hiddenMoney = chartRows.some((r) => MONEY.some((c) => r[c] === null));

  const narrow = window.matchMedia("(max-width: 760px)").matches;
  const countLabel = t("dash.chartLabel");
  const moneyLabel = t("dash.restitutionLabel");
  const options = useMemo(
    () => ({
      counts: columnsOption(t, chartRows, COUNTS, countLabel, shownStart, false, narrow),
      money: columnsOption(t, chartRows, MONEY, moneyLabel, shownStart, true, narrow),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [chartRows, shownStart, t, i.language],
  );

  const showing = t("dash.showing", {
    period: yearStart === 4 ? t("dash.showingTip") : t("dash.showingCalendar"),
    by: byProvince ? t("dash.showingProvince") : t("dash.showingYear"),
  });

  return (
    <div className="dashboard justice">
      <h1>{t("dash.title")}</h1>
      <p className="dash-intro">{t("dash.intro", { k })}</p>

      <form className="card dash-filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>{t("dash.filters.legend")}</legend>
          <fieldset className="segmented">
            <legend>{t("dash.filters.period")}</legend>
            <label>
              <input
                type="radio"
                name="justice-period"
                checked={period === 1}
                onChange={() => {
                  setPeriod(1);
                  setParam("tahun", "");
                }}
              />
              {t("dash.filters.calendar")}
            </label>
            <label>
              <input
                type="radio"
                name="justice-period"
                checked={period === 4}
                onChange={() => {
                  setPeriod(4);
                  setParam("tahun", "april");
                }}
              />
              {t("dash.filters.tip")}
            </label>
          </fieldset>
          <fieldset className="segmented">
            <legend>{t("dash.filters.by")}</legend>
            <label>
              <input
                type="radio"
                name="justice-by"
                checked={!perProvince}
                onChange={() => {
                  setPerProvince(false);
                  setParam("menurut", "");
                }}
              />
              {t("dash.filters.byYear")}
            </label>
            <label>
              <input
                type="radio"
                name="justice-by"
                checked={perProvince}
                onChange={() => {
                  setPerProvince(true);
                  setParam("menurut", "provinsi");
                }}
              />
              {t("dash.filters.byProvince")}
            </label>
          </fieldset>
          {byProvince && provinces.length > 0 && (
            <div className="dash-field dash-field-wide">
              <label htmlFor="justice-province">{t("dash.filters.province")}</label>
              <select
                id="justice-province"
                value={province}
                onChange={(e) => setParam("provinsi", e.target.value)}
              >
                {provinces.map((p) => (
                  <option key={p} value={p}>
                    {provinceName(p)}
                  </option>
                ))}
              </select>
            </div>
          )}
        </fieldset>
        <p className="small dash-showing" role="status" aria-live="polite">
          {stale && data ? t("dash.updating") : showing}
        </p>
      </form>

      <ErrorMessage error={load.error} />
      {load.error != null && (
        <button type="button" onClick={load.reload}>
          {t("common:retry")}
        </button>
      )}
      {!data && load.loading && (
        <p className="loading" role="status">
          {t("common:loading")}
        </p>
      )}

      {data && rows.length === 0 && !stale && <p className="notice">{t("dash.noData")}</p>}

      {data && rows.length > 0 && (
        <div className={stale ? "dash-body dash-stale" : "dash-body"} aria-busy={stale}>
          <div className="dash-row dash-row-2">
            <section className="card dash-figure" aria-labelledby="jc-h" data-testid="chart-counts">
              <h2 id="jc-h">
                {byProvince ? t("dash.chartProvince", { province: provinceName(province) }) : t("dash.chart")}
              </h2>
              <Chart option={options.counts} label={countLabel} height={320} />
              {hiddenInChart && <p className="small hidden-note">{t("dash.chartHidden", { k })}</p>}
            </section>
            <section className="card dash-figure" aria-labelledby="jr-h" data-testid="chart-restitution">
              <h2 id="jr-h">
                {byProvince
                  ? t("dash.restitutionProvince", { province: provinceName(province) })
                  : t("dash.restitutionChart")}
              </h2>
              <Chart option={options.money} label={moneyLabel} height={320} />
              {hiddenMoney && <p className="small hidden-note">{t("dash.chartHidden", { k })}</p>}
            </section>
          </div>

          <section className="card justice-table" aria-labelledby="jt-h">
            <h2 id="jt-h">{byProvince ? t("dash.tableTitleProvince") : t("dash.tableTitle")}</h2>
            <div className="table-wrap" tabIndex={0}>
              <table className="justice-rows" data-testid="justice-table">
                <caption className="sr-only">{t("dash.tableCaption")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{shownStart === 4 ? t("dash.col.yearTip") : t("dash.col.year")}</th>
                    {byProvince && <th scope="col">{t("dash.col.province")}</th>}
                    {[...COUNTS, ...MONEY].map((c) => (
                      <th key={c} scope="col" className="num">
                        {t(`dash.col.${c}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={`${r.year}/${r.province ?? ""}`} data-year={r.year}>
                      <th scope="row">{yearLabel(t, r.year, shownStart)}</th>
                      {byProvince && (
                        <td data-label={t("dash.col.province")}>
                          {r.province ? provinceName(r.province) : "—"}
                        </td>
                      )}
                      {COUNTS.map((c) => (
                        <td key={c} className="num" data-col={c} data-label={t(`dash.col.${c}`)}>
                          <Cell value={r[c]} k={k} />
                        </td>
                      ))}
                      {MONEY.map((c) => (
                        <td key={c} className="num" data-col={c} data-label={t(`dash.col.${c}`)}>
                          <Cell value={r[c]} k={k} money />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <details className="card justice-defs">
            <summary>{t("dash.definitions")}</summary>
            <dl>
              {[...COUNTS, "restitution"].map((c) => (
                <div key={c}>
                  <dt>{c === "restitution" ? t("case.restitution") : t(`dash.col.${c}`)}</dt>
                  <dd>{t(`dash.def.${c}`)}</dd>
                </div>
              ))}
            </dl>
          </details>
        </div>
      )}
    </div>
  );
}
