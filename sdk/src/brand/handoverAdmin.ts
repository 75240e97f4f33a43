import { stampsErrorCatalog } from "../errors/stamps.js";
import { encodeFunctionData, isAddressEqual, type Address, type Hash, type Hex } from "viem";
import { PunchcardError } from "../errors.js";
import { stampsAbi } from "../generated/abis.js";
import { execute } from "../internal/execute.js";
import { read } from "../internal/read.js";
import { readSafe, type SafeInfo } from "../internal/safe.js";
import { requireAddress } from "../internal/validate.js";
import { programAddresses, type Program, type WriteClient } from "../program.js";
import { getRoles, type ProgramContract, type RoleName } from "../read/getRoles.js";

/** Roles the Safe takes over from the deployer: the program's terms and its pause. */
export const SAFE_ROLES = ["admin", "pauser"] as const satisfies readonly RoleName[];

/** Roles that stay with the brand's backend keys: they act many times a day, which a multisig cannot. */
export const BACKEND_ROLES = ["minter", "brand", "issuer"] as const satisfies readonly RoleName[];

/** A call the Safe must make, as its owners sign it: target, coin sent and calldata. */
export interface SafeCall {
  contract: ProgramContract;
  to: Address;
  value: bigint;
  data: Hex;
}

export interface HandoverAdminParameters {
  program: Program;
  /** The Safe that takes the admin and pauser roles; refused unless it has a Safe's code. */
  safe: Address;
  /**
   * The brand's backend key, to take the minter, brand and issuer roles the deployer holds (then renounced by it).
   * Without it, those roles stay with the deployer, which then is the backend's key.
   */
  backend?: Address;
}

export interface HandoverAdminReturnType {
  safe: SafeInfo;
  /** Every transaction sent, in order. */
  transactions: Hash[];
  /** What moved: each contract's role, from the deployer to whom. */
  moved: { contract: ProgramContract; role: RoleName; to: Address }[];
  /** Backend roles the deployer still holds (no `backend` was given). */
  kept: { contract: ProgramContract; role: RoleName }[];
  /** The calls the Safe makes to accept the admin role, one per contract, valid from `acceptAfter`. */
  accept: SafeCall[];
  /** When the Safe may accept (Unix seconds): the latest of the contracts' schedules. */
  acceptAfter: bigint;
}

/**
 * Moves a program's admin powers from the deployer to a Safe: begins the two-step default-admin handover on every
 * contract (`beginDefaultAdminTransfer`; the Safe accepts after the contracts' delay), grants the pauser role to the
 * Safe and renounces the deployer's, and, given a `backend` key, moves the minter, brand and issuer roles the deployer
 * holds to it. Everything is read and checked before the first transaction: the Safe has a Safe's code, the signer is
 * every contract's admin, no other handover is pending.
 *
 * @example
 * const { accept, acceptAfter } = await handoverAdmin(deployer, { program, safe, backend });
 * // the Safe's owners sign `accept` (one call per contract) once the chain's time passes acceptAfter
 */
export async function handoverAdmin(
  client: WriteClient,
  { program, safe: safeAddress, backend: backendKey }: HandoverAdminParameters,
): Promise<HandoverAdminReturnType> {
  requireAddress("safe", safeAddress);
  if (backendKey !== undefined) requireAddress("backend", backendKey);
  const deployer = client.account.address;
  // The deployer as its own backend keeps its roles: granting to itself then renouncing would drop them.
  const backend = backendKey && !isAddressEqual(backendKey, deployer) ? backendKey : undefined;
  if (backend && programAddresses(program).some((contract) => isAddressEqual(contract, backend))) {
    throw new PunchcardError(`The backend ${backend} is a contract of the program, not a backend key.`, {
      hint: "Pass the address of the key the brand's backend signs with.",
    });
  }
  if (isAddressEqual(safeAddress, deployer) || (backend && isAddressEqual(safeAddress, backend))) {
    throw new PunchcardError(`The Safe ${safeAddress} cannot also be the deployer or the backend key.`);
  }
  const safe = await readSafe(client, safeAddress);
  if (safe.threshold < 2n) {
    // One owner's signature is one key again: the very thing the handover moves away from.
    throw new PunchcardError(
      `The Safe ${safeAddress} needs ${safe.threshold} signature of ${safe.owners.length}: one key could act alone.`,
      {
        hint: "Add owners and raise the Safe's threshold to at least 2 (in the Safe app), then hand over.",
      },
    );
  }
  const { contracts } = await getRoles(client, { program });
  for (const c of contracts) {
    if (!isAddressEqual(c.admin, deployer)) {
      throw new PunchcardError(`${deployer} is not the admin of ${c.contract} (${c.address}); ${c.admin} is.`, {
        hint: isAddressEqual(c.admin, safeAddress)
          ? "The Safe already holds the admin role: nothing to hand over."
          : "Run the handover with the key that deployed the program (DEPLOYER_KEY).",
      });
    }
    if (c.pendingAdmin && !isAddressEqual(c.pendingAdmin.account, safeAddress)) {
      throw new PunchcardError(`${c.contract} already has a handover pending to ${c.pendingAdmin.account}.`, {
        hint: `Cancel it first (cancelDefaultAdminTransfer on ${c.address}), then hand over to the Safe.`,
      });
    }
  }

  const transactions: Hash[] = [];
  const moved: HandoverAdminReturnType["moved"] = [];
  const kept: HandoverAdminReturnType["kept"] = [];
  const send = async (step: Parameters<typeof execute>[1]) =>
    transactions.push((await execute(client, step, [stampsErrorCatalog])).hash);
  for (const c of contracts) {
    const contract = { address: c.address, abi: stampsAbi } as const;
    for (const holding of c.roles) {
      const role = holding.role as RoleName;
      if (role === "admin" || !holding.holders.some((h) => isAddressEqual(h, deployer))) continue;
      const to = (SAFE_ROLES as readonly RoleName[]).includes(role) ? safeAddress : backend;
      if (to === undefined) {
        kept.push({ contract: c.contract, role });
        continue;
      }
      await send({ ...contract, functionName: "grantRole", args: [holding.roleHash, to] });
      await send({ ...contract, functionName: "renounceRole", args: [holding.roleHash, deployer] });
      moved.push({ contract: c.contract, role, to });
    }
    if (!c.pendingAdmin) await send({ ...contract, functionName: "beginDefaultAdminTransfer", args: [safeAddress] });
    moved.push({ contract: c.contract, role: "admin", to: safeAddress });
  }

  let acceptAfter = 0n;
  for (const c of contracts) {
    const [, schedule] = await read(client, { address: c.address, abi: stampsAbi, functionName: "pendingDefaultAdmin" }, [
      stampsErrorCatalog,
    ]);
    if (BigInt(schedule) > acceptAfter) acceptAfter = BigInt(schedule);
  }
  const data = encodeFunctionData({ abi: stampsAbi, functionName: "acceptDefaultAdminTransfer" });
  const accept = contracts.map((c) => ({ contract: c.contract, to: c.address, value: 0n, data }));
  return { safe, transactions, moved, kept, accept, acceptAfter };
}
