import { Table, Text, UnstyledButton } from '@mantine/core';
import { formatNumber } from './format';
import type { Cell, TableModel } from './types';
import classes from './charts.module.css';

function CellContent<D>({ cell, onDrill, columnLabel, rowLabel }: { cell: Cell<D>; onDrill?: (d: D) => void; columnLabel: string; rowLabel: string }) {
  const text = typeof cell.value === 'number' ? formatNumber(cell.value, cell.format) : cell.value ?? '—';
  if (cell.drill && onDrill && typeof cell.value === 'number') {
    return (
      <UnstyledButton
        className={classes.drill}
        onClick={() => onDrill(cell.drill as D)}
        aria-label={`Persons: ${rowLabel}, ${columnLabel}: ${text}`}
        data-testid="drill"
      >
        {text}
      </UnstyledButton>
    );
  }
  return <>{text}</>;
}

/**
 * The numbers of a chart as a table, the same numbers the chart draws. Cells carry the raw value
 * (`data-value`) and their column (`data-col`); a number with persons behind it is a button.
 */
export function ChartTable<D>({ table, onDrill, maxHeight }: { table: TableModel<D>; onDrill?: (d: D) => void; maxHeight?: number | string }) {
  if (!table.rows.length) {
    return (
      <Text size="sm" c="dimmed" data-testid="chart-table">
        No numbers to show.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={0} maxHeight={maxHeight} type="native">
      <Table className={classes.table} striped highlightOnHover withTableBorder stickyHeader fz="sm" verticalSpacing={4} data-testid="chart-table">
        <Table.Thead>
          <Table.Tr>
            {table.columns.map((c, i) => (
              <Table.Th key={c.key} className={`${c.numeric ? classes.num : ''} ${i === 0 ? classes.first : ''}`} data-col={c.key} scope="col">
                {c.label}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((row) => {
            const rowLabel = typeof row.cells[0]?.value === 'string' ? (row.cells[0].value as string) : row.key;
            return (
              <Table.Tr key={row.key} data-row={row.key}>
                {row.cells.map((cell, i) => {
                  const column = table.columns[i];
                  return (
                    <Table.Td
                      key={column?.key ?? i}
                      className={`${column?.numeric ? classes.num : ''} ${i === 0 ? classes.first : ''}`}
                      data-col={column?.key}
                      data-value={cell.value === null ? '' : String(cell.value)}
                      title={i === 0 && typeof cell.value === 'string' ? cell.value : undefined}
                    >
                      <CellContent cell={cell} onDrill={onDrill} columnLabel={column?.label ?? ''} rowLabel={rowLabel} />
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
