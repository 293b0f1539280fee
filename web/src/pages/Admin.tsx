// Administration: the accounts and the agencies an administrator manages in their
// region. Changes carry the version they were made from, so a change someone else
// made in between is refused ("stale") instead of silently overwritten. A one-time
// password is shown once, in the dialog that made it, and never logged.
import { useEffect, useId, useRef, useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";
import { Controller, useForm } from "react-hook-form";
import type { Control, FieldValues, Path, UseFormSetError } from "react-hook-form";
import { useSearchParams } from "react-router-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, getJson, sendJson } from "../api";
import type { Agency, User } from "../api";
import { useSession } from "../session";
import { errorText } from "../components/ErrorMessage";
import { useLoad } from "../components/useLoad";
import { NATIONAL, RegionName, RegionPicker } from "../components/RegionPicker";
import { useRegionNames } from "../components/names";
import "./Admin.css";

const ROLES = [
  "admin",
  "secretariat",
  "caseworker",
  "investigator",
  "migrant_officer",
  "analyst",
] as const;

type Tab = "users" | "agencies";
const TAB_PARAM: Record<Tab, string> = { users: "pengguna", agencies: "lembaga" };

// --- shared pieces ---

// The sentence for a failure: this screen's own wording for some codes, else the
// common one.
function sentence(t: TFunction, error: unknown, own: Record<string, string> = {}): string {
  if (error instanceof ApiError && own[error.code]) return t(own[error.code]);
  return errorText(t, error);
}

function Problem({
  error,
  own,
  children,
}: {
  error: unknown;
  own?: Record<string, string>;
  children?: ReactNode;
}) {
  const { t } = useTranslation("admin");
  if (!error) return null;
  const detail = error instanceof ApiError && error.status !== 0 ? error.message : "";
  return (
    <div className="error" role="alert">
      <p>{sentence(t, error, own)}</p>
      {detail && (
        <p className="detail" lang="en">
          {t("common:errors.detail")}: {detail}
        </p>
      )}
      {children}
    </div>
  );
}

// Puts the server's field errors next to the fields they name.
function showFieldErrors<F extends FieldValues>(
  t: TFunction,
  error: unknown,
  known: string[],
  setError: UseFormSetError<F>,
): void {
  if (!(error instanceof ApiError)) return;
  for (const field of Object.keys(error.fields))
    if (known.includes(field))
      setError(field as Path<F>, {
        type: "server",
        message: t(`fieldErrors.${field}`, { defaultValue: t("fieldErrors.generic") }),
      });
}

function describedBy(id: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function FieldNote({ id, hint, error }: { id: string; hint?: string; error?: string }) {
  return (
    <>
      {hint && (
        <p id={`${id}-hint`} className="small">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </>
  );
}

// A modal dialog (the browser's own: focus stays inside, Escape closes). Focus goes
// to its first field on opening and back to what opened it on closing.
function Dialog({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation("admin");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current;
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector<HTMLElement>(
      "[data-autofocus], .dialog-body input:not([disabled]), .dialog-body select:not([disabled])",
    );
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
      else document.getElementById("main")?.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="admin-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="dialog-x" onClick={onClose}>
          <span aria-hidden="true">×</span>
          <span className="sr-only">{t("common:close")}</span>
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

// A new one-time password: shown once, with a copy button and a warning.
function OneTimePassword({
  username,
  password,
  onDone,
}: {
  username: string;
  password: string;
  onDone: () => void;
}) {
  const { t } = useTranslation("admin");
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<"" | "ok" | "failed">("");
  const code = useRef<HTMLElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(password);
      setCopied("ok");
    } catch {
      // No clipboard (an insecure origin): select the text for Ctrl+C instead.
      const range = document.createRange();
      if (code.current) range.selectNodeContents(code.current);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      setCopied("failed");
    }
  };

  return (
    <>
      <div className="otp" data-testid="one-time-password-box">
        <h3 ref={heading} tabIndex={-1}>
          {t("otp.title", { username })}
        </h3>
        <div className="otp-row">
          <code ref={code} className="otp-value" data-testid="one-time-password" translate="no">
            {password}
          </code>
          <button type="button" onClick={() => void copy()}>
            {t("otp.copy")}
          </button>
        </div>
        <p role="status" className="small otp-copied">
          {copied === "ok" ? t("otp.copied") : copied === "failed" ? t("otp.copyFailed") : ""}
        </p>
        <p className="otp-warning">
          <strong>{t("otp.once")}</strong> {t("otp.warning")}
        </p>
        <p className="small">{t("otp.firstLogin")}</p>
      </div>
      <div className="buttons">
        <button type="button" className="primary" onClick={onDone}>
          {t("otp.done")}
        </button>
      </div>
    </>
  );
}

function useFilter<T>(items: T[] | undefined, text: (item: T) => string) {
  const [q, setQ] = useState("");
  const needle = q.trim().toLowerCase();
  const shown = (items ?? []).filter((i) => !needle || text(i).toLowerCase().includes(needle));
  return { q, setQ, shown };
}

// The last change done, read out by screen readers.
function Announce({ status }: { status: string }) {
  return (
    <div className="announce" aria-live="polite">
      {status && (
        <p className="ok" role="status">
          {status}
        </p>
      )}
    </div>
  );
}

// The list of users or of agencies (section): a filter box, then, once loaded, a table
// with one column per heading and the row's buttons last.
function AdminList<T>({ section, filter, loading, loaded, columns, children }: {
  section: "users" | "agencies";
  filter: { q: string; setQ: (q: string) => void; shown: T[] };
  loading: boolean;
  loaded: boolean;
  columns: string[];
  children: ReactNode;
}) {
  const { t } = useTranslation("admin");
  const id = `${section}-filter`;
  return (
    <>
      <div className="filter">
        <label htmlFor={id}>{t(`${section}.filter`)}</label>
        <input
          id={id}
          type="search"
          value={filter.q}
          onChange={(e) => filter.setQ(e.target.value)}
        />
      </div>
      {loading && !loaded && (
        <p className="loading" role="status">
          {t("common:loading")}
        </p>
      )}
      {loaded && (
        <div className="table-wrap" tabIndex={0}>
          <table className="admin-table">
            <caption className="sr-only">{t(`${section}.caption`)}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
                <th scope="col">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {children}
              {filter.shown.length === 0 && (
                <tr>
                  <td colSpan={columns.length + 1} className="empty">
                    {t(`${section}.none`)}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

// A form changing a user or an agency from the version it was opened at: the last
// failure, a notice, and (when editing) loading the latest after a stale refusal.
function useVersioned<T extends { version: number }>(
  opened: T | null,
  latest: (() => Promise<T>) | null,
  apply: (fresh: T) => void,
) {
  const { t } = useTranslation("admin");
  const [failure, setFailure] = useState<unknown>(null);
  const [notice, setNotice] = useState("");
  const [version, setVersion] = useState(opened?.version ?? 0);
  const loadLatest = async () => {
    if (!latest) return;
    try {
      const fresh = await latest();
      apply(fresh);
      setVersion(fresh.version);
      setFailure(null);
      setNotice(t("stale.reloaded"));
    } catch (e) {
      setFailure(e);
    }
  };
  return { failure, setFailure, notice, setNotice, version, loadLatest };
}

// Sends the fields the form changed (dirty), with the version it was opened at; nothing
// when none changed.
async function sendChanges(
  path: string,
  version: number,
  fields: Record<string, unknown>,
  dirty: Partial<Record<string, boolean>>,
) {
  const change: Record<string, unknown> = { version };
  for (const [name, value] of Object.entries(fields)) if (dirty[name]) change[name] = value;
  if (Object.keys(change).length > 1) await sendJson("PATCH", path, change);
}

// The region of a user or an agency, at most the administrator's own (root).
function RegionField<T extends FieldValues>({ control, name, section, root }: {
  control: Control<T>;
  name: Path<T>;
  section: "users" | "agencies";
  root: string;
}) {
  const { t } = useTranslation("admin");
  return (
    <Controller
      control={control}
      name={name}
      rules={{ required: t(`${section}.regionRequired`) }}
      render={({ field, fieldState }) => (
        <RegionPicker
          label={t(`${section}.region`)}
          value={field.value}
          onChange={field.onChange}
          onBlur={field.onBlur}
          root={root}
          hint={t(`${section}.regionHint`)}
          error={fieldState.error?.message}
        />
      )}
    />
  );
}

// The end of a user or agency form: what happened, what failed (a stale change offers
// the latest data), save and cancel.
function FormEnd({ section, adding, notice, failure, busy, onLoadLatest, onClose }: {
  section: "users" | "agencies";
  adding: boolean;
  notice: string;
  failure: unknown;
  busy: boolean;
  onLoadLatest: () => void;
  onClose: () => void;
}) {
  const { t } = useTranslation("admin");
  return (
    <>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <Problem
        error={failure}
        own={{
          exists: `${section}.errors.exists`,
          stale: "stale.text",
          invalid: "errors.invalid",
        }}
      >
        {failure instanceof ApiError && failure.code === "stale" && (
          <button type="button" onClick={onLoadLatest}>
            {t("stale.load")}
          </button>
        )}
      </Problem>
      <div className="buttons">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t("saving") : adding ? t(`${section}.create`) : t("common:save")}
        </button>
        <button type="button" onClick={onClose}>
          {t("common:cancel")}
        </button>
      </div>
    </>
  );
}

// --- users ---

interface UserForm {
  username: string;
  role: string;
  region: string;
  agency: string;
  password: string;
}

type UserDialogState =
  | { kind: "add" }
  | { kind: "edit"; user: User }
  | { kind: "reset"; user: User }
  | null;

function AgencyOptions({ agencies }: { agencies: Agency[] }) {
  return (
    <>
      {agencies.map((a) => (
        <option key={a.code} value={a.code}>
          {a.code} — {a.name}
        </option>
      ))}
    </>
  );
}

function UserFormDialog({
  user,
  agencies,
  root,
  onClose,
  onSaved,
}: {
  user: User | null;
  agencies: Agency[];
  root: string;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation("admin");
  const [made, setMade] = useState<{ username: string; password: string } | null>(null);
  const {
    register,
    handleSubmit,
    control,
    watch,
    reset,
    getValues,
    setValue,
    setError,
    formState: { errors, isSubmitting, dirtyFields },
  } = useForm<UserForm>({
    defaultValues: {
      username: user?.username ?? "",
      role: user?.role ?? "",
      region: user?.region ?? "",
      agency: user?.agency ?? "",
      password: "",
    },
  });
  const role = watch("role");
  // After a stale refusal: the account as it is now, to make the change again.
  const { failure, setFailure, notice, setNotice, version, loadLatest } = useVersioned(
    user,
    user &&
      (async () => {
        const { users } = await getJson<{ users: User[] }>("/api/v1/users");
        const fresh = users.find((u) => u.username === user.username);
        if (!fresh) throw new ApiError(404, { code: "not_found", message: "", fields: {} });
        return fresh;
      }),
    (fresh) =>
      reset({ ...getValues(), role: fresh.role, region: fresh.region, agency: fresh.agency }),
  );

  const onSubmit = async (form: UserForm) => {
    setFailure(null);
    setNotice("");
    try {
      if (!user) {
        const username = form.username.trim().toLowerCase();
        const created = await sendJson<User & { one_time_password?: string }>(
          "POST",
          "/api/v1/users",
          {
            username,
            role: form.role,
            region: form.region,
            agency: form.agency,
            ...(form.password ? { password: form.password } : {}),
          },
        );
        if (created.one_time_password) {
          setMade({ username: created.username, password: created.one_time_password });
          onSaved(t("users.added", { username: created.username }));
        } else {
          onSaved(t("users.added", { username: created.username }));
          onClose();
        }
        return;
      }
      await sendChanges(
        `/api/v1/users/${encodeURIComponent(user.username)}`,
        version,
        { role: form.role, region: form.region, agency: form.agency },
        dirtyFields,
      );
      onSaved(t("users.saved", { username: user.username }));
      onClose();
    } catch (e) {
      setFailure(e);
      showFieldErrors(t, e, ["username", "role", "region", "agency", "password"], setError);
    }
  };

  const title = user ? t("users.editTitle", { username: user.username }) : t("users.addTitle");
  if (made)
    return (
      <Dialog title={t("users.addedTitle")} onClose={onClose}>
        <OneTimePassword username={made.username} password={made.password} onDone={onClose} />
      </Dialog>
    );

  const agencyRegion = (code: string) => agencies.find((a) => a.code === code)?.region ?? "";
  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={handleSubmit(onSubmit)} noValidate>
        {!user && (
          <>
            <label htmlFor="user-username">{t("users.username")}</label>
            <input
              id="user-username"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="none"
              aria-invalid={errors.username ? true : undefined}
              aria-describedby={describedBy("user-username", true, !!errors.username)}
              {...register("username", {
                required: t("users.usernameRequired"),
                validate: (v) =>
                  /^[a-z0-9._-]{3,64}$/.test(v.trim().toLowerCase()) || t("users.usernameRule"),
              })}
            />
            <FieldNote
              id="user-username"
              hint={t("users.usernameHint")}
              error={errors.username?.message}
            />
          </>
        )}

        <label htmlFor="user-role">{t("users.role")}</label>
        <select
          id="user-role"
          aria-invalid={errors.role ? true : undefined}
          aria-describedby={describedBy("user-role", !!role, !!errors.role)}
          {...register("role", { required: t("users.roleRequired") })}
        >
          <option value="" disabled>
            {t("users.chooseRole")}
          </option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`common:roles.${r}`)}
            </option>
          ))}
        </select>
        <FieldNote
          id="user-role"
          hint={role ? t(`roleHelp.${role}`, { defaultValue: "" }) : undefined}
          error={errors.role?.message}
        />

        <label htmlFor="user-agency">{t("users.agency")}</label>
        <select
          id="user-agency"
          aria-invalid={errors.agency ? true : undefined}
          aria-describedby={describedBy("user-agency", false, !!errors.agency)}
          {...register("agency", {
            required: t("users.agencyRequired"),
            onChange: (e) => {
              // A new account starts in its agency's region; the region stays editable.
              const r = agencyRegion(e.target.value);
              if (!user && r && !getValues("region"))
                setValue("region", r, { shouldDirty: true, shouldValidate: true });
            },
          })}
        >
          <option value="" disabled>
            {t("users.chooseAgency")}
          </option>
          <AgencyOptions agencies={agencies} />
        </select>
        <FieldNote id="user-agency" error={errors.agency?.message} />

        <RegionField control={control} name="region" section="users" root={root} />

        {!user && (
          <>
            <label htmlFor="user-password">
              {t("users.password")} <span className="optional">{t("optional")}</span>
            </label>
            <input
              id="user-password"
              type="password"
              autoComplete="new-password"
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={describedBy("user-password", true, !!errors.password)}
              {...register("password", {
                validate: (v, all) =>
                  !v ||
                  (v.length >= 10 &&
                    v.toLowerCase() !== all.username.trim().toLowerCase()) ||
                  t("users.passwordRule"),
              })}
            />
            <FieldNote
              id="user-password"
              hint={t("users.passwordHint")}
              error={errors.password?.message}
            />
          </>
        )}

        <FormEnd
          section="users"
          adding={!user}
          notice={notice}
          failure={failure}
          busy={isSubmitting}
          onLoadLatest={() => void loadLatest()}
          onClose={onClose}
        />
      </form>
    </Dialog>
  );
}

function ResetDialog({
  user,
  onClose,
  onSaved,
}: {
  user: User;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation("admin");
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [password, setPassword] = useState("");

  const resetPassword = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await sendJson<{ one_time_password: string }>(
        "POST",
        `/api/v1/users/${encodeURIComponent(user.username)}/reset-password`,
        { version: user.version },
      );
      setPassword(r.one_time_password);
      onSaved(t("users.resetDone", { username: user.username }));
    } catch (e) {
      setFailure(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t("users.resetTitle", { username: user.username })} onClose={onClose}>
      {password ? (
        <OneTimePassword username={user.username} password={password} onDone={onClose} />
      ) : (
        <>
          <p>{t("users.resetExplain", { username: user.username })}</p>
          <Problem error={failure} own={{ stale: "stale.textList" }} />
          <div className="buttons">
            <button
              type="button"
              className="danger"
              data-autofocus
              disabled={busy}
              onClick={() => void resetPassword()}
            >
              {t("users.resetConfirm")}
            </button>
            <button type="button" onClick={onClose}>
              {t("common:cancel")}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function UsersPanel({ root }: { root: string }) {
  const { t } = useTranslation("admin");
  const { me } = useSession();
  const users = useLoad(
    (signal) => getJson<{ users: User[] }>("/api/v1/users", undefined, signal),
    [],
  );
  const agencies = useLoad(
    (signal) => getJson<{ agencies: Agency[] }>("/api/v1/agencies", undefined, signal),
    [],
  );
  const [dialog, setDialog] = useState<UserDialogState>(null);
  const [status, setStatus] = useState("");
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState("");
  const list = [...(users.data?.users ?? [])].sort((a, b) => a.username.localeCompare(b.username));
  const agencyList = [...(agencies.data?.agencies ?? [])].sort((a, b) =>
    a.code.localeCompare(b.code),
  );
  const agencyName = (code: string) => agencyList.find((a) => a.code === code)?.name ?? "";
  const names = useRegionNames(list.map((u) => u.region));
  const filter = useFilter(list, (u) =>
    [u.username, u.agency, agencyName(u.agency), names[u.region] ?? "", t(`common:roles.${u.role}`)]
      .join(" "),
  );

  const saved = (message: string) => {
    setProblem(null);
    setStatus(message);
    users.reload();
  };

  const toggle = async (u: User) => {
    setProblem(null);
    setStatus("");
    setBusy(u.username);
    try {
      const r = await sendJson<User>("PATCH", `/api/v1/users/${encodeURIComponent(u.username)}`, {
        disabled: !u.disabled,
        version: u.version,
      });
      setStatus(t(r.disabled ? "users.disabledDone" : "users.enabledDone", { username: u.username }));
    } catch (e) {
      setProblem(e);
    } finally {
      setBusy("");
      users.reload();
    }
  };

  return (
    <>
      <div className="panel-head">
        <p className="small panel-intro">{t("users.intro")}</p>
        <button
          type="button"
          className="primary"
          disabled={!agencies.data}
          onClick={() => {
            setStatus("");
            setProblem(null);
            setDialog({ kind: "add" });
          }}
        >
          {t("users.add")}
        </button>
      </div>
      <Announce status={status} />
      <Problem
        error={problem}
        own={{ conflict: "users.errors.selfDisable", stale: "stale.textList" }}
      />
      <Problem error={users.error ?? agencies.error} />
      <AdminList
        section="users"
        filter={filter}
        loading={users.loading}
        loaded={!!users.data}
        columns={[
          t("users.username"),
          t("users.role"),
          t("users.region"),
          t("users.agency"),
          t("users.status"),
          t("users.mustChange"),
        ]}
      >
        {filter.shown.map((u) => (
          <tr key={u.username} className={u.disabled ? "is-disabled" : undefined}>
            <th scope="row" className="name-cell">
              {u.username}
              {u.username === me?.username && (
                <span className="badge you">{t("users.you")}</span>
              )}
            </th>
            <td>{t(`common:roles.${u.role}`, { defaultValue: u.role })}</td>
            <td>
              <RegionName code={u.region} names={names} />
            </td>
            <td>
              <span className="code">{u.agency}</span>
              {agencyName(u.agency) && (
                <span className="small block">{agencyName(u.agency)}</span>
              )}
            </td>
            <td>
              <span className={`badge ${u.disabled ? "off" : "on"}`}>
                {u.disabled ? t("users.disabled") : t("users.active")}
              </span>
            </td>
            <td>
              {u.must_change_password ? (
                <span className="badge warn">{t("users.mustChangeYes")}</span>
              ) : (
                <span className="small">{t("common:no")}</span>
              )}
            </td>
            <td className="actions">
              <button
                type="button"
                onClick={() => {
                  setStatus("");
                  setProblem(null);
                  setDialog({ kind: "edit", user: u });
                }}
              >
                {t("users.edit")}
                <span className="sr-only"> {u.username}</span>
              </button>
              <button
                type="button"
                disabled={busy === u.username}
                onClick={() => void toggle(u)}
              >
                {u.disabled ? t("users.enable") : t("users.disable")}
                <span className="sr-only"> {u.username}</span>
              </button>
              <button
                type="button"
                onClick={() => {
                  setStatus("");
                  setProblem(null);
                  setDialog({ kind: "reset", user: u });
                }}
              >
                {t("users.reset")}
                <span className="sr-only"> {u.username}</span>
              </button>
            </td>
          </tr>
        ))}
      </AdminList>
      {(dialog?.kind === "add" || dialog?.kind === "edit") && (
        <UserFormDialog
          user={dialog.kind === "edit" ? dialog.user : null}
          agencies={agencyList}
          root={root}
          onClose={() => setDialog(null)}
          onSaved={saved}
        />
      )}
      {dialog?.kind === "reset" && (
        <ResetDialog user={dialog.user} onClose={() => setDialog(null)} onSaved={saved} />
      )}
    </>
  );
}

// --- agencies ---

interface AgencyForm {
  code: string;
  name: string;
  type: string;
  region: string;
}

// The agency types the server knows, in the order of the common catalogue's names for
// them (common:agencyTypes, which names exactly the server's list).
function agencyTypeCodes(t: TFunction): string[] {
  const names: unknown = t("common:agencyTypes", { returnObjects: true });
  return names !== null && typeof names === "object" ? Object.keys(names) : [];
}

function AgencyFormDialog({
  agency,
  root,
  onClose,
  onSaved,
}: {
  agency: Agency | null;
  root: string;
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation("admin");
  const {
    register,
    handleSubmit,
    control,
    reset,
    getValues,
    setError,
    formState: { errors, isSubmitting, dirtyFields },
  } = useForm<AgencyForm>({
    defaultValues: {
      code: agency?.code ?? "",
      name: agency?.name ?? "",
      type: agency?.type ?? "",
      region: agency?.region ?? "",
    },
  });
  const { failure, setFailure, notice, setNotice, version, loadLatest } = useVersioned(
    agency,
    agency &&
      (() => getJson<Agency>(`/api/v1/agencies/${encodeURIComponent(agency.code)}`)),
    (fresh) => reset({ ...getValues(), name: fresh.name, type: fresh.type, region: fresh.region }),
  );

  const onSubmit = async (form: AgencyForm) => {
    setFailure(null);
    setNotice("");
    try {
      if (!agency) {
        const made = await sendJson<Agency>("POST", "/api/v1/agencies", {
          code: form.code.trim(),
          name: form.name.trim(),
          type: form.type,
          region: form.region,
        });
        onSaved(t("agencies.added", { code: made.code }));
      } else {
        await sendChanges(
          `/api/v1/agencies/${encodeURIComponent(agency.code)}`,
          version,
          { name: form.name.trim(), type: form.type, region: form.region },
          dirtyFields,
        );
        onSaved(t("agencies.saved", { code: agency.code }));
      }
      onClose();
    } catch (e) {
      setFailure(e);
      showFieldErrors(t, e, ["code", "name", "type", "region"], setError);
    }
  };

  return (
    <Dialog
      title={agency ? t("agencies.editTitle", { code: agency.code }) : t("agencies.addTitle")}
      onClose={onClose}
    >
      <form onSubmit={handleSubmit(onSubmit)} noValidate>
        {agency ? (
          <p className="readonly">
            <span className="readonly-label">{t("agencies.code")}</span>{" "}
            <span className="code">{agency.code}</span>
            <span className="small block">{t("agencies.codeFixed")}</span>
          </p>
        ) : (
          <>
            <label htmlFor="agency-code">{t("agencies.code")}</label>
            <input
              id="agency-code"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="characters"
              aria-invalid={errors.code ? true : undefined}
              aria-describedby={describedBy("agency-code", true, !!errors.code)}
              {...register("code", {
                required: t("agencies.codeRequired"),
                validate: (v) => /^[A-Za-z0-9._-]{2,32}$/.test(v.trim()) || t("fieldErrors.code"),
              })}
            />
            <FieldNote id="agency-code" hint={t("agencies.codeHint")} error={errors.code?.message} />
          </>
        )}

        <label htmlFor="agency-name">{t("agencies.name")}</label>
        <input
          id="agency-name"
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy("agency-name", false, !!errors.name)}
          {...register("name", {
            validate: (v) => v.trim() !== "" || t("agencies.nameRequired"),
          })}
        />
        <FieldNote id="agency-name" error={errors.name?.message} />

        <label htmlFor="agency-type">{t("agencies.type")}</label>
        <select
          id="agency-type"
          aria-invalid={errors.type ? true : undefined}
          aria-describedby={describedBy("agency-type", false, !!errors.type)}
          {...register("type", { required: t("agencies.typeRequired") })}
        >
          <option value="" disabled>
            {t("agencies.chooseType")}
          </option>
          {agencyTypeCodes(t).map((type) => (
            <option key={type} value={type}>
              {t(`common:agencyTypes.${type}`)}
            </option>
          ))}
        </select>
        <FieldNote id="agency-type" error={errors.type?.message} />

        <RegionField control={control} name="region" section="agencies" root={root} />

        <FormEnd
          section="agencies"
          adding={!agency}
          notice={notice}
          failure={failure}
          busy={isSubmitting}
          onLoadLatest={() => void loadLatest()}
          onClose={onClose}
        />
      </form>
    </Dialog>
  );
}

function AgenciesPanel({ root }: { root: string }) {
  const { t } = useTranslation("admin");
  const agencies = useLoad(
    (signal) => getJson<{ agencies: Agency[] }>("/api/v1/agencies", undefined, signal),
    [],
  );
  const [dialog, setDialog] = useState<{ agency: Agency | null } | null>(null);
  const [status, setStatus] = useState("");
  const list = [...(agencies.data?.agencies ?? [])].sort((a, b) => a.code.localeCompare(b.code));
  const names = useRegionNames(list.map((a) => a.region));
  const filter = useFilter(list, (a) =>
    [a.code, a.name, t(`common:agencyTypes.${a.type}`), names[a.region] ?? ""].join(" "),
  );

  return (
    <>
      <div className="panel-head">
        <p className="small panel-intro">{t("agencies.intro")}</p>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setStatus("");
            setDialog({ agency: null });
          }}
        >
          {t("agencies.add")}
        </button>
      </div>
      <Announce status={status} />
      <Problem error={agencies.error} />
      <AdminList
        section="agencies"
        filter={filter}
        loading={agencies.loading}
        loaded={!!agencies.data}
        columns={[
          t("agencies.code"),
          t("agencies.name"),
          t("agencies.type"),
          t("agencies.region"),
        ]}
      >
        {filter.shown.map((a) => (
          <tr key={a.code}>
            <th scope="row" className="code">
              {a.code}
            </th>
            <td>{a.name}</td>
            <td>{t(`common:agencyTypes.${a.type}`, { defaultValue: a.type })}</td>
            <td>
              <RegionName code={a.region} names={names} />
            </td>
            <td className="actions">
              <button
                type="button"
                onClick={() => {
                  setStatus("");
                  setDialog({ agency: a });
                }}
              >
                {t("agencies.edit")}
                <span className="sr-only"> {a.code}</span>
              </button>
            </td>
          </tr>
        ))}
      </AdminList>
      {dialog && (
        <AgencyFormDialog
          agency={dialog.agency}
          root={root}
          onClose={() => setDialog(null)}
          onSaved={(message) => {
            setStatus(message);
            agencies.reload();
          }}
        />
      )}
    </>
  );
}

// --- the screen ---

export default function Admin() {
  const { t } = useTranslation("admin");
  const { me, can } = useSession();
  const [params, setParams] = useSearchParams();
  const tabs: Tab[] = [];
  if (can("manage_users")) tabs.push("users");
  if (can("manage_agencies")) tabs.push("agencies");
  const asked = params.get("tab") === TAB_PARAM.agencies ? "agencies" : "users";
  const tab: Tab | undefined = tabs.includes(asked) ? asked : tabs[0];
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});
  const root = me?.region || NATIONAL;
  const rootNames = useRegionNames([root]);

  useEffect(() => {
    document.title = `${t("title")} · gugus`;
  }, [t]);

  if (!tab)
    return (
      <div className="error" role="alert">
        <p>{t("common:errors.forbidden")}</p>
      </div>
    );

  const choose = (next: Tab, focus = false) => {
    setParams(next === "users" ? {} : { tab: TAB_PARAM[next] }, { replace: true });
    if (focus) tabRefs.current[next]?.focus();
  };
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = tabs.indexOf(tab);
    let next = -1;
    if (e.key === "ArrowRight") next = (i + 1) % tabs.length;
    else if (e.key === "ArrowLeft") next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === "Home") next = 0;
    else if (e.key === "End") next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    choose(tabs[next], true);
  };

  return (
    <section className="admin">
      <h1>{t("title")}</h1>
      <p className="small">
        {root === NATIONAL ? t("scopeNational") : t("scopeRegion", { region: rootNames[root] ?? root })}
      </p>
      <div className="tabs" role="tablist" aria-label={t("tabsLabel")}>
        {tabs.map((id) => (
          <button
            key={id}
            ref={(el) => {
              tabRefs.current[id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => choose(id)}
            onKeyDown={onKey}
          >
            {t(`tabs.${id}`)}
          </button>
        ))}
      </div>
      <div
        className="tab-panel"
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
        key={tab}
      >
        {tab === "users" ? <UsersPanel root={root} /> : <AgenciesPanel root={root} />}
      </div>
    </section>
  );
}
