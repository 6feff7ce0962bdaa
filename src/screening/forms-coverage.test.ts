import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readdirSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'
import { z } from 'zod'

/**
 * Every field of every form refuses an NHS number, unless it is listed here as not free text.
 * The forms are found, not listed: every exported zod object schema (or object of schemas) in
 * every `forms.ts` or `*-forms.ts` module. A new free-text field that skips the shared helpers
 * (requiredText/optionalText) fails this test until it is screened or, if it really is not free
 * text, added below with the reason.
 */
const NOT_FREE_TEXT: Record<string, string> = {
  // Passwords are never screened (nor echoed back).
  'auth.*.password': 'password',
  'auth.*.current': 'password',
  'auth.*.confirm': 'password confirmation',
  'auth.signInForm.next': 'a same-origin path, checked by the sign-in route',
  // Search boxes: nothing typed there is stored.
  'people.directoryQuery.q': 'search box',
  'projects.listQuery.q': 'search box',
  'events.checkInQuery.q': 'search box over the attendee list',
  'governance.boardMeasuresQuery.q': 'search box over measure names',
  'showcase.galleryQuery.q': 'search box over approved posters',
  'showcase.galleryQuery.occasion': 'an occasion slug from a select (a filter, never stored)',
  'showcase.galleryQuery.programme': 'a programme id from a select (a filter, never stored)',
  'showcase.galleryQuery.organisation': 'an organisation id from a select (a filter, never stored)',
  'showcase.archiveQuery.q': 'search box over finished projects',
  'showcase.archiveQuery.programme': 'a programme id from a select (a filter, never stored)',
  'showcase.archiveQuery.organisation': 'an organisation id from a select (a filter, never stored)',
  'resources.resourceQuery.q': 'search box over the library',
  'resources.resourceQuery.tag': 'a tag from a select (a filter, never stored)',
  'search.searchQuery.q': 'the site-wide search box (search/): quoted as words, never stored',
  // Ids chosen from a list, checked against the database by the service.
  'projects.*.organisationIds': 'organisation ids from checkboxes',
  'projects.*.priorityIds': 'priority ids from checkboxes',
  'projects.*.aimCodes': 'aim codes from checkboxes',
  'improvement.*.driverIds': 'driver ids from checkboxes',
  'improvement.*.parentIds': 'driver ids from checkboxes',
  'improvement.*.changeIdeaId': 'a change idea id from a select',
  'improvement.*.measureIds': 'measure ids from checkboxes',
  'showcase.*.organisationIds': 'organisation ids from checkboxes',
  'showcase.*.aimCodes': 'aim codes from checkboxes',
  'facilitation.supportRequestForm.priorityIds': 'priority ids from checkboxes',
  'facilitation.supportRequestForm.aimCodes': 'aim codes from checkboxes',
  'learning.catalogueQuery.open': 'a filter flag',
  'learning.courseForm.level': "a level from a select, checked against the faculty's levels",
  'learning.courseForm.eligibleOrgIds': 'organisation ids from checkboxes',
  'learning.courseForm.eligibleRoles': 'role names from checkboxes',
  'learning.courseForm.prerequisites': 'course ids from checkboxes',
  'learning.externalForm.facultyId': 'a faculty id from a select',
  'learning.progressForm.project': 'enrolment ids from checkboxes',
  'learning.progressForm.assessment': 'enrolment ids from checkboxes',
  'learning.projectLinkForm.link': 'a project id from radios',
  'learning.registerForm.present': 'enrolment ids from checkboxes',
  'measures.pointForm.period': 'a date, checked by checkPeriod (dates before 2000 refused)',
  'measures.pasteForm.data': 'a pasted table, screened cell by cell by the service (screenTable)',
  'screening.patternForm.pattern': 'a hospital-number pattern, checked by checkPattern',
  'governance.impactNewForm.scope': "'system' or an organisation id from a select, checked by the service",
  'governance.impactActionForm.area': 'a question area id from a select, checked against the framework',
  'governance.impactActionForm.linkRef':
    'a project id or a course or programme slug, checked by their services',
}

const here = path.dirname(fileURLToPath(import.meta.url))
const src = path.resolve(here, '..')
const files = (readdirSync(src, { recursive: true }) as string[])
  .map((f) => f.split(path.sep).join('/'))
  .filter((f) => /(^|\/)(forms|[a-z-]+-forms)\.ts$/.test(f) && !f.startsWith('web/'))

const NHS = '943 476 5919'

function allowed(feature: string, schema: string, field: string): boolean {
  return [`${feature}.${schema}.${field}`, `${feature}.*.${field}`].some((k) => k in NOT_FREE_TEXT)
}

/** True when the field refuses the value: an error, or the value dropped (a `.catch`). */
function refuses(field: z.ZodType, value: unknown): boolean {
  const result = field.safeParse(value)
  return !result.success || !JSON.stringify(result.data ?? null).includes(NHS)
}

async function schemas() {
  const found: { feature: string; name: string; schema: z.ZodObject }[] = []
  for (const file of files) {
    const feature =
      file.split('/')[0] === 'improvement' && file.includes('tools/') ? 'tools' : file.split('/')[0]
    const mod = (await import(pathToFileURL(path.join(src, file)).href)) as Record<string, unknown>
    for (const [name, value] of Object.entries(mod)) {
      if (value instanceof z.ZodObject) found.push({ feature, name, schema: value })
      else if (value && typeof value === 'object' && !(value instanceof z.ZodType))
        for (const [key, inner] of Object.entries(value))
          if (inner instanceof z.ZodObject) found.push({ feature, name: `${name}.${key}`, schema: inner })
    }
  }
  return found
}

describe('every form field is screened for patient data', async () => {
  const all = await schemas()

  test('finds the forms of every feature', () => {
    const features = new Set(all.map((s) => s.feature))
    for (const f of [
      'projects',
      'improvement',
      'tools',
      'measures',
      'learning',
      'facilitation',
      'events',
      'pages',
      'people',
      'auth',
      'api',
    ])
      assert.ok(features.has(f), `forms of ${f}`)
    assert.ok(all.length > 40, `${all.length} schemas`)
  })

  for (const { feature, name, schema } of all) {
    test(`${feature}.${name}`, () => {
      const uncovered: string[] = []
      for (const [field, fieldSchema] of Object.entries(schema.shape)) {
        if (field === '_csrf' || field === '_once') continue
        const screened = refuses(fieldSchema as z.ZodType, NHS) && refuses(fieldSchema as z.ZodType, [NHS])
        if (!screened && !allowed(feature, name, field)) uncovered.push(field)
      }
      assert.deepEqual(uncovered, [], `free-text fields not screened: ${uncovered.join(', ')}`)
    })
  }

  test('the allow-list names only fields that exist', () => {
    for (const key of Object.keys(NOT_FREE_TEXT)) {
      const [feature, schemaName, field] = key.split('.')
      const match = all.some(
        (s) =>
          s.feature === feature && (schemaName === '*' || s.name === schemaName) && field in s.schema.shape,
      )
      assert.ok(match, key)
    }
  })
})
