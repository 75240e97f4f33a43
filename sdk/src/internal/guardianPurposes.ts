import { InvalidArgumentError } from "../errors.js";
import { GUARDIAN_PURPOSES, type GuardianPurpose } from "../types/consent.js";
import { purposesToMask } from "../utils/consent.js";

/** The bitmask of purposes a guardian withdraws; anything but marketing and partner sharing is refused. */
export function guardianPurposesToMask(purposes: readonly GuardianPurpose[]): bigint {
  if (purposes.length === 0) throw new InvalidArgumentError("purposes", "is empty: name marketing, partnerSharing or both.");
  for (const purpose of purposes) {
    if (!(GUARDIAN_PURPOSES as readonly string[]).includes(purpose)) {
      throw new InvalidArgumentError(
        "purposes",
        `holds ${JSON.stringify(purpose)}: a guardian withdraws only ${GUARDIAN_PURPOSES.join(" and ")}.`,
        "The member revokes the other purposes themselves.",
      );
    }
  }
  return purposesToMask(purposes);
}
