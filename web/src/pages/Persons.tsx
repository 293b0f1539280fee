// Person search: one box for a name (fuzzy), a NIK or a phone number. The search
// text is personal data, so it never goes into the page's address: it lives in
// the component's state and, for coming back from a person page, in this tab's
// sessionStorage (gone when the tab closes).
import { useEffect, useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, getJson } from "../api";
import type { PersonHit } from "../api";
import { ErrorMessage } from "../components/ErrorMessage";
import { formatDate, sexText, useAgencyName, useRegionNames } from "../components/names";
import { useSession } from "../session";
import { formatNumber } from "../i18n";
import "./Persons.css";

const PAGE = 20;
const SAVED_KEY = "gugus.personSearch";

interface Saved {
  user?: string;
  q: string;
  hits: PersonHit[];
  more: boolean;
}

// The last search of this tab, if the same account made it (another account logging
// in on this tab sees nothing of it).
function loadSaved(user: string | undefined): Saved | null {
  try {
    const s = sessionStorage.getItem(SAVED_KEY);
    const saved = s ? (JSON.parse(s) as Saved) : null;
    return saved && saved.user === user ? saved : null;
  } catch {
    return null;
  }
}

function matchText(t: TFunction, hit: PersonHit): string {
  if (hit.matched_by === "nik") return t("persons:matched.nik");
  if (hit.matched_by === "phone") return t("persons:matched.phone");
  return t("persons:matched.name", { score: formatNumber(hit.score * 100, 0) });
}

export default function Persons() {
  const { t } = useTranslation("persons");
  const { me } = useSession();
  const user = me?.username;
  const saved = useRef(loadSaved(user)).current;
  const [text, setText] = useState(saved?.q ?? "");
  const [result, setResult] = useState<Saved | null>(saved);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [prompt, setPrompt] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (result) sessionStorage.setItem(SAVED_KEY, JSON.stringify({ ...result, user }));
    else sessionStorage.removeItem(SAVED_KEY);
  }, [result, user]);

  const fetchPage = async (q: string, offset: number) =>
    (await getJson<{ persons: PersonHit[] }>("/api/v1/persons", { q, limit: PAGE, offset }))
      .persons;

  const search = async (e: FormEvent) => {
    e.preventDefault();
    const q = text.trim();
    setError(null);
    if (!q) {
      setResult(null);
      setPrompt(true);
      input.current?.focus();
      return;
    }
    setPrompt(false);
    setBusy(true);
    try {
      const hits = await fetchPage(q, 0);
      setResult({ q, hits, more: hits.length === PAGE });
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const more = async () => {
    if (!result) return;
    setBusy(true);
    setError(null);
    try {
      const hits = await fetchPage(result.q, result.hits.length);
      const seen = new Set(result.hits.map((h) => h.person_id));
      setResult({
        q: result.q,
        hits: [...result.hits, ...hits.filter((h) => !seen.has(h.person_id))],
        more: hits.length === PAGE,
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const clear = () => {
    setText("");
    setResult(null);
    setError(null);
    setPrompt(false);
    input.current?.focus();
  };

  // A query the server cannot read as a name, NIK or phone is the user's to fix.
  const badQuery = error instanceof ApiError && error.code === "invalid";

  return (
    <section className="persons">
      <h1>{t("title")}</h1>
      <p className="small intro">{t("intro")}</p>
      <form className="person-search" role="search" onSubmit={search} noValidate>
        <label htmlFor="person-q">{t("searchLabel")}</label>
        <div className="search-row">
          <input
            id="person-q"
            ref={input}
            type="search"
            autoComplete="off"
            spellCheck={false}
            autoFocus
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby="person-q-hint"
            aria-invalid={badQuery || undefined}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t("search")}
          </button>
          {(result || text) && (
            <button type="button" onClick={clear}>
              {t("clear")}
            </button>
          )}
        </div>
        <p id="person-q-hint" className="small">
          {t("searchHint")}
        </p>
      </form>

      <div role="status" aria-live="polite" className="search-status">
        {busy && <p className="loading">{t("searching")}</p>}
        {!busy && prompt && <p className="notice">{t("prompt")}</p>}
        {!busy && result && result.hits.length === 0 && (
          <p className="notice empty">{t("noResults")}</p>
        )}
        {!busy && result && result.hits.length > 0 && (
          <p className="count">{t("resultCount", { count: result.hits.length })}</p>
        )}
      </div>
      {badQuery ? (
        <div className="error" role="alert">
          <p>{t("badQuery")}</p>
        </div>
      ) : (
        <ErrorMessage error={error} />
      )}

      {result && result.hits.length > 0 && <Results hits={result.hits} />}
      {result?.more && (
        <div className="buttons">
          <button type="button" onClick={more} disabled={busy}>
            {busy ? t("searching") : t("more")}
          </button>
        </div>
      )}
      {!result && !prompt && !error && <p className="small">{t("privacy")}</p>}
    </section>
  );
}

function Results({ hits }: { hits: PersonHit[] }) {
  const { t } = useTranslation("persons");
  const regions = useRegionNames(hits.map((h) => h.origin_region));
  const agencyName = useAgencyName();
  return (
    <div className="table-wrap" tabIndex={0}>
      <table className="person-results">
        <caption className="sr-only">{t("resultsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("col.name")}</th>
            <th scope="col">{t("col.sex")}</th>
            <th scope="col">{t("col.birthDate")}</th>
            <th scope="col">{t("col.origin")}</th>
            <th scope="col">{t("col.agencies")}</th>
            <th scope="col" className="num">{t("col.records")}</th>
            <th scope="col">{t("col.matched")}</th>
          </tr>
        </thead>
        <tbody>
          {hits.map((h) => (
            <tr key={h.person_id}>
              <th scope="row" data-label={t("col.name")}>
                <Link to={`/orang/${h.person_id}`}>{h.name || t("noName")}</Link>
              </th>
              <td data-label={t("col.sex")}>{sexText(t, h.sex)}</td>
              <td data-label={t("col.birthDate")}>
                {h.birth_date ? (
                  <time dateTime={h.birth_date}>{formatDate(h.birth_date)}</time>
                ) : (
                  "—"
                )}
              </td>
              <td data-label={t("col.origin")}>
                {h.origin_region ? (regions[h.origin_region] ?? h.origin_region) : "—"}
              </td>
              <td data-label={t("col.agencies")}>
                <ul className="agency-list">
                  {h.agencies.map((a) => (
                    <li key={a} title={agencyName(a)}>
                      {agencyName(a)}
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label={t("col.records")} className="num">
                {formatNumber(h.records)}
              </td>
              <td data-label={t("col.matched")}>
                <span className={`match match-${h.matched_by}`}>{matchText(t, h)}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
