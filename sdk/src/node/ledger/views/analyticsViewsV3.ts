/**
 * The analysts' schema, version 3: the SQL of every view migration `0009_ledger_analytics_views_v3` creates. The same
 * views as versions 1 and 2, with the same columns, rows and values; only how the rows are found changed.
 *
 * Version 2 read every row of a view's kinds and joined each to the analytics period of its wallet that held it, if
 * any: at 1,000,000 entries `points_flows` read 370,000 rows to keep 119,000, and `members` grouped the 770,000 rows of
 * the joining kinds to list 4,700 members. Version 3 starts from the periods: one index on (actor, program, kind,
 * block_number, log_index, block_time) gives each period's rows of a kind, so the rows of wallets that never
 * consented, or of the times they did not, are never read; on SQLite `members` reads each consented wallet's first
 * joining row from the same index (on Postgres it stays version 2's, see below). The views where every row stays (trades, transfers, referrals, conversions) are version 2's.
 *
 * Frozen like the migration that runs it: a change to a view is a new migration with a new file beside this one. It
 * imports only versions 1 and 2 (frozen too) and builds on version 2's statements where only the join changes. The
 * columns of every view stay pinned by `analyticsViews.test.ts`.
 */
import {
  PURPOSE_BITS,
  PURPOSE_KINDS,
  dialects,
  place,
  type Dialect,
  type ViewDefinition,
  type ViewEngine,
} from "./analyticsViewsV1.js";
import { ANALYTICS_PERIODS, analyticsViewsV2, consentJoin } from "./analyticsViewsV2.js";

/** The kinds a wallet joins the program by (its first such row): `members.joined_block`. */
const JOINING_KINDS =
  "'stamp.minted', 'stamp.transferred', 'points.minted', 'points.transferred', 'points.rewarded', 'points.credited'";

/**
 * The index version 3 reads a member's rows by: a wallet's rows of one kind in chain order, with the block's time, so
 * a member's first row of the joining kinds is read from the index alone. The wallet comes first: an index that began
 * with the program would also cover queries of one program and kind (they hold every column such a query needs but
 * the wallet), and a planner without statistics would take it for them and read the program's every row.
 */
export const MEMBER_KIND_INDEX = `CREATE INDEX ledger_entries_member_kind
  ON ledger_entries (actor, program, kind, block_number, log_index, block_time)`;

/**
 * `e`'s rows of the wallet of period `p` that the period holds (its owner consented then). The bounds on
 * `block_number` alone say nothing the exact test after them does not, but they are what an index can seek: the
 * member-kind index reads a period's rows of a kind, and no other.
 */
const heldBy = (p: string, e: string) =>
  `${e}.program = ${p}.program AND ${e}.actor = ${p}.wallet
    AND ${e}.block_number >= ${p}.from_block AND ${e}.block_number <= COALESCE(${p}.until_block, 9223372036854775807)
    AND (${p}.from_block < ${e}.block_number OR (${p}.from_block = ${e}.block_number AND ${p}.from_log <= ${e}.log_index))
    AND (${p}.until_block IS NULL OR ${e}.block_number < ${p}.until_block
      OR (${e}.block_number = ${p}.until_block AND ${e}.log_index < ${p}.until_log))`;

/**
 * A view of version 2 whose rows are one member's, turned around: from the analytics periods to each period's rows
 * (`FROM periods pa CROSS JOIN ledger_entries e`, the periods first: SQLite keeps a CROSS JOIN's order), instead of
 * every row of its kinds to the period that holds it. The same rows: version 2 kept a row when one period of its
 * member held it, and a member's periods never overlap. Only the join changes; the statement is version 2's.
 */
function fromPeriods(view: string, body: string): string {
  const join = consentJoin("pa", "e.actor", "e");
  const from = "FROM ledger_entries e ";
  const where = body.lastIndexOf("WHERE e.kind");
  const once = (text: string) => body.indexOf(text) >= 0 && body.indexOf(text) === body.lastIndexOf(text);
  if (!once(join) || !once(from) || where < 0)
    throw new Error(`version 2 of ${view} is not a member's rows joined to their periods`);
  const turned = body
    .slice(0, where)
    .replace(join, "")
    .replace(from, `FROM ${ANALYTICS_PERIODS} pa CROSS JOIN ledger_entries e `);
  return `${turned}${body.slice(where)}
        AND ${heldBy("pa", "e")}`;
}

/**
 * The `CREATE VIEW` statements of version 3, for one engine, in the order they are created.
 *
 * @example
 * for (const view of analyticsViewsV3("postgres")) await sql.raw(view.sql).execute(db);
 */
export function analyticsViewsV3(engine: ViewEngine): ViewDefinition[] {
  const d = dialects[engine];
  const v2 = new Map(analyticsViewsV2(engine).map((view) => [view.name, view.sql.replace(/^CREATE VIEW \w+ AS /, "")]));
  // `+ 0` (the same integer): a bare min(block_time) would have SQLite seek the (program, kind, block_time) index for
  // the smallest time of each kind and read every row of it for the wallet, rather than the member's few entries.
  const firstOf = (column: string) => `(SELECT min(j.${column}${column === "block_time" ? " + 0" : ""}) FROM ledger_entries j
        WHERE j.actor = p.wallet AND j.program = p.program AND j.kind IN (${JOINING_KINDS}))`;
  const body = (view: string) => v2.get(view)!;
  const views: Record<string, string> = {
    ...Object.fromEntries(v2),
    ...Object.fromEntries(
      ["stamps_minted", "points_flows", "perk_claims", "journey_completions"].map((view) => [
        view,
        fromPeriods(view, body(view)),
      ]),
    ),
    analytics_schema_version: `SELECT 3 AS version, '0009_ledger_analytics_views_v3' AS migration`,
    consent_changes: consentChanges(d),

    // SQLite: the wallets whose analytics purpose stands (their open period), each with its first row of the joining
    // kinds read from the member-kind index, a few index entries per member instead of grouping every joining row
    // (3.6 to 0.5 CPU seconds at 1,000,000 entries). Postgres keeps version 2's: it runs each correlated minimum twice
    // (in the filter and the column), and the plan's cost sets off JIT compilation (1.3 to 2.3 s), so the same SQL
    // took 1.40 server CPU seconds where version 2's hash aggregate takes 0.91.
    members:
      engine === "sqlite"
        ? `SELECT m.program, m.member, m.joined_block, m.joined_time, ${d.utc("m.joined_time")} AS joined_at
      FROM (SELECT p.program, p.wallet AS member, ${firstOf("block_number")} AS joined_block, ${firstOf("block_time")} AS joined_time
            FROM ${ANALYTICS_PERIODS} p WHERE p.until_block IS NULL) m
      WHERE m.joined_block IS NOT NULL`
        : body("members"),
  };
  return Object.entries(views).map(([name, body]) => ({ name, sql: `CREATE VIEW ${name} AS ${body}` }));
}

/**
 * consent_changes: version 2's, from the periods, and its sibling rows (the guardian's event before a change, the
 * brand's unlink after it) found by the primary key (chain, transaction, position) rather than among every row of
 * their kind in the program: a program's rows are all on its chain (the program's key begins with the chain id), so
 * adding the chain changes no answer.
 */
function consentChanges(d: Dialect): string {
  const sibling = (offset: string, kind: string) =>
    `SELECT 1 FROM ledger_entries o WHERE o.chain_id = e.chain_id AND o.tx_hash = e.tx_hash
      AND o.log_index = e.log_index ${offset} AND o.program = e.program AND o.kind = '${kind}'`;
  const byWhom = `CASE
      WHEN EXISTS (${sibling("- 1", "consent.guardian.withdrew")}) OR EXISTS (${sibling("- 1", "consent.guardian.changed")}) THEN 'guardian'
      WHEN EXISTS (${sibling("+ 1", "consent.unlinked")} AND ${d.argIsTrue("o.args", "byBrand")}) THEN 'brand'
      ELSE 'member' END`;
  const purposes = PURPOSE_BITS.map(([bit, name]) => `SELECT ${bit} AS bit, '${name}' AS purpose`).join(" UNION ALL ");
  const before = `CAST(${d.arg("e.args", "oldPurposes")} AS BIGINT)`;
  const after = "CAST(e.amount AS BIGINT)";
  return `SELECT ${place(d)}, e.actor AS member, p.purpose,
      CASE WHEN (${after} & p.bit) <> 0 THEN 'on' ELSE 'off' END AS state, ${byWhom} AS by_whom
    FROM ${ANALYTICS_PERIODS} pa CROSS JOIN ledger_entries e CROSS JOIN (${purposes}) p
    WHERE e.kind IN (${PURPOSE_KINDS}) AND (${before} & p.bit) <> (${after} & p.bit)
      AND ${heldBy("pa", "e")}`;
}
