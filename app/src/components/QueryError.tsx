import { errorSentence } from "../errors.js";

/** A read that failed: the sentence and a way to try again; the page shows nothing half-read. */
export function QueryError({ what, error, retry }: { what: string; error: unknown; retry: () => void }) {
  return (
    <div role="alert" className="message failed">
      <p>
        Could not read {what}. {errorSentence(error)}
      </p>
      <button type="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}
