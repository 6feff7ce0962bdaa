import type { Transaction } from 'kysely'
import type { DB } from '../db/schema.js'
import { partnerInvolvementRow, partnerYouSaidRow } from '../db/rows.js'

const PROJECT = 'demo-project-discharge'
const DAY = 86_400_000

/**
 * The demo's partner records: one "you said, we did" on the discharge project (by its lead) and
 * one involvement entry with an expense for fay.feedback, the demo improvement partner. DEMO
 * wording only, no patient data. Loading twice adds nothing; a missing person or project is skipped.
 */
export async function loadPartnersDemo(trx: Transaction<DB>, nowIso: string): Promise<number> {
  const project = await trx.selectFrom('projects').select('id').where('id', '=', PROJECT).executeTakeFirst()
  if (!project) return 0
  const people = await trx
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email', 'in', ['ada.aimwell@example.invalid', 'fay.feedback@example.invalid'])
    .execute()
  const ada = people.find((p) => p.email.startsWith('ada.'))?.id ?? null
  const fay = people.find((p) => p.email.startsWith('fay.'))?.id
  const day = (days: number) => new Date(Date.parse(nowIso) - days * DAY).toISOString().slice(0, 10)
  let added = 0
  const said = 'demo-you-said-discharge-1'
  if (!(await trx.selectFrom('partner_you_said').select('id').where('id', '=', said).executeTakeFirst())) {
    await trx
      .insertInto('partner_you_said')
      .values(
        partnerYouSaidRow({
          id: said,
          project_id: PROJECT,
          you_said:
            'DEMO: On the day you go home, no one tells you when you will leave. The wait feels long.',
          we_did:
            'DEMO: We now tell each person at the morning board round what time they should go home. We check it at noon.',
          said_on: day(40),
          author_id: ada,
          created_at: nowIso,
        }),
      )
      .execute()
    added++
  }
  const logged = 'demo-involvement-fay-1'
  if (
    fay &&
    !(await trx.selectFrom('partner_involvement').select('id').where('id', '=', logged).executeTakeFirst())
  ) {
    await trx
      .insertInto('partner_involvement')
      .values(
        partnerInvolvementRow({
          id: logged,
          project_id: PROJECT,
          partner_id: fay,
          involved_on: day(20),
          sessions: 1,
          minutes: 90,
          what_for: 'DEMO: Team meeting to plan the next test of the discharge checklist.',
          expenses_pence: 1250,
          created_at: nowIso,
        }),
      )
      .execute()
    added++
  }
  return added
}
