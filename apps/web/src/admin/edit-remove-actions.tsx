import { ConfirmAction } from '../components/confirm-button'

interface TEditRemoveActionsProps {
  /** What kind of thing the row is, e.g. "vehicle". */
  what: string
  name: string
  onEdit: () => void
  onRemove: () => void
}

/** The actions cell of a vehicle or device row: edit it in the form above, or remove it. */
export function EditRemoveActions({ what, name, onEdit, onRemove }: TEditRemoveActionsProps) {
  return (
    <td className="row-actions">
      <button
        type="button"
        className="secondary"
        aria-label={`Edit ${what} ${name}`}
        onClick={onEdit}
      >
        Edit
      </button>
      <ConfirmAction verb="Remove" what={what} name={name} onConfirm={onRemove} />
    </td>
  )
}
