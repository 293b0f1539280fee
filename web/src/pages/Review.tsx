// The review queue: pairs of records the linkage model was unsure about, most
// uncertain first. The reviewer sees both records side by side with the match
// weights and decides "the same person" or "different people" (or skips). A decision
// binds every later linkage run and relinks the two persons as a job; the screen shows
// its progress, confirms it with the new unified person count and moves on to the
// next pair by itself. Keyboard: S = same, B/D = different, L/N = skip.
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router-dom";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ApiError, getJson, sendJson, waitForJob } from "../api";
import type { Job, LinkReport, Reconciliation, ReviewItem, ReviewSide } from "../api";
import { useSession } from "../session";
import { ErrorMessage, errorText } from "../components/ErrorMessage";
import { RecordCompare } from "../components/RecordCompare";
import { Waterfall } from "../components/Waterfall";
import { useAgencyName, useRecordValueFormatter } from "../components/names";
import { formatNumber } from "../i18n";
import "./Review.css";

// The pairs are worked through a page at a time; the count shown is the total.
const QUEUE_PAGE = 500;

type Decision = "same" | "different";

interface Busy {
  decision: Decision;
  job: Job<LinkReport> | null;
}

// The relink job's report also says how many records changed person.
type Relinked = LinkReport & { records_moved?: number };

interface Message {
  kind: "ok" | "error";
  text: string;
}

// The probability as a phrase a reviewer can weigh.
function probabilityWords(t: TFunction, p: number): string {
  if (p >= 0.8) return t("probability.likelySame");
  if (p >= 0.6) return t("probability.leanSame");
  if (p > 0.4) return t("probability.unsure");
  if (p > 0.2) return t("probability.leanDifferent");
  return t("probability.likelyDifferent");
}

// Keys typed into a field are the reviewer's text, never a shortcut.
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

export default function Review() {
  const { t } = useTranslation("review");
  const { can } = useSession();
  const mayCount = can("read_aggregates");
  const mayOpenPersons = can("read_records");

  const [queue, setQueue] = useState<ReviewItem[] | null>(null);
  const [total, setTotal] = useState(0);
  const [queueError, setQueueError] = useState<unknown>(null);
  const [skipped, setSkipped] = useState<number[]>([]);
  const [pair, setPair] = useState<ReviewItem | null>(null);
  const [pairError, setPairError] = useState<unknown>(null);
  const [pairTick, setPairTick] = useState(0);
  const [unified, setUnified] = useState<number | null>(null);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState<Busy | null>(null);
  const [status, setStatus] = useState<Message | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const focusNext = useRef(false);

  const agencyName = useAgencyName(can("read_reference"));

  const loadQueue = useCallback(async () => {
    try {
      const r = await getJson<{ items: ReviewItem[]; total: number }>("/api/v1/review", {
        limit: QUEUE_PAGE,
      });
      setQueue(r.items);
      setTotal(r.total);
      setQueueError(null);
    } catch (e) {
      setQueueError(e);
    }
  }, []);

  const loadUnified = useCallback(async (): Promise<number | null> => {
    if (!mayCount) return null;
    try {
      const r = await getJson<Reconciliation>("/api/v1/stats/reconciliation");
      setUnified(r.unified_persons);
      return r.unified_persons;
    } catch {
      return null;
    }
  }, [mayCount]);

  useEffect(() => {
    void loadQueue();
    void loadUnified();
  }, [loadQueue, loadUnified]);

  const waiting = queue?.length ?? 0;
  const open = useMemo(
    () => (queue ?? []).filter((i) => !skipped.includes(i.item)),
    [queue, skipped],
  );
  const currentId = open[0]?.item ?? null;
  const skippedHere = waiting - open.length;
  const position = queue && currentId !== null ? queue.findIndex((i) => i.item === currentId) + 1 : 0;

  // The current pair in full: both records and the explanation.
  useEffect(() => {
    if (currentId === null) {
      setPair(null);
      return;
    }
    const controller = new AbortController();
    setPairError(null);
    getJson<ReviewItem>(`/api/v1/review/${currentId}`, undefined, controller.signal)
      .then((p) => {
        if (!controller.signal.aborted) setPair(p);
      })
      .catch((e) => {
        if (controller.signal.aborted) return;
        if (e instanceof ApiError && e.status === 404) {
          // Gone meanwhile (decided or moved out of reach): say so and go on.
          setStatus({ kind: "error", text: t("gone") });
          setSkipped((s) => [...s, currentId]);
        } else {
          setPairError(e);
        }
      });
    return () => controller.abort();
  }, [currentId, pairTick, t]);

  const shown = pair && pair.item === currentId ? pair : null;
  // While the next pair loads the previous one stays, dimmed and inert, so the
  // screen does not jump.
  const card = currentId !== null && pairError === null ? (shown ?? pair) : null;
  const stale = card !== null && shown === null;

  // After a decision or a skip the next pair takes the focus, so a keyboard or
  // screen reader user goes on from its heading.
  useEffect(() => {
    if (shown && focusNext.current) {
      focusNext.current = false;
      headingRef.current?.focus();
    }
  }, [shown]);

  const skip = useCallback(() => {
    if (!shown || busy) return;
    setStatus(null);
    setNote("");
    focusNext.current = true;
    setSkipped((s) => [...s, shown.item]);
  }, [shown, busy]);

  const decide = useCallback(
    async (decision: Decision) => {
      if (!shown || busy) return;
      const item = shown.item;
      const before = unified;
      setBusy({ decision, job: null });
      setStatus({ kind: "ok", text: t("saving") });
      const text = note.trim();
      let moveOn = true;
      try {
        const job = await sendJson<Job<LinkReport>>("POST", `/api/v1/review/${item}/decision`, {
          decision,
          ...(text ? { note: text } : {}),
        });
        setBusy({ decision, job });
        const done = await waitForJob<LinkReport>(job.id, (j) => setBusy({ decision, job: j }));
        if (done.state === "failed") {
          setStatus({ kind: "error", text: t("jobFailed") });
        } else {
          const after = await loadUnified();
          const saved = t(decision === "same" ? "savedSame" : "savedDifferent", { item });
          const effect =
            after === null
              ? ""
              : before === null || before === after
                ? t("unifiedNow", { value: formatNumber(after) })
                : t("unifiedChanged", { before: formatNumber(before), after: formatNumber(after) });
          const moved = (done.result as Relinked | undefined)?.records_moved ?? 0;
          const parts = [saved, effect, moved > 0 ? t("moved", { count: moved }) : ""];
          setStatus({ kind: "ok", text: parts.filter((x) => x).join(" ") });
        }
      } catch (e) {
        if (e instanceof ApiError && (e.status === 404 || e.status === 409)) {
          setStatus({ kind: "error", text: t("gone") });
        } else {
          // Nothing was recorded (e.g. no connection): keep the pair to try again.
          moveOn = false;
          setStatus({ kind: "error", text: `${t("notSaved")} ${errorText(t, e)}` });
        }
      }
      if (moveOn) {
        setNote("");
        focusNext.current = true;
        await loadQueue();
        // A pair that stays in the queue (the decision failed) is set aside for now.
        setSkipped((s) => (s.includes(item) ? s : [...s, item]));
      }
      setBusy(null);
    },
    [shown, busy, unified, note, t, loadUnified, loadQueue],
  );

  // Shortcuts, ignored while typing in the note or with a modifier held.
  const actions = useRef({ decide, skip });
  actions.current = { decide, skip };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || typing(e.target)) return;
      const key = e.key.toLowerCase();
      if (key === "s") void actions.current.decide("same");
      else if (key === "b" || key === "d") void actions.current.decide("different");
      else if (key === "l" || key === "n") actions.current.skip();
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const side = (s: ReviewSide) => `${agencyName(s.agency)} ${s.record_id}`;
  const cardRecords = card?.a.record && card.b.record ? [card.a.record, card.b.record] : [];
  const formatValue = useRecordValueFormatter(cardRecords);
  const progress = busy?.job?.progress;

  return (
    <section className="review" aria-labelledby="review-title">
      <header className="review-head">
        <div>
          <h1 id="review-title">{t("title")}</h1>
          <p className="small review-intro">{t("intro")}</p>
        </div>
        <dl className="review-stats">
          <div className="kpi">
            <dt className="label">{t("waitingLabel")}</dt>
            <dd className="value" data-testid="review-waiting">
              {queue === null
                ? "…"
                : formatNumber(total)}
            </dd>
          </div>
          {mayCount && (
            <div className="kpi">
              <dt className="label">{t("unifiedLabel")}</dt>
              <dd className="value" data-testid="review-unified">
                {unified === null ? "…" : formatNumber(unified)}
              </dd>
            </div>
          )}
        </dl>
      </header>

      <div
        className={`review-live ${status ? (status.kind === "ok" ? "ok" : "error") : ""}`}
        role="status"
        aria-live="polite"
        data-testid="review-status"
      >
        {status?.text}
      </div>

      <ErrorMessage error={queueError} />

      {queue !== null && waiting === 0 && (
        <div className="review-empty card">
          <h2>{t("empty.title")}</h2>
          <p>{t("empty.text")}</p>
        </div>
      )}

      {queue !== null && waiting > 0 && currentId === null && (
        <div className="review-empty card">
          <h2>{t("allSkipped.title")}</h2>
          <p>{t("allSkipped.text", { count: waiting })}</p>
          <button type="button" className="primary" onClick={() => setSkipped([])}>
            {t("allSkipped.again")}
          </button>
        </div>
      )}

      {pairError !== null && currentId !== null && (
        <div>
          <ErrorMessage error={pairError} />
          <button type="button" onClick={() => setPairTick((n) => n + 1)}>
            {t("common:retry")}
          </button>
        </div>
      )}

      {currentId !== null && !card && pairError === null && (
        <p className="loading" role="status">
          {t("loadingPair")}
        </p>
      )}

      {card && (
        <article
          className={`review-pair card${stale ? " stale" : ""}`}
          data-item={card.item}
          aria-labelledby="pair-title"
          aria-busy={stale || undefined}
        >
          <div className="pair-head">
            <div>
              <h2 id="pair-title" ref={headingRef} tabIndex={-1}>
                {t("pairTitle", { item: card.item })}
              </h2>
              <p className="small">
                {t("position", { position, count: total })}
                {skippedHere > 0 && ` · ${t("skippedCount", { count: skippedHere })}`}
              </p>
            </div>
            <div className="pair-probability">
              <p className="words">{probabilityWords(t, card.probability)}</p>
              <div className="meter" aria-hidden="true">
                <span style={{ width: `${Math.round(card.probability * 100)}%` }} />
              </div>
              <p className="small">
                {t("probability.value", { value: formatNumber(card.probability * 100, 1) })}
              </p>
            </div>
          </div>
          <p className="pair-persons">
            {card.a.person_id !== 0 && card.a.person_id === card.b.person_id ? (
              <>
                {t("persons.together")} <PersonLink id={card.a.person_id} link={mayOpenPersons} />
              </>
            ) : (
              <>
                {t("persons.apart")} <PersonLink id={card.a.person_id} link={mayOpenPersons} />{" "}
                {t("persons.and")} <PersonLink id={card.b.person_id} link={mayOpenPersons} />
              </>
            )}
          </p>

          <div className="pair-body">
            <div className="pair-records">
              <h3>{t("recordsTitle")}</h3>
              {card.a.record && card.b.record ? (
                <RecordCompare
                  records={[card.a.record, card.b.record]}
                  caption={t("compareCaption", { a: side(card.a), b: side(card.b) })}
                  agencyName={agencyName}
                  formatValue={formatValue}
                />
              ) : (
                <p className="small">{t("recordsMissing")}</p>
              )}
            </div>
            <div className="pair-weights">
              <h3>{t("weightsTitle")}</h3>
              <p className="small">{t("weightsHelp")}</p>
              {card.explanation ? (
                <Waterfall explanation={card.explanation} />
              ) : (
                <p className="small">{t("noExplanation")}</p>
              )}
            </div>
          </div>

          <form className="decide" onSubmit={(e) => e.preventDefault()} aria-label={t("decideLabel")}>
            <div className="decide-note">
              <label htmlFor="review-note">
                {t("note")} <span className="small">{t("noteOptional")}</span>
              </label>
              <textarea
                id="review-note"
                rows={1}
                value={note}
                maxLength={1000}
                disabled={busy !== null || stale}
                aria-describedby="review-keys"
                onChange={(e) => setNote(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === "Escape") e.currentTarget.blur();
                }}
              />
            </div>
            <div className="decide-actions">
              <div className="decide-buttons">
                <button
                  type="button"
                  className="good"
                  aria-keyshortcuts="S"
                  disabled={busy !== null || stale}
                  onClick={() => void decide("same")}
                >
                  {t("same")} <kbd aria-hidden="true">S</kbd>
                </button>
                <button
                  type="button"
                  className="different"
                  aria-keyshortcuts="B D"
                  disabled={busy !== null || stale}
                  onClick={() => void decide("different")}
                >
                  {t("different")} <kbd aria-hidden="true">B</kbd>
                </button>
                <button
                  type="button"
                  aria-keyshortcuts="L N"
                  disabled={busy !== null || stale}
                  onClick={skip}
                >
                  {t("skip")} <kbd aria-hidden="true">L</kbd>
                </button>
              </div>
              {busy ? (
                <div className="decide-progress">
                  <progress
                    aria-label={t("relinking")}
                    max={progress && progress.total > 0 ? progress.total : undefined}
                    value={progress && progress.total > 0 ? progress.done : undefined}
                  />
                  <span className="small">{t("relinking")}</span>
                </div>
              ) : (
                <p id="review-keys" className="small keys-help">
                  {t("keysHelp")}
                </p>
              )}
            </div>
          </form>
        </article>
      )}
    </section>
  );
}

function PersonLink({ id, link }: { id: number; link: boolean }) {
  const { t } = useTranslation("review");
  if (id === 0) return <span>{t("persons.none")}</span>;
  const text = t("persons.person", { id });
  return link ? <Link to={`/orang/${id}`}>{text}</Link> : <strong>{text}</strong>;
}
