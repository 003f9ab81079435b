/**
 * A factory of objects that all have `keys`, in that order, every value `undefined` until set:
 * for the objects made per point on the hot paths (ingested rows, live points, rule points).
 *
 * Why: an object built from a small literal by adding properties under computed names
 * (`point[name] = value`) grows out-of-object storage, and past about a dozen such properties
 * V8 turns it into a dictionary. An ingested point built that way weighed about 1 KB instead of
 * about 300 bytes, and at tens of thousands of points a second waiting for their commit, copying
 * those was most of the server's GC work. A template made by `JSON.parse` has every key in
 * place; spreading it clones that fixed shape, fields inside the object. Setting a key the
 * template has keeps the shape; adding one it lacks does not (and is a bug: list it here).
 */
export function fixedShape<K extends string>(keys: readonly K[]): () => Record<K, undefined> {
  const template = JSON.parse(
    JSON.stringify(Object.fromEntries(keys.map((key) => [key, null]))),
  ) as Record<string, unknown>
  for (const key of keys) template[key] = undefined
  return () => ({ ...template }) as Record<K, undefined>
}
