import { formatCell } from './format';

/** Records as a table, values formatted by type (times as times, rounded floats), the raw value on hover. */
export function RecordsTable({ rows, testId, max = 100 }: { rows: Record<string, unknown>[]; testId?: string; max?: number }) {
  const columns = [...new Set(rows.slice(0, 50).flatMap((r) => Object.keys(r)))];
  return (
    <table data-testid={testId}>
      <thead><tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
      <tbody>
        {rows.slice(0, max).map((r, i) => (
          <tr key={i}>
            {columns.map((c) => {
              const { text, raw } = formatCell(r[c], c);
              return <td key={c} title={raw}>{text}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
