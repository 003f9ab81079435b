import { useId } from 'react'
import { useGroupOptions } from './use-group-options'

/**
 * "All groups" or one group (a limited user's own): filters a vehicle list. Shown only when
 * there are groups to choose; '' stands for all.
 */
export function GroupSelect(props: { value: string; onChange: (groupId: string) => void }) {
  const id = useId()
  const groups = useGroupOptions()
  if (groups.options.length === 0) return null
  return (
    <div className="field">
      <label htmlFor={id}>Group</label>
      <select id={id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">All groups</option>
        {groups.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  )
}
