import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { CurrentUser } from '../core/identity.js'
import { HOME_ITEMS, MyWorkService, type MyWorkDeps } from './service.js'

/** "My work" asks each feature once for all the person's projects, however many (no N+1). */
describe('my work asks once per section, not once per project', () => {
  for (const n of [1, 200]) {
    test(`${n} projects`, async () => {
      const calls: Record<string, number> = {}
      const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1)
      const projects = Array.from({ length: n }, (_, i) => ({
        id: `p${i}`,
        title: `Project ${i}`,
        lastActivityAt: '2026-11-01T00:00:00.000Z',
      }))
      const deps = {
        clock: () => new Date('2026-12-03T10:00:00Z'),
        projects: {
          memberProjects: async () => (count('projects.memberProjects'), projects),
          coachedBy: async () => (count('projects.coachedBy'), projects),
        },
        lifecycle: { reviewQueue: async () => (count('reviewQueue'), { registrations: [] }) },
        pdsa: {
          dueForStudy: async (_u: CurrentUser, ids: string[]) => (
            count('pdsa.dueForStudy'),
            ids.map((id) => ({
              id: `${id}-c`,
              projectId: id,
              projectTitle: id,
              title: 'Cycle',
              doEnd: '2026-11-20',
            }))
          ),
        },
        measures: {
          latestOfEditable: async (_u: CurrentUser, ids: string[]) => (
            count('measures.latestOfEditable'),
            ids.map((id) => ({
              id: `${id}-m`,
              projectId: id,
              projectTitle: id,
              name: 'Measure',
              frequency: 'Weekly',
              latestPeriod: '2026-10-01',
            }))
          ),
        },
        learning: { records: { record: async () => (count('learning'), { entries: [] }) } },
        support: { listFor: async () => (count('support'), { mine: [] }) },
        pipeline: { triage: async () => (count('triage'), { total: 0 }) },
        posters: { reviewQueue: async () => (count('posters'), []) },
        networks: { activityFor: async () => (count('networks'), []) },
      } as unknown as MyWorkDeps
      const user = {
        id: 'u',
        name: 'Cara',
        email: 'c@example.invalid',
        roles: [{ role: 'coach' }],
      } as unknown as CurrentUser
      const service = new MyWorkService(deps)
      const work = await service.forUser(user)
      const of = (kind: string) => work.sections.find((s) => s.kind === kind)!
      assert.equal(of('study').count, n)
      assert.equal(of('data').count, n)
      assert.equal(of('study').items.length, Math.min(n, HOME_ITEMS), 'the home shows the first few')
      assert.equal(work.total, 2 * n)
      assert.equal(calls['pdsa.dueForStudy'], 1)
      assert.equal(calls['measures.latestOfEditable'], 1)
      assert.equal(calls['projects.memberProjects'], 1)
      // A section's own page has every item, and asks only that section's feature.
      const data = await service.section(user, 'data')
      assert.equal(data?.items.length, n)
      assert.equal(calls['measures.latestOfEditable'], 2)
      assert.equal(calls['pdsa.dueForStudy'], 1)
      assert.equal(await service.section(user, 'nonsense'), null)
    })
  }
})
