/** Unix seconds from a contract error, as a date a person reads. */
export const isoDate = (seconds: unknown) => new Date(Number(seconds) * 1000).toISOString();
