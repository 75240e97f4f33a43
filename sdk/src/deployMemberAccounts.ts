import { formatEther, getAddress, isAddress, isAddressEqual, zeroAddress, type Address, type Hash, type Hex } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import {
  deployContract,
  getBalance,
  getChainId,
  getCode,
  readContract,
  waitForTransactionReceipt,
  writeContract,
} from "viem/actions";
import { brandPaymasterAbi, memberAccountFactoryAbi, stampsAbi } from "./generated/abis.js";
import { brandPaymasterBytecode, memberAccountFactoryBytecode } from "./generated/bytecode.js";
import { InvalidArgumentError, PunchcardError, toPunchcardError } from "./errors.js";
import type { Program, WriteClient } from "./program.js";

export type DeployMemberAccountsParameters = {
  /** The program whose members get passkey accounts: its chain must be the client's. */
  program: Program;
  /** The key whose signatures make the paymaster pay: the program server's (`PUNCHCARD_SPONSOR_KEY`), an EOA. */
  sponsor: Address;
  /** Wei put in the paymaster's EntryPoint deposit, from which members' gas is paid (more than 0). */
  deposit: bigint;
  /** Holder of the paymaster's admin role (withdraws the deposit, stakes, rotates the sponsor); default: the client's account. */
  admin?: Address | undefined;
  /** Seconds an admin handover of the paymaster waits; default: the program's (its Stamps' `defaultAdminDelay`). */
  adminDelay?: number | undefined;
  /** Called with a line as each step is sent and lands. */
  onStep?: ((line: string) => void) | undefined;
};

export type DeployMemberAccountsReturnType = {
  /** The MemberAccountFactory: members' accounts are its CREATE2 clones. */
  factory: Address;
  /** The brand's BrandPaymaster, its deposit funded. */
  paymaster: Address;
  /** The paymaster's EntryPoint deposit after funding, in wei. */
  deposit: bigint;
  /** The three transactions: the factory, the paymaster, the deposit. */
  transactions: { factory: Hash; paymaster: Hash; deposit: Hash };
};

/**
 * Deploys what a brand needs so its members can use passkey accounts: the MemberAccountFactory and a BrandPaymaster
 * that pays for the UserOps `sponsor` signed, then funds the paymaster's deposit in the EntryPoint v0.8. The EntryPoint
 * is expected at its canonical address (0x4337084D…); a chain without it, a sponsor that is no signing key, a deposit
 * of nothing or more than the deployer holds is refused before anything is sent.
 *
 * @example
 * const { factory, paymaster } = await deployMemberAccounts(brand, { program, sponsor: "0x5ponsor…", deposit: parseEther("0.5"), onStep: console.log });
 */
export async function deployMemberAccounts(
  client: WriteClient,
  parameters: DeployMemberAccountsParameters,
): Promise<DeployMemberAccountsReturnType> {
  const { program, deposit } = parameters;
  const log = parameters.onStep ?? (() => undefined);
  if (!isAddress(parameters.sponsor, { strict: false }) || isAddressEqual(parameters.sponsor, zeroAddress)) {
    throw new InvalidArgumentError(
      "sponsor",
      `must be the 0x address of the program server's sponsor key, not "${parameters.sponsor}".`,
      "Make a key for the program server (PUNCHCARD_SPONSOR_KEY) and pass its address.",
    );
  }
  const sponsor = getAddress(parameters.sponsor);
  if (deposit <= 0n) {
    throw new InvalidArgumentError("deposit", "must be more than 0 wei: the paymaster pays members' gas from it.");
  }
  try {
    const chainId = await getChainId(client);
    if (chainId !== program.chainId) {
      throw new PunchcardError(
        `The client is on chain ${chainId}, but the program is on chain ${program.chainId}. Nothing was sent.`,
        {
          hint: "Use a client (an RPC) of the program's chain.",
        },
      );
    }
    if (!hasCode(await getCode(client, { address: entryPoint08Address }))) {
      throw new PunchcardError(
        `Chain ${chainId} has no EntryPoint v0.8 at its canonical address ${entryPoint08Address}. Nothing was sent.`,
        {
          hint: "Member accounts need the ERC-4337 EntryPoint v0.8 (deployed on the main public chains); on a local Hardhat node, `npm run app` sets it.",
        },
      );
    }
    if (hasCode(await getCode(client, { address: sponsor }))) {
      throw new InvalidArgumentError(
        "sponsor",
        `${sponsor} is a contract: the paymaster checks an ECDSA signature, which only a key (an EOA) makes.`,
        "Pass the address of the program server's sponsor key (PUNCHCARD_SPONSOR_KEY).",
      );
    }
    const deployer = client.account.address;
    const balance = await getBalance(client, { address: deployer });
    if (balance <= deposit) {
      throw new PunchcardError(
        `The deployer ${deployer} holds ${formatEther(balance)} of the chain's coin: not enough for a deposit of ${formatEther(deposit)} and the gas. Nothing was sent.`,
        { hint: "Fund the deployer, or deposit less (the paymaster's deposit can be topped up any time)." },
      );
    }
    const admin = parameters.admin === undefined ? deployer : getAddress(parameters.admin);
    const adminDelay =
      parameters.adminDelay ??
      Number(await readContract(client, { address: program.stamps, abi: stampsAbi, functionName: "defaultAdminDelay" }));

    log(`Deploying the MemberAccountFactory (members' passkey accounts) from ${deployer}`);
    const factoryHash = await deployContract(client, {
      abi: memberAccountFactoryAbi,
      bytecode: memberAccountFactoryBytecode,
      account: client.account,
      chain: client.chain,
    });
    const factory = await deployedAt(client, factoryHash, "MemberAccountFactory");
    log(`  MemberAccountFactory ${factory}`);
    log(`Deploying the BrandPaymaster (sponsor ${sponsor}, admin ${admin}, admin delay ${adminDelay} s)`);
    const paymasterHash = await deployContract(client, {
      abi: brandPaymasterAbi,
      bytecode: brandPaymasterBytecode,
      args: [sponsor, admin, adminDelay],
      account: client.account,
      chain: client.chain,
    });
    const paymaster = await deployedAt(client, paymasterHash, "BrandPaymaster");
    log(`  BrandPaymaster ${paymaster}`);
    log(`Funding the paymaster's EntryPoint deposit with ${formatEther(deposit)}`);
    const depositHash = await writeContract(client, {
      address: paymaster,
      abi: brandPaymasterAbi,
      functionName: "deposit",
      value: deposit,
      account: client.account,
      chain: client.chain,
    });
    const receipt = await waitForTransactionReceipt(client, { hash: depositHash });
    if (receipt.status !== "success")
      throw new PunchcardError(`Funding the paymaster's deposit failed in transaction ${depositHash}.`);
    const funded = await readContract(client, { address: paymaster, abi: brandPaymasterAbi, functionName: "getDeposit" });
    log(`  deposit ${formatEther(funded)}`);
    return {
      factory,
      paymaster,
      deposit: funded,
      transactions: { factory: factoryHash, paymaster: paymasterHash, deposit: depositHash },
    };
  } catch (error) {
    throw toPunchcardError(error);
  }
}

const hasCode = (code: Hex | undefined): boolean => code !== undefined && code !== "0x";

async function deployedAt(client: WriteClient, hash: Hash, contract: string): Promise<Address> {
  const receipt = await waitForTransactionReceipt(client, { hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new PunchcardError(`Deploying ${contract} failed in transaction ${hash}.`);
  }
  return getAddress(receipt.contractAddress);
}
