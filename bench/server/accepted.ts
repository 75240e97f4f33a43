/**
 * The guard that keeps a benchmark of refusals from passing for one of posts: a run of POST /orders measures the
 * book storing orders only when nearly every answer is a 2xx. On 2026-12-07 a committed run measured 7,977 refusals
 * of 8,017 posts (the book's caps, 422) as "posts per second".
 */

/** The least share of 2xx answers a posts run must have to mean anything. */
export const LEAST_ACCEPTED_SHARE = 0.9;

/** What a run answered: how many of each status, and the first answer that was not a 2xx (its status and body). */
export interface Answers {
  statuses: ReadonlyMap<number, number>;
  firstRefusal?: { status: number; body: string } | undefined;
}

/**
 * Throws when fewer than {@link LEAST_ACCEPTED_SHARE} of `answers` are 2xx (or there were none), naming every
 * status with its count and the first refusal's body, so the run is never reported.
 */
export function assertAccepted(what: string, answers: Answers): void {
  const total = [...answers.statuses.values()].reduce((n, count) => n + count, 0);
  const accepted = [...answers.statuses].filter(([status]) => status >= 200 && status < 300).reduce((n, [, c]) => n + c, 0);
  if (total > 0 && accepted / total >= LEAST_ACCEPTED_SHARE) return;
  const statuses = [...answers.statuses].map(([status, count]) => `${count} × ${status}`).join(", ") || "no answer";
  const first = answers.firstRefusal
    ? ` The first refusal: ${answers.firstRefusal.status} ${answers.firstRefusal.body.slice(0, 500)}`
    : "";
  throw new Error(
    `${what}: ${accepted} of ${total} answers were 2xx (${statuses}), under the ${LEAST_ACCEPTED_SHARE * 100} % a run needs to measure anything; it is not reported.${first}`,
  );
}
