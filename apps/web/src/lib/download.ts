/** Saves a Blob as a file through a temporary object URL. */
export function downloadBlob(filename: string, blob: Blob) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  // Let the browser start the download before the URL goes.
  window.setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** Saves text as a file (no server round trip). */
export function downloadCsv({ filename, csv }: { filename: string; csv: string }) {
  downloadBlob(filename, new Blob([csv], { type: 'text/csv;charset=utf-8' }))
}
