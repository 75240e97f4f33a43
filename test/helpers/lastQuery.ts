import type { CompiledQuery, Kysely } from "kysely";

/**
 * A database with the last query it ran caught on its way: the order book runs its page queries compiled once
 * (`db.executeQuery` of a compiled query, which kysely's plugins do not see), so the spy stands in front of that
 * method; everything else goes to the database as it is.
 *
 * @example
 * const { spy, caught } = lastQueryOf(db);
 * await new BookStore(spy).page(...);
 * console.log(caught.last?.sql);
 */
export function lastQueryOf<Tables>(db: Kysely<Tables>): { spy: Kysely<Tables>; caught: { last?: CompiledQuery } } {
  const caught: { last?: CompiledQuery } = {};
  const spy = new Proxy(db, {
    get(target, property) {
      if (property === "executeQuery") return (query: CompiledQuery) => ((caught.last = query), target.executeQuery(query));
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { spy, caught };
}
