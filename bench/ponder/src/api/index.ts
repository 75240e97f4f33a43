// What a reader of Ponder's data asks, over Ponder's own HTTP server: the newest block with a row (the head
// latency poller) and the rows in order (the runner checks them against ours).
import { Hono } from "hono";
import { asc, count, max } from "ponder";
import { db } from "ponder:api";
import { ledgerEntries } from "ponder:schema";

const app = new Hono();

app.get("/head", async (c) => {
  const [row] = await db.select({ block: max(ledgerEntries.block_number), rows: count() }).from(ledgerEntries);
  return c.json({ block: row?.block === null || row?.block === undefined ? null : String(row.block), rows: row?.rows ?? 0 });
});

app.get("/rows", async (c) => {
  const offset = Number(c.req.query("offset") ?? 0);
  const limit = Math.min(Number(c.req.query("limit") ?? 10_000), 50_000);
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(limit) || limit <= 0) {
    return c.json({ error: "offset and limit must be non-negative integers" }, 400);
  }
  const rows = await db
    .select()
    .from(ledgerEntries)
    .orderBy(asc(ledgerEntries.block_number), asc(ledgerEntries.log_index))
    .limit(limit)
    .offset(offset);
  return c.json(rows.map((r) => ({ ...r, block_number: String(r.block_number), block_time: String(r.block_time) })));
});

export default app;
