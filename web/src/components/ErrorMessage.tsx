// A failure in plain Indonesian (or English): the catalogue's sentence for the
// server's error code, the fields it names, and the server's own words as detail.
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError } from "../api";

export function errorText(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t("common:errors.network");
    return t(`common:errors.${error.code}`, { defaultValue: t("common:errors.internal") });
  }
  return t("common:errors.internal");
}

export function ErrorMessage({ error }: { error: unknown }) {
  const { t } = useTranslation("common");
  if (!error) return null;
  const fields = error instanceof ApiError ? Object.keys(error.fields) : [];
  const detail = error instanceof ApiError && error.status !== 0 ? error.message : "";
  return (
    <div className="error" role="alert">
      <p>{errorText(t, error)}</p>
      {fields.length > 0 && (
        <p>
          {t("errors.fields")}{" "}
          {fields.map((f) => t(`fields.${f}`, { defaultValue: f })).join(", ")}
        </p>
      )}
      {detail && (
        <p className="detail" lang="en">
          {t("errors.detail")}: {detail}
        </p>
      )}
    </div>
  );
}
