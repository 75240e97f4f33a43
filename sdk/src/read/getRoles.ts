import { consentRegistryErrorCatalog } from "../errors/consentRegistry.js";
import { marketErrorCatalog } from "../errors/market.js";
import { pointsErrorCatalog } from "../errors/points.js";
import { rewardsErrorCatalog } from "../errors/rewards.js";
import { stampsErrorCatalog } from "../errors/stamps.js";
import { getAbiItem, type Address, type Hex } from "viem";
import { getBlockNumber } from "viem/actions";
import { ROLES } from "../constants.js";
import { consentRegistryAbi, marketAbi, pointsAbi, rewardsAbi, stampsAbi } from "../generated/abis.js";
import { logsInChunks } from "../internal/logsInChunks.js";
import { read, withReadErrors } from "../internal/read.js";
import type { Program, ReadClient } from "../program.js";

/** The program's contracts by the names the deployment record gives them. */
export type ProgramContract = "stamps" | "points" | "market" | "consent" | "rewards";

/** A role by its name in the SDK's `ROLES` (the contracts' `DEFAULT_ADMIN_ROLE`, `MINTER_ROLE`...). */
export type RoleName = keyof typeof ROLES;

/** What each role may do, in plain words, per contract that has it. */
export const ROLE_POWERS: Record<ProgramContract, Partial<Record<RoleName, string>>> = {
  stamps: {
    admin: "sets the royalty, transfer policy, series, operators and the program's end; grants every role",
    minter: "mints stamps",
    pauser: "pauses stamps, points or the market, for at most the bound fixed at deployment",
  },
  points: {
    admin: "sets transferability and operators; grants every role",
    minter: "rewards and credits points, reverses purchases",
  },
  market: { admin: "sets the market fee, swap fee, currencies, price bounds, minimum royalty; sweeps" },
  consent: { admin: "grants every role", brand: "attests consent links and erases them" },
  rewards: { admin: "sets journeys, tiers and perks; grants every role", issuer: "signs and cancels reward vouchers" },
};

/** One role of one contract and the accounts that hold it now. */
export interface RoleHolding {
  /** The role's name in `ROLES`, or its hash when the SDK does not know it. */
  role: RoleName | Hex;
  roleHash: Hex;
  /** What the role may do, in plain words ("" for an unknown role). */
  powers: string;
  holders: Address[];
}

/** Every role of one contract, and where its default admin stands in the two-step handover. */
export interface ContractRoles {
  contract: ProgramContract;
  address: Address;
  /** The default admin now (`defaultAdmin()`), the zero address once renounced. */
  admin: Address;
  /** A handover begun and not yet accepted: the new admin and when it may accept (Unix seconds). */
  pendingAdmin: { account: Address; acceptAfter: bigint } | null;
  /** Seconds between beginning a handover and its acceptance (`defaultAdminDelay()`). */
  adminDelaySeconds: bigint;
  roles: RoleHolding[];
}

export interface GetRolesParameters {
  program: Program;
  /** First block to read role events from (default: the program's deploy block). */
  fromBlock?: bigint;
  /** Blocks per log request (default 10,000: what public RPC endpoints commonly allow). */
  logBlockRange?: bigint;
}

export interface GetRolesReturnType {
  contracts: ContractRoles[];
}

const roleGranted = getAbiItem({ abi: stampsAbi, name: "RoleGranted" });
const roleRevoked = getAbiItem({ abi: stampsAbi, name: "RoleRevoked" });
const names = new Map<Hex, RoleName>(Object.entries(ROLES).map(([name, hash]) => [hash, name as RoleName]));

/**
 * Every role of every contract of a program and who holds it: the accounts named by the contracts' `RoleGranted` and
 * `RoleRevoked` events since deployment (the contracts keep no enumerable list), each confirmed by `hasRole` at the
 * latest block (read 10,000 blocks per request, as public endpoints allow), with each contract's default admin and any handover in progress.
 *
 * @example
 * const { contracts } = await getRoles(client, { program });
 * for (const c of contracts) for (const r of c.roles) console.log(c.contract, r.role, r.holders.join(", "));
 */
export async function getRoles(
  client: ReadClient,
  { program, fromBlock, logBlockRange }: GetRolesParameters,
): Promise<GetRolesReturnType> {
  const contracts = [
    ["stamps", program.stamps, stampsAbi],
    ["points", program.points, pointsAbi],
    ["market", program.market, marketAbi],
    ["consent", program.consent, consentRegistryAbi],
    ["rewards", program.rewards, rewardsAbi],
  ] as const;
  const toBlock = await withReadErrors(
    () => getBlockNumber(client, { cacheTime: 0 }),
    [consentRegistryErrorCatalog, marketErrorCatalog, pointsErrorCatalog, rewardsErrorCatalog, stampsErrorCatalog],
  );
  const logs = await logsInChunks(client, {
    address: contracts.map(([, address]) => address),
    events: [roleGranted, roleRevoked],
    fromBlock: fromBlock ?? program.deployBlock,
    toBlock,
    ...(logBlockRange === undefined ? {} : { blockRange: logBlockRange }),
  });
  return {
    contracts: await Promise.all(
      contracts.map(async ([contract, address]) => {
        // Every account ever named for a role here, per role: the candidates hasRole then confirms.
        const candidates = new Map<Hex, Set<Address>>(
          Object.keys(ROLE_POWERS[contract]).map((name) => [ROLES[name as RoleName], new Set<Address>()]),
        );
        for (const log of logs) {
          if (log.address.toLowerCase() !== address.toLowerCase()) continue;
          const { role, account } = log.args;
          if (role === undefined || account === undefined) continue;
          (candidates.get(role) ?? candidates.set(role, new Set()).get(role)!).add(account);
        }
        // AccessControlDefaultAdminRules: the same views on every contract of the program.
        // Read at the block the events were read to, so a role granted meanwhile is not half seen.
        const c = { address, abi: stampsAbi, blockNumber: toBlock } as const;
        const [admin, [pending, schedule], adminDelaySeconds] = await Promise.all([
          read(client, { ...c, functionName: "defaultAdmin" }, [
            consentRegistryErrorCatalog,
            marketErrorCatalog,
            pointsErrorCatalog,
            rewardsErrorCatalog,
            stampsErrorCatalog,
          ]),
          read(client, { ...c, functionName: "pendingDefaultAdmin" }, [
            consentRegistryErrorCatalog,
            marketErrorCatalog,
            pointsErrorCatalog,
            rewardsErrorCatalog,
            stampsErrorCatalog,
          ]),
          read(client, { ...c, functionName: "defaultAdminDelay" }, [
            consentRegistryErrorCatalog,
            marketErrorCatalog,
            pointsErrorCatalog,
            rewardsErrorCatalog,
            stampsErrorCatalog,
          ]),
        ]);
        const roles = await Promise.all(
          [...candidates].map(async ([roleHash, accounts]): Promise<RoleHolding> => {
            const held = await Promise.all(
              [...accounts].map(async (account) =>
                (await read(client, { ...c, functionName: "hasRole", args: [roleHash, account] }, [
                  consentRegistryErrorCatalog,
                  marketErrorCatalog,
                  pointsErrorCatalog,
                  rewardsErrorCatalog,
                  stampsErrorCatalog,
                ]))
                  ? account
                  : null,
              ),
            );
            const name = names.get(roleHash);
            return {
              role: name ?? roleHash,
              roleHash,
              powers: (name && ROLE_POWERS[contract][name]) ?? "",
              holders: held.filter((account): account is Address => account !== null),
            };
          }),
        );
        return {
          contract,
          address,
          admin,
          pendingAdmin:
            pending === "0x0000000000000000000000000000000000000000" ? null : { account: pending, acceptAfter: BigInt(schedule) },
          adminDelaySeconds: BigInt(adminDelaySeconds),
          roles,
        };
      }),
    ),
  };
}
