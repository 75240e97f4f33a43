/**
 * The analysts' schema, version 1: the SQL of every view migration `0005_ledger_analytics_views` creates.
 *
 * Frozen like the migration that runs it: a change to a view is a new migration with a new file beside this one,
 * never an edit of this one, so a database created tomorrow gets what one created the day this shipped. It imports
 * nothing of the live code for the same reason. The columns of every view are pinned by
 * `analyticsViews.test.ts` against `analyticsViews.columns.json`: a later migration that drops or renames one fails.
 * Version 2 (`analyticsViewsV2.ts`) builds on the pieces exported here (dialects, units, common columns): they are
 * frozen with this file, so a change to one would change both versions; a later version copies what it changes.
 *
 * Rules every view keeps (docs/analytics-schema.md says them to analysts):
 * - lower_snake_case, one row per thing that happened, in chain order by (block_number, log_index);
 * - amounts as decimal text in the program's units (`points`, `price`...) beside the exact smallest units
 *   (`points_raw`...): SQLite has no exact decimal type and its REAL rounds past 2^53, so text is the one form exact
 *   on both engines; cast it (`CAST(points AS NUMERIC)` on Postgres, `Decimal` in pandas) to compute;
 * - per-member rows only while the member's analytics purpose stood at the row (see `consentAt`): a row about one
 *   member is left out otherwise, and any other wallet a row names is NULL unless its owner consented then.
 */

/** The two engines the ledger runs on. */
export type ViewEngine = "sqlite" | "postgres";

/** One view: its name and its `CREATE VIEW` statement. */
export interface ViewDefinition {
  name: string;
  sql: string;
}

/** The consent registry's purposes, by bit, in lower_snake_case. */
export const PURPOSE_BITS = [
  [1, "rewards"],
  [2, "analytics"],
  [4, "marketing"],
  [8, "partner_sharing"],
] as const;
export const ANALYTICS_BIT = 2;

/** ConsentPurposesChanged's kinds: each carries the new purposes bitmask as its amount. */
export const PURPOSE_KINDS = "'consent.granted', 'consent.changed', 'consent.revoked'";

/** What differs between the engines, as SQL text. */
export interface Dialect {
  /** An event argument (from the `args` JSON) as text. */
  arg(args: string, key: string): string;
  /** A JSON boolean argument as a condition. */
  argIsTrue(args: string, key: string): string;
  /** Unix seconds as "YYYY-MM-DD HH:MM:SS" in UTC. */
  utc(seconds: string): string;
  /** A bytes32 code as the text it encodes when that is printable ASCII (as `codeName` does), else the hex. */
  codeName(code: string): string;
}

/** A bytes32 code's hex without "0x" and its trailing zero bytes (zero digits dropped, then evened to whole bytes). */
function evenHex(code: string): string {
  const trimmed = `rtrim(substr(${code}, 3), '0')`;
  return `(${trimmed} || CASE WHEN length(${trimmed}) % 2 = 1 THEN '0' ELSE '' END)`;
}

export const dialects: Record<ViewEngine, Dialect> = {
  sqlite: {
    arg: (args, key) => `CAST(json_extract(${args}, '$.${key}') AS TEXT)`,
    argIsTrue: (args, key) => `json_extract(${args}, '$.${key}') = 1`,
    utc: (seconds) => `datetime(${seconds}, 'unixepoch')`,
    codeName: (code) => {
      const text = `CAST(unhex(${evenHex(code)}) AS TEXT)`;
      return `CASE WHEN ${code} IS NULL THEN NULL WHEN ${text} = '' OR ${text} GLOB '*[^ -~]*' THEN ${code} ELSE ${text} END`;
    },
  },
  postgres: {
    arg: (args, key) => `(${args}::json ->> '${key}')`,
    argIsTrue: (args, key) => `(${args}::json ->> '${key}') = 'true'`,
    utc: (seconds) => `to_char(to_timestamp(${seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')`,
    codeName: (code) => {
      // Decoded only when every byte is printable ASCII, so convert_from never meets a byte that is not UTF-8.
      const hex = evenHex(code);
      return `CASE WHEN ${code} IS NULL THEN NULL WHEN ${hex} ~ '^([2-6][0-9a-f]|7[0-9a-e])+$' THEN convert_from(decode(${hex}, 'hex'), 'UTF8') ELSE ${code} END`;
    },
  },
};

/**
 * A smallest-units decimal text as decimal text with `decimals` places, trailing zeros dropped: "1500000" with 6 is
 * "1.5". Text functions both engines have (substr, ltrim, rtrim, length), no arithmetic, so any uint256 stays exact.
 */
export function unitsSql(raw: string, decimals: string): string {
  // 37 zeros: room for the 36 decimals a deployment record allows for the chain's coin.
  const padded = `('${"0".repeat(37)}' || ${raw})`;
  const whole = `COALESCE(NULLIF(ltrim(substr(${padded}, 1, length(${padded}) - ${decimals}), '0'), ''), '0')`;
  const fraction = `rtrim(substr(${padded}, length(${padded}) - ${decimals} + 1), '0')`;
  return `CASE WHEN ${raw} IS NULL THEN NULL WHEN ${fraction} = '' THEN ${whole} ELSE ${whole} || '.' || ${fraction} END`;
}

/** Where a row stands in the chain: at or before `e`'s event. */
const atOrBefore = (c: string, e: string) =>
  `(${c}.block_number < ${e}.block_number OR (${c}.block_number = ${e}.block_number AND ${c}.log_index <= ${e}.log_index))`;

/**
 * True when `wallet` held the analytics purpose at `e`'s event: its last purposes change at or before the event
 * (in the same program) includes analytics. A wallet never linked has none.
 */
export function consentAt(wallet: string, e: string): string {
  return `COALESCE((SELECT CAST(c.amount AS BIGINT) & ${ANALYTICS_BIT} FROM ledger_entries c
      WHERE c.program = ${e}.program AND c.actor = ${wallet} AND c.kind IN (${PURPOSE_KINDS}) AND ${atOrBefore("c", e)}
      ORDER BY c.block_number DESC, c.log_index DESC LIMIT 1), 0) <> 0`;
}

/** `wallet` if its owner held the analytics purpose at `e`'s event, else NULL. */
export const ifConsented = (wallet: string, e: string) => `CASE WHEN ${consentAt(wallet, e)} THEN ${wallet} END`;

/** The columns that place a row in the chain, first in every event view. */
export const place = (d: Dialect, e = "e") =>
  `${e}.program, ${e}.block_number, ${e}.block_time, ${d.utc(`${e}.block_time`)} AS happened_at, ${e}.tx_hash, ${e}.log_index`;

/** The program's units (ledger_units), defaults when the CLI never recorded them: whole points, an 18-decimal coin. */
export const UNITS_JOIN = "LEFT JOIN ledger_units u ON u.program = e.program";
export const POINTS_DECIMALS = "COALESCE(u.points_decimals, 0)";

/** Series names from `series.created` (the name is an argument of StampsSeriesCreated). */
export const seriesJoin = (d: Dialect) =>
  `LEFT JOIN (SELECT program, series_id, ${d.arg("args", "name")} AS series_name FROM ledger_entries WHERE kind = 'series.created') s
    ON s.program = e.program AND s.series_id = e.series_id`;

/** Points as decimal text and raw, from a smallest-units column. */
export const pointsColumns = (raw: string, name = "points") =>
  `${unitsSql(raw, POINTS_DECIMALS)} AS ${name}, ${raw} AS ${name}_raw`;

/**
 * The `CREATE VIEW` statements of version 1, for one engine, in the order they are created (none reads another but
 * `analytics_schema_version`, which reads none).
 *
 * @example
 * for (const view of analyticsViewsV1("sqlite")) await sql.raw(view.sql).execute(db);
 */
export function analyticsViewsV1(engine: ViewEngine): ViewDefinition[] {
  const d = dialects[engine];
  const views: Record<string, string> = {
    analytics_schema_version: `SELECT 1 AS version, '0005_ledger_analytics_views' AS migration`,

    members: `SELECT m.program, m.member, m.joined_block, m.joined_time, ${d.utc("m.joined_time")} AS joined_at
      FROM (SELECT program, actor AS member, min(block_number) AS joined_block, min(block_time) AS joined_time
            FROM ledger_entries
            WHERE actor IS NOT NULL AND kind IN ('stamp.minted', 'stamp.transferred', 'points.minted', 'points.transferred',
              'points.rewarded', 'points.credited')
            GROUP BY program, actor) m
      WHERE COALESCE((SELECT CAST(c.amount AS BIGINT) & ${ANALYTICS_BIT} FROM ledger_entries c
        WHERE c.program = m.program AND c.actor = m.member AND c.kind IN (${PURPOSE_KINDS})
        ORDER BY c.block_number DESC, c.log_index DESC LIMIT 1), 0) <> 0`,

    stamps_minted: `SELECT ${place(d)}, e.actor AS member, e.token_id, e.series_id, s.series_name
      FROM ledger_entries e ${seriesJoin(d)}
      WHERE e.kind = 'stamp.minted' AND ${consentAt("e.actor", "e")}`,

    stamp_transfers: `SELECT ${place(d)}, ${ifConsented("e.counterparty", "e")} AS from_wallet,
        ${ifConsented("e.actor", "e")} AS to_wallet, e.token_id, e.series_id, s.series_name
      FROM ledger_entries e ${seriesJoin(d)}
      WHERE e.kind = 'stamp.transferred'`,

    trades: (() => {
      const isNative = "e.currency = '0x0000000000000000000000000000000000000000'";
      const currency = `CASE WHEN e.kind = 'swap' THEN u.points_address ELSE e.currency END`;
      const isPoints = `(e.kind = 'swap' OR e.currency = u.points_address)`;
      const decimals = `CASE WHEN ${isPoints} THEN ${POINTS_DECIMALS} WHEN ${isNative} THEN COALESCE(u.native_decimals, 18) ELSE 0 END`;
      const symbol = `CASE WHEN ${isPoints} THEN u.points_symbol WHEN ${isNative} THEN COALESCE(u.native_symbol, 'ETH') END`;
      const kind = `CASE e.kind WHEN 'order.filled' THEN 'listing' WHEN 'offer.accepted' THEN 'offer'
        WHEN 'orders.matched' THEN 'matched' ELSE 'swap' END`;
      return `SELECT ${place(d)}, ${kind} AS kind, e.code AS order_hash, e.token_id, e.series_id, s.series_name,
          ${ifConsented("e.counterparty", "e")} AS seller, ${ifConsented("e.actor", "e")} AS buyer,
          ${currency} AS currency, ${symbol} AS currency_symbol,
          ${unitsSql("e.amount", decimals)} AS price, e.amount AS price_raw,
          ${unitsSql("e.royalty", decimals)} AS royalty, e.royalty AS royalty_raw,
          ${unitsSql("e.fee", decimals)} AS fee, e.fee AS fee_raw
        FROM ledger_entries e ${UNITS_JOIN} ${seriesJoin(d)}
        WHERE e.kind IN ('order.filled', 'offer.accepted', 'orders.matched', 'swap')`;
    })(),

    points_flows: (() => {
      // A credit in the transaction of a redemption in another program is a partner exchange's (exchange_conversions).
      const converted = `EXISTS (SELECT 1 FROM ledger_entries x WHERE x.chain_id = e.chain_id AND x.tx_hash = e.tx_hash
        AND x.kind = 'points.redeemed' AND x.program <> e.program)`;
      const flow = `CASE WHEN e.kind = 'points.credited' AND ${converted} THEN 'converted' ELSE CASE e.kind
        WHEN 'points.rewarded' THEN 'earned' WHEN 'points.credited' THEN 'bought'
        WHEN 'points.redeemed' THEN 'redeemed' WHEN 'points.purchase.reversed' THEN 'reversed'
        WHEN 'points.expired' THEN 'expired' ELSE 'transferred' END END`;
      const reason = `CASE WHEN e.kind IN ('points.rewarded', 'points.redeemed') THEN ${d.codeName("e.code")} ELSE e.code END`;
      const pendingDays = `(SELECT CAST(${d.arg("t.args", "pendingDays")} AS BIGINT) FROM ledger_entries t
        WHERE t.program = e.program AND t.kind = 'points.terms' ORDER BY t.block_number LIMIT 1)`;
      // Points.creditPurchase: a credit releases at 00:00 UTC after its pending days (no event marks it).
      const pendingUntil = `CASE WHEN e.kind = 'points.credited' AND COALESCE(${pendingDays}, 0) > 0
        THEN (CAST(e.block_time AS BIGINT) / 86400 + ${pendingDays} + 1) * 86400 END`;
      return `SELECT ${place(d)}, ${flow} AS flow, e.actor AS member, ${ifConsented("e.counterparty", "e")} AS counterparty,
          ${pointsColumns("e.amount")}, ${reason} AS reason, ${pendingUntil} AS pending_until,
          CASE WHEN e.kind = 'points.purchase.reversed' THEN ${d.arg("e.args", "burned")} END AS reversed_burned_raw,
          CASE WHEN e.kind = 'points.purchase.reversed' THEN ${d.arg("e.args", "shortfall")} END AS reversed_shortfall_raw
        FROM ledger_entries e ${UNITS_JOIN}
        WHERE e.kind IN ('points.rewarded', 'points.credited', 'points.redeemed', 'points.purchase.reversed',
          'points.expired', 'points.transferred') AND ${consentAt("e.actor", "e")}`;
    })(),

    tiers: `SELECT ${place(d)}, CAST(t.tier AS BIGINT) AS tier, ${unitsSql("t.threshold", POINTS_DECIMALS)} AS threshold,
        t.threshold AS threshold_raw
      FROM ledger_entries e ${UNITS_JOIN}
      JOIN ${
        engine === "sqlite"
          ? `(SELECT e2.tx_hash, e2.log_index, j.key + 1 AS tier, CAST(j.value AS TEXT) AS threshold
              FROM ledger_entries e2, json_each(e2.args, '$.thresholds') j WHERE e2.kind = 'tiers.set')`
          : `(SELECT e2.tx_hash, e2.log_index, j.ordinality AS tier, j.value AS threshold
              FROM ledger_entries e2, json_array_elements_text(e2.args::json -> 'thresholds') WITH ORDINALITY j(value, ordinality)
              WHERE e2.kind = 'tiers.set')`
      } t ON t.tx_hash = e.tx_hash AND t.log_index = e.log_index
      WHERE e.kind = 'tiers.set'`,

    perk_claims: `SELECT ${place(d)}, e.actor AS member, e.code AS perk_id, ${d.codeName("e.code")} AS perk_name,
        CAST(${d.arg("e.args", "period")} AS BIGINT) AS period, ${pointsColumns("e.amount", "points_burned")},
        e.token_id AS stamp_burned, e.series_id AS stamp_burned_series_id
      FROM ledger_entries e ${UNITS_JOIN}
      WHERE e.kind = 'perk.claimed' AND ${consentAt("e.actor", "e")}`,

    journey_completions: `SELECT ${place(d)}, e.actor AS member, e.code AS journey_id, ${d.codeName("e.code")} AS journey_name,
        ${d.arg("e.args", "voucherId")} AS voucher_id, CAST(${d.arg("e.args", "stamps")} AS BIGINT) AS stamps,
        ${pointsColumns("e.amount")}, ${ifConsented("e.counterparty", "e")} AS referee
      FROM ledger_entries e ${UNITS_JOIN}
      WHERE e.kind = 'journey.completed' AND ${consentAt("e.actor", "e")}`,

    referrals: `SELECT ${place(d)}, ${ifConsented("e.actor", "e")} AS referrer, ${ifConsented("e.counterparty", "e")} AS referee,
        e.code AS journey_id, ${d.codeName("e.code")} AS journey_name, ${pointsColumns("e.amount")}
      FROM ledger_entries e ${UNITS_JOIN}
      WHERE e.kind = 'journey.completed' AND e.counterparty IS NOT NULL`,

    consent_changes: (() => {
      const sibling = (offset: string, kind: string) =>
        `SELECT 1 FROM ledger_entries o WHERE o.program = e.program AND o.tx_hash = e.tx_hash
          AND o.log_index = e.log_index ${offset} AND o.kind = '${kind}'`;
      const byWhom = `CASE
          WHEN EXISTS (${sibling("- 1", "consent.guardian.withdrew")}) OR EXISTS (${sibling("- 1", "consent.guardian.changed")}) THEN 'guardian'
          WHEN EXISTS (${sibling("+ 1", "consent.unlinked")} AND ${d.argIsTrue("o.args", "byBrand")}) THEN 'brand'
          ELSE 'member' END`;
      const purposes = PURPOSE_BITS.map(([bit, name]) => `SELECT ${bit} AS bit, '${name}' AS purpose`).join(" UNION ALL ");
      const before = `CAST(${d.arg("e.args", "oldPurposes")} AS BIGINT)`;
      const after = "CAST(e.amount AS BIGINT)";
      return `SELECT ${place(d)}, e.actor AS member, p.purpose,
          CASE WHEN (${after} & p.bit) <> 0 THEN 'on' ELSE 'off' END AS state, ${byWhom} AS by_whom
        FROM ledger_entries e CROSS JOIN (${purposes}) p
        WHERE e.kind IN (${PURPOSE_KINDS}) AND (${before} & p.bit) <> (${after} & p.bit) AND ${consentAt("e.actor", "e")}`;
    })(),

    exchange_conversions: (() => {
      // PartnerExchange.convert: the exchange redeems the member's points in A under the agreement's id, then B
      // credits the member, in one transaction. A redemption in one program and a credit in another in one transaction
      // is nothing else, so both programs' ledgers synced into one database pair up without the exchange's address;
      // several conversions in one transaction pair in log order (each redemption with the next credit elsewhere). By
      // (chain_id, tx_hash): the primary key's prefix finds a transaction's rows.
      const nextCredit = `(SELECT min(c2.log_index) FROM ledger_entries c2 WHERE c2.chain_id = r.chain_id AND c2.tx_hash = r.tx_hash
        AND c2.kind = 'points.credited' AND c2.program <> r.program AND c2.log_index > r.log_index)`;
      return `SELECT ${place(d, "r")}, r.code AS agreement_id, r.actor AS exchange, c.program AS to_program,
          ${ifConsented("c.actor", "c")} AS member,
          ${unitsSql("r.amount", "COALESCE(ua.points_decimals, 0)")} AS points_out, r.amount AS points_out_raw,
          ${unitsSql("c.amount", "COALESCE(ub.points_decimals, 0)")} AS points_in, c.amount AS points_in_raw,
          c.code AS receipt_id
        FROM ledger_entries r
        JOIN ledger_entries c ON c.chain_id = r.chain_id AND c.tx_hash = r.tx_hash AND c.kind = 'points.credited' AND c.log_index = ${nextCredit}
        LEFT JOIN ledger_units ua ON ua.program = r.program
        LEFT JOIN ledger_units ub ON ub.program = c.program
        WHERE r.kind = 'points.redeemed'`;
    })(),
  };
  return Object.entries(views).map(([name, body]) => ({ name, sql: `CREATE VIEW ${name} AS ${body}` }));
}

/** The names of version 1's views, in creation order. */
export const ANALYTICS_VIEWS_V1 = [
  "analytics_schema_version",
  "members",
  "stamps_minted",
  "stamp_transfers",
  "trades",
  "points_flows",
  "tiers",
  "perk_claims",
  "journey_completions",
  "referrals",
  "consent_changes",
  "exchange_conversions",
] as const;
