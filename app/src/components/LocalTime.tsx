/**
 * A moment (Unix seconds) as the member reads it: the day and the time to the minute in the browser's locale and time
 * zone, with the zone named ("December 7, 2026, 08:15 GMT+1"), since a date alone says nothing about when it falls.
 */
export function LocalTime({ seconds }: { seconds: bigint | number }) {
  const date = new Date(Number(seconds) * 1000);
  return <time dateTime={date.toISOString()}>{localTime(date)}</time>;
}

/** The text of {@link LocalTime}, for labels and sentences that are not markup. */
export function localTime(date: Date): string {
  return date.toLocaleString(undefined, {
    year: "numeric",
    month: "long",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  });
}
