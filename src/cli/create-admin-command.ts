import { createInterface } from 'node:readline/promises'
import { hashPassword, passwordProblem } from '../auth/passwords.js'
import { newId } from '../core/ids.js'
import { writeAudit } from '../audit/service.js'
import { emailField } from '../web/forms.js'
import { openForCli, option } from './open.js'

/** Makes the first platform admin (or promotes an existing member). */
export async function run(args: string[]): Promise<number> {
  const email = emailField.safeParse(option(args, 'email') ?? '')
  const name = (option(args, 'name') ?? '').trim()
  if (!email.success) {
    process.stderr.write(
      'usage: npm run qi -- create-admin --email you@example.org --name "Your Name"\n(password from QI_ADMIN_PASSWORD, or asked for)\n',
    )
    return 2
  }
  let password = process.env.QI_ADMIN_PASSWORD ?? ''
  if (!password && process.stdin.isTTY) {
    const rl = createInterface({ input: process.stdin, output: process.stderr })
    password = await rl.question('Password for the new admin: ')
    rl.close()
  }
  const problem = passwordProblem(password, email.data)
  if (problem) {
    process.stderr.write(`${problem}\n`)
    return 2
  }
  const { database } = await openForCli()
  const { db } = database
  try {
    const now = new Date().toISOString()
    const hash = await hashPassword(password)
    const id = await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where('email', '=', email.data)
        .executeTakeFirst()
      const userId = existing?.id ?? newId()
      if (existing) {
        await trx
          .updateTable('users')
          .set({ password_hash: hash, email_verified_at: now, updated_at: now })
          .where('id', '=', userId)
          .execute()
      } else {
        await trx
          .insertInto('users')
          .values({
            id: userId,
            email: email.data,
            name: name || email.data,
            password_hash: hash,
            organisation_id: null,
            affiliation: 'other',
            search_text: (name || email.data).toLowerCase(),
            email_verified_at: now,
            org_verified_at: null,
            org_verified_by: null,
            disabled_at: null,
            created_at: now,
            updated_at: now,
          })
          .execute()
      }
      for (const role of ['member', 'platform_admin']) {
        await trx
          .insertInto('role_grants')
          .values({
            id: newId(),
            user_id: userId,
            role,
            scope_type: 'platform',
            scope_id: '',
            granted_by: null,
            created_at: now,
          })
          .onConflict((oc) => oc.columns(['user_id', 'role', 'scope_type', 'scope_id']).doNothing())
          .execute()
      }
      await writeAudit(trx, now, {
        actorId: null,
        actorLabel: 'command line',
        action: 'role.grant',
        entityType: 'user',
        entityId: userId,
        after: { role: 'platform_admin', via: 'create-admin' },
      })
      return userId
    })
    process.stdout.write(`Platform admin ready: ${email.data} (${id})\n`)
    return 0
  } finally {
    await database.destroy()
  }
}
