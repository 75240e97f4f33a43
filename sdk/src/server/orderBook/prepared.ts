import { createQueryId, type Compilable, type CompiledQuery, type Kysely } from "kysely";
import { reuseStatement } from "../../node/database.js";

/** What a prepared query is built with in place of the value named `name`: text no caller can send. */
const standIn = (name: string) => `\u0000punchcard:${name}`;

/**
 * A read built and compiled once, then run with new values: building a kysely query and compiling it to SQL cost
 * the server about as much as the database took to answer a page from its index, on every read of a page no request
 * asked for before. The query is built with a stand-in for each named value; running it puts the values where the
 * stand-ins were, so the SQL and every other parameter stay as compiled. Kysely's query plugins do not see a run
 * (the order book's databases have none). Its SQL text is marked for reuse ({@link reuseStatement}): SQLite
 * prepares it once and runs it again with the new values.
 */
export class PreparedQuery<Name extends string, Row> {
  private readonly compiled: CompiledQuery<Row>;
  private readonly slots: ReadonlyArray<{ name: Name } | { value: unknown }>;

  constructor(names: readonly Name[], build: (values: Record<Name, string>) => Compilable<Row>) {
    const standIns = Object.fromEntries(names.map((name) => [name, standIn(name)])) as Record<Name, string>;
    this.compiled = build(standIns).compile();
    reuseStatement(this.compiled.sql);
    const nameOf = new Map<unknown, Name>(names.map((name) => [standIn(name), name]));
    this.slots = this.compiled.parameters.map((value) => (nameOf.has(value) ? { name: nameOf.get(value)! } : { value }));
    for (const name of names)
      if (!this.slots.some((slot) => "name" in slot && slot.name === name))
        throw new Error(`prepared query: the value "${name}" is not a parameter of ${this.compiled.sql}`);
  }

  /** The SQL the query was compiled to (one text per shape of query, whatever the values). */
  get sql(): string {
    return this.compiled.sql;
  }

  /** Runs the query on `db` (the database, or a transaction on it) with `values` in place of the stand-ins. */
  async run(db: Pick<Kysely<unknown>, "executeQuery">, values: Record<Name, unknown>): Promise<Row[]> {
    const parameters = this.slots.map((slot) => ("name" in slot ? values[slot.name] : slot.value));
    const { rows } = await db.executeQuery<Row>({ ...this.compiled, queryId: createQueryId(), parameters });
    return rows;
  }
}
