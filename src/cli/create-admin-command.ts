import { createInterface } from 'node:readline/promises'
import { hashPassword, passwordProblem } from '../auth/passwords.js'
import { grantPlatformRole, insertPerson } from '../people/accounts.js'
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
      let userId = existing?.id
      if (userId) {
        await trx
          .updateTable('users')
          .set({ password_hash: hash, email_verified_at: now, updated_at: now })
          .where('id', '=', userId)
          .execute()
        for (const role of ['member', 'platform_admin'] as const)
          await grantPlatformRole(trx, userId, role, now)
      } else {
        userId = await insertPerson(
          trx,
          {
            email: email.data,
            name: name || email.data,
            passwordHash: hash,
            organisationId: null,
            organisationName: null,
            affiliation: 'other',
            emailVerifiedAt: now,
            roles: ['member', 'platform_admin'],
          },
          now,
        )
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
