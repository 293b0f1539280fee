// The dashboard: unique victims (persons after linkage across agencies) and cases at a
// glance, for a period and (national accounts) a province. One request brings the
// reconciliation and a table per dimension. Cells under k persons arrive hidden and are
// shown as hidden, never as 0. Every chart has its table.
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef } from "react";
import type { ReactNode } from "react";
import type { EChartsCoreOption } from "echarts/core";
import { useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { getJson } from "../api";
import type { Reconciliation, Region, StatsCell, StatsDashboard, StatsTable } from "../api";
import { useSession } from "../session";
import { useLoad } from "../components/useLoad";
import { Chart } from "../components/Chart";
import { ErrorMessage } from "../components/ErrorMessage";
import { codeName } from "../components/names";
import i18n, { formatNumber } from "../i18n";
import type { ProvinceCount } from "../components/ProvinceMap";
import "./Dashboard.css";

const ProvinceMap = lazy(() => import("../components/ProvinceMap"));

const DIMS = [
  "origin_province",
  "report_year",
  "sex",
  "age_group",
  "exploitation",
  "recruitment",
  "destination",
] as const;
type Dim = (typeof DIMS)[number];

const PERSONS = "#0b5cad";
const CASES = "#c2410c";
const ONLY_HERE = "#7aa7d6";
const BEFORE = "#8b1a1a";
const SEX_COLOURS: Record<string, string> = { P: "#8e3b8f", L: "#0b5cad", unknown: "#9aa1aa" };

interface Row {
  code: string;
  label: string;
  persons: number | null;
  records: number | null;
  cases: number | null;
  suppressed: boolean;
}

interface DimTable {
  rows: Row[];
  total: Row | null;
}

interface Loaded {
  key: string;
  recon: Reconciliation;
  tables: Record<Dim, StatsTable>;
  // From before the latest change, while the server counts the new numbers.
  recounting: boolean;
}

// How soon numbers answered from before a change are asked for again.
const RECOUNT_RETRY_MS = 3000;

// The reader's name for a code: the catalogues, then (destinations in English) the
// browser's country names, then the server's (Indonesian) label.
function codeLabel(t: TFunction, dim: Dim, code: string, server: string): string {
  if (code === "unknown") return t("common:unknown");
  if (code === "total") return t("total");
  const named = codeName(t, dim, code);
  if (named !== undefined) return named;
  const key = `dashboard:codes.${dim}.${code}`;
  if (i18n.exists(key)) return t(key);
  if (dim === "destination" && i18n.language === "en" && /^[A-Z]{2}$/.test(code)) {
    try {
      return new Intl.DisplayNames(["en"], { type: "region" }).of(code) ?? server;
    } catch {
      return server;
    }
  }
  return server;
}

function toRow(t: TFunction, dim: Dim, c: StatsCell): Row {
  const code = c.values[dim] ?? "";
  return {
    code,
    label: codeLabel(t, dim, code, c.labels[dim] ?? code),
    persons: c.suppressed ? null : c.persons,
    records: c.suppressed ? null : c.records,
    cases: c.suppressed ? null : c.cases,
    suppressed: c.suppressed || c.persons === null,
  };
}

function dimTable(t: TFunction, dim: Dim, table: StatsTable, sort: boolean): DimTable {
  const rows = table.cells.filter((c) => c.values[dim] !== "total").map((c) => toRow(t, dim, c));
  if (sort) rows.sort((a, b) => (b.persons ?? -1) - (a.persons ?? -1));
  const total = table.cells.find((c) => c.values[dim] === "total");
  return { rows, total: total ? toRow(t, dim, total) : null };
}

const numberFormatter = (v: unknown) => (typeof v === "number" ? formatNumber(v) : String(v));

// A number at the end (or top) of each bar.
const valueLabel = (position: "right" | "top") => ({
  show: true,
  position,
  formatter: (p: { value: number }) => formatNumber(p.value),
});

interface BarSeries {
  name: string;
  data: unknown[];
  // No colour: each data item brings its own itemStyle.
  color?: string;
}

// Horizontal bars, one category per line from the top, each with its number.
function hbarsOption({
  label,
  categories,
  series,
  barMaxWidth,
  labelWidth,
  wrapLabels = false,
  rounded = false,
  legend = false,
  right = 40,
}: {
  label: string;
  categories: string[];
  series: BarSeries[];
  barMaxWidth: number;
  labelWidth: number;
  wrapLabels?: boolean;
  rounded?: boolean;
  legend?: boolean;
  right?: number;
}) {
  return {
    aria: { enabled: true, label: { description: label } },
    grid: { left: 8, right, top: legend ? 32 : 8, bottom: 8, containLabel: true },
    legend: legend ? { top: 0, left: "center" } : undefined,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: numberFormatter },
    xAxis: { type: "value", minInterval: 1, axisLabel: { formatter: numberFormatter } },
    yAxis: {
      type: "category",
      inverse: true,
      data: categories,
      axisLabel: wrapLabels
        ? { width: labelWidth, overflow: "break", lineHeight: 16, color: "#1b1f24" }
        : { width: labelWidth, overflow: "truncate", color: "#1b1f24" },
      axisTick: { show: false },
    },
    series: series.map((s) => ({
      type: "bar",
      name: s.name,
      data: s.data,
      barMaxWidth,
      itemStyle: s.color
        ? { color: s.color, ...(rounded ? { borderRadius: [0, 3, 3, 0] } : {}) }
        : undefined,
      label: valueLabel("right"),
    })),
  };
}

// The rows a chart draws: neither hidden nor unknown.
const drawn = (rows: Row[]) => rows.filter((r) => !r.suppressed && r.code !== "unknown");

// Horizontal bars of persons, largest first; hidden and unknown rows are not drawn.
function barsOption(rows: Row[], t: TFunction, label: string) {
  const shown = drawn(rows);
  return hbarsOption({
    label,
    categories: shown.map((r) => r.label),
    series: [{ name: t("series.persons"), data: shown.map((r) => r.persons), color: PERSONS }],
    barMaxWidth: 20,
    labelWidth: 180,
    rounded: true,
  });
}

// Vertical bars in the server's order (years, age groups); optionally cases too.
function columnsOption(rows: Row[], t: TFunction, label: string, withCases: boolean) {
  const shown = drawn(rows);
  const column = (name: string, data: (number | null)[], color: string) => ({
    type: "bar",
    name,
    data,
    barMaxWidth: 36,
    itemStyle: { color, borderRadius: [3, 3, 0, 0] },
    label: valueLabel("top"),
  });
  const series = [column(t("series.persons"), shown.map((r) => r.persons), PERSONS)];
  if (withCases) series.push(column(t("series.cases"), shown.map((r) => r.cases), CASES));
  return {
    aria: { enabled: true, label: { description: label } },
    grid: { left: 8, right: 8, top: withCases ? 36 : 20, bottom: 8, containLabel: true },
    legend: withCases ? { top: 0, left: "center" } : undefined,
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: numberFormatter },
    xAxis: {
      type: "category",
      data: shown.map((r) => r.label),
      axisTick: { show: false },
      axisLabel: { interval: 0, width: 64, overflow: "break", lineHeight: 15, color: "#1b1f24" },
    },
    yAxis: { type: "value", minInterval: 1, axisLabel: { formatter: numberFormatter } },
    series,
  };
}

function pieOption(rows: Row[], label: string) {
  const shown = rows.filter((r) => !r.suppressed);
  return {
    aria: { enabled: true, label: { description: label } },
    tooltip: { trigger: "item", valueFormatter: numberFormatter },
    series: [
      {
        type: "pie",
        radius: ["42%", "70%"],
        center: ["50%", "52%"],
        avoidLabelOverlap: true,
        label: {
          formatter: (p: { name: string; value: number; percent: number }) =>
            `${p.name}\n${formatNumber(p.value)} (${formatNumber(p.percent)}%)`,
          color: "#1b1f24",
          lineHeight: 17,
        },
        labelLine: { length: 10, length2: 12 },
        data: shown.map((r) => ({
          name: r.label,
          value: r.persons,
          itemStyle: { color: SEX_COLOURS[r.code] ?? PERSONS },
        })),
      },
    ],
  };
}

function Count({ value, k }: { value: number | null; k: number }) {
  const { t } = useTranslation("dashboard");
  if (value === null) return <span className="hidden-count">{t("hidden", { k })}</span>;
  return <>{formatNumber(value)}</>;
}

function DimTableView({ table, k, caption }: { table: DimTable; k: number; caption: string }) {
  const { t } = useTranslation("dashboard");
  return (
    <details className="dash-table">
      <summary>{t("showTable")}</summary>
      <div className="table-wrap" tabIndex={0}>
        <table>
          <caption className="sr-only">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cols.category")}</th>
              <th scope="col" className="num">{t("cols.persons")}</th>
              <th scope="col" className="num">{t("cols.records")}</th>
              <th scope="col" className="num">{t("cols.cases")}</th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r) =>
              r.suppressed ? (
                <tr key={r.code} className="suppressed">
                  <th scope="row">{r.label}</th>
                  <td className="num" colSpan={3}>
                    <span className="hidden-count">{t("hidden", { k })}</span>
                  </td>
                </tr>
              ) : (
                <tr key={r.code}>
                  <th scope="row">{r.label}</th>
                  <td className="num">{formatNumber(r.persons)}</td>
                  <td className="num">{formatNumber(r.records)}</td>
                  <td className="num">{formatNumber(r.cases)}</td>
                </tr>
              ),
            )}
          </tbody>
          {table.total && (
            <tfoot>
              <tr>
                <th scope="row">{t("total")}</th>
                <td className="num"><Count value={table.total.persons} k={k} /></td>
                <td className="num"><Count value={table.total.records} k={k} /></td>
                <td className="num"><Count value={table.total.cases} k={k} /></td>
              </tr>
            </tfoot>
          )}
        </table>
      </div>
    </details>
  );
}

// One chart card: heading, chart, what the chart leaves out, and the table.
function Figure({
  id,
  title,
  label,
  option,
  table,
  k,
  height,
  drawsUnknown = false,
  note,
  className = "",
}: {
  id: string;
  title: string;
  label: string;
  option: EChartsCoreOption;
  table: DimTable;
  k: number;
  height: number;
  drawsUnknown?: boolean;
  note?: string;
  className?: string;
}) {
  const { t } = useTranslation("dashboard");
  const hidden = table.rows.filter((r) => r.suppressed);
  const unknown = table.rows.find((r) => r.code === "unknown" && !r.suppressed);
  const empty = table.rows.every((r) => r.suppressed || (!drawsUnknown && r.code === "unknown"));
  return (
    <section className={`card dash-figure ${className}`} aria-labelledby={`${id}-h`} data-testid={id}>
      <h2 id={`${id}-h`}>{title}</h2>
      {empty ? (
        <p className="small">{t("noData")}</p>
      ) : (
        <Chart option={option} label={label} height={height} />
      )}
      {note && <p className="small">{note}</p>}
      {unknown && !drawsUnknown && (
        <p className="small">{t("unknownNote", { value: formatNumber(unknown.persons) })}</p>
      )}
      {hidden.length > 0 && (
        <p className="small hidden-note">
          {t("hiddenList", { k, list: hidden.map((r) => r.label).join(", ") })}
        </p>
      )}
      <DimTableView table={table} k={k} caption={title} />
    </section>
  );
}

function YearField({ id, label, value, years, onChange }: {
  id: string;
  label: string;
  value: string;
  years: number[];
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation("dashboard");
  return (
    <div className="dash-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t("filters.anyYear")}</option>
        {years.map((y) => (
          <option key={y} value={y}>{y}</option>
        ))}
      </select>
    </div>
  );
}

function Kpi({ id, label, value, note, k }: {
  id: string;
  label: string;
  value: number | null | undefined;
  note: ReactNode;
  k: number;
}) {
  return (
    <div className="kpi" role="group" aria-labelledby={`${id}-l`} data-testid={id}>
      <div className="label" id={`${id}-l`}>{label}</div>
      <div className="value"><Count value={value ?? null} k={k} /></div>
      <div className="small">{note}</div>
    </div>
  );
}

function Reconcile({ recon }: { recon: Reconciliation }) {
  const { t, i18n: i } = useTranslation("dashboard");
  const k = recon.k;
  const agencies = useMemo(
    () => [...recon.agencies].sort((a, b) => (b.persons ?? -1) - (a.persons ?? -1)),
    [recon],
  );
  const agencyOption = useMemo(
    () =>
      hbarsOption({
        label: t("recon.agencyLabel"),
        categories: agencies.map((a) => a.name),
        series: [
          { name: t("cols.own"), data: agencies.map((a) => a.persons), color: PERSONS },
          { name: t("cols.onlyHere"), data: agencies.map((a) => a.only_here), color: ONLY_HERE },
        ],
        barMaxWidth: 16,
        labelWidth: 210,
        legend: true,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [agencies, t, i.language],
  );
  const beforeAfterOption = useMemo(
    () =>
      hbarsOption({
        label: t("recon.beforeAfterLabel"),
        categories: [t("recon.before"), t("recon.after")],
        series: [
          {
            name: t("series.persons"),
            data: [
              { value: recon.sum_of_agency_counts, itemStyle: { color: BEFORE } },
              { value: recon.unified_persons, itemStyle: { color: PERSONS } },
            ],
          },
        ],
        barMaxWidth: 30,
        labelWidth: 170,
        wrapLabels: true,
        right: 48,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [recon, t, i.language],
  );
  const onlyHere = recon.agencies.reduce<number | null>(
    (s, a) => (s === null || a.only_here === null ? null : s + a.only_here),
    0,
  );
  return (
    <section className="card dash-recon" aria-labelledby="recon-h" data-testid="reconciliation">
      <h2 id="recon-h">{t("recon.title")}</h2>
      <p className="small">{t("recon.intro")}</p>
      <div className="dash-recon-charts">
        <div>
          <h3>{t("recon.agencyChart")}</h3>
          <Chart
            option={agencyOption}
            label={t("recon.agencyLabel")}
            height={Math.max(180, agencies.length * 52 + 50)}
          />
        </div>
        <div>
          <h3>{t("recon.beforeAfter")}</h3>
          <Chart option={beforeAfterOption} label={t("recon.beforeAfterLabel")} height={150} />
          {onlyHere !== null && recon.persons_at_several !== null && recon.unified_persons !== null && (
            <p className="small">
              {t("recon.explain", {
                onlyHere: formatNumber(onlyHere),
                several: formatNumber(recon.persons_at_several),
                unified: formatNumber(recon.unified_persons),
              })}
            </p>
          )}
        </div>
      </div>
      <div className="table-wrap" tabIndex={0}>
        <table data-testid="recon-table">
          <caption>{t("recon.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("cols.agency")}</th>
              <th scope="col">{t("cols.type")}</th>
              <th scope="col" className="num">{t("cols.records")}</th>
              <th scope="col" className="num">{t("cols.own")}</th>
              <th scope="col" className="num">{t("cols.onlyHere")}</th>
              <th scope="col" className="num">{t("cols.shared")}</th>
            </tr>
          </thead>
          <tbody>
            {agencies.map((a) => (
              <tr key={a.code}>
                <th scope="row">
                  {a.name}
                  <span className="small dash-code"> {a.code}</span>
                </th>
                <td>{t(`common:agencyTypes.${a.type}`, { defaultValue: a.type })}</td>
                <td className="num">{formatNumber(a.records)}</td>
                <td className="num"><Count value={a.persons} k={k} /></td>
                <td className="num"><Count value={a.only_here} k={k} /></td>
                <td className="num">
                  {a.persons !== null && a.only_here !== null
                    ? formatNumber(a.persons - a.only_here)
                    : <span className="hidden-count">{t("hiddenShort")}</span>}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="recon-before">
              <th scope="row" colSpan={3}>{t("recon.before")}</th>
              <td className="num"><Count value={recon.sum_of_agency_counts} k={k} /></td>
              <td colSpan={2} />
            </tr>
            <tr data-testid="recon-after">
              <th scope="row" colSpan={3}>{t("recon.after")}</th>
              <td className="num"><Count value={recon.unified_persons} k={k} /></td>
              <td colSpan={2} />
            </tr>
            <tr>
              <th scope="row" colSpan={3}>{t("recon.several")}</th>
              <td className="num"><Count value={recon.persons_at_several} k={k} /></td>
              <td colSpan={2} />
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}

export default function Dashboard() {
  const { t, i18n: i } = useTranslation("dashboard");
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const national = me?.region === "ID";
  const from = params.get("dari") ?? "";
  const to = params.get("sampai") ?? "";
  const region = national ? (params.get("wilayah") ?? "") : "";

  const setParam = useCallback(
    (name: string, value: string) => {
      // From the address itself: react-router's updater may still hold the previous
      // render's parameters when two filters change in quick succession.
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(name, value);
      else next.delete(name);
      setParams(next, { replace: true });
    },
    [setParams],
  );

  const regions = useLoad(
    async (signal) => {
      if (!me) return { provinces: [] as Region[], own: null as Region | null };
      if (me.region === "ID") {
        const r = await getJson<{ regions: Region[] }>("/api/v1/regions", undefined, signal);
        return { provinces: r.regions, own: null };
      }
      return { provinces: [], own: await getJson<Region>(`/api/v1/regions/${me.region}`, undefined, signal) };
    },
    [me?.region],
  );

  const key = `${from}|${to}|${region}`;
  const load = useLoad<Loaded>(
    async (signal) => {
      const query = {
        from: from ? `${from}-01-01` : undefined,
        to: to ? `${to}-12-31` : undefined,
        region: region || undefined,
      };
      const dashboard = await getJson<StatsDashboard>(
        "/api/v1/stats/dashboard",
        { ...query, tables: DIMS.join(",") },
        signal,
      );
      return {
        key,
        recon: dashboard.reconciliation,
        tables: dashboard.tables as Record<Dim, StatsTable>,
        recounting: dashboard.recounting === true,
      };
    },
    [from, to, region],
  );

  // Numbers from before a change: asked for again until the new count is in.
  const { reload } = load;
  const recounting = load.data?.recounting === true;
  useEffect(() => {
    if (!recounting) return;
    const timer = window.setTimeout(reload, RECOUNT_RETRY_MS);
    return () => window.clearTimeout(timer);
  }, [recounting, load.data, reload]);

  // Years offered: the last twelve, and any year the data has shown.
  const seenYears = useRef(new Set<number>());
  const data = load.data;
  // Until the numbers for the current filter arrive, the old ones are shown faded.
  const stale = load.loading || (data !== null && data.key !== key);
  if (data)
    for (const c of data.tables.report_year.cells) {
      const y = Number(c.values.report_year);
      if (Number.isInteger(y)) seenYears.current.add(y);
    }
  const thisYear = new Date().getFullYear();
  const years = [...new Set([...seenYears.current, ...Array.from({ length: 12 }, (_, n) => thisYear - n)])]
    .sort((a, b) => a - b);

  const views = useMemo(() => {
    if (!data) return null;
    const tb = (d: Dim, sort: boolean) => dimTable(t, d, data.tables[d], sort);
    return {
      origin: tb("origin_province", true),
      year: tb("report_year", false),
      sex: tb("sex", false),
      age: tb("age_group", false),
      exploitation: tb("exploitation", true),
      recruitment: tb("recruitment", true),
      destination: tb("destination", true),
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data, t, i.language]);

  const options = useMemo(() => {
    if (!views) return null;
    return {
      origin: barsOption(views.origin.rows, t, t("charts.originLabel")),
      year: columnsOption(views.year.rows, t, t("charts.yearLabel"), true),
      sex: pieOption(views.sex.rows, t("charts.sexLabel")),
      age: columnsOption(views.age.rows, t, t("charts.ageLabel"), false),
      exploitation: barsOption(views.exploitation.rows, t, t("charts.exploitationLabel")),
      recruitment: barsOption(views.recruitment.rows, t, t("charts.recruitmentLabel")),
      destination: barsOption(views.destination.rows, t, t("charts.destinationLabel")),
    };
  }, [views, t]);

  const provinces = useMemo<ProvinceCount[]>(
    () =>
      views?.origin.rows
        .filter((r) => r.code !== "unknown")
        .map((r) => ({ code: r.code, label: r.label, persons: r.persons, suppressed: r.suppressed })) ??
      [],
    [views],
  );

  const k = data?.tables.sex.k ?? data?.recon.k ?? 5;
  const regionName = (code: string) =>
    regions.data?.provinces.find((p) => p.code === code)?.name ?? code;
  const period =
    from && to
      ? t("filters.period", { from, to })
      : from
        ? t("filters.periodFrom", { from })
        : to
          ? t("filters.periodTo", { to })
          : t("filters.allPeriod");
  const where = national
    ? region
      ? regionName(region)
      : t("filters.allProvinces")
    : (regions.data?.own?.name ?? me?.region ?? "");

  const barHeight = (rows: Row[]) => Math.max(160, drawn(rows).length * 28 + 40);

  // One chart card of the dashboard by its name in the catalogue (charts.<name>); "bars"
  // grows with the number of horizontal bars.
  const figure = (
    name: keyof NonNullable<typeof views>,
    height: number | "bars",
    more: { note?: string; drawsUnknown?: boolean } = {},
  ) =>
    views &&
    options && (
      <Figure
        id={`chart-${name}`}
        title={t(`charts.${name}`)}
        label={t(`charts.${name}Label`)}
        option={options[name]}
        table={views[name]}
        k={k}
        height={height === "bars" ? barHeight(views[name].rows) : height}
        {...more}
      />
    );

  const total = views?.sex.total;
  const recon = data?.recon;
  const extra =
    recon?.sum_of_agency_counts != null && recon.unified_persons != null
      ? recon.sum_of_agency_counts - recon.unified_persons
      : null;

  const selectProvince = useCallback((code: string) => setParam("wilayah", code), [setParam]);

  return (
    <div className="dashboard">
      <h1>{t("title")}</h1>
      <p className="dash-intro">{t("intro", { k })}</p>

      <form className="card dash-filters" onSubmit={(e) => e.preventDefault()}>
        <fieldset>
          <legend>{t("filters.legend")}</legend>
          <YearField
            id="dash-from"
            label={t("filters.from")}
            value={from}
            years={years.filter((y) => !to || y <= Number(to))}
            onChange={(v) => setParam("dari", v)}
          />
          <YearField
            id="dash-to"
            label={t("filters.to")}
            value={to}
            years={years.filter((y) => !from || y >= Number(from))}
            onChange={(v) => setParam("sampai", v)}
          />
          {national ? (
            <div className="dash-field dash-field-wide">
              <label htmlFor="dash-region">{t("filters.province")}</label>
              <select
                id="dash-region"
                value={region}
                aria-describedby="dash-region-hint"
                onChange={(e) => setParam("wilayah", e.target.value)}
              >
                <option value="">{t("filters.allProvinces")}</option>
                {(regions.data?.provinces ?? []).map((p) => (
                  <option key={p.code} value={p.code}>{p.name}</option>
                ))}
                {region && !regions.data?.provinces.some((p) => p.code === region) && (
                  <option value={region}>{region}</option>
                )}
              </select>
              <p id="dash-region-hint" className="small">{t("filters.regionHint")}</p>
            </div>
          ) : (
            <div className="dash-field dash-field-wide">
              <span className="dash-fixed-label">{t("filters.yourRegion")}</span>
              <span className="dash-fixed" data-testid="own-region">{where}</span>
            </div>
          )}
          <div className="dash-field dash-reset">
            <button
              type="button"
              disabled={!from && !to && !region}
              onClick={() => setParams(new URLSearchParams(), { replace: true })}
            >
              {t("filters.reset")}
            </button>
          </div>
        </fieldset>
        <p className="small dash-showing" role="status" aria-live="polite">
          {stale && data
            ? t("updating")
            : recounting
              ? t("recounting")
              : t("filters.showing", { period, region: where })}
        </p>
      </form>

      <ErrorMessage error={load.error} />
      {load.error != null && (
        <button type="button" onClick={load.reload}>{t("common:retry")}</button>
      )}
      {!data && load.loading && (
        <p className="loading" role="status">{t("common:loading")}</p>
      )}

      {data && views && options && (
        <div className={stale ? "dash-body dash-stale" : "dash-body"} aria-busy={stale}>
          <section aria-labelledby="kpi-h">
            <h2 id="kpi-h" className="sr-only">{t("kpi.label")}</h2>
            <div className="kpis dash-kpis">
              <Kpi
                id="kpi-persons"
                label={t("kpi.persons")}
                value={total?.persons ?? recon?.unified_persons}
                note={t("kpi.personsNote")}
                k={k}
              />
              <Kpi
                id="kpi-records"
                label={t("kpi.records")}
                value={total?.records ?? recon?.records}
                note={t("kpi.recordsNote")}
                k={k}
              />
              <Kpi id="kpi-cases" label={t("kpi.cases")} value={total?.cases} note={t("kpi.casesNote")} k={k} />
              <Kpi
                id="kpi-sum"
                label={t("kpi.sum")}
                value={recon?.sum_of_agency_counts}
                note={extra !== null && extra > 0
                  ? t("kpi.sumNote", { extra: formatNumber(extra) })
                  : t("kpi.sumNoteNone")}
                k={k}
              />
              <Kpi
                id="kpi-several"
                label={t("kpi.several")}
                value={recon?.persons_at_several}
                note={t("kpi.severalNote")}
                k={k}
              />
            </div>
          </section>

          <div className="dash-row dash-row-map">
            <section className="card dash-map" aria-labelledby="map-h" data-testid="map">
              <h2 id="map-h">{t("map.title")}</h2>
              <Suspense fallback={<p className="loading" role="status">{t("map.loading")}</p>}>
                <ProvinceMap
                  provinces={provinces}
                  k={k}
                  label={t("map.label")}
                  onSelect={national ? selectProvince : undefined}
                  height={360}
                />
              </Suspense>
              <p className="small">{t("map.hiddenLegend", { k })}</p>
              <p className="small">{t("map.papua")}</p>
              {national && <p className="small">{t("map.clickHint")}</p>}
              <p className="small dash-attribution">{t("map.attribution")}</p>
            </section>
            {figure("origin", "bars")}
          </div>

          <div className="dash-row dash-row-2">
            {figure("year", 280)}
            {figure("sex", 280, { drawsUnknown: true })}
          </div>

          <Reconcile recon={data.recon} />

          <div className="dash-row dash-row-2">
            {figure("age", 260)}
            {figure("exploitation", "bars", { note: t("charts.exploitationNote") })}
            {figure("recruitment", "bars")}
            {figure("destination", "bars")}
          </div>
        </div>
      )}
    </div>
  );
}
