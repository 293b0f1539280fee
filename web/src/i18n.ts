// Every string the user reads comes from a message catalogue: one JSON file per
// screen (namespace) and language under locales/. Indonesian is the default;
// English is switchable and remembered in this browser.
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

type Catalogue = Record<string, unknown>;
const files = import.meta.glob<Catalogue>("./locales/*/*.json", {
  eager: true,
  import: "default",
});

export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const LANGUAGE_KEY = "gugus.lang";

const resources: Record<string, Record<string, Catalogue>> = {};
for (const [path, catalogue] of Object.entries(files)) {
  const m = path.match(/\.\/locales\/(\w+)\/(\w+)\.json$/);
  if (!m) continue;
  (resources[m[1]] ??= {})[m[2]] = catalogue;
}

function savedLanguage(): Language {
  const saved = localStorage.getItem(LANGUAGE_KEY);
  return saved === "en" ? "en" : "id";
}

void i18next.use(initReactI18next).init({
  resources,
  lng: savedLanguage(),
  fallbackLng: "id",
  defaultNS: "common",
  ns: Object.keys(resources.id ?? {}),
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18next.language;

export function setLanguage(lang: Language): void {
  localStorage.setItem(LANGUAGE_KEY, lang);
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
}

// Numbers and dates in the reader's language (1.234 in Indonesian, 1,234 in English).
export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return "—";
  return new Intl.NumberFormat(i18next.language === "en" ? "en-GB" : "id-ID", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}

// Rupiah as Indonesians write it: "Rp 45.000.000" (in English "Rp 45,000,000").
export function formatRupiah(n: number | null | undefined): string {
  if (n === null || n === undefined) return "—";
  return `Rp\u00a0${formatNumber(n)}`;
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(i18next.language === "en" ? "en-GB" : "id-ID", {
    dateStyle: "medium",
    timeStyle: "short",
  }).format(d);
}

export default i18next;
