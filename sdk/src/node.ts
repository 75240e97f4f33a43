// Node-only entry of the Punchcard SDK: databases (SQLite by default, Postgres by URL) for the ledger
// and the brand's link store. Browser code imports "./index" only.

export { openDatabase, engineOf, type DatabaseEngine } from "./node/database.js";
export {
  ensureLedgerSchema,
  type LedgerTables,
  type LedgerEntriesTable,
  type SyncCheckpointsTable,
} from "./node/ledger/schema.js";
export { migrateLedger } from "./node/ledger/schema.js";
export { ledgerMigrations } from "./node/ledger/migrations.js";
export { migrateLinkStore, type LinkStoreTables, type MemberLinksTable } from "./node/linkStore/schema.js";
export { linkStoreMigrations } from "./node/linkStore/migrations.js";
export { migrateStore, MigrationError, type MigrateReturnType, type StoreMigrations } from "./node/migrations/migrateStore.js";
export {
  syncLedger,
  ReorgTooDeepError,
  readCheckpoint,
  programKey,
  toRow,
  type SyncLedgerParameters,
  type SyncLedgerReturnType,
  type SyncProgress,
} from "./node/ledger/syncLedger.js";
export { ledgerStats, ACTIVITY_KINDS } from "./node/ledger/ledgerStats.js";
export type { ExchangeFigures, LedgerStats, SeriesFigures } from "./node/ledger/statsTypes.js";
export { exportEntries, toCsv, fromCsv, EXPORT_COLUMNS, type ExportedEntry } from "./node/ledger/exportEntries.js";
export { buildReport, renderReportHtml, dailyFigures, type DayFigures, type ReportInput } from "./node/ledger/renderReport.js";
export {
  LinkNotOnChainError,
  LinkStore,
  UnknownCustomerError,
  WalletNotLinkedError,
  type MemberRef,
} from "./node/linkStore/linkStore.js";
