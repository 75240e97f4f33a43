// Node-only entry of the Punchcard SDK: the program server (order book, chain follower, relayer) that
// `punchcard serve` runs. Browsers talk to it with createProgramServerClient, from the main entry.

export { createProgramServer, type ProgramServer, type ProgramServerOptions } from "./server/app.js";
export { startProgramServer, type StartProgramServerParameters, type StartProgramServerReturnType } from "./server/start.js";
export { OrderBook, BookRefusal, bookOrderOf, type OrderBookOptions } from "./server/orderBook/index.js";
export { evaluateOrder, permitProblem, type Evaluation } from "./server/evaluate.js";
export { Relayer, relayActions, type RelayContext, type RelayEntry, type RelayerOptions } from "./server/relay.js";
export {
  migrateOrderBook,
  orderBookMigrations,
  type OrderBookTables,
  type BookOrdersTable,
  type BookCursorTable,
  type RelayQuotaTable,
} from "./server/orderBook/index.js";
