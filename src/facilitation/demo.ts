import { supportRequestRow } from '../db/rows.js'
import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { londonToIso, londonToday } from '../core/dates.js'
import { monthOf, monthRange } from './capacity/months.js'

/**
 * Synthetic facilitation content for the demo: a few support requests and events, all flagged
 * is_demo and never attached to the real programmes (seed-content.md §0), and available hours
 * for the demo QI specialist. Fixed ids and ON CONFLICT DO NOTHING make loading idempotent.
 * Returns how many rows were added.
 */
export async function loadFacilitationDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const users = await trx
    .selectFrom('users')
    .select(['id', 'email', 'name', 'organisation_id'])
    .where('email', 'in', [
      'ada.aimwell@example.invalid',
      'ben.baseline@example.invalid',
      'leo.learner@example.invalid',
      'cara.cycle@example.invalid',
    ])
    .execute()
  const user = (local: string) => users.find((u) => u.email === `${local}@example.invalid`)
  const cara = user('cara.cycle')
  if (!cara) return 0
  let added = 0
  const count = (r: { numInsertedOrUpdatedRows?: bigint } | undefined) => {
    added += Number(r?.numInsertedOrUpdatedRows ?? 0)
  }
  const now = new Date(nowIso)
  const today = londonToday(now)
  const day = (offset: number) =>
    new Date(Date.parse(`${today}T12:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10)
  const months = monthRange(monthOf(now), 6)

  for (const month of months) {
    count(
      await trx
        .insertInto('coach_capacity')
        .values({ coach_id: cara.id, month, available_hours: 40, updated_at: nowIso })
        .onConflict((oc) => oc.columns(['coach_id', 'month']).doNothing())
        .executeTakeFirst(),
    )
  }

  const requests = [
    {
      id: 'demo-sr-discharge',
      who: 'ada.aimwell',
      title: 'DEMO: Process mapping for timely discharge',
      need: 'DEMO (synthetic). Our ward wants to map the discharge process with the wider team and find where delays build up.',
      scale: 'service',
      stakeholders: 'Ward team, therapy, pharmacy, discharge hub',
      start: 35,
      end: 120,
      help: ['facilitation', 'workshop_design'],
      aims: ['E1', 'L2'],
      status: 'submitted',
      reason: '',
    },
    {
      id: 'demo-sr-falls-measures',
      who: 'ben.baseline',
      title: 'DEMO: Measurement plan for community falls work',
      need: 'DEMO (synthetic). Help to choose outcome, process and balancing measures and set up run charts.',
      scale: 'team',
      stakeholders: 'Community physiotherapy team',
      start: 14,
      end: 90,
      help: ['measurement_support'],
      aims: ['L2'],
      status: 'triage',
      reason: '',
    },
    {
      id: 'demo-sr-waiting-well',
      who: 'leo.learner',
      title: 'DEMO: Coaching for a waiting-room wellbeing project',
      need: 'DEMO (synthetic). Coaching for a small practice team testing changes to the waiting room.',
      scale: 'team',
      stakeholders: 'Practice team, patient participation group',
      start: 7,
      end: 150,
      help: ['coaching'],
      aims: ['L1', 'F3'],
      status: 'accepted',
      reason: 'DEMO: fits within this month’s coaching hours.',
    },
  ] as const
  for (const r of requests) {
    const requester = user(r.who)
    if (!requester) continue
    const inserted = await trx
      .insertInto('support_requests')
      .values(
        supportRequestRow({
          id: r.id,
          requester_id: requester.id,
          organisation_id: requester.organisation_id,
          title: r.title,
          need: r.need,
          scale: r.scale,
          stakeholders: r.stakeholders,
          start_date: day(r.start),
          end_date: day(r.end),
          help_wanted: JSON.stringify(r.help),
          aim_codes: JSON.stringify(r.aims),
          status: r.status,
          is_demo: true,
          created_at: nowIso,
        }),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    if (Number(inserted?.numInsertedOrUpdatedRows ?? 0) === 0) continue
    added++
    const steps =
      r.status === 'submitted'
        ? ['submitted']
        : r.status === 'triage'
          ? ['submitted', 'triage']
          : ['submitted', 'triage', 'accepted']
    for (const [i, to] of steps.entries()) {
      await trx
        .insertInto('support_request_decisions')
        .values({
          id: `${r.id}-d${i}`,
          request_id: r.id,
          at: nowIso,
          actor_id: i === 0 ? requester.id : cara.id,
          actor_name: i === 0 ? requester.name : cara.name,
          from_status: i === 0 ? null : steps[i - 1],
          to_status: to,
          reason: to === 'accepted' ? r.reason : '',
        })
        .execute()
    }
    if (r.status === 'accepted') {
      await trx
        .insertInto('support_assignments')
        .values({
          id: `${r.id}-a0`,
          request_id: r.id,
          coach_id: cara.id,
          month: months[0],
          request_status: 'accepted',
          programme_id: null,
          organisation_id: requester.organisation_id,
          estimated_hours: 8,
          actual_hours: null,
          override_reason: null,
          created_at: nowIso,
          updated_at: nowIso,
        })
        .execute()
    }
  }

  const events = [
    {
      id: 'demo-event-process-mapping',
      title: 'DEMO: Process mapping taster workshop',
      description:
        'DEMO (synthetic). A hands-on introduction to process mapping with sticky notes and real examples.',
      format: 'in_person',
      venue: 'Demo venue, Gloucester (fictional)',
      joining: '',
      offset: 21,
      start: '10:00',
      end: '12:30',
      capacity: 20,
    },
    {
      id: 'demo-event-data-webinar',
      title: 'DEMO: Making data count webinar',
      description: 'DEMO (synthetic). Run charts and SPC for improvement teams.',
      format: 'virtual',
      venue: '',
      joining: 'DEMO: a video call link is sent to registered people.',
      offset: 35,
      start: '13:00',
      end: '14:00',
      capacity: 200,
    },
    {
      id: 'demo-event-huddle',
      title: 'DEMO: Improvement huddle (past)',
      description: 'DEMO (synthetic). Teams shared their latest PDSA cycles.',
      format: 'hybrid',
      venue: 'Demo venue, Cheltenham (fictional)',
      joining: 'DEMO: link sent by e-mail.',
      offset: -10,
      start: '15:00',
      end: '16:00',
      capacity: 30,
    },
  ] as const
  for (const e of events) {
    const inserted = await trx
      .insertInto('events')
      .values({
        id: e.id,
        title: e.title,
        description: e.description,
        format: e.format,
        venue: e.venue,
        joining_details: e.joining,
        starts_at: londonToIso(day(e.offset), e.start),
        ends_at: londonToIso(day(e.offset), e.end),
        capacity: e.capacity,
        programme_id: null,
        support_request_id: null,
        organiser_id: cara.id,
        is_demo: true,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst()
    if (Number(inserted?.numInsertedOrUpdatedRows ?? 0) === 0) continue
    added++
    if (e.offset < 0) {
      for (const [n, who] of (['ada.aimwell', 'ben.baseline'] as const).entries()) {
        const u = user(who)
        if (!u) continue
        const queuedAt = new Date(now.getTime() - 20 * 86_400_000).toISOString()
        await trx
          .insertInto('event_registrations')
          .values({
            id: `${e.id}-${who}`,
            event_id: e.id,
            user_id: u.id,
            status: 'registered',
            access_needs: '',
            queued_at: queuedAt,
            queue_no: n + 1,
            checked_in_at: londonToIso(day(e.offset), e.start),
            created_at: queuedAt,
            updated_at: queuedAt,
          })
          .execute()
      }
      const ada = user('ada.aimwell')
      if (ada)
        await trx
          .insertInto('event_feedback')
          .values({
            id: `${e.id}-feedback-ada`,
            event_id: e.id,
            user_id: ada.id,
            rating: 5,
            went_well: 'DEMO: hearing how other teams ran their PDSA cycles.',
            even_better: 'DEMO: more time for questions.',
            created_at: nowIso,
          })
          .execute()
    }
  }
  return added
}
