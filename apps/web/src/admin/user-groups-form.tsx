import { ZUpdateUserInput } from '@fms/api/schemas'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { EntityForm } from '../components/entity-form'
import { IdChoices } from '../components/id-choices'
import { useGroupOptions } from '../groups/use-group-options'
import { GROUP_CHECKBOXES } from '../lib/id-checkboxes'
import { useZodForm } from '../lib/use-zod-form'
import { type RouterOutputs, useTRPC } from '../trpc'

type TUser = RouterOutputs['users']['list']['items'][number]

/** What the "Limit to groups" boxes mean, said on both user forms. */
export const LIMIT_HINT =
  'None ticked: sees every vehicle. Otherwise only the vehicles of these groups; a vehicle in no group is seen only by users who are not limited. Admins always see every vehicle.'

/** The ticked groups as `groupIds`: none ticked is not limited (null). */
export function readLimitGroupIds(values: Record<string, string>): string[] | null {
  const ids = GROUP_CHECKBOXES.readTicked(values)
  return ids.length > 0 ? ids : null
}

/** "Limit to groups" boxes; every chosen group is kept, listed or not. */
export function LimitToGroups(props: { initial: readonly string[]; errors?: string[] }) {
  const groups = useGroupOptions()
  return (
    <IdChoices
      legend="Limit to groups"
      hint={LIMIT_HINT}
      errors={props.errors}
      options={groups.options}
      fieldName={GROUP_CHECKBOXES.fieldName}
      initial={props.initial}
      what="groups"
    />
  )
}

interface TUserGroupsFormProps {
  user: TUser
  onSaved: (message: string) => void
  onCancel: () => void
  onSubmitting: () => void
}

/** Changes the groups a user is limited to (or lifts the limit). */
export function UserGroupsForm({ user, onSaved, onCancel, onSubmitting }: TUserGroupsFormProps) {
  const trpc = useTRPC()
  const queryClient = useQueryClient()
  const update = useMutation(trpc.users.update.mutationOptions())
  const form = useZodForm(
    ZUpdateUserInput,
    async (input) => {
      const saved = await update.mutateAsync(input)
      await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() })
      onSaved(
        saved.groupIds === null
          ? `${saved.email} sees every vehicle.`
          : `${saved.email} is limited to ${saved.groupIds.length} ${saved.groupIds.length === 1 ? 'group' : 'groups'}.`,
      )
    },
    { read: (values) => ({ id: user.id, groupIds: readLimitGroupIds(values) }) },
  )
  return (
    <EntityForm
      heading={`Groups of ${user.email}`}
      form={form}
      onSubmitting={onSubmitting}
      submitLabel="Save groups"
      onCancel={onCancel}
      layout="stack"
    >
      <LimitToGroups initial={user.groupIds ?? []} errors={form.fieldErrors.groupIds} />
    </EntityForm>
  )
}
