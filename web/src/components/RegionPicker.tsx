// Chooses a region: first the province (or "ID", all of Indonesia), then, if wanted,
// one of its regencies or cities. The value is one region code ("ID", "32" or
// "32.02"). Also: a region's name in words.
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { getJson } from "../api";
import type { Region } from "../api";
import "./RegionPicker.css";

export const NATIONAL = "ID";

// The province a code lies in: "32.02" → "32"; "ID" stays "ID".
export function provinceOf(code: string): string {
  if (!code || code === NATIONAL) return code;
  return code.split(".")[0];
}

const childrenCache = new Map<string, Promise<Region[]>>();
function childrenOf(parent: string): Promise<Region[]> {
  let p = childrenCache.get(parent);
  if (!p) {
    p = getJson<{ regions: Region[] }>("/api/v1/regions", { parent }).then((r) => r.regions);
    p.catch(() => childrenCache.delete(parent));
    childrenCache.set(parent, p);
  }
  return p;
}

// A region's name in words: "Seluruh Indonesia" for ID, else the fetched name.
export function RegionName({ code, names }: { code: string; names: Record<string, string> }) {
  const { t } = useTranslation("admin");
  if (code === NATIONAL) return <>{t("region.national")}</>;
  return <span title={code}>{names[code] ?? code}</span>;
}

function useChildren(parent: string): { regions: Region[]; loading: boolean; failed: boolean } {
  const [state, setState] = useState<{ parent: string; regions: Region[]; failed: boolean }>({
    parent: "",
    regions: [],
    failed: false,
  });
  useEffect(() => {
    if (!parent) return;
    let live = true;
    childrenOf(parent).then(
      (regions) => live && setState({ parent, regions, failed: false }),
      () => live && setState({ parent, regions: [], failed: true }),
    );
    return () => {
      live = false;
    };
  }, [parent]);
  const current = state.parent === parent;
  return {
    regions: current ? state.regions : [],
    loading: !!parent && !current,
    failed: current && state.failed,
  };
}

export interface RegionPickerProps {
  value: string;
  onChange: (code: string) => void;
  label: string;
  // The widest region the user may choose (an administrator's own region).
  root?: string;
  // Whether a regency or city may be chosen below the province.
  regencies?: boolean;
  error?: string;
  hint?: string;
  disabled?: boolean;
  onBlur?: () => void;
}

export function RegionPicker({
  value,
  onChange,
  label,
  root = NATIONAL,
  regencies = true,
  error,
  hint,
  disabled,
  onBlur,
}: RegionPickerProps) {
  const { t } = useTranslation("admin");
  const id = useId();
  const provinces = useChildren(NATIONAL);
  const province = provinceOf(value);
  const regencyList = useChildren(province && province !== NATIONAL ? province : "");
  const rootProvince = root === NATIONAL ? "" : provinceOf(root);
  const provinceChoices = rootProvince
    ? provinces.regions.filter((r) => r.code === rootProvince)
    : provinces.regions;
  const regencyChoices =
    root.includes(".") ? regencyList.regions.filter((r) => r.code === root) : regencyList.regions;
  const describedBy = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");

  return (
    <fieldset className="region-picker" aria-describedby={describedBy || undefined}>
      <legend>{label}</legend>
      <div className="region-selects">
        <div>
          <label htmlFor={`${id}-province`}>{t("region.province")}</label>
          <select
            id={`${id}-province`}
            value={province}
            disabled={disabled}
            aria-invalid={error ? true : undefined}
            onBlur={onBlur}
            onChange={(e) => onChange(e.target.value)}
          >
            <option value="" disabled>
              {provinces.loading ? t("region.loading") : t("region.choose")}
            </option>
            {root === NATIONAL && <option value={NATIONAL}>{t("region.nationalOption")}</option>}
            {provinceChoices.map((r) => (
              <option key={r.code} value={r.code}>
                {r.code} — {r.name}
              </option>
            ))}
            {/* A value outside the loaded list (while loading) still shows. */}
            {province &&
              province !== NATIONAL &&
              !provinceChoices.some((r) => r.code === province) && (
                <option value={province}>{province}</option>
              )}
          </select>
        </div>
        {regencies && (
          <div>
            <label htmlFor={`${id}-regency`}>{t("region.regency")}</label>
            <select
              id={`${id}-regency`}
              value={value.includes(".") ? value : ""}
              disabled={disabled || !province || province === NATIONAL}
              onBlur={onBlur}
              onChange={(e) => onChange(e.target.value || province)}
            >
              <option value="" disabled={root.includes(".")}>
                {province === NATIONAL || !province
                  ? t("region.noRegency")
                  : regencyList.loading
                    ? t("region.loading")
                    : t("region.wholeProvince")}
              </option>
              {regencyChoices.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.code} — {r.name}
                </option>
              ))}
              {value.includes(".") && !regencyChoices.some((r) => r.code === value) && (
                <option value={value}>{value}</option>
              )}
            </select>
          </div>
        )}
      </div>
      {hint && (
        <p id={`${id}-hint`} className="small">
          {hint}
        </p>
      )}
      {(provinces.failed || regencyList.failed) && (
        <p className="field-error">{t("region.failed")}</p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
