// Node-only entry of the Punchcard SDK: databases (SQLite by default, Postgres by URL) for the ledger
// and the brand's link store. Browser code imports "./index" only.

export { openDatabase, engineOf, type DatabaseEngine } from "./node/database";
export { ensureLedgerSchema, type LedgerTables, type LedgerEntriesTable, type SyncCheckpointsTable } from "./node/ledger/schema";
export { migrateLedger, ledgerMigrations } from "./node/migrations/ledgerMigrations";
export { migrateLinkStore, linkStoreMigrations } from "./node/migrations/linkStoreMigrations";
export { migrateStore, MigrationError, type MigrateReturnType, type StoreMigrations } from "./node/migrations/migrateStore";
export { syncLedger, readCheckpoint, programKey, toRow, type SyncLedgerParameters, type SyncLedgerReturnType, type SyncProgress } from "./node/ledger/syncLedger";
export { ledgerStats, ACTIVITY_KINDS, type LedgerStats, type SeriesFigures } from "./node/ledger/ledgerStats";
export { exportEntries, toCsv, fromCsv, EXPORT_COLUMNS, type ExportedEntry } from "./node/ledger/exportEntries";
export { buildReport, renderReportHtml, dailyFigures, type DayFigures, type ReportInput } from "./node/ledger/renderReport";
export {
  LinkStore,
  UnknownCustomerError,
  WalletNotLinkedError,
  type LinkStoreTables,
  type MemberLinksTable,
  type MemberData,
  type MemberRef,
} from "./node/linkStore";
