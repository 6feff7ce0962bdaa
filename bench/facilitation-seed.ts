/**
 * The synthetic data set behind `bench/facilitation.ts`: 5,000 support requests (statuses, ages,
 * priorities, decisions and QI specialists' hours) and 200 events of 200 registrations, all
 * flagged is_demo and attached only to synthetic programmes. Deterministic: the same every run.
 */
import type { Kysely } from 'kysely'
import type { DB } from '../src/db/schema.js'
import { loadDemoContent } from '../src/demo/load.js'
import { addMembers } from '../src/events/test-helpers.js'
import { addMonths, monthOf, monthRange } from '../src/facilitation/capacity/months.js'
import { TEST_PASSWORD } from '../src/testing/app.js'
import { insertBatches, random } from './lib.js'

export const REQUESTS = 5000
export const EVENTS = 200
export const PER_EVENT = 200
const DAY = 86_400_000

const STATUSES: [string, number][] = [
  ['submitted', 15],
  ['triage', 10],
  ['waitlisted', 10],
  ['accepted', 10],
  ['scoping', 10],
  ['in_delivery', 15],
  ['closed', 15],
  ['declined', 10],
  ['withdrawn', 5],
]
const SCALES = ['team', 'service', 'organisation', 'multi_organisation', 'system']
const ORGS = ['org-icb', 'org-ghft', 'org-ghc', 'org-primary-care', 'org-lmns', null]

export async function seed(db: Kysely<DB>): Promise<void> {
  const rnd = random(42)
  const pick = <V>(xs: readonly V[]) => xs[Math.floor(rnd() * xs.length)]
  const now = Date.now()
  const nowIso = new Date(now).toISOString()
  await loadDemoContent(db, { password: TEST_PASSWORD })
  const members = await addMembers(db, PER_EVENT, 'bench')
  const coaches = await addMembers(db, 10, 'bench-coach')
  await insertBatches(
    db,
    'role_grants',
    coaches.map((c) => ({
      id: `grant-${c.id}`,
      user_id: c.id,
      role: 'coach',
      scope_type: 'platform',
      scope_id: '',
      granted_by: null,
      created_at: nowIso,
    })),
  )
  const months = monthRange(addMonths(monthOf(new Date(now)), -3), 12)
  await insertBatches(
    db,
    'coach_capacity',
    coaches.flatMap((c) =>
      months.map((m) => ({
        coach_id: c.id,
        month: m,
        available_hours: 30 + Math.floor(rnd() * 40),
        updated_at: nowIso,
      })),
    ),
  )
  const programmes = [1, 2, 3, 4].map((n) => ({
    id: `bench-prog-${n}`,
    slug: `bench-programme-${n}`,
    name: `Benchmark programme ${n} (synthetic)`,
    support: '',
    participants: null,
    organisation_id: null,
    description: '',
    is_demo: true,
    created_at: nowIso,
  }))
  await insertBatches(db, 'programmes', programmes)
  const priorities = Array.from({ length: 8 }, (_, i) => ({
    id: `bench-priority-${i}`,
    name: `Benchmark priority ${i}`,
    owner: 'Steering Group',
    description: '',
    created_at: nowIso,
    updated_at: nowIso,
  }))
  await insertBatches(db, 'system_priorities', priorities)

  const requests: Record<string, unknown>[] = []
  const tags: Record<string, unknown>[] = []
  const decisions: Record<string, unknown>[] = []
  const assignments: Record<string, unknown>[] = []
  const weights = STATUSES.reduce((s, [, w]) => s + w, 0)
  for (let i = 0; i < REQUESTS; i++) {
    let r = rnd() * weights
    const status = STATUSES.find(([, w]) => (r -= w) < 0)?.[0] ?? 'submitted'
    const created = now - Math.floor(rnd() * 720) * DAY
    const changed = created + Math.floor(rnd() * Math.max(1, (now - created) / DAY)) * DAY
    const start = new Date(now + Math.floor(rnd() * 200 - 20) * DAY).toISOString().slice(0, 10)
    const id = `bench-sr-${i}`
    const organisationId = pick(ORGS)
    const programmeId = rnd() < 0.5 ? null : pick(programmes).id
    const tagged = priorities.filter(() => rnd() < 0.15)
    for (const p of tagged) tags.push({ request_id: id, priority_id: p.id })
    requests.push({
      id,
      requester_id: pick(members).id,
      organisation_id: organisationId,
      programme_id: programmeId,
      title: `Benchmark request ${i}`,
      need: 'Synthetic benchmark request',
      scale: pick(SCALES),
      stakeholders: '',
      start_date: start,
      end_date: start,
      help_wanted: JSON.stringify(['facilitation']),
      aim_codes: JSON.stringify(['F2']),
      status,
      status_changed_at: new Date(changed).toISOString(),
      signpost_faculty_id: null,
      outcome: null,
      priority_override: rnd() < 0.05 ? Math.floor(rnd() * 100) : null,
      priority_override_reason: null,
      priority_count: tagged.length,
      is_demo: true,
      created_at: new Date(created).toISOString(),
      updated_at: nowIso,
    })
    decisions.push({
      id: `${id}-d0`,
      request_id: id,
      at: new Date(created).toISOString(),
      actor_id: null,
      actor_name: 'Benchmark',
      from_status: null,
      to_status: 'submitted',
      reason: '',
    })
    if (status !== 'submitted')
      decisions.push({
        id: `${id}-d1`,
        request_id: id,
        at: new Date(changed).toISOString(),
        actor_id: null,
        actor_name: 'Benchmark',
        from_status: 'triage',
        to_status: status,
        reason: 'Synthetic',
      })
    if (['accepted', 'scoping', 'in_delivery', 'closed', 'withdrawn'].includes(status)) {
      const n = 1 + Math.floor(rnd() * 2)
      const chosen = new Set<string>()
      for (let k = 0; k < n; k++) {
        const key = `${pick(coaches).id}|${pick(months)}`
        if (chosen.has(key)) continue
        chosen.add(key)
        const [coach, month] = key.split('|') as [string, string]
        assignments.push({
          id: `${id}-a${k}`,
          request_id: id,
          coach_id: coach,
          month,
          estimated_hours: 1 + Math.floor(rnd() * 8),
          actual_hours: status === 'closed' ? Math.floor(rnd() * 10) : null,
          override_reason: null,
          request_status: status,
          programme_id: programmeId,
          organisation_id: organisationId,
          created_at: nowIso,
          updated_at: nowIso,
        })
      }
    }
  }
  await insertBatches(db, 'support_requests', requests, 250)
  await insertBatches(db, 'support_request_priorities', tags)
  await insertBatches(db, 'support_request_decisions', decisions)
  await insertBatches(db, 'support_assignments', assignments)

  const cara = await db
    .selectFrom('users')
    .select('id')
    .where('email', '=', 'cara.cycle@example.invalid')
    .executeTakeFirstOrThrow()
  const events = Array.from({ length: EVENTS }, (_, i) => {
    const starts = now + (i - 40) * DAY
    return {
      id: `bench-event-${i}`,
      title: `Benchmark workshop ${i}`,
      description: '',
      format: pick(['in_person', 'virtual', 'hybrid']),
      venue: 'Synthetic venue',
      joining_details: 'Synthetic link',
      starts_at: new Date(starts).toISOString(),
      ends_at: new Date(starts + 2 * 3600_000).toISOString(),
      capacity: PER_EVENT,
      programme_id: rnd() < 0.5 ? pick(programmes).id : null,
      support_request_id: null,
      organiser_id: cara.id,
      is_demo: true,
      created_at: nowIso,
      updated_at: nowIso,
    }
  })
  await insertBatches(db, 'events', events)
  const registrations = events.flatMap((e) =>
    members.map((m, k) => ({
      id: `${e.id}-r${k}`,
      event_id: e.id,
      user_id: m.id,
      status: 'registered',
      access_needs: k % 25 === 0 ? 'Step-free access' : '',
      queued_at: nowIso,
      queue_no: k + 1,
      checked_in_at: null,
      created_at: nowIso,
      updated_at: nowIso,
    })),
  )
  await insertBatches(db, 'event_registrations', registrations, 1000)
}
