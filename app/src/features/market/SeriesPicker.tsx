import type { SeriesInfo } from "@punchcard/sdk";

/** A labelled choice of one of the program's tradable series (its id as the value). */
export function SeriesPicker(props: {
  id: string;
  label: string;
  series: SeriesInfo[];
  value: string;
  onChange: (seriesId: string) => void;
}) {
  return (
    <p>
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.series.map((s) => (
          <option key={s.seriesId.toString()} value={s.seriesId.toString()}>
            {s.name}
          </option>
        ))}
      </select>
    </p>
  );
}
