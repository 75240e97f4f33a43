import type { ReactNode } from "react";
import { activeLanguage } from "../i18n/i18n.js";

/**
 * A moment (Unix seconds) as the member reads it: the day and the time to the minute in the active language and the
 * browser's time zone, with the zone named ("December 7, 2026 at 08:15 GMT+1"), since a date alone says nothing
 * about when it falls.
 */
export function LocalTime({ seconds }: { seconds: bigint | number }) {
  const date = new Date(Number(seconds) * 1000);
  return <time dateTime={date.toISOString()}>{localTime(date)}</time>;
}

/** The text of {@link LocalTime}, for labels and sentences that are not markup. */
export function localTime(date: Date, locale: string = activeLanguage()): string {
  return date.toLocaleString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}

/** Where a sentence's moment goes, while the sentence is written in the active language. */
const MARK = "\u0000";

/**
 * A translated sentence with a moment in it ("expires {{when}}"), the moment as a <time> element wherever the
 * language puts it: `sentence` is called with the place of the moment and returns the sentence.
 */
export function WithTime({ sentence, time }: { sentence: (when: string) => string; time: ReactNode }) {
  const [before = "", ...after] = sentence(MARK).split(MARK);
  return (
    <>
      {before}
      {time}
      {after.join("")}
    </>
  );
}
