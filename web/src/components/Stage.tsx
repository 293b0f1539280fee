// The stages of the course of justice as readers see them: a stage's name in the
// reader's language (the catalogue's, else the name the server sends — the stage list
// is data and may grow), a badge coloured by the part of law enforcement it belongs to
// (with the part's name in words, never colour alone), and the words for roles,
// verdicts, days and prison terms.
import i18next from "i18next";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Stage } from "../api";
import { formatNumber } from "../i18n";

// Stage codes in the order of the process (the filter's choices).
export const STAGE_CODES = [
  "laporan",
  "penyelidikan",
  "penyidikan",
  "tersangka",
  "spdp",
  "p19",
  "p21",
  "sp3",
  "tahap2",
  "dakwaan",
  "pelimpahan",
  "tuntutan",
  "skpp",
  "putusan_pn",
  "banding",
  "putusan_pt",
  "kasasi",
  "putusan_ma",
  "inkracht",
  "eksekusi",
  "diversi",
  "keadilan_restoratif",
  "restitusi_dibayar",
] as const;

export const AREAS = ["police", "prosecution", "court", "other"] as const;

export function areaOf(stage: Stage | null | undefined): string {
  const a = stage?.area ?? "other";
  return (AREAS as readonly string[]).includes(a) ? a : "other";
}

export function stageName(t: TFunction, stage: Stage | string | null | undefined): string {
  if (!stage) return t("justice:noStage");
  const code = typeof stage === "string" ? stage : stage.code;
  const key = `justice:stages.${code}`;
  if (i18next.exists(key)) return t(key);
  if (typeof stage === "string") return code;
  return (i18next.language === "en" ? stage.name_en : stage.name_id) || code;
}

export function areaName(t: TFunction, area: string): string {
  return t(`justice:areas.${area}`, { defaultValue: area });
}

// A stage's name on the colour of its area; the area's name is read out too.
export function StageBadge({ stage }: { stage: Stage | null }) {
  const { t } = useTranslation("justice");
  const area = areaOf(stage);
  return (
    <span className={`stage stage-${area}`} data-stage={stage?.code ?? ""}>
      <span className="sr-only">{areaName(t, area)}: </span>
      {stageName(t, stage)}
    </span>
  );
}

export function roleText(t: TFunction, role: string): string {
  return t(`justice:roles.${role}`, { defaultValue: role });
}

export function verdictText(t: TFunction, verdict: string): string {
  return t(`justice:verdicts.${verdict}`, { defaultValue: verdict });
}

export function VerdictBadge({ verdict }: { verdict: string }) {
  const { t } = useTranslation("justice");
  return <span className={`verdict verdict-${verdict}`}>{verdictText(t, verdict)}</span>;
}

export function daysText(t: TFunction, days: number | null | undefined): string {
  if (days === null || days === undefined) return "—";
  return t("justice:days", { count: days, formatted: formatNumber(days) });
}

// A prison term: "8 tahun 4 bulan" from 100 months.
export function sentenceText(t: TFunction, months: number): string {
  const years = Math.floor(months / 12);
  const rest = months % 12;
  const parts = [];
  if (years > 0) parts.push(t("justice:years", { count: years }));
  if (rest > 0 || years === 0) parts.push(t("justice:months", { count: rest }));
  return parts.join(" ");
}
