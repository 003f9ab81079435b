import { type QueryKey, useQueryClient } from '@tanstack/react-query'
import type { z } from 'zod'
import { useZodForm } from '../lib/use-zod-form'

interface TSaveFormParams<TCreate, TUpdate, TSaved> {
  /** The id of the record being edited; null while adding one. */
  editingId: string | null
  createSchema: z.ZodType<TCreate>
  updateSchema: z.ZodType<TUpdate>
  /** The form's strings as the schema's input (without the id, which is added when editing). */
  read: (values: Record<string, string>) => Record<string, unknown>
  /** Creates or updates: an input with an `id` is an update. */
  save: (input: TCreate | TUpdate) => Promise<TSaved>
  /** The queries to refresh after a save. */
  queryKey: QueryKey
  /** After the save and the refresh, with the form cleared. */
  onSaved: (saved: TSaved) => void
}

/** The add-or-edit form of a vehicle or a device: validate, save, refresh the list, clear. */
export function useSaveForm<TCreate, TUpdate, TSaved>(
  params: TSaveFormParams<TCreate, TUpdate, TSaved>,
) {
  const { editingId, createSchema, updateSchema, read, save, queryKey, onSaved } = params
  const queryClient = useQueryClient()
  const schema: z.ZodType<TCreate | TUpdate> = editingId === null ? createSchema : updateSchema
  return useZodForm(
    schema,
    async (input, element) => {
      const saved = await save(input)
      await queryClient.invalidateQueries({ queryKey })
      element.reset()
      onSaved(saved)
    },
    { read: (values) => (editingId === null ? read(values) : { ...read(values), id: editingId }) },
  )
}
