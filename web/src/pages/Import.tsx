// The import wizard: choose the submitting agency, choose a CSV, XLSX or JSON-lines
// file, watch the server check it (a job), then read the summary and every rejected
// row with its reasons in plain language; the rejects download as CSV to correct
// and resubmit. Below, the agency's earlier imports, each with its rejected rows.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { DragEvent } from "react";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { getJson, getText, upload } from "../api";
import type { Agency, ImportBatch, ImportResult, Issue, Job, Me, Reject } from "../api";
import { useSession } from "../session";
import { ErrorMessage } from "../components/ErrorMessage";
import { useLoad } from "../components/useLoad";
import { formatDateTime, formatNumber } from "../i18n";
import "./Import.css";

// The server refuses bodies above this (http::ServerOptions::max_upload_bytes).
const MAX_BYTES = 256 * 1024 * 1024;
const ACCEPTED = [".csv", ".tsv", ".txt", ".xlsx", ".jsonl", ".ndjson", ".json"];
const HISTORY_SHOWN = 8;
const POLL_MS = 300;

// --- who may submit for which agency (mirrors domain::CanImportFor) ---

const AGENCY_ROLES = ["caseworker", "investigator", "migrant_officer"];

function inRegion(code: string, root: string): boolean {
  if (root === "ID") return true;
  if (!root || code.length < root.length || !code.startsWith(root)) return false;
  return code.length === root.length || code[root.length] === ".";
}

function canImportFor(me: Me, agency: Agency): boolean {
  if (!me.allowed.includes("import")) return false;
  if (AGENCY_ROLES.includes(me.role))
    return agency.code === me.agency && inRegion(agency.region, me.region);
  return inRegion(agency.region, me.region);
}

// --- plain-language texts ---

function fileSize(t: TFunction, bytes: number): string {
  if (bytes < 1024) return t("import:units.B", { n: formatNumber(bytes) });
  if (bytes < 1024 * 1024) return t("import:units.KB", { n: formatNumber(bytes / 1024, 1) });
  return t("import:units.MB", { n: formatNumber(bytes / (1024 * 1024), 1) });
}

function fieldName(t: TFunction, field: string): string {
  if (!field) return t("import:reasons.row");
  return t(`common:recordFields.${field}`, { defaultValue: field });
}

function reasonText(t: TFunction, issue: Issue): string {
  const key = issue.code === "malformed" && !issue.field ? "malformed_row" : issue.code;
  return t(`import:reasons.${key}`, {
    field: fieldName(t, issue.field),
    defaultValue: issue.message,
  });
}

// The job's error (English, from the readers) as one plain sentence.
function failureText(t: TFunction, error: string): string {
  const e = error.toLowerCase();
  const known: [string, string][] = [
    ["is empty", "empty"],
    ["not text", "binary"],
    ["old excel", "xls"],
    ["utf-16", "utf16"],
    ["no header row", "noHeader"],
    ["lacks required column", "missingColumns"],
    ["more than one column", "doubleColumns"],
    ["header row", "headerBroken"],
    ["worksheet", "worksheet"],
    ["json", "json"],
    ["interrupted", "interrupted"],
  ];
  for (const [needle, key] of known) if (e.includes(needle)) return t(`import:failed.${key}`);
  return t("import:failed.generic");
}

// Refuses obviously wrong files before they travel; null when the file may go.
function checkFile(t: TFunction, file: File): string | null {
  const name = file.name;
  const lower = name.toLowerCase();
  if (!ACCEPTED.some((ext) => lower.endsWith(ext))) return t("import:file.wrongType", { name });
  if (file.size === 0) return t("import:file.empty", { name });
  if (file.size > MAX_BYTES)
    return t("import:file.tooLarge", {
      name,
      size: fileSize(t, file.size),
      max: fileSize(t, MAX_BYTES),
    });
  return null;
}

// --- the rejects: table and CSV download ---

function DownloadRejects({ batch }: { batch: number }) {
  const { t } = useTranslation("import");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      // The token travels in the Authorization header, so the file is fetched here
      // and handed to the browser as a local object URL.
      const csv = await getText(`/api/v1/imports/${batch}/rejects`, { format: "csv" });
      // A byte-order mark so that Excel reads the names as UTF-8.
      const blob = new Blob(["\ufeff", csv], { type: "text/csv;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = t("rejects.fileName", { batch });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="import-download">
      <button type="button" className="primary" onClick={download} disabled={busy}>
        {busy ? t("rejects.downloading") : t("rejects.download")}
      </button>
      <p className="small">{t("rejects.downloadHint")}</p>
      <ErrorMessage error={error} />
    </div>
  );
}

// The interchange headers (SPEC section 5): Indonesian alias → English key, so that a
// raw cell can be matched with the field a reason names.
const HEADER_KEYS: Record<string, string> = {
  idrekaman: "record_id",
  tanggallaporan: "report_date",
  nama: "name",
  nomorkasus: "case_ref",
  jeniskelamin: "sex",
  tanggallahir: "birth_date",
  umur: "age",
  tempatlahir: "birth_place",
  daerahasal: "origin_region",
  alamat: "address",
  telepon: "phone",
  kewarganegaraan: "nationality",
  bentukeksploitasi: "exploitation",
  modusperekrutan: "recruitment",
  tujuan: "destination",
  tanggalkejadian: "incident_date",
  namapelaku: "suspects",
  keterangan: "notes",
};

function headerKey(header: string): string {
  const h = header.toLowerCase().replace(/[\s_-]/g, "");
  return HEADER_KEYS[h] ?? h;
}

// The row's cells as written: the cells a reason names first (highlighted, even when
// empty), then the other non-empty cells.
function RawValues({ reject }: { reject: Reject }) {
  const { t } = useTranslation("import");
  const named = new Set(reject.reasons.map((r) => r.field.replace(/_/g, "")));
  const entries = Object.entries(reject.raw).map(([k, v]) => ({
    k,
    v,
    bad: named.has(headerKey(k).replace(/_/g, "")),
  }));
  const shown = [...entries.filter((e) => e.bad), ...entries.filter((e) => !e.bad && e.v.trim())];
  if (shown.length === 0 && reject.text)
    return <code className="import-rawtext">{reject.text}</code>;
  return (
    <dl className="import-raw">
      {shown.map(({ k, v, bad }) => (
        <div key={k} className={bad ? "bad" : undefined}>
          <dt>{k}</dt>
          <dd>{v.trim() === "" ? <em>{t("rejects.emptyCell")}</em> : v}</dd>
        </div>
      ))}
    </dl>
  );
}

function RejectsTable({ batch }: { batch: number }) {
  const { t } = useTranslation("import");
  const { data, error, loading } = useLoad(
    (signal) => getJson<{ rejects: Reject[] }>(`/api/v1/imports/${batch}/rejects`, {}, signal),
    [batch],
  );
  if (error) return <ErrorMessage error={error} />;
  if (loading || !data)
    return (
      <p className="loading" role="status">
        {t("rejects.loading")}
      </p>
    );
  if (data.rejects.length === 0) return <p>{t("rejects.none")}</p>;
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="import-rejects">
        <caption className="sr-only">{t("rejects.caption")}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t("rejects.line")}
            </th>
            <th scope="col">{t("rejects.reasons")}</th>
            <th scope="col">{t("rejects.raw")}</th>
          </tr>
        </thead>
        <tbody>
          {data.rejects.map((r) => (
            <tr key={`${r.batch}-${r.line}`} data-line={r.line}>
              <th scope="row" className="num" data-label={t("rejects.line")}>
                {formatNumber(r.line)}
              </th>
              <td data-label={t("rejects.reasons")}>
                <ul className="import-reasons">
                  {r.reasons.map((issue, i) => (
                    <li key={i}>
                      {reasonText(t, issue)}
                      {issue.code === "malformed" && !issue.field && (
                        <span className="small" lang="en">
                          {" "}
                          ({issue.message})
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label={t("rejects.raw")}>
                <RawValues reject={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// --- the wizard's steps ---

type Phase =
  | { kind: "choose" }
  | { kind: "uploading"; file: File }
  | { kind: "job"; file: File; job: Job<ImportResult> }
  | { kind: "done"; file: File; result: ImportResult }
  | { kind: "failed"; file: File; error: string }
  | { kind: "refused"; file: File; error: unknown };

const STEPS = ["agency", "file", "progress", "summary"] as const;

function Steps({ current }: { current: number }) {
  const { t } = useTranslation("import");
  return (
    <ol className="import-steps" aria-label={t("steps.label")}>
      {STEPS.map((s, i) => (
        <li
          key={s}
          className={i < current ? "past" : i === current ? "current" : undefined}
          aria-current={i === current ? "step" : undefined}
        >
          <span className="dot" aria-hidden="true">
            {i + 1}
          </span>
          <span>{t(`steps.${s}`)}</span>
        </li>
      ))}
    </ol>
  );
}

function Progress({ phase }: { phase: Extract<Phase, { kind: "uploading" | "job" }> }) {
  const { t } = useTranslation("import");
  const job = phase.kind === "job" ? phase.job : null;
  const total = job?.progress.total ?? 0;
  const done = job?.progress.done ?? 0;
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  let text = t("progress.uploading");
  if (job?.state === "queued") text = t("progress.queued");
  else if (job?.state === "running")
    text = t("progress.running", { rows: formatNumber(job.progress.items), percent });
  else if (job) text = t(`progress.${job.state}`, { defaultValue: job.state });
  const determinate = job?.state === "running" && total > 0;
  return (
    <section className="card import-progress" aria-labelledby="import-progress-h">
      <h2 id="import-progress-h">{t("progress.heading")}</h2>
      <p className="import-file-line">
        <strong>{phase.file.name}</strong>{" "}
        <span className="small">{fileSize(t, phase.file.size)}</span>
      </p>
      <progress
        aria-labelledby="import-progress-h"
        aria-describedby="import-progress-text"
        max={100}
        {...(determinate ? { value: percent } : {})}
      />
      <p id="import-progress-text" role="status" aria-live="polite">
        {text}
      </p>
    </section>
  );
}

function Summary({
  result,
  file,
  agency,
  onAnother,
}: {
  result: ImportResult;
  file: File;
  agency: Agency | undefined;
  onAnother: () => void;
}) {
  const { t } = useTranslation("import");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const counts = [
    "rows",
    "inserted",
    "updated",
    "unchanged",
    "rejected",
    "warnings",
    "blank",
  ] as const;
  return (
    <section className="import-summary" aria-labelledby="import-summary-h">
      <div className="card">
        <div className="import-summary-head">
          <h2 id="import-summary-h" tabIndex={-1} ref={heading}>
            {t("summary.heading")}
          </h2>
          <button type="button" className="primary" onClick={onAnother}>
            {t("summary.another")}
          </button>
        </div>
        <p className="small import-meta">
          {t("summary.file", { file: file.name, agency: agency?.name ?? "" })} ·{" "}
          {t("summary.format", { format: result.format.toUpperCase(), encoding: result.encoding })}
        </p>
        {result.already_imported ? (
          <p className="notice" data-testid="already">
            {t("summary.already")}
          </p>
        ) : result.rejected > 0 ? (
          <p className="import-bad">{t("summary.someRejected", { count: result.rejected })}</p>
        ) : (
          <p className="ok">{t("summary.allGood")}</p>
        )}
        <dl className="import-counts">
          {counts.map((c) => (
            <div key={c} className={`count-${c}`} data-testid={`count-${c}`}>
              <dt>{t(`summary.${c}`)}</dt>
              <dd>{formatNumber(result[c])}</dd>
            </div>
          ))}
        </dl>
        {result.link && (
          <p className="import-linkage" data-testid="linked">
            {t("summary.linked", {
              records: formatNumber(result.link.new_records),
              persons: formatNumber(result.link.persons),
              created: formatNumber(result.link.persons_created),
              review: formatNumber(result.link.review_items),
            })}
          </p>
        )}
        {result.link_error && (
          <div className="error" role="alert">
            <p>{t("summary.linkFailed")}</p>
            <p className="detail" lang="en">
              {t("common:errors.detail")}: {result.link_error}
            </p>
          </div>
        )}
        {result.warnings > 0 && <p className="small">{t("summary.warningsNote")}</p>}
      </div>
      {result.rejected > 0 && !result.already_imported && (
        <div className="card import-rejects-card">
          <h3>{t("rejects.heading")}</h3>
          <DownloadRejects batch={result.batch} />
          <RejectsTable batch={result.batch} />
        </div>
      )}
    </section>
  );
}

function Failure({
  phase,
  onRetry,
}: {
  phase: Extract<Phase, { kind: "failed" | "refused" }>;
  onRetry: () => void;
}) {
  const { t } = useTranslation("import");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card" aria-labelledby="import-failed-h">
      <h2 id="import-failed-h" tabIndex={-1} ref={heading}>
        {t("failed.heading")}
      </h2>
      <p className="import-file-line">
        <strong>{phase.file.name}</strong>{" "}
        <span className="small">{fileSize(t, phase.file.size)}</span>
      </p>
      {phase.kind === "failed" ? (
        <div className="error" role="alert">
          <p>{failureText(t, phase.error)}</p>
          <p>{t("failed.nothing")}</p>
          <p className="detail" lang="en">
            {t("failed.detail")}: {phase.error}
          </p>
        </div>
      ) : (
        <ErrorMessage error={phase.error} />
      )}
      <div className="buttons">
        <button type="button" className="primary" onClick={onRetry}>
          {t("failed.retry")}
        </button>
      </div>
    </section>
  );
}

// --- earlier imports ---

function History({ agency, refresh }: { agency: Agency; refresh: number }) {
  const { t } = useTranslation("import");
  const { data, error, loading } = useLoad(
    (signal) => getJson<{ imports: ImportBatch[] }>("/api/v1/imports", {}, signal),
    [refresh],
  );
  const [all, setAll] = useState(false);
  const [open, setOpen] = useState<ImportBatch | null>(null);
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => setOpen(null), [agency.code]);
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open]);

  const batches = useMemo(
    () => (data?.imports ?? []).filter((b) => b.agency === agency.code).sort((a, b) => b.id - a.id),
    [data, agency.code],
  );
  const shown = all ? batches : batches.slice(0, HISTORY_SHOWN);
  return (
    <section className="card import-history" aria-labelledby="import-history-h">
      <h2 id="import-history-h">{t("history.headingAgency", { agency: agency.name })}</h2>
      <ErrorMessage error={error} />
      {loading && !data && (
        <p className="loading" role="status">
          {t("common:loading")}
        </p>
      )}
      {data && batches.length === 0 && <p>{t("history.none")}</p>}
      {batches.length > 0 && (
        <div className="table-wrap" tabIndex={0}>
          <table className="import-batches">
            <caption className="sr-only">{t("history.caption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("history.date")}</th>
                <th scope="col">{t("history.file")}</th>
                <th scope="col" className="num hide-narrow">
                  {t("summary.rows")}
                </th>
                <th scope="col" className="num">
                  {t("summary.inserted")}
                </th>
                <th scope="col" className="num hide-narrow">
                  {t("summary.updated")}
                </th>
                <th scope="col" className="num hide-narrow">
                  {t("summary.unchanged")}
                </th>
                <th scope="col" className="num">
                  {t("summary.rejected")}
                </th>
                <th scope="col">
                  <span className="sr-only">{t("history.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((b) => (
                <tr key={b.id} className={open?.id === b.id ? "open" : undefined}>
                  <td className="nowrap" data-label={t("history.date")}>
                    {formatDateTime(b.finished_at || b.started_at)}
                  </td>
                  <td className="import-filename" data-label={t("history.file")}>{b.file}</td>
                  <td className="num hide-narrow" data-label={t("summary.rows")}>
                    {formatNumber(b.rows)}
                  </td>
                  <td className="num" data-label={t("summary.inserted")}>
                    {formatNumber(b.inserted)}
                  </td>
                  <td className="num hide-narrow" data-label={t("summary.updated")}>
                    {formatNumber(b.updated)}
                  </td>
                  <td className="num hide-narrow" data-label={t("summary.unchanged")}>
                    {formatNumber(b.unchanged)}
                  </td>
                  <td className="num" data-label={t("summary.rejected")}>
                    {formatNumber(b.rejected)}
                  </td>
                  <td className="import-action">
                    {b.rejected > 0 && (
                      <button
                        type="button"
                        className="small-button"
                        aria-label={t("history.openLabel", {
                          action: open?.id === b.id ? t("history.hide") : t("history.open"),
                          file: b.file,
                        })}
                        aria-expanded={open?.id === b.id}
                        onClick={() => setOpen(open?.id === b.id ? null : b)}
                      >
                        {open?.id === b.id ? t("history.hide") : t("history.open")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {batches.length > HISTORY_SHOWN && !all && (
        <button type="button" className="link" onClick={() => setAll(true)}>
          {t("history.showAll", { count: batches.length })}
        </button>
      )}
      {open && (
        <div className="import-open" ref={panel} tabIndex={-1} aria-labelledby="import-open-h">
          <h3 id="import-open-h">{t("rejects.headingBatch", { file: open.file })}</h3>
          <DownloadRejects batch={open.id} />
          <RejectsTable batch={open.id} />
          <button type="button" onClick={() => setOpen(null)}>
            {t("rejects.close")}
          </button>
        </div>
      )}
    </section>
  );
}

// --- the screen ---

export default function Import() {
  const { t } = useTranslation("import");
  const { me } = useSession();
  const agencies = useLoad(
    (signal) => getJson<{ agencies: Agency[] }>("/api/v1/agencies", {}, signal),
    [],
  );
  const allowed = useMemo(
    () =>
      me && agencies.data
        ? agencies.data.agencies
            .filter((a) => canImportFor(me, a))
            .sort((a, b) => a.name.localeCompare(b.name))
        : [],
    [me, agencies.data],
  );
  const [agencyCode, setAgencyCode] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [agencyError, setAgencyError] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "choose" });
  const [refresh, setRefresh] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const alive = useRef(true);
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  useEffect(() => {
    if (allowed.length === 1) setAgencyCode(allowed[0].code);
  }, [allowed]);
  const agency = allowed.find((a) => a.code === agencyCode);

  const choose = useCallback(
    (f: File | null) => {
      setFile(f);
      setFileError(f ? checkFile(t, f) : null);
    },
    [t],
  );

  const reset = () => {
    setPhase({ kind: "choose" });
    setFile(null);
    setFileError(null);
    if (input.current) input.current.value = "";
    setTimeout(() => input.current?.focus(), 0);
  };

  const submit = async () => {
    if (!agency) {
      setAgencyError(true);
      document.getElementById("import-agency")?.focus();
      return;
    }
    if (!file) {
      setFileError(t("file.required"));
      input.current?.focus();
      return;
    }
    const problem = checkFile(t, file);
    if (problem) {
      setFileError(problem);
      input.current?.focus();
      return;
    }
    setPhase({ kind: "uploading", file });
    try {
      let job = await upload<Job<ImportResult>>(
        "/api/v1/imports",
        { agency: agency.code, file_name: file.name },
        file,
      );
      while (job.state === "queued" || job.state === "running") {
        if (!alive.current) return;
        setPhase({ kind: "job", file, job });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await getJson<Job<ImportResult>>(`/api/v1/jobs/${job.id}`);
      }
      if (!alive.current) return;
      if (job.state === "done" && job.result) setPhase({ kind: "done", file, result: job.result });
      else setPhase({ kind: "failed", file, error: job.error ?? job.state });
    } catch (e) {
      if (alive.current) setPhase({ kind: "refused", file, error: e });
    } finally {
      if (alive.current) setRefresh((n) => n + 1);
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    const f = e.dataTransfer.files[0];
    if (f) choose(f);
  };

  const step =
    phase.kind === "choose"
      ? agency
        ? 1
        : 0
      : phase.kind === "uploading" || phase.kind === "job"
        ? 2
        : 3;

  if (agencies.error) return <ErrorMessage error={agencies.error} />;
  if (agencies.loading && !agencies.data)
    return (
      <p className="loading" role="status">
        {t("common:loading")}
      </p>
    );

  return (
    <div className="import-page">
      <h1>{t("title")}</h1>
      {phase.kind === "choose" && <p className="import-intro">{t("intro")}</p>}
      <Steps current={step} />

      {allowed.length === 0 ? (
        <div className="error" role="alert">
          <p>{t("agency.none")}</p>
        </div>
      ) : phase.kind === "choose" ? (
        <form
          className="card import-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <fieldset>
            <legend>{t("agency.heading")}</legend>
            <label htmlFor="import-agency">{t("agency.label")}</label>
            <select
              id="import-agency"
              value={agencyCode}
              aria-invalid={agencyError && !agency ? true : undefined}
              aria-describedby={allowed.length === 1 ? "import-agency-only" : undefined}
              onChange={(e) => {
                setAgencyCode(e.target.value);
                setAgencyError(false);
              }}
            >
              {allowed.length > 1 && <option value="">{t("agency.choose")}</option>}
              {allowed.map((a) => (
                <option key={a.code} value={a.code}>
                  {a.name} ({a.code})
                </option>
              ))}
            </select>
            {allowed.length === 1 && (
              <p id="import-agency-only" className="small">
                {t("agency.only")}
              </p>
            )}
            {agencyError && !agency && <p className="field-error">{t("agency.required")}</p>}
          </fieldset>

          <fieldset>
            <legend>{t("file.heading")}</legend>
            <div
              className={[
                "import-drop",
                dragging ? "dragging" : "",
                file && !fileError ? "has-file" : "",
              ].join(" ")}
              onDragOver={(e) => {
                e.preventDefault();
                setDragging(true);
              }}
              onDragLeave={() => setDragging(false)}
              onDrop={onDrop}
            >
              <label htmlFor="import-file">{t("file.label")}</label>
              <input
                id="import-file"
                ref={input}
                type="file"
                accept={ACCEPTED.join(",")}
                aria-invalid={fileError ? true : undefined}
                aria-describedby={
                  fileError ? "import-file-error import-file-hint" : "import-file-hint"
                }
                onChange={(e) => choose(e.target.files?.[0] ?? null)}
              />
              <p id="import-file-hint" className="small">
                {t("file.hint")} <span className="drop-hint">{t("file.drop")}</span>
              </p>
              {file && (
                <p className="import-chosen" data-testid="chosen-file">
                  <span className="sr-only">{t("file.chosen")}: </span>
                  <strong>{file.name}</strong>{" "}
                  <span className="small">{fileSize(t, file.size)}</span>
                </p>
              )}
            </div>
            {fileError && (
              <p id="import-file-error" className="field-error" role="alert">
                {fileError}
              </p>
            )}
          </fieldset>
          <div className="buttons">
            <button type="submit" className="primary">
              {t("file.submit")}
            </button>
          </div>
          <p className="small">{t("file.privacy")}</p>
        </form>
      ) : phase.kind === "uploading" || phase.kind === "job" ? (
        <Progress phase={phase} />
      ) : phase.kind === "done" ? (
        <Summary result={phase.result} file={phase.file} agency={agency} onAnother={reset} />
      ) : (
        <Failure phase={phase} onRetry={reset} />
      )}

      {agency ? (
        <History agency={agency} refresh={refresh} />
      ) : (
        allowed.length > 1 && <p className="small">{t("history.chooseAgency")}</p>
      )}
    </div>
  );
}
