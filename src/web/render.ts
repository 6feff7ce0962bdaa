import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import nunjucks from 'nunjucks'

const here = path.dirname(fileURLToPath(import.meta.url))
export const srcRoot = path.resolve(here, '..')
export const nhsukRoot = path.dirname(createRequire(import.meta.url).resolve('nhsuk-frontend/package.json'))
export const nhsukDist = path.join(nhsukRoot, 'dist')

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
})

/**
 * One Nunjucks environment: our views first, then `src/` (so features name their
 * templates `people/views/x.njk`), then NHS.UK frontend's macros.
 */
export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([path.join(here, 'views'), srcRoot, nhsukDist], { noCache: false }),
    {
      autoescape: true,
      throwOnUndefined: false,
    },
  )
  // Nunjucks' own trim is quadratic and the NHS templates call it hundreds of times (STACK.md).
  const runtime = nunjucks.runtime as unknown as {
    copySafeness: (source: unknown, target: string) => unknown
  }
  // A fresh one-time submission key for each form (see once.ts).
  env.addGlobal('formKey', () => randomBytes(18).toString('base64url'))
  env.addFilter('trim', (s: string | null | undefined) => runtime.copySafeness(s, String(s ?? '').trim()))
  env.addFilter('date', (iso: string | null | undefined) => (iso ? dateFormat.format(new Date(iso)) : ''))
  env.addFilter('dateTime', (iso: string | null | undefined) =>
    iso ? dateTimeFormat.format(new Date(iso)) : '',
  )
  env.addFilter('json', (v: unknown) => JSON.stringify(v, null, 2))
  env.addFilter('pluralise', (n: number, one: string, many: string) => (Number(n) === 1 ? one : many))
  env.addFilter('number', (n: number | string | null | undefined) =>
    typeof n === 'number' ? n.toLocaleString('en-GB') : String(n ?? ''),
  )
  return env
}

export function renderView(env: nunjucks.Environment, name: string, context: object): Promise<string> {
  return new Promise((resolve, reject) => {
    env.render(name, context, (error, html) => (error ? reject(error) : resolve(html ?? '')))
  })
}
