// The explanation of one scored pair as a waterfall of match weights: the prior,
// then each field's weight (up for agreement, down for disagreement), ending at the
// pair's total weight and its probability. Drawn with ECharts: a transparent base
// bar stacked under a signed step (stackStrategy "all" so steps may cross zero).
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { Comparison, Explanation } from "../api";
import { Chart } from "./Chart";
import { formatNumber } from "../i18n";

// A level label from the linkage engine in the reader's language.
export function levelText(t: TFunction, label: string): string {
  // A field present on both sides but not counted, because the name (or another
  // gate) agrees too little: "not counted: name below similarity>=0.8".
  const gated = label.match(/^not counted: (.+) below (.+)$/);
  if (gated)
    return t("explain:levels.notCounted", {
      field: fieldText(t, gated[1]),
      level: levelText(t, gated[2]),
    });
  const m = label.match(/^(similarity|jw)>=([\d.]+)$/);
  if (m) return t("explain:levels.similarity", { value: formatNumber(Number(m[2]), 2) });
  const days = label.match(/^within (\d+) days$/);
  if (days) return t("explain:levels.withinDays", { days: formatNumber(Number(days[1]), 0) });
  return t(`explain:levels.${label}`, { defaultValue: label });
}

export function fieldText(t: TFunction, comparison: string): string {
  return t(`common:recordFields.${comparison}`, { defaultValue: comparison });
}

export function Waterfall({ explanation, height }: { explanation: Explanation; height?: number }) {
  const { t, i18n } = useTranslation("explain");
  const { option, label } = useMemo(() => {
    const steps: { name: string; weight: number; c?: Comparison }[] = [
      { name: t("prior"), weight: explanation.prior_weight },
      ...explanation.comparisons
        .filter((c) => c.weight !== 0 || c.label !== "null")
        .map((c) => ({ name: fieldText(t, c.comparison), weight: c.weight, c })),
    ];
    const base: number[] = [];
    const step: { value: number; itemStyle: { color: string } }[] = [];
    let running = 0;
    for (const s of steps) {
      base.push(running);
      step.push({ value: s.weight, itemStyle: { color: s.weight >= 0 ? "#1a7f37" : "#cf222e" } });
      running += s.weight;
    }
    const names = [...steps.map((s) => s.name), t("total")];
    base.push(0);
    step.push({ value: explanation.weight, itemStyle: { color: "#0b5cad" } });
    const option = {
      grid: { left: 8, right: 56, top: 8, bottom: 24, containLabel: true },
      xAxis: { type: "value", name: t("weight"), nameLocation: "middle", nameGap: 22 },
      yAxis: { type: "category", data: names, inverse: true },
      tooltip: {
        trigger: "axis",
        axisPointer: { type: "shadow" },
        formatter: (params: { dataIndex: number }[]) => {
          const i = params[0]?.dataIndex ?? 0;
          if (i === steps.length)
            return t("totalTooltip", {
              weight: formatNumber(explanation.weight, 2),
              probability: formatNumber(explanation.probability * 100, 1),
            });
          const s = steps[i];
          if (!s.c) return `${s.name}: ${formatNumber(s.weight, 2)}`;
          return `${s.name}: ${levelText(t, s.c.label)} (${formatNumber(s.weight, 2)})`;
        },
      },
      series: [
        {
          type: "bar",
          stack: "w",
          stackStrategy: "all",
          data: base,
          itemStyle: { color: "transparent" },
          emphasis: { disabled: true },
          silent: true,
        },
        {
          type: "bar",
          stack: "w",
          stackStrategy: "all",
          data: step,
          label: {
            show: true,
            position: "right",
            formatter: (p: { value: number }) =>
              (p.value > 0 ? "+" : "") + formatNumber(p.value, 1),
          },
        },
      ],
    };
    const label = t("chartLabel", {
      weight: formatNumber(explanation.weight, 2),
      probability: formatNumber(explanation.probability * 100, 1),
    });
    return { option, label };
    // The language is a dependency: labels are translated when it changes.
  }, [explanation, t, i18n.language]);

  return (
    <figure className="waterfall">
      <Chart option={option} label={label} height={height ?? 60 + 26 * (explanation.comparisons.length + 2)} />
      <figcaption className="small">{label}</figcaption>
      <details>
        <summary>{t("asTable")}</summary>
        <div className="table-wrap" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("field")}</th>
                <th scope="col">{t("valueA")}</th>
                <th scope="col">{t("valueB")}</th>
                <th scope="col">{t("agreement")}</th>
                <th scope="col" className="num">{t("weight")}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">{t("prior")}</th>
                <td />
                <td />
                <td />
                <td className="num">{formatNumber(explanation.prior_weight, 2)}</td>
              </tr>
              {explanation.comparisons.map((c) => (
                <tr key={c.comparison}>
                  <th scope="row">{fieldText(t, c.comparison)}</th>
                  <td>{c.value_l}</td>
                  <td>{c.value_r}</td>
                  <td>{levelText(t, c.label)}</td>
                  <td className="num">{formatNumber(c.weight, 2)}</td>
                </tr>
              ))}
              <tr>
                <th scope="row">{t("total")}</th>
                <td />
                <td />
                <td>{formatNumber(explanation.probability * 100, 1)}%</td>
                <td className="num">{formatNumber(explanation.weight, 2)}</td>
              </tr>
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
