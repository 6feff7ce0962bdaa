import { dataPointRow } from '../db/rows.js'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import assert from 'node:assert/strict'
import type { Kysely } from 'kysely'
import type { DB } from '../db/schema.js'
import { insertProject } from '../projects/fixtures.js'
import type { TestBrowser } from '../testing/app.js'

const here = path.dirname(fileURLToPath(import.meta.url))

/** A public data set copied into test/fixtures/data/. */
export function fixture(name: string): Buffer {
  return readFileSync(path.resolve(here, '../../test/fixtures/data', name))
}

export async function userId(db: Kysely<DB>, who: string): Promise<string> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', `${who}@example.invalid`)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A project led by Ada with Ben on the team (demo users), community-visible unless told. */
export async function teamProject(
  db: Kysely<DB>,
  options: { visibility?: string; status?: string } = {},
): Promise<string> {
  const ada = await userId(db, 'ada.aimwell')
  const ben = await userId(db, 'ben.baseline')
  return insertProject(db, {
    createdBy: ada,
    visibility: options.visibility ?? 'community',
    status: options.status ?? 'active',
    organisationIds: ['org-ghft'],
    members: [
      { userId: ada, role: 'lead' },
      { userId: ben, role: 'member' },
    ],
  })
}

export const measureFields = (over: Record<string, string> = {}): Record<string, string> => ({
  type: 'outcome',
  name: 'Falls on the ward',
  unit: '',
  dataKind: 'count',
  direction: 'decrease',
  target: '',
  chartType: 'auto',
  multiplier: '1',
  numerator: 'Falls reported on Datix',
  version: '0',
  ...over,
})

/** Adds a measure through the form; returns its id. */
export async function addMeasure(
  browser: TestBrowser,
  projectId: string,
  over: Record<string, string> = {},
): Promise<string> {
  const res = await browser.submit(
    `/projects/${projectId}/measures/new`,
    `/projects/${projectId}/measures/new`,
    measureFields(over),
  )
  if (res.statusCode !== 303)
    throw new Error(`measure not created: ${res.statusCode} ${res.body.slice(0, 200)}`)
  return String(res.headers.location).split('/').pop()!
}

/** Straight into the table (fast), for tests that need data rather than the form. */
export async function insertPoints(
  db: Kysely<DB>,
  measureId: string,
  points: { period: string; value?: number; numerator?: number; denominator?: number }[],
): Promise<void> {
  await db
    .insertInto('measure_data_points')
    .values(
      points.map((p) =>
        dataPointRow({
          measure_id: measureId,
          period: p.period,
          value: p.value ?? null,
          numerator: p.numerator ?? null,
          denominator: p.denominator ?? null,
        }),
      ),
    )
    .execute()
  // As the repository does: a new data version, so no cached chart is shown.
  await db
    .updateTable('measures')
    .set((eb) => ({ data_version: eb('data_version', '+', 1) }))
    .where('id', '=', measureId)
    .execute()
}

export const monthly = (n: number, start = 2023) =>
  Array.from({ length: n }, (_, i) => new Date(Date.UTC(start, i, 1)).toISOString().slice(0, 10))

/** A multipart/form-data body as a browser sends it (fields first, then the file). */
export function multipartBody(
  fields: Record<string, string>,
  file: { field?: string; filename: string; content: Buffer; type?: string } | null,
) {
  const boundary = `----qitest${Math.random().toString(16).slice(2)}`
  const parts: Buffer[] = []
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    )
  if (file)
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      file.content,
      Buffer.from('\r\n'),
    )
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}

/** Uploads a file to a measure as the browser's form does (CSRF token in the action's query string). */
export async function upload(
  browser: TestBrowser,
  measureId: string,
  filename: string,
  content: Buffer,
  fields: Record<string, string> = {},
) {
  await browser.get(`/measures/${measureId}/upload`)
  const body = multipartBody(fields, { filename, content })
  return browser.request({
    method: 'POST',
    url: `/measures/${measureId}/upload?_csrf=${encodeURIComponent(browser.csrf)}`,
    ...body,
  })
}

export async function countPoints(db: Kysely<DB>, measureId: string): Promise<number> {
  const rows = await db
    .selectFrom('measure_data_points')
    .select('period')
    .where('measure_id', '=', measureId)
    .execute()
  return rows.length
}

/** Like assert.match, without printing a whole page when it fails. */
export function assertHas(html: string, pattern: RegExp, message?: string): void {
  assert.ok(pattern.test(html), message ?? `expected the page to contain ${String(pattern)}`)
}

export function assertHasNot(html: string, pattern: RegExp, message?: string): void {
  assert.ok(!pattern.test(html), message ?? `expected the page not to contain ${String(pattern)}`)
}
