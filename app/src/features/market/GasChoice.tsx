import { useId } from "react";

/**
 * Who pays the gas. A member with no native coin is sponsored (they only sign, and the brand's relayer sends); a
 * member with coin sends their own transactions, and may tick "Let <brand> send it" to use the relayer instead.
 */
export function GasChoice({
  brand,
  nativeSymbol,
  noCoin,
  preferRelay,
  onPreferRelay,
}: {
  brand: string;
  nativeSymbol: string;
  noCoin: boolean;
  preferRelay: boolean;
  onPreferRelay: (preferRelay: boolean) => void;
}) {
  const relayToggle = useId();
  const sponsored = noCoin || preferRelay;
  return (
    <section aria-labelledby="gas-title" className="card gas">
      <h2 id="gas-title" className="visually-hidden">
        Who pays the gas
      </h2>
      {noCoin ? (
        <p data-testid="gas-note">
          <strong>Sponsored by {brand}.</strong> You hold no {nativeSymbol}, so you only sign: {brand}&apos;s relayer sends each
          action and pays its gas.
        </p>
      ) : (
        <>
          <p data-testid="gas-note">
            {sponsored ? (
              <>
                <strong>Sponsored by {brand}.</strong> You sign; {brand}&apos;s relayer sends and pays the gas.
              </>
            ) : (
              <>You send your own transactions and pay their gas in {nativeSymbol}.</>
            )}
          </p>
          <p>
            <input id={relayToggle} type="checkbox" checked={preferRelay} onChange={(e) => onPreferRelay(e.target.checked)} />{" "}
            <label htmlFor={relayToggle}>Let {brand} send my actions (sponsored)</label>
          </p>
        </>
      )}
    </section>
  );
}
