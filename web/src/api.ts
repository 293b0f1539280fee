// The gugus HTTP API (/api/v1, described at /api/v1/openapi.json): one place that
// adds the session token, turns failures into ApiError and notices an expired
// session. Personal data never goes into a URL: searches send it as a query
// parameter of an API call only, never as the address of a page.

export interface ApiErrorBody {
  code: string;
  message: string;
  fields: Record<string, string>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: Record<string, string>;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.fields = body.fields ?? {};
  }
}

const TOKEN_KEY = "gugus.token";

// The token lives in sessionStorage: it is gone when the browser tab closes.
export function storedToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

// Forgetting the token (logout, an ended session) forgets everything else this tab
// kept too, such as the last search and its results: no personal data outlives
// the session in the browser.
export function storeToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.clear();
}

// Called when the server says the session is over (401 on an authenticated call).
let onExpired: () => void = () => {};
export function setExpiredHandler(handler: () => void): void {
  onExpired = handler;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

interface RequestOptions {
  method?: string;
  query?: Query;
  json?: unknown;
  body?: BodyInit;
  contentType?: string;
  signal?: AbortSignal;
}

async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = {};
  const token = storedToken();
  if (token) headers["Authorization"] = `Bearer ${token}`;
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.contentType) {
    headers["Content-Type"] = options.contentType;
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method: options.method ?? "GET",
      headers,
      body,
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, { code: "network", message: String(e), fields: {} });
  }
  if (response.ok) return response;
  let error: ApiErrorBody = { code: "internal", message: response.statusText, fields: {} };
  try {
    const parsed = await response.json();
    if (parsed && parsed.error) error = parsed.error;
  } catch {
    // Not JSON (a proxy's page): keep the status text.
  }
  if (response.status === 401 && token) {
    storeToken(null);
    onExpired();
  }
  throw new ApiError(response.status, error);
}

export async function getJson<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
  const r = await send(path, { query, signal });
  return (await r.json()) as T;
}

export async function sendJson<T>(method: string, path: string, json: unknown): Promise<T> {
  const r = await send(path, { method, json });
  return (await r.json()) as T;
}

export async function getText(path: string, query?: Query): Promise<string> {
  const r = await send(path, { query });
  return r.text();
}

export async function upload<T>(path: string, query: Query, file: Blob): Promise<T> {
  const r = await send(path, {
    method: "POST",
    query,
    body: file,
    contentType: "application/octet-stream",
  });
  return (await r.json()) as T;
}

// --- shapes of the API's answers ---

export interface User {
  id: number;
  username: string;
  role: string;
  region: string;
  agency: string;
  disabled: boolean;
  must_change_password: boolean;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface Me extends User {
  allowed: string[];
}

export interface LoginReply {
  token: string;
  expires_at: string;
  must_change_password: boolean;
  user: User;
}

export interface Agency {
  code: string;
  name: string;
  type: string;
  region: string;
  version: number;
}

export interface Region {
  code: string;
  name: string;
  level: number;
  parent: string;
}

export interface Issue {
  field: string;
  code: string;
  message: string;
}

export interface SourceRecord {
  agency: string;
  record_id: string;
  version: number;
  batch: number;
  line: number;
  imported_at: string;
  parsed: Record<string, string>;
  warnings: Issue[];
  raw?: Record<string, string>;
}

export interface JobProgress {
  done: number;
  total: number;
  items: number;
}

export interface Job<R = unknown> {
  id: number;
  kind: string;
  subject: string;
  state: "queued" | "running" | "done" | "failed" | string;
  progress: JobProgress;
  created_at: string;
  started_at: string;
  finished_at: string;
  result?: R;
  error?: string;
}

// What an import read and did with its rows: the same in a job's result and a batch.
export interface ImportCounts {
  format: string;
  encoding: string;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  blank: number;
}

export interface ImportResult extends ImportCounts {
  batch: number;
  // The linkage run the import job did for its new and corrected records.
  link?: LinkReport;
  link_error?: string;
  already_imported: boolean;
  delimiter?: string;
}

export interface ImportBatch extends ImportCounts {
  id: number;
  agency: string;
  file: string;
  started_at: string;
  finished_at: string;
}

export interface Reject {
  batch: number;
  agency: string;
  file: string;
  line: number;
  reasons: Issue[];
  raw: Record<string, string>;
  text?: string;
}

export interface PersonHit {
  person_id: number;
  score: number;
  matched_by: string;
  name: string;
  sex: string;
  birth_date: string;
  origin_region: string;
  agencies: string[];
  records: number;
}

export interface Comparison {
  comparison: string;
  value_l: string;
  value_r: string;
  level: number;
  label: string;
  m: number;
  u: number;
  weight: number;
  tf_adjustment: number;
}

export interface Explanation {
  id_l: string;
  id_r: string;
  prior_weight: number;
  comparisons: Comparison[];
  weight: number;
  probability: number;
}

// How a person's fact was chosen from its records (report/person_facts.h).
export type FactRule = "unknown" | "agreement" | "majority" | "nik" | "agency_type" | "recent";
export type FactField = "sex" | "birth_date" | "origin_region" | "nationality" | "nik";

export interface FactSource {
  source_record_id: number;
  agency: string;
  record_id: string;
  value: string;
  from_nik: boolean;
}

export interface PersonFact {
  field: FactField;
  value: string | null;
  rule: FactRule;
  disagreement: boolean;
  sources: FactSource[];
}

export interface PersonFacts {
  age: number | null;
  fields: PersonFact[];
}

export interface DisagreementItem {
  person_id: number;
  fields: FactField[];
  facts: PersonFacts;
  records: (SourceRecord & { source_record_id: number })[];
}

export interface DisagreementPage {
  persons: DisagreementItem[];
  total: number;
}

export interface PersonDetail {
  person_id: number;
  facts: PersonFacts;
  records: SourceRecord[];
  links: { record_a: string; record_b: string; explanation: Explanation }[];
  timeline: { date: string; kind: string; agency: string; record_id: string }[];
}

export interface ReviewSide {
  agency: string;
  record_id: string;
  person_id: number;
  record?: SourceRecord;
}

export interface ReviewItem {
  item: number;
  probability: number;
  a: ReviewSide;
  b: ReviewSide;
  explanation?: Explanation;
}

export interface LinkReport {
  kind: string;
  run: number;
  records: number;
  new_records: number;
  persons: number;
  persons_created: number;
  persons_retired: number;
  records_moved: number;
  review_items: number;
}

export interface StatsCell {
  values: Record<string, string>;
  labels: Record<string, string>;
  records: number | null;
  persons: number | null;
  cases: number | null;
  suppressed: boolean;
}

export interface StatsTable {
  dimensions: string[];
  k: number;
  suppressed_cells: number;
  cells: StatsCell[];
}

export interface ReconciliationAgency {
  code: string;
  name: string;
  type: string;
  records: number;
  persons: number | null;
  only_here: number | null;
  shared: Record<string, number | null>;
}

export interface Reconciliation {
  k: number;
  records: number;
  unified_persons: number | null;
  sum_of_agency_counts: number | null;
  persons_at_several: number | null;
  agencies: ReconciliationAgency[];
}

// GET /api/v1/stats/dashboard: the reconciliation and, per dimension, what
// /api/v1/stats?by=<dimension>&totals=true answers, in one request.
export interface StatsDashboard {
  reconciliation: Reconciliation;
  tables: Record<string, StatsTable>;
  // The numbers are from before the latest change; the new count is under way.
  recounting?: boolean;
}

// Polls a job until it is done or failed, reporting progress on the way.
export async function waitForJob<R>(
  id: number,
  onProgress?: (job: Job<R>) => void,
  intervalMs = 400,
): Promise<Job<R>> {
  for (;;) {
    const job = await getJson<Job<R>>(`/api/v1/jobs/${id}`);
    onProgress?.(job);
    if (job.state === "done" || job.state === "failed") return job;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

// --- cases and the course of justice (GET /api/v1/cases, /cases/{id}, /justice) ---

export type StageArea = "police" | "prosecution" | "court" | "other";

// A stage of the legal process; its names come with it (the stage list is data).
export interface Stage {
  code: string;
  area: StageArea | string;
  name_id: string;
  name_en: string;
}

export interface AgencyCase {
  agency: string;
  agency_type: string;
  case_ref: string;
}

export interface CaseSummary {
  case_id: number;
  stage: Stage | null;
  first_event: string;
  last_event: string;
  days_since_last_event: number | null;
  closed: boolean;
  p19_returns: number;
  suspects: number;
  agency_cases: AgencyCase[];
}

export interface CasePage {
  cases: CaseSummary[];
  total: number;
}

export interface CaseEvent {
  date: string;
  stage: Stage;
  agency: string;
  agency_type: string;
  case_ref: string;
  record_id: string;
  suspect_id: number | null;
  suspect_name?: string;
  role?: string;
  verdict?: string;
  articles?: string;
  notes?: string;
  sentence_months?: number;
  fine?: number;
  restitution?: number;
}

export interface CaseSuspect {
  suspect_id: number;
  names: string[];
  roles: string[];
  companies: string[];
  verdict: string | null;
}

export interface CaseDetail extends CaseSummary {
  timeline: CaseEvent[];
  suspect_list: CaseSuspect[];
  victims: { agency: string; record_id: string }[];
  restitution: { claimed: number | null; ordered: number | null; paid: number | null };
  durations: {
    report_to_p21_days: number | null;
    p21_to_verdict_days: number | null;
    report_to_verdict_days: number | null;
  };
}

// One period (and province): counts under k arrive as null.
export interface JusticeRow {
  year: number;
  province?: string;
  cases: number | null;
  suspects_named: number | null;
  prosecuted: number | null;
  convicted: number | null;
  acquitted: number | null;
  restitution_ordered: number | null;
  restitution_paid: number | null;
}

export interface JusticeTable {
  rows: JusticeRow[];
  k: number;
  year_start: number;
}
