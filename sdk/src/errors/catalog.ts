import type { Abi } from "viem";

/** Turns a custom error's decoded arguments into its sentence. */
export type Explain = (args: readonly unknown[]) => string;

/**
 * What the SDK needs to decode and explain the reverts of one contract: its own custom errors (a table of
 * generated/errorAbi.ts), their sentences, and the catalogs of the contracts it calls, whose reverts bubble up
 * through it (the Market moving a stamp or paying in points). The errors several contracts raise are decoded and
 * explained with every catalog (errors/shared.ts). An action passes the catalog of the contract it calls, so a page
 * carries the sentences of the contracts it calls, not of all nine.
 */
export interface ErrorCatalog {
  readonly abi: Abi;
  readonly sentences: Readonly<Record<string, Explain>>;
  readonly calls: readonly ErrorCatalog[];
}

/**
 * A contract's catalog from its error table and its sentence table (typed per contract, read here by name).
 *
 * @example
 * export const stampsErrorCatalog = errorCatalog(stampsErrorAbi, stampsErrors);
 */
export function errorCatalog(abi: Abi, sentences: object, calls: readonly ErrorCatalog[] = []): ErrorCatalog {
  return { abi, sentences: sentences as Record<string, Explain>, calls };
}

/**
 * The catalogs `catalogs` reach: themselves and the contracts they call, in turn, each once.
 *
 * @example
 * reachedCatalogs([marketErrorCatalog]); // the Market's, Stamps' and Points'
 */
export function reachedCatalogs(catalogs: readonly ErrorCatalog[]): ErrorCatalog[] {
  const reached: ErrorCatalog[] = [];
  const visit = (catalog: ErrorCatalog) => {
    if (reached.includes(catalog)) return;
    reached.push(catalog);
    catalog.calls.forEach(visit);
  };
  catalogs.forEach(visit);
  return reached;
}
