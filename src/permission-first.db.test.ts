import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTestApp, TestBrowser, type TestApp } from './testing/app.js'
import { testDialects } from './testing/databases.js'

/**
 * Permission first (issue 15 point 6): every POST form route of the app but the public ones
 * (joining, signing in), found in the app itself, replayed as six people with an empty and with a
 * complete body. Whoever has no right gets 401, 403 or 404, never a form (200/400) or a redirect
 * (303). A new route fails this test until its rights are listed in RIGHTS.
 */

type Role = 'anonymous' | 'member' | 'requester' | 'coach' | 'facultyAdmin' | 'programmeLead'
const ROLES: Record<Role, string | null> = {
  anonymous: null,
  member: 'esme.exec@example.invalid', // a member (and Board member) with no part in any of it
  requester: 'ben.baseline@example.invalid', // asked for demo-sr-falls-measures; on Ada's project team
  coach: 'cara.cycle@example.invalid', // QI specialist and Steering Group; organises the demo events
  facultyAdmin: 'dev.driver@example.invalid', // QSIR faculty
  programmeLead: 'gus.gateway@example.invalid', // Virtual Ward programme
}
const MEMBERS: Role[] = ['member', 'requester', 'coach', 'facultyAdmin', 'programmeLead']

/** Who may use each route on the objects below. `MEMBERS`: the allow-list any signed-in member may use. */
const RIGHTS: [RegExp, Role[]][] = [
  // Every member chooses their own e-mails.
  [/^\/settings\/notifications$/, MEMBERS],
  [/^\/learning\/cohorts\/:id\/enrol$/, MEMBERS],
  [/^\/learning\/record\/external\/new$/, MEMBERS],
  [/^\/learning\/enrolments\/:id\/project$/, []], // the learner only (not one of these people)
  [/^\/learning\/certificates\/:id\/revoke$/, []], // a GSQIA certificate: not Dev's faculty
  [/^\/learning\/external\/:id\/review$/, []],
  [/^\/learning\//, ['facultyAdmin']],
  [/^\/events\/new$/, ['coach', 'programmeLead']],
  [/^\/events\/:id\/(register|cancel-registration|feedback)$/, MEMBERS],
  [/^\/events\/:id\/(edit|check-in\/:registrationId)$/, ['coach']],
  [/^\/support\/requests$/, MEMBERS],
  [/^\/support\/requests\/:id\/withdraw$/, ['requester']],
  [/^\/support\/requests\/:id\/(decide|priority|hours|assignments)$/, ['coach']],
  [/^\/support\/capacity$/, ['coach']],
  [/^\/priorities\//, ['coach']],
  [/^\/programmes\/:slug\/edit$/, ['coach', 'programmeLead']],
  [/^\/projects\/:id\/(drivers|change-ideas|tools|pdsa)/, ['requester', 'coach']],
  // A member's own account: each person acts on their own records (an unknown token is a 404).
  [/^\/(account\/password|account\/tokens(\/:id\/revoke)?|profile\/edit)$/, MEMBERS],
  // Any member may start a project; within Ada's project, Ben is on the team and Cara coaches.
  [/^\/projects$/, MEMBERS],
  [/^\/projects\/similar$/, MEMBERS], // nothing is stored: any member may ask
  // Ada's project is open to the community, so any member may comment on it.
  [/^\/projects\/:id\/comments$/, MEMBERS],
  // Partners: only a project's leads approve involvement (an unknown entry here: 404); only
  // improvement partners keep a log; the Steering Group (Cara) sets the reading age. The team
  // (Ben, Cara) writes "you said, we did" under /projects/:id/for-partners (the rule below).
  [/^\/projects\/:id\/involvement\//, []],
  [/^\/partners\/involvement$/, []],
  [/^\/partners\/settings$/, ['coach']],
  [/^\/projects\/:id\//, ['requester', 'coach']],
  [/^\/measures\/:id\//, ['requester', 'coach']],
  // Administration: none of these six (Ivy, the admin and IG lead, is not one of them).
  [/^\/admin\//, []],
  // The Steering Group's settings, Board flags and showcase occasions: Cara coaches and sits on it.
  // Staff headcounts: organisation admins only (none of these six).
  [/^\/steering-group\/capability\/headcounts$/, []],
  // The IMPACT self-assessment: the Board (Esme) and the Steering Group (Cara) start one; every
  // other route names an assessment ('unknown' here: 404).
  [/^\/steering-group\/impact$/, ['member', 'coach']],
  // The weekly digest's choice: the Board (Esme) and the Steering Group (Cara).
  [/^\/steering-group\/digest$/, ['member', 'coach']],
  [/^\/steering-group\//, ['coach']],
  // The board pack: the Board (Esme) and the Steering Group (Cara) ask for one.
  [/^\/board\/packs$/, ['member', 'coach']],
  [/^\/showcase\/occasions$/, ['coach']],
  [/^\/showcase\/occasions\/:id\/close$/, []], // an unknown occasion
  [/^\/showcase\/occasions\/:id\/vote$/, MEMBERS],
  [/^\/showcase\/occasions\/:id\/(judges|criteria|scores)\b/, []], // an unknown occasion
  // Any member may put up a poster; an unknown poster is nobody's (404).
  [/^\/showcase\/posters$/, MEMBERS],
  [/^\/showcase\/posters\/:id\//, []],
  // The resources library: the Steering Group (Cara) adds and edits guides and links.
  [/^\/resources(\/:slug\/edit)?$/, ['coach']],
  // Networks: any member may propose one; every other route names a network ('unknown' here: 404).
  [/^\/networks$/, MEMBERS],
  [/^\/networks\/:slug\//, []],
  // The JSON API takes bearer tokens only: a browser's session is nobody there (401 for all).
  [/^\/api\/v1\//, []],
]
/** Routes anyone may use, signed in or not: joining, signing in and out, asking to get involved. */
const PUBLIC =
  /^\/(sign-in|sign-out|join|forgotten-password|reset-password\/:token|get-involved|sign-in\/sso.*|unsubscribe\/:token|notifications\/unsubscribe\/:token|steering-group\/digest\/unsubscribe\/:token)$/
/** Every POST route of the app but the public ones. */
const FEATURES = { test: (route: string) => !PUBLIC.test(route) }

/** Every POST route, read from the router's printed tree (so nothing has to be kept in step by hand). */
function postRoutes(tree: string): string[] {
  const stack: string[] = []
  const out: string[] = []
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line)
    if (!m) continue
    stack.length = m[1].length / 4
    stack.push(m[2])
    if ((m[3] ?? '').split(', ').includes('POST')) out.push(stack.join(''))
  }
  return out
}

/** Values for every field the forms of these features use, each valid on its own. */
const COMPLETE: Record<string, string | string[]> = {
  title: 'Permission check',
  summary: 'A summary',
  description: 'A description',
  name: 'Check',
  level: 'foundation',
  mode: 'online',
  eligibility: 'all',
  minAttendancePct: '80',
  published: 'on',
  capacity: '10',
  closesDate: '2030-01-01',
  closesTime: '17:00',
  date: '2030-01-02',
  startDate: '2030-01-02',
  endDate: '2030-01-02',
  startTime: '09:00',
  endTime: '10:00',
  format: 'online',
  onlineUrl: 'https://example.org/x',
  present: ['x'],
  project: ['x'],
  assessment: ['x'],
  close: 'on',
  reason: 'Because',
  decision: 'triage',
  score: '50',
  hours: '4',
  month: '2030-01',
  coachId: 'x',
  coach1: 'x',
  month1: '2030-01',
  hours1: '2',
  link: 'none',
  projectRef: '',
  provider: 'Somewhere',
  completedOn: '2026-01-01',
  evidenceText: 'Evidence',
  facultyId: 'fac-qsir',
  need: 'Help with measures',
  scale: 'team',
  rating: '5',
  wentWell: 'Good',
  evenBetter: 'More',
  accessNeeds: '',
  statement: 'Reduce waits',
  kind: 'primary',
  direction: 'up',
  text: 'Text',
  objective: 'Objective',
  prediction: 'Prediction',
  version: '0',
  confirm: 'yes',
}

for (const { dialect, skip } of await testDialects()) {
  describe(`permission first on every form route on ${dialect}`, { skip }, () => {
    let t: TestApp
    const browsers = new Map<Role, TestBrowser>()
    const ids: Record<string, string> = {}
    before(async () => {
      t = await startTestApp(dialect)
      const { db } = t.db.database
      const userId = async (email: string) =>
        (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
      const roleIds = await Promise.all(
        Object.values(ROLES)
          .filter(Boolean)
          .map((e) => userId(e!)),
      )
      const ada = await userId('ada.aimwell@example.invalid')
      ids.project = (
        await db
          .selectFrom('project_members')
          .select('project_id')
          .where('user_id', '=', ada)
          .where('role', '=', 'lead')
          .executeTakeFirstOrThrow()
      ).project_id
      const measure = await db
        .selectFrom('measures')
        .innerJoin('measure_data_points', 'measure_data_points.measure_id', 'measures.id')
        .select(['measures.id', 'measure_data_points.period'])
        .where('measures.project_id', '=', ids.project)
        .executeTakeFirstOrThrow()
      ids.measure = measure.id
      ids.period = measure.period
      ids.someone = ada
      ids.enrolment = (
        await db
          .selectFrom('enrolments')
          .innerJoin('cohorts', 'cohorts.id', 'enrolments.cohort_id')
          .innerJoin('courses', 'courses.id', 'cohorts.course_id')
          .select('enrolments.id')
          .where('courses.faculty_id', '=', 'fac-qsir')
          .where('enrolments.user_id', 'not in', roleIds)
          .executeTakeFirstOrThrow()
      ).id
      for (const [role, email] of Object.entries(ROLES) as [Role, string | null][]) {
        const b = new TestBrowser(t.app)
        if (email) await b.signIn(email)
        else await b.get('/sign-in') // a CSRF token, so the refusal tested is the permission check
        browsers.set(role, b)
      }
    })
    after(() => t?.close())

    const url = (route: string) => {
      const event = route.includes('check-in') ? 'demo-event-huddle' : 'demo-event-process-mapping'
      const value = (name: string): string => {
        if (route.startsWith('/learning/')) {
          if (name === 'slug') return route.includes('/faculties/') ? 'qsir' : 'qsir-fundamentals'
          if (route.includes('/cohorts/')) return 'coh-qsir-fund-1'
          if (route.includes('/sessions/')) return 'coh-qsir-prac-spring-s1'
          if (route.includes('/enrolments/')) return ids.enrolment
          if (route.includes('/certificates/')) return 'cert-demo-ada-bronze'
          return 'unknown'
        }
        if (route.startsWith('/events/')) return name === 'id' ? event : `${event}-ada.aimwell`
        if (route.startsWith('/support/')) return 'demo-sr-falls-measures'
        if (route.startsWith('/programmes/')) return 'virtual-ward'
        if (route.startsWith('/projects/')) return name === 'id' ? ids.project : 'unknown'
        if (route.startsWith('/measures/'))
          return name === 'id' ? ids.measure : name === 'period' ? ids.period : 'unknown'
        if (route.startsWith('/admin/people/')) return name === 'id' ? ids.someone : 'unknown'
        if (route.startsWith('/admin/pages/')) return 'about'
        if (route.startsWith('/admin/redact/')) return name === 'type' ? 'project' : ids.project
        return 'unknown'
      }
      return route.replace(/:(\w+)/g, (_, name: string) => value(name))
    }

    test('every form route of these features is listed with its rights', () => {
      const routes = postRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => FEATURES.test(r))
      assert.ok(routes.length > 50, `found ${routes.length} routes`)
      for (const r of routes)
        assert.ok(
          RIGHTS.some(([pattern]) => pattern.test(r)),
          `${r} has no rights listed: add it to RIGHTS`,
        )
    })

    test('people without the right are refused whatever they send', async () => {
      const routes = postRoutes(t.app.printRoutes({ commonPrefix: false })).filter((r) => FEATURES.test(r))
      const failures: string[] = []
      for (const route of routes) {
        const allowed = RIGHTS.find(([pattern]) => pattern.test(route))?.[1] ?? []
        for (const role of Object.keys(ROLES) as Role[]) {
          if (allowed.includes(role)) continue
          const b = browsers.get(role)!
          for (const [label, body] of [
            ['empty', {}],
            ['complete', COMPLETE],
          ] as const) {
            const res = await b.post(url(route), body)
            const expected = role === 'anonymous' || route.startsWith('/api/') ? [401] : [403, 404]
            if (!expected.includes(res.statusCode))
              failures.push(`${role} ${label} POST ${url(route)}: ${res.statusCode}`)
          }
        }
      }
      assert.deepEqual(failures, [])
    })

    test('triage-only pages refuse the requester before showing anything', async () => {
      const ben = browsers.get('requester')!
      for (const page of ['hours', 'priority', 'decide']) {
        const res = await ben.get(`/support/requests/demo-sr-falls-measures/${page}`)
        assert.equal(res.statusCode, 403, page)
        assert.doesNotMatch(res.body, /Cara Cycle/, `${page} shows no coach's hours`)
      }
      const esme = browsers.get('member')!
      const capacity = await esme.post('/support/capacity', { coachId: '' })
      assert.equal(capacity.statusCode, 403)
      assert.doesNotMatch(capacity.body, /Cara Cycle/, 'no capacity table for a plain member')
    })
  })
}
