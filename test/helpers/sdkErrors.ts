import { expect } from "chai";
import type { Address } from "viem";
import { ContractRevertError, InvalidArgumentError } from "@punchcard/sdk";

/** What a call threw; fails the test if it did not throw. */
export async function caught(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  return expect.fail("expected an error, but the call succeeded");
}

/** The call was refused on-chain with the contract's custom error `errorName`, decoded by the SDK. */
export async function expectRevert(call: Promise<unknown>, errorName: string): Promise<ContractRevertError> {
  const error = await caught(call);
  expect(error, String(error)).to.be.instanceOf(ContractRevertError);
  expect((error as ContractRevertError).errorName).to.equal(errorName);
  return error as ContractRevertError;
}

/** The SDK rejected `argument` before sending anything. */
export async function expectInvalid(call: Promise<unknown>, argument: string, message?: RegExp): Promise<void> {
  const error = await caught(call);
  expect(error, String(error)).to.be.instanceOf(InvalidArgumentError);
  expect((error as InvalidArgumentError).argument).to.equal(argument);
  if (message) expect((error as Error).message).to.match(message);
}

/** Each call is rejected for its named argument, and `sender` sent no transaction meanwhile. */
export async function expectRejectedBeforeSending(
  sender: { account: { address: Address }; getTransactionCount: (args: { address: Address }) => Promise<number> },
  cases: ReadonlyArray<[() => Promise<unknown>, string]>,
): Promise<void> {
  const nonce = await sender.getTransactionCount({ address: sender.account.address });
  for (const [call, argument] of cases) await expectInvalid(call(), argument);
  expect(await sender.getTransactionCount({ address: sender.account.address })).to.equal(nonce);
}
