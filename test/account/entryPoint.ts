import hre from "hardhat";
import { decodeFunctionResult, encodeFunctionData, getCreateAddress, type Address, type Hex } from "viem";
import { entryPoint08Address } from "viem/account-abstraction";
import entryPointArtifact from "@account-abstraction/contracts/artifacts/EntryPoint.json";

/**
 * Puts the real EntryPoint v0.8 (eth-infinitism's, from `@account-abstraction/contracts` 0.8.0) at its canonical
 * address, 0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108, where the member account and the paymaster expect it.
 *
 * How: the npm artifact is not byte-for-byte the mainnet deployment (its CREATE2 through the deterministic deployer
 * lands elsewhere), so it is deployed with a plain CREATE, then its runtime code is set at the canonical address
 * with `hardhat_setCode`. The one immutable that names an address, the `SenderCreator` it deployed (which deploys
 * accounts from `initCode` and only for its EntryPoint), is re-pointed: a copy of that SenderCreator, whose
 * immutable `entryPoint` now names the canonical address, is set where the canonical EntryPoint's own constructor
 * put it (its CREATE at nonce 1). The EIP-712 domain's cached address stays the temporary one, so the EntryPoint
 * recomputes its domain from `address(this)`, as OpenZeppelin's EIP712 does for any copy: UserOp hashes are the
 * canonical ones.
 */
export async function installEntryPoint(): Promise<Address> {
  const [deployer] = await hre.ethers.getSigners();
  if (!deployer) throw new Error("no Hardhat account");
  return installEntryPointOn(hre.network.provider, (await deployer.getAddress()) as Address);
}

/** What installEntryPointOn needs of a Hardhat node: its JSON-RPC, in-process (`hre.network.provider`) or over HTTP. */
export interface NodeProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

/**
 * {@link installEntryPoint} on any Hardhat node (`npm run app`'s, from a browser test), `deployer` being one of the
 * accounts it unlocks.
 */
export async function installEntryPointOn(provider: NodeProvider, deployer: Address): Promise<Address> {
  const code = async (address: Address) =>
    (await provider.request({ method: "eth_getCode", params: [address, "latest"] })) as Hex;
  if ((await code(entryPoint08Address)) !== "0x") return entryPoint08Address;

  const deployment = (await provider.request({
    method: "eth_sendTransaction",
    params: [{ from: deployer, data: entryPointArtifact.bytecode }],
  })) as Hex;
  const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [deployment] })) as {
    contractAddress: Address;
  } | null;
  if (!receipt) throw new Error("the EntryPoint's deployment was not mined at once (is the node automining?)");
  const temporaryAddress = receipt.contractAddress;
  const temporaryCreator = decodeFunctionResult({
    abi: senderCreatorAbi,
    functionName: "senderCreator",
    data: (await provider.request({
      method: "eth_call",
      params: [
        { to: temporaryAddress, data: encodeFunctionData({ abi: senderCreatorAbi, functionName: "senderCreator" }) },
        "latest",
      ],
    })) as Hex,
  });
  const canonicalCreator = getCreateAddress({ from: entryPoint08Address, nonce: 1n });

  const entryPointCode = replaceImmutable(await code(temporaryAddress), temporaryCreator, canonicalCreator);
  const creatorCode = replaceImmutable(await code(temporaryCreator), temporaryAddress, entryPoint08Address);
  await provider.request({ method: "hardhat_setCode", params: [entryPoint08Address, entryPointCode] });
  await provider.request({ method: "hardhat_setCode", params: [canonicalCreator, creatorCode] });
  return entryPoint08Address;
}

/** The EntryPoint's `senderCreator()`, the one function of it read here. */
const senderCreatorAbi = [
  { type: "function", name: "senderCreator", stateMutability: "view", inputs: [], outputs: [{ type: "address" }] },
] as const;

/**
 * Replaces an immutable address in runtime code: solc copies an immutable into every place that reads it, so it may
 * appear several times; 20 bytes of a CREATE address appearing by chance elsewhere in the code is not a risk.
 */
function replaceImmutable(code: Hex, from: Address, to: Address): Hex {
  const parts = code.toLowerCase().split(from.slice(2).toLowerCase());
  if (parts.length < 2) throw new Error(`${from} is not in the runtime code: the artifact changed`);
  return parts.join(to.slice(2).toLowerCase()) as Hex;
}
