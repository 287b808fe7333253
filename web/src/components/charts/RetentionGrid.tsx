import { ScrollArea, useComputedColorScheme } from '@mantine/core';
import { formatNumber } from './format';
import type { TableModel } from './types';
import classes from './charts.module.css';

/** The share a cell stands for as a shade of the primary colour: darker is more retained. */
export function heatColor(heat: number, dark: boolean): { background: string; color: string } {
  const h = Math.max(0, Math.min(1, heat));
  const alpha = 0.08 + h * 0.8;
  return {
    background: dark ? `rgba(116, 143, 252, ${alpha})` : `rgba(59, 91, 219, ${alpha})`,
    color: h > 0.45 ? '#fff' : 'inherit',
  };
}

/**
 * A cohort grid: one row per cohort, its size, then the share of it active in each later period
 * (the count under it). Periods that have not come yet stay blank. Cells open their persons.
 */
export function RetentionGrid<D>({ table, onDrill }: { table: TableModel<D>; onDrill?: (d: D) => void }) {
  const dark = useComputedColorScheme('light') === 'dark';
  return (
    <ScrollArea type="auto" offsetScrollbars data-testid="retention-grid">
      <table className={classes.grid}>
        <thead>
          <tr>
            {table.columns.map((c) => (
              <th key={c.key} scope="col">
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) => {
                if (i === 0) return <td key={i} className={classes.label}>{cell.value}</td>;
                if (i === 1) return <td key={i} className={classes.size}>{formatNumber(cell.value as number)}</td>;
                if (cell.value === null || cell.heat === undefined) return <td key={i} />;
                const share = cell.heat * 100;
                const style = heatColor(cell.heat, dark);
                const words = `${formatNumber(share, 'percent')}`;
                return (
                  <td key={i} style={style}>
                    <button
                      type="button"
                      className={classes.heatButton}
                      onClick={() => cell.drill && onDrill?.(cell.drill as D)}
                      aria-label={`${row.cells[0].value}, ${table.columns[i].label}: ${words}, ${cell.value} persons`}
                      title={`${cell.value} persons`}
                      style={{ background: 'transparent', border: 0, cursor: onDrill ? 'pointer' : 'default' }}
                    >
                      {words}
                    </button>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollArea>
  );
}
