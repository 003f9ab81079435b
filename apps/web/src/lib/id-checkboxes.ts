/**
 * A form's checkboxes for a set of ids (`vehicle-<uuid>`, …): the name of each box, and the ids
 * of the ticked ones read back from the form's values (`useZodForm` hands them over as strings,
 * a ticked box as `on`).
 */
export function createIdCheckboxes(prefix: string) {
  return {
    fieldName: (id: string) => `${prefix}${id}`,
    readTicked: (values: Record<string, string>) =>
      Object.keys(values)
        .filter((name) => name.startsWith(prefix) && values[name] === 'on')
        .map((name) => name.slice(prefix.length)),
  }
}

/** One checkbox per vehicle (subscriptions, report schedules, a group's vehicles). */
export const VEHICLE_CHECKBOXES = createIdCheckboxes('vehicle-')

/** One checkbox per vehicle group (vehicle and user forms). */
export const GROUP_CHECKBOXES = createIdCheckboxes('group-')
