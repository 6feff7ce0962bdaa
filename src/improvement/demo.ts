import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { SUSTAINABILITY_FACTORS } from './tools/definitions.js'

/**
 * Demo content for the synthetic discharge project (DEMO, seed-data.ts): a driver
 * diagram, two PDSA cycles linked by "adapt" and marked on its measure, and three QI
 * tools. Fixed ids and "on conflict do nothing", so loading twice adds nothing; skipped
 * when the demo project is not there. Returns how many things were added.
 */
export async function loadImprovementDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const projectId = 'demo-project-discharge'
  const project = await trx
    .selectFrom('projects')
    .select('created_by')
    .where('id', '=', projectId)
    .executeTakeFirst()
  if (!project) return 0
  const existing = await trx
    .selectFrom('drivers')
    .select('id')
    .where('id', '=', 'demo-driver-senior-review')
    .executeTakeFirst()
  if (existing) return 0
  const by = project.created_by
  const now = Date.parse(nowIso)
  const day = (daysAgo: number) => new Date(now - daysAgo * 86_400_000).toISOString().slice(0, 10)
  const stamp = { created_by: by, created_at: nowIso, updated_at: nowIso }

  const drivers = [
    {
      id: 'demo-driver-senior-review',
      kind: 'primary',
      title: 'Timely senior review and decision to discharge',
      position: 1,
    },
    {
      id: 'demo-driver-ready-early',
      kind: 'primary',
      title: 'Everything ready for the patient to leave in the morning',
      position: 2,
    },
    {
      id: 'demo-driver-board-round',
      kind: 'secondary',
      title: 'Morning board round before 10am',
      position: 1,
    },
    {
      id: 'demo-driver-medicines',
      kind: 'secondary',
      title: 'Medicines to take home ready the day before',
      position: 2,
    },
    {
      id: 'demo-driver-transport',
      kind: 'secondary',
      title: 'Transport booked for the morning',
      position: 3,
    },
  ]
  await trx
    .insertInto('drivers')
    .values(drivers.map((d) => ({ ...d, project_id: projectId, ...stamp })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  await trx
    .insertInto('driver_parents')
    .values([
      { secondary_id: 'demo-driver-board-round', primary_id: 'demo-driver-senior-review' },
      { secondary_id: 'demo-driver-board-round', primary_id: 'demo-driver-ready-early' },
      { secondary_id: 'demo-driver-medicines', primary_id: 'demo-driver-ready-early' },
      { secondary_id: 'demo-driver-transport', primary_id: 'demo-driver-ready-early' },
    ])
    .onConflict((oc) => oc.columns(['secondary_id', 'primary_id']).doNothing())
    .execute()

  const ideas = [
    {
      id: 'demo-idea-board-round',
      title: 'Board round with pharmacy and transport at 9am',
      status: 'adopted',
      position: 1,
      drivers: ['demo-driver-board-round'],
    },
    {
      id: 'demo-idea-ttos',
      title: 'Write discharge medicines the afternoon before',
      status: 'testing',
      position: 2,
      drivers: ['demo-driver-medicines'],
    },
    {
      id: 'demo-idea-lounge',
      title: 'Discharge lounge from 8am',
      status: 'idea',
      position: 3,
      drivers: ['demo-driver-ready-early'],
    },
  ]
  await trx
    .insertInto('change_ideas')
    .values(
      ideas.map(({ drivers: _drivers, ...i }) => ({
        ...i,
        project_id: projectId,
        description: 'DEMO (synthetic).',
        ...stamp,
      })),
    )
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  await trx
    .insertInto('change_idea_drivers')
    .values(ideas.flatMap((i) => i.drivers.map((d) => ({ change_idea_id: i.id, driver_id: d }))))
    .onConflict((oc) => oc.columns(['change_idea_id', 'driver_id']).doNothing())
    .execute()

  const plan = {
    objective: 'DEMO: Does a 9am board round with pharmacy and transport bring discharges forward?',
    plan_who: 'Ward 3 consultant, nurse in charge, pharmacist, transport coordinator',
    plan_what: 'A 15-minute board round at 9am on weekdays',
    plan_when: 'Weekdays for two weeks',
    plan_where: 'Ward 3',
    data_to_collect: 'Discharges before noon each day (count and percentage)',
    do_end: null as string | null,
    planned_date: null as string | null,
    ...stamp,
  }
  await trx
    .insertInto('pdsa_cycles')
    .values([
      {
        ...plan,
        id: 'demo-pdsa-board-round-1',
        project_id: projectId,
        change_idea_id: 'demo-idea-board-round',
        previous_id: null,
        title: 'Board round on weekdays for two weeks',
        status: 'closed',
        prediction: 'A quarter of discharges will be before noon (from 15%).',
        do_start: day(160),
        do_end: day(146),
        do_notes: 'DEMO: Held on 8 of 10 days; transport could not attend on Mondays.',
        findings: 'DEMO: 21% before noon. Better, but transport bookings still came late.',
        prediction_met: 'partly',
        decision: 'adapt',
        decision_reason: 'DEMO: Keep the round; ask transport to join by phone every day.',
        decided_at: new Date(now - 145 * 86_400_000).toISOString(),
        closed_at: new Date(now - 145 * 86_400_000).toISOString(),
      },
      {
        ...plan,
        id: 'demo-pdsa-board-round-2',
        project_id: projectId,
        change_idea_id: 'demo-idea-board-round',
        previous_id: 'demo-pdsa-board-round-1',
        title: 'Board round on weekdays for two weeks (cycle 2)',
        status: 'decided',
        prediction: 'With transport on the phone, 30% of discharges will be before noon.',
        do_start: day(130),
        do_end: day(116),
        do_notes: 'DEMO: Transport joined by phone on every day.',
        findings: 'DEMO: 32% before noon, and no late transport.',
        prediction_met: 'yes',
        decision: 'adopt',
        decision_reason: 'DEMO: Make the 9am board round standard on Ward 3.',
        decided_at: new Date(now - 115 * 86_400_000).toISOString(),
        closed_at: null,
      },
      {
        ...plan,
        id: 'demo-pdsa-ttos-1',
        project_id: projectId,
        change_idea_id: 'demo-idea-ttos',
        previous_id: null,
        title: 'Medicines written the afternoon before, one bay',
        status: 'planned',
        objective: 'DEMO: Can doctors write discharge medicines the afternoon before for planned discharges?',
        prediction: 'Medicines will be ready by 10am for 8 in 10 planned discharges.',
        planned_date: day(-14),
        do_start: null,
        do_notes: '',
        findings: '',
        prediction_met: null,
        decision: null,
        decision_reason: '',
        decided_at: null,
        closed_at: null,
      },
    ])
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  const measure = await trx
    .selectFrom('measures')
    .select('id')
    .where('id', '=', 'demo-measure-discharge-noon')
    .executeTakeFirst()
  if (measure) {
    await trx
      .insertInto('pdsa_measures')
      .values(
        ['demo-pdsa-board-round-1', 'demo-pdsa-board-round-2', 'demo-pdsa-ttos-1'].map((pdsa_id) => ({
          pdsa_id,
          measure_id: measure.id,
        })),
      )
      .onConflict((oc) => oc.columns(['pdsa_id', 'measure_id']).doNothing())
      .execute()
  }

  const item = (id: string, fields: Record<string, unknown>) => ({ id, rev: 1, ...fields })
  const tools = [
    {
      id: 'demo-tool-fishbone',
      type: 'fishbone',
      title: 'Why discharges happen late in the day',
      data: {
        headRev: 1,
        head: { problem: 'Most discharges from Ward 3 happen after 3pm', whys: [], rootCause: '', scope: '' },
        items: [
          item('demo-fb-people', { kind: 'category', name: 'People' }),
          item('demo-fb-process', { kind: 'category', name: 'Processes' }),
          item('demo-fb-equipment', { kind: 'category', name: 'Equipment' }),
          item('demo-fb-env', { kind: 'category', name: 'Environment' }),
          item('demo-fb-c1', {
            kind: 'cause',
            categoryId: 'demo-fb-people',
            text: 'Senior review late in the morning',
          }),
          item('demo-fb-c2', {
            kind: 'cause',
            categoryId: 'demo-fb-process',
            text: 'Medicines to take home written on the day',
          }),
          item('demo-fb-c3', {
            kind: 'cause',
            categoryId: 'demo-fb-process',
            text: 'Transport booked after the decision to discharge',
          }),
          item('demo-fb-c4', {
            kind: 'cause',
            categoryId: 'demo-fb-equipment',
            text: 'Shared computer for discharge letters',
          }),
          item('demo-fb-c5', {
            kind: 'cause',
            categoryId: 'demo-fb-env',
            text: 'No space to wait once ready',
          }),
        ],
      },
    },
    {
      id: 'demo-tool-stakeholders',
      type: 'stakeholders',
      title: 'Who the discharge work affects',
      data: {
        headRev: 1,
        head: { problem: '', whys: [], rootCause: '', scope: '' },
        items: [
          item('demo-sh-1', {
            kind: 'stakeholder',
            name: 'Ward 3 matron',
            group: 'Nursing',
            interest: 5,
            influence: 4,
            notes: '',
          }),
          item('demo-sh-2', {
            kind: 'stakeholder',
            name: 'Divisional director',
            group: 'Executive',
            interest: 2,
            influence: 5,
            notes: '',
          }),
          item('demo-sh-3', {
            kind: 'stakeholder',
            name: 'Patients and carers',
            group: 'Patients',
            interest: 5,
            influence: 2,
            notes: 'Via the patient panel',
          }),
          item('demo-sh-4', {
            kind: 'stakeholder',
            name: 'Transport provider',
            group: 'External',
            interest: 2,
            influence: 2,
            notes: '',
          }),
        ],
      },
    },
    {
      id: 'demo-tool-sustainability',
      type: 'sustainability',
      title: 'Sustainability at handover',
      data: {
        headRev: 1,
        head: { problem: '', whys: [], rootCause: '', scope: '' },
        items: [
          item('demo-sm-1', {
            kind: 'scoring',
            date: day(20),
            scoredBy: 'DEMO project team',
            note: 'DEMO: senior leadership engagement is the weakest factor.',
            scores: Object.fromEntries(
              SUSTAINABILITY_FACTORS.map((f, i) => [f.key, [3, 4, 3, 3, 3, 3, 2, 3, 3, 2][i]]),
            ),
          }),
        ],
      },
    },
    {
      id: 'demo-tool-five-whys',
      type: 'five_whys',
      title: 'Why medicines to take home are late',
      data: {
        headRev: 1,
        head: {
          problem: 'Medicines to take home are ready after 2pm',
          whys: [
            'They are written on the day of discharge',
            'Doctors write them after the ward round',
            'The ward round finishes late',
            '',
            '',
          ],
          rootCause: 'Discharge is not planned from admission',
          scope: '',
        },
        items: [],
      },
    },
    {
      id: 'demo-tool-process-map',
      type: 'process_map',
      title: 'From decision to discharge to leaving the ward',
      data: {
        headRev: 1,
        head: {
          problem: '',
          whys: [],
          rootCause: '',
          scope: 'From the decision to discharge to the patient leaving Ward 3',
        },
        items: [
          item('demo-pm-1', {
            kind: 'step',
            label: 'Consultant decides the patient can go home',
            stepKind: 'step',
            value: 'value',
            lane: 'Consultant',
          }),
          item('demo-pm-2', {
            kind: 'step',
            label: 'Medicines to take home written',
            stepKind: 'step',
            value: 'value',
            lane: 'Junior doctor',
          }),
          item('demo-pm-3', {
            kind: 'step',
            label: 'Wait for pharmacy check',
            stepKind: 'step',
            value: 'waste',
            lane: 'Pharmacy',
          }),
          item('demo-pm-4', {
            kind: 'step',
            label: 'Transport needed?',
            stepKind: 'decision',
            value: 'value',
            lane: 'Nurse in charge',
          }),
          item('demo-pm-5', {
            kind: 'step',
            label: 'Book transport and wait',
            stepKind: 'handoff',
            value: 'waste',
            lane: 'Transport',
          }),
        ],
      },
    },
  ]
  await trx
    .insertInto('project_tools')
    .values(tools.map((t) => ({ ...t, data: JSON.stringify(t.data), project_id: projectId, ...stamp })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
  return drivers.length + ideas.length + 3 + tools.length
}
