// @punchcard/sdk/deploy: deploying a program. Kept apart from "@punchcard/sdk" because it carries the
// contracts' bytecode (tens of kilobytes) that a member's page never needs.

export {
  configHashOf,
  deployProgram,
  type DeployProgramParameters,
  type DeployProgramReturnType,
} from "./brand/deployProgram.js";
export {
  planDeployment,
  type PlanDeploymentParameters,
  type PlanDeploymentReturnType,
  type PlannedStep,
} from "./brand/planDeployment.js";
export { memoryJournal, type DeploymentJournal, type LandedStep, type StepRecord } from "./internal/deploymentJournal.js";
export { PROGRAM_CONTRACTS, type DeploymentStep, type ProgramContractName } from "./internal/deploymentSteps.js";
export {
  deployPartnerExchange,
  type DeployPartnerExchangeParameters,
  type DeployPartnerExchangeReturnType,
} from "./brand/deployPartnerExchange.js";
export {
  deployMemberAccounts,
  type DeployMemberAccountsParameters,
  type DeployMemberAccountsReturnType,
} from "./deployMemberAccounts.js";
export {
  consentRegistryBytecode,
  marketBytecode,
  partnerExchangeBytecode,
  pointsBytecode,
  rewardsBytecode,
  stampsBytecode,
} from "./generated/bytecode.js";
