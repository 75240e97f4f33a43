import type { Kysely } from "kysely";
import { migrateStore, type MigrateReturnType } from "../migrations/migrateStore.js";
import { linkStoreMigrations } from "./migrations.js";

/** The brand's private mapping: customer id ↔ wallet ↔ salt. Never on-chain; erased by `LinkStore.forget`. */
export interface MemberLinksTable {
  customer_id: string;
  /** Lower-case wallet address. */
  wallet: string;
  salt: string;
  commitment: string;
  /** "pending" until the link transaction succeeds, then "linked". */
  status: string;
  created_at: string;
  linked_at: string | null;
}

export interface LinkStoreTables {
  member_links: MemberLinksTable;
}

/**
 * Brings a link store database to the current schema: runs the pending migrations and returns what it
 * ran. A store made by a version before migrations keeps its rows (its table is adopted as the first
 * migration). `LinkStore.open` calls this itself.
 *
 * @example
 * const { applied } = await migrateLinkStore(openDatabase<LinkStoreTables>("links.sqlite"));
 */
export async function migrateLinkStore<Tables extends LinkStoreTables>(db: Kysely<Tables>): Promise<MigrateReturnType> {
  return migrateStore(db, linkStoreMigrations);
}
