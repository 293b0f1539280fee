// Login. Wrong credentials, a disabled account and throttling each get their own
// plain sentence; a session that ran out says so.
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api";
import { useSession } from "../session";
import { ErrorMessage } from "../components/ErrorMessage";
import { LanguageSwitch } from "../components/Layout";

interface Form {
  username: string;
  password: string;
}

export function Login() {
  const { t } = useTranslation("login");
  const { me, login, expired } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [failure, setFailure] = useState<unknown>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<Form>();

  // While the user types, fetch the home screen and its charts (the largest part
  // of the application) so that the dashboard appears soon after logging in.
  useEffect(() => {
    const id = window.setTimeout(() => void import("./Dashboard"), 300);
    return () => window.clearTimeout(id);
  }, []);

  const from = (location.state as { from?: string } | null)?.from ?? "/";
  if (me) return <Navigate to={from === "/masuk" ? "/" : from} replace />;

  const onSubmit = async (form: Form) => {
    setFailure(null);
    try {
      await login(form.username.trim(), form.password);
      navigate(from === "/masuk" ? "/" : from, { replace: true });
    } catch (e) {
      setFailure(e);
    }
  };

  const wrong = failure instanceof ApiError && failure.status === 401;
  return (
    <div className="login-page">
      <main id="main" className="login-box">
        <div className="login-head">
          <h1>gugus</h1>
          <LanguageSwitch />
        </div>
        <p className="tagline">{t("common:tagline")}</p>
        {expired && (
          <p className="notice" role="status">
            {t("expired")}
          </p>
        )}
        <form onSubmit={handleSubmit(onSubmit)} noValidate>
          <label htmlFor="username">{t("username")}</label>
          <input
            id="username"
            autoComplete="username"
            autoFocus
            aria-invalid={errors.username ? true : undefined}
            aria-describedby={errors.username ? "username-error" : undefined}
            {...register("username", { required: true })}
          />
          {errors.username && (
            <p id="username-error" className="field-error">
              {t("usernameRequired")}
            </p>
          )}
          <label htmlFor="password">{t("password")}</label>
          <input
            id="password"
            type="password"
            autoComplete="current-password"
            aria-invalid={errors.password ? true : undefined}
            aria-describedby={errors.password ? "password-error" : undefined}
            {...register("password", { required: true })}
          />
          {errors.password && (
            <p id="password-error" className="field-error">
              {t("passwordRequired")}
            </p>
          )}
          {wrong ? (
            <div className="error" role="alert">
              <p>{t("wrong")}</p>
            </div>
          ) : (
            <ErrorMessage error={failure} />
          )}
          <button type="submit" className="primary" disabled={isSubmitting}>
            {isSubmitting ? t("signingIn") : t("signIn")}
          </button>
        </form>
        <p className="small">{t("privacy")}</p>
      </main>
    </div>
  );
}
