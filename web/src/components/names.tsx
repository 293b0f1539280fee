// Names for codes, shared by every screen: region names (one cache for the whole app),
// agency names, sex in words, calendar dates in the reader's language, and the values
// of a source record as a reader wants to see them.
import { useCallback, useEffect, useState } from "react";
import type { ReactNode } from "react";
import type { TFunction } from "i18next";
import i18next from "i18next";
import { useTranslation } from "react-i18next";
import { getJson } from "../api";
import type { Agency, Region } from "../api";
import { useSession } from "../session";

// Region names never change while the app runs: each code is asked for once.
const regionCache = new Map<string, Promise<string>>();
export function regionName(code: string): Promise<string> {
  let p = regionCache.get(code);
  if (!p) {
    p = getJson<Region>(`/api/v1/regions/${encodeURIComponent(code)}`)
      .then((r) => r.name)
      .catch(() => {
        regionCache.delete(code);
        return code;
      });
    regionCache.set(code, p);
  }
  return p;
}

// The names of the given region codes, filled in as they arrive (the code until then).
export function useRegionNames(codes: string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(codes.filter((c) => c))].sort().join(",");
  useEffect(() => {
    let live = true;
    for (const code of key ? key.split(",") : [])
      void regionName(code).then((name) => {
        if (live) setNames((n) => (n[code] === name ? n : { ...n, [code]: name }));
      });
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}

// The agencies each account may see, asked for once per account while the app runs.
const agencyCache = new Map<string, Promise<Agency[]>>();
function agenciesOf(user: string): Promise<Agency[]> {
  let p = agencyCache.get(user);
  if (!p) {
    p = getJson<{ agencies: Agency[] }>("/api/v1/agencies")
      .then((r) => r.agencies)
      .catch(() => {
        agencyCache.delete(user);
        return [];
      });
    agencyCache.set(user, p);
  }
  return p;
}

// Agency code → name (the code itself until the list has arrived, or when unknown).
// With load false (an account that may not read the agencies) codes stay codes.
export function useAgencyName(load = true): (code: string) => string {
  const { me } = useSession();
  const user = me?.username ?? "";
  const [agencies, setAgencies] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!load) return;
    let live = true;
    void agenciesOf(user).then((list) => {
      if (live) setAgencies(Object.fromEntries(list.map((a) => [a.code, a.name])));
    });
    return () => {
      live = false;
    };
  }, [user, load]);
  return useCallback((code: string) => agencies[code] ?? code, [agencies]);
}

// A calendar date (YYYY-MM-DD) in the reader's language: "19 Jan 2004".
export function formatDate(date: string | undefined): string {
  if (!date) return "—";
  const m = date.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(i18next.language === "en" ? "en-GB" : "id-ID", {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(d);
}

export function sexText(t: TFunction, sex: string | undefined): string {
  return t(`common:sex.${sex === "L" || sex === "P" ? sex : ""}`);
}

// Coded fields whose codes the common catalogue names (common:<field>.<code>).
const CODED = new Set(["sex", "exploitation", "recruitment"]);

// The catalogue's name for a code of a coded field, if it has one.
export function codeName(t: TFunction, field: string, code: string): string | undefined {
  const key = `common:${field}.${code}`;
  return CODED.has(field) && code !== "" && i18next.exists(key) ? t(key) : undefined;
}

const DATE_FIELDS = new Set(["birth_date", "report_date", "incident_date"]);

// A formatter for RecordCompare: sex in words, the origin region's name (its code in
// small text), dates in the reader's language and exploitation and recruitment codes
// (";"-joined lists) by their names; everything else as recorded.
export function useRecordValueFormatter(
  records: { parsed: Record<string, string> }[],
): (field: string, value: string) => ReactNode {
  const { t } = useTranslation();
  const regions = useRegionNames(records.map((r) => r.parsed.origin_region ?? ""));
  return useCallback(
    (field: string, value: string): ReactNode => {
      if (field === "sex") return codeName(t, field, value) ?? value;
      if (DATE_FIELDS.has(field)) return formatDate(value);
      if (field === "origin_region") {
        const name = regions[value];
        if (!name || name === value) return value;
        return (
          <>
            {name} <span className="small">{value}</span>
          </>
        );
      }
      if (field === "exploitation" || field === "recruitment")
        return value
          .split(";")
          .map((c) => codeName(t, field, c.trim()) ?? c.trim())
          .join("; ");
      return value;
    },
    [regions, t],
  );
}

// The fullest name: most whole name parts, then fewest initials, then longest.
export function fullestName(records: { parsed: Record<string, string> }[]): string {
  let best = "";
  let bestKey: number[] = [];
  for (const r of records) {
    const name = (r.parsed.name ?? "").trim();
    if (!name) continue;
    const parts = name.split(/\s+/);
    const whole = parts.filter((p) => !p.endsWith(".") && p.length > 1).length;
    // Mixed case ("Siti Aminah") reads better than capitals when all else is equal.
    const key = [whole, whole - parts.length, name.length, name === name.toUpperCase() ? 0 : 1];
    const i = key.findIndex((k, j) => k !== bestKey[j]);
    if (bestKey.length === 0 || (i >= 0 && key[i] > bestKey[i])) {
      best = name;
      bestKey = key;
    }
  }
  return best;
}
