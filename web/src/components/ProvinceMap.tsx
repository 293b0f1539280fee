// The map of Indonesia's provinces, coloured by unique victims. Loaded on demand (its
// outlines are ~110 kB) from @svg-maps/indonesia (CC BY 4.0), which still draws the 34
// provinces of 2019: the Papuan provinces created in 2022 are counted in the province
// they were split from, and the dashboard says so under the map.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
// @ts-expect-error: the package ships plain JavaScript without type declarations.
import indonesia from "@svg-maps/indonesia";
import { Chart, echarts } from "./Chart";
import { formatNumber } from "../i18n";

interface SvgMap {
  viewBox: string;
  locations: { name: string; id: string; path: string }[];
}

// BPS province code → the id of its outline in @svg-maps/indonesia.
export const PROVINCE_AREA: Record<string, string> = {
  "11": "id-ac", "12": "id-su", "13": "id-sb", "14": "id-ri", "15": "id-ja",
  "16": "id-ss", "17": "id-be", "18": "id-la", "19": "id-bb", "21": "id-kr",
  "31": "id-jk", "32": "id-jb", "33": "id-jt", "34": "id-yo", "35": "id-ji",
  "36": "id-bt", "51": "id-ba", "52": "id-nb", "53": "id-nt", "61": "id-kb",
  "62": "id-kt", "63": "id-ks", "64": "id-ki", "65": "id-ku", "71": "id-sa",
  "72": "id-st", "73": "id-sn", "74": "id-sg", "75": "id-go", "76": "id-sr",
  "81": "id-ma", "82": "id-mu", "91": "id-pa", "92": "id-pb",
  // Split from Papua and Papua Barat in 2022: drawn inside their former province.
  "93": "id-pa", "94": "id-pa", "95": "id-pa", "96": "id-pb",
};

// The outline's id → the province a click on it selects (the one it is named after).
const AREA_PROVINCE: Record<string, string> = Object.fromEntries(
  Object.entries(PROVINCE_AREA).filter(([code]) => Number(code) < 93).map(([c, a]) => [a, c]),
);

export interface ProvinceCount {
  code: string;
  label: string;
  persons: number | null;
  suppressed: boolean;
}

export interface AreaCount {
  area: string;
  code: string;
  label: string;
  persons: number | null; // known part; null when nothing is published
  hidden: "none" | "all" | "part";
}

// Adds the provinces up per outline; an outline with a hidden part says so.
export function areaCounts(
  provinces: ProvinceCount[],
  names: { papua: string; papuaBarat: string },
): AreaCount[] {
  const byArea = new Map<string, AreaCount & { parts: number; hiddenParts: number }>();
  for (const p of provinces) {
    const area = PROVINCE_AREA[p.code];
    if (!area) continue;
    let a = byArea.get(area);
    if (!a) {
      const code = AREA_PROVINCE[area];
      const label =
        area === "id-pa" ? names.papua : area === "id-pb" ? names.papuaBarat : p.label;
      a = { area, code, label, persons: null, hidden: "none", parts: 0, hiddenParts: 0 };
      byArea.set(area, a);
    }
    a.parts++;
    if (p.suppressed || p.persons === null) a.hiddenParts++;
    else a.persons = (a.persons ?? 0) + p.persons;
  }
  return [...byArea.values()].map(({ parts, hiddenParts, ...a }) => ({
    ...a,
    hidden: hiddenParts === 0 ? "none" : hiddenParts === parts ? "all" : "part",
  }));
}

let registered = false;
function registerIndonesia() {
  if (registered) return;
  const map = indonesia as SvgMap;
  const paths = map.locations.map((l) => `<path name="${l.id}" d="${l.path}"/>`).join("");
  // Papua's eastern edge lies a little beyond the package's viewBox: widen it.
  const [x, y, w, h] = map.viewBox.split(" ").map(Number);
  const width = w + 24;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${h}" ` +
    `viewBox="${x} ${y} ${width} ${h}">${paths}</svg>`;
  echarts.registerMap("indonesia", { svg });
  registered = true;
}

const HIDDEN_COLOUR = "#b8bec6";

export default function ProvinceMap({
  provinces,
  k,
  label,
  onSelect,
  height = 340,
}: {
  provinces: ProvinceCount[];
  k: number;
  label: string;
  onSelect?: (province: string) => void;
  height?: number;
}) {
  const { t, i18n } = useTranslation("dashboard");
  registerIndonesia();
  const areas = useMemo(
    () => areaCounts(provinces, { papua: t("map.areaPapua"), papuaBarat: t("map.areaPapuaBarat") }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [provinces, t, i18n.language],
  );

  const option = useMemo(() => {
    const known = new Map(areas.map((a) => [a.area, a]));
    const all = (indonesia as SvgMap).locations;
    const max = Math.max(1, ...areas.map((a) => (a.hidden === "all" ? 0 : (a.persons ?? 0))));
    const data = all.map((l) => {
      const a = known.get(l.id);
      const name = a?.label ?? l.name;
      if (a && a.hidden !== "none")
        // No value: the visual map leaves it alone and the series' grey shows.
        return { name: l.id, value: NaN, known: a.persons, label: name, hidden: a.hidden };
      return { name: l.id, value: a?.persons ?? 0, known: a?.persons ?? 0, label: name, hidden: "none" };
    });
    return {
      aria: { enabled: true, label: { description: label } },
      tooltip: {
        trigger: "item",
        formatter: (p: { data?: { label: string; known: number | null; hidden: string } }) => {
          const d = p.data;
          if (!d) return "";
          const n = d.known;
          if (d.hidden === "all") return `${d.label}<br/>${t("hidden", { k })}`;
          const count = t("map.persons", { value: formatNumber(n) });
          if (d.hidden === "part") return `${d.label}<br/>≥ ${count} (${t("map.partlyHidden")})`;
          return `${d.label}<br/>${count}`;
        },
      },
      visualMap: {
        type: "continuous",
        min: 0,
        max,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        calculable: false,
        itemWidth: 12,
        itemHeight: 180,
        text: [t("map.legendHigh"), t("map.legendLow")],
        inRange: { color: ["#f3f6fa", "#9ec3e6", "#2f75b5", "#0b3d73"] },
        outOfRange: { color: [HIDDEN_COLOUR] },
        formatter: (v: number) => formatNumber(v),
        textStyle: { color: "#4b5563" },
      },
      series: [
        {
          type: "map",
          map: "indonesia",
          roam: false,
          selectedMode: false,
          left: 4,
          right: 4,
          top: 4,
          bottom: 44,
          itemStyle: {
            borderColor: "#ffffff",
            borderWidth: 0.6,
            areaColor: HIDDEN_COLOUR,
            color: HIDDEN_COLOUR,
          },
          emphasis: { label: { show: false }, itemStyle: { areaColor: "#f2b705" } },
          label: { show: false },
          data,
        },
      ],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [areas, k, label, t, i18n.language]);

  const onClick = useMemo(
    () =>
      onSelect
        ? (p: { name: string }) => {
            const code = AREA_PROVINCE[p.name];
            if (code) onSelect(code);
          }
        : undefined,
    [onSelect],
  );

  const sorted = [...areas].sort((a, b) => a.code.localeCompare(b.code));
  return (
    <>
      <Chart option={option} label={label} height={height} onClick={onClick} />
      <details className="dash-table">
        <summary>{t("showTable")}</summary>
        <div className="table-wrap" tabIndex={0}>
          <table>
            <caption className="sr-only">{label}</caption>
            <thead>
              <tr>
                <th scope="col">{t("cols.area")}</th>
                <th scope="col" className="num">
                  {t("cols.persons")}
                </th>
              </tr>
            </thead>
            <tbody>
              {sorted.map((a) => (
                <tr key={a.area}>
                  <th scope="row">{a.label}</th>
                  <td className="num">
                    {a.hidden === "all" ? (
                      <span className="hidden-count">{t("hidden", { k })}</span>
                    ) : a.hidden === "part" ? (
                      <>
                        ≥ {formatNumber(a.persons)}{" "}
                        <span className="hidden-count">({t("map.partlyHidden")})</span>
                      </>
                    ) : (
                      formatNumber(a.persons)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
