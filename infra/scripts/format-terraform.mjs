// @ts-check
// `terraform fmt` without a Terraform binary: rewrites every .tf file under infra/terraform in
// the canonical HCL style (hclwrite, the formatter `terraform fmt` uses, compiled to WASM).
// `--check` lists the files that need it and exits 1 instead of writing.
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { format } from '@cdktf/hcl-tools'

const ROOT = fileURLToPath(new URL('../terraform', import.meta.url))

/** @param {string} dir @returns {Promise<string[]>} */
async function findTerraformFiles(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.tf'))
    .filter((entry) => !entry.parentPath.includes('/.terraform'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
}

const isCheck = process.argv.includes('--check')
const unformatted = []
for (const file of await findTerraformFiles(ROOT)) {
  const text = await readFile(file, 'utf8')
  const formatted = await format(text)
  if (formatted === text) continue
  unformatted.push(relative(process.cwd(), file))
  if (!isCheck) await writeFile(file, formatted)
}
if (unformatted.length > 0) {
  process.stdout.write(
    `${isCheck ? 'not formatted' : 'formatted'}:\n  ${unformatted.join('\n  ')}\n`,
  )
}
if (isCheck && unformatted.length > 0) process.exit(1)
