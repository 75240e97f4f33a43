import type { BookOrderRow } from "./schema.js";

/** The columns a stored order's answer is made of. */
export type ViewRow = Pick<
  BookOrderRow,
  "kind" | "order_json" | "order_hash" | "signature" | "permit_json" | "status" | "reason" | "created_at"
>;

/** The columns {@link ViewRow} names, as a query selects them. */
export const VIEW_COLUMNS = [
  "kind",
  "order_json",
  "order_hash",
  "signature",
  "permit_json",
  "status",
  "reason",
  "created_at",
] as const satisfies ReadonlyArray<keyof ViewRow>;

const quoted = JSON.stringify;

/**
 * A stored order as the API answers it, as JSON text: the same bytes as `JSON.stringify(viewOf(row))`, made without
 * parsing the stored order and permit and serializing them again. Their text is spliced in as stored: the book
 * stored it as `JSON.stringify` wrote it, which is what parsing and serializing it again gives back.
 */
export function viewText(row: ViewRow): string {
  const permit = row.permit_json === null ? "" : `,"permit":${row.permit_json}`;
  const reason = row.reason === null ? "" : `,"reason":${quoted(row.reason)}`;
  return (
    `{"kind":${quoted(row.kind)},"order":${row.order_json},"orderHash":${quoted(row.order_hash)},` +
    `"signature":${quoted(row.signature)}${permit},"status":${quoted(row.status)}${reason},"createdAt":${quoted(row.created_at)}}`
  );
}

/** A page of orders as the API answers it (`{ orders, nextCursor? }`), as JSON text. */
export function pageText(rows: readonly ViewRow[], nextCursor: string | undefined): string {
  let orders = "";
  for (let i = 0; i < rows.length; i++) orders += (i === 0 ? "" : ",") + viewText(rows[i]!);
  return `{"orders":[${orders}]${nextCursor === undefined ? "" : `,"nextCursor":${quoted(nextCursor)}`}}`;
}
