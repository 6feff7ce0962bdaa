import { projectAimRow } from '../db/rows.js'
import assert from 'node:assert/strict'
import { insertProject } from '../projects/fixtures.js'
import { TestBrowser, type TestApp } from '../testing/app.js'
import { xmlProblems } from './svg/xml-check.js'

/**
 * Test helpers for improvement methods: demo people, a project with a team, and the
 * diagram on a page.
 */

export const ADA = 'ada.aimwell@example.invalid'
export const BEN = 'ben.baseline@example.invalid'
export const LEO = 'leo.learner@example.invalid'

export async function userId(t: TestApp, email: string): Promise<string> {
  const row = await t.db.database.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  return row.id
}

/** A project led by Ada with Ben as a team member; Leo is not on the team. */
export async function teamProject(
  t: TestApp,
  options: { visibility?: string; status?: string; title?: string; aim?: string } = {},
): Promise<string> {
  const ada = await userId(t, ADA)
  const ben = await userId(t, BEN)
  const id = await insertProject(t.db.database.db, {
    createdBy: ada,
    title: options.title ?? 'Earlier discharges',
    visibility: options.visibility ?? 'team',
    status: options.status ?? 'active',
    members: [
      { userId: ada, role: 'lead' },
      { userId: ben, role: 'member' },
    ],
  })
  if (options.aim) {
    await t.db.database.db
      .insertInto('project_aims')
      .values(
        projectAimRow({
          id: `${id}-aim`,
          project_id: id,
          what: 'Increase',
          for_whom: 'Ward 3',
          by_when: 'March 2027',
          statement: options.aim,
          created_by: ada,
        }),
      )
      .execute()
  }
  return id
}

export async function signedIn(t: TestApp, email: string): Promise<TestBrowser> {
  const browser = new TestBrowser(t.app)
  await browser.signIn(email)
  // The CSRF token is bound to the session: pick up the signed-in one.
  await browser.get('/')
  return browser
}

/** The page's server-rendered diagram, checked for well-formedness and its accessible name. */
export function diagramOf(html: string): string {
  const svg = /<svg[^>]*class="app-diagram"[\s\S]*?<\/svg>/.exec(html)?.[0]
  assert.ok(svg, 'the page has a diagram')
  assert.deepEqual(xmlProblems(svg), [], 'the diagram is well-formed XML')
  assert.match(svg, /role="img"/)
  const labelled = /aria-labelledby="([^"]+) ([^"]+)"/.exec(svg)
  assert.ok(labelled, 'the diagram is labelled by its title and description')
  assert.match(svg, new RegExp(`<title id="${labelled[1]}">[^<]+</title>`))
  assert.match(svg, new RegExp(`<desc id="${labelled[2]}">[^<]+</desc>`))
  return svg
}

/** The location a 303 sent the browser to. */
export function location(res: { headers: Record<string, unknown> }): string {
  const value = res.headers.location
  return typeof value === 'string' ? value : ''
}
