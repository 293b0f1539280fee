// Change one's own password; forced after a one-time password from an administrator.
import { useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { sendJson } from "../api";
import { useSession } from "../session";
import { ErrorMessage } from "../components/ErrorMessage";

interface Form {
  old_password: string;
  new_password: string;
  repeat: string;
}

export function ChangePassword({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation("password");
  const { refresh, logout } = useSession();
  const [failure, setFailure] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<Form>();

  const onSubmit = async (form: Form) => {
    setFailure(null);
    try {
      await sendJson("POST", "/api/v1/auth/password", {
        old_password: form.old_password,
        new_password: form.new_password,
      });
      setDone(true);
      reset();
      await refresh();
    } catch (e) {
      setFailure(e);
    }
  };

  return (
    <section className={forced ? "login-box" : "narrow"}>
      <h1>{t("title")}</h1>
      {forced && <p className="notice">{t("forced")}</p>}
      {done && (
        <p className="ok" role="status">
          {t("done")}
        </p>
      )}
      <form onSubmit={handleSubmit(onSubmit)} noValidate>
        <label htmlFor="old_password">{t("old")}</label>
        <input
          id="old_password"
          type="password"
          autoComplete="current-password"
          {...register("old_password", { required: true })}
        />
        {errors.old_password && <p className="field-error">{t("required")}</p>}
        <label htmlFor="new_password">{t("new")}</label>
        <input
          id="new_password"
          type="password"
          autoComplete="new-password"
          aria-describedby="new-hint"
          {...register("new_password", { required: true, minLength: 10 })}
        />
        <p id="new-hint" className="small">
          {t("hint")}
        </p>
        {errors.new_password && <p className="field-error">{t("tooShort")}</p>}
        <label htmlFor="repeat">{t("repeat")}</label>
        <input
          id="repeat"
          type="password"
          autoComplete="new-password"
          {...register("repeat", {
            validate: (v, all) => v === all.new_password,
          })}
        />
        {errors.repeat && <p className="field-error">{t("mismatch")}</p>}
        <ErrorMessage error={failure} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={isSubmitting}>
            {t("submit")}
          </button>
          {forced && (
            <button type="button" onClick={() => void logout()}>
              {t("common:logout")}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
