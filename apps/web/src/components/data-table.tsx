import type { ReactNode } from 'react'

interface TDataTableProps {
  /** The table's name for screen readers (not shown). */
  caption: string
  /** Column headings; false leaves a column out (e.g. admin-only columns). */
  columns: readonly (string | false)[]
  children: ReactNode
}

/** A list of records: a hidden caption, a row of column headings, the rows given. */
export function DataTable({ caption, columns, children }: TDataTableProps) {
  return (
    <table className="data-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map(
            (column) =>
              column !== false && (
                <th key={column} scope="col">
                  {column}
                </th>
              ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  )
}
