/** A form's input problem, announced as it appears; nothing when there is none. */
export function FormProblem({ problem }: { problem: string | undefined }) {
  return problem ? (
    <p role="alert" className="message failed">
      {problem}
    </p>
  ) : null;
}
