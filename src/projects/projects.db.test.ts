import { projectActivityRow, projectRow } from '../db/rows.js'
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { errorSummary, h1, startTestApp, TestBrowser, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { insertProject } from './fixtures.js'

for (const { dialect, skip } of await testDialects()) {
  describe(`project pages and forms on ${dialect}`, { skip }, () => {
    let t: TestApp
    const ids: Record<string, string> = {}
    const browsers: Record<string, TestBrowser> = {}

    before(async () => {
      t = await startTestApp(dialect)
      for (const u of await t.db.database.db.selectFrom('users').select(['id', 'email']).execute())
        ids[u.email.split('@')[0].split('.')[0]] = u.id
      for (const who of ['ada', 'ben', 'cara', 'leo', 'fay', 'ivy']) {
        const b = new TestBrowser(t.app)
        await b.signIn(
          `${who === 'ada' ? 'ada.aimwell' : who === 'ben' ? 'ben.baseline' : who === 'cara' ? 'cara.cycle' : who === 'leo' ? 'leo.learner' : who === 'fay' ? 'fay.feedback' : 'ivy.infogov'}@example.invalid`,
        )
        await b.get('/projects')
        browsers[who] = b
      }
    })

    after(async () => {
      await t?.close()
    })

    const db = () => t.db.database.db
    const project = (id: string) =>
      db().selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    const outbox = (kind: string) =>
      db()
        .selectFrom('mail_outbox')
        .select(['to_address', 'subject', 'text_body'])
        .where('kind', '=', kind)
        .orderBy('id')
        .execute()
    /** A project led by Ada, Ben a member; team-visible and active unless said otherwise. */
    const adaProject = (o: { title?: string; status?: string; visibility?: string } = {}) =>
      insertProject(db(), {
        title: o.title ?? 'Ada project',
        createdBy: ids.ada,
        status: o.status ?? 'active',
        visibility: o.visibility ?? 'team',
        organisationIds: ['org-ghft'],
        members: [
          { userId: ids.ada, role: 'lead' },
          { userId: ids.ben, role: 'member' },
        ],
      })

    describe('starting a project', () => {
      test('starts a private draft with the creator as its lead, audited and on the timeline', async () => {
        const ada = browsers.ada
        let res = await ada.get('/projects/new')
        assert.equal(h1(res.body), 'Start a project')
        assert.match(res.body, /value="org-ghft" checked/, "the creator's organisation is ticked")
        res = await ada.post('/projects', {
          title: 'Shorter waits in clinic',
          problem: 'Patients wait an hour',
          organisationIds: ['org-ghft', 'org-ghc'],
        })
        assert.equal(res.statusCode, 303)
        const id = String(res.headers.location).split('/').pop()!
        const row = await project(id)
        assert.equal(row.status, 'draft')
        assert.equal(row.visibility, 'private')
        const members = await db()
          .selectFrom('project_members')
          .select(['user_id', 'role'])
          .where('project_id', '=', id)
          .execute()
        assert.deepEqual(members, [{ user_id: ids.ada, role: 'lead' }])
        const orgs = await db()
          .selectFrom('project_organisations')
          .select('organisation_id')
          .where('project_id', '=', id)
          .orderBy('organisation_id')
          .execute()
        assert.deepEqual(
          orgs.map((o) => o.organisation_id),
          ['org-ghc', 'org-ghft'],
        )
        assert.equal(
          (await db().selectFrom('audit_log').select('action').where('entity_id', '=', id).execute())[0]
            .action,
          'project.create',
        )
        res = await ada.get(`/projects/${id}`)
        assert.equal(h1(res.body), 'Shorter waits in clinic')
        assert.match(res.body, /Started the project as a private draft/)
        res = await browsers.ben.get(`/projects/${id}`)
        assert.equal(res.statusCode, 404, 'a private draft is hidden from others')
      })

      test('bad input re-renders the form with the error summary and creates nothing', async () => {
        const before = (await db().selectFrom('projects').select('id').execute()).length
        let res = await browsers.ada.post('/projects', { title: '', problem: '' })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), [
          'Enter a project title',
          'Select at least one organisation',
        ])
        res = await browsers.ada.post('/projects', { title: 'Tiny', organisationIds: 'org-nowhere' })
        assert.deepEqual(errorSummary(res.body), ['Project title must be 5 characters or more'])
        res = await browsers.ada.post('/projects', { title: 'A real title', organisationIds: 'org-nowhere' })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), ['Select organisations from the list'])
        assert.match(res.body, /value="A real title"/, 'what was typed is kept')
        assert.equal((await db().selectFrom('projects').select('id').execute()).length, before)
      })

      test('anonymous visitors are asked to sign in', async () => {
        const res = await new TestBrowser(t.app).get('/projects/new')
        assert.equal(res.statusCode, 303)
        assert.match(String(res.headers.location), /^\/sign-in/)
      })
    })

    describe('details', () => {
      test('saves title, problem, organisations, programme, priorities, aim codes and QSIR stage', async () => {
        const id = await adaProject({ title: 'Details project' })
        const priority = await db().selectFrom('system_priorities').select('id').executeTakeFirst()
        let res = await browsers.ben.get(`/projects/${id}/edit`)
        assert.equal(res.statusCode, 200, 'team members edit content')
        res = await browsers.ben.post(`/projects/${id}/edit`, {
          title: 'Details project renamed',
          problem: 'A clearer problem',
          organisationIds: ['org-ghft', 'org-icb'],
          programmeId: 'prog-virtual-ward',
          priorityIds: priority ? [priority.id] : [],
          aimCodes: ['E1', 'F3'],
          qsirStage: 'design_plan',
          version: '1',
        })
        assert.equal(res.statusCode, 303)
        const row = await project(id)
        assert.equal(row.title, 'Details project renamed')
        assert.equal(row.programme_id, 'prog-virtual-ward')
        assert.equal(row.qsir_stage, 'design_plan')
        assert.equal(row.version, 2)
        const codes = await db()
          .selectFrom('project_aim_codes')
          .select('aim_code')
          .where('project_id', '=', id)
          .orderBy('aim_code')
          .execute()
        assert.deepEqual(
          codes.map((c) => c.aim_code),
          ['E1', 'F3'],
        )
        res = await browsers.ben.get(`/projects/${id}`)
        assert.match(res.body, /Design and plan/)
        assert.match(res.body, /E1, F3/)
      })

      test('bad input is refused with the error summary', async () => {
        const id = await adaProject()
        let res = await browsers.ada.post(`/projects/${id}/edit`, {
          title: 'Good title',
          organisationIds: 'org-ghft',
          qsirStage: 'flying',
          version: '1',
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), ['Select the QSIR stage'])
        res = await browsers.ada.post(`/projects/${id}/edit`, {
          title: 'Good title',
          organisationIds: 'org-ghft',
          qsirStage: 'implement',
          programmeId: 'prog-nope',
          version: '1',
        })
        assert.deepEqual(errorSummary(res.body), ['Select a programme from the list'])
        res = await browsers.ada.post(`/projects/${id}/edit`, {
          title: 'Good title',
          organisationIds: 'org-ghft',
          qsirStage: 'implement',
          aimCodes: 'Z9',
          version: '1',
        })
        assert.deepEqual(errorSummary(res.body), ['Select aims from the list'])
        assert.equal((await project(id)).version, 1)
      })

      test('the second of two edits made from the same version is refused, never a silent overwrite', async () => {
        const id = await adaProject({ title: 'Two editors' })
        const form = (problem: string) => ({
          title: 'Two editors',
          problem,
          organisationIds: 'org-ghft',
          qsirStage: 'start_out',
          version: '1',
        })
        const first = await browsers.ada.post(`/projects/${id}/edit`, form('Ada wrote this'))
        assert.equal(first.statusCode, 303)
        const second = await browsers.ben.post(`/projects/${id}/edit`, form('Ben wrote this'))
        assert.equal(second.statusCode, 409)
        assert.match(
          errorSummary(second.body)[0],
          /Someone else changed this project after you opened this page/,
        )
        assert.match(second.body, /Ben wrote this/, "Ben's text is kept on the page")
        assert.equal((await project(id)).problem, 'Ada wrote this')
      })
    })

    describe('the team', () => {
      test('the lead adds people by e-mail (who are e-mailed) and from the directory, changes roles and removes them', async () => {
        const id = await adaProject({ title: 'Team project' })
        const ada = browsers.ada
        let res = await ada.submit(`/projects/${id}/team`, `/projects/${id}/team`, {
          email: 'FAY.feedback@example.invalid',
          role: 'member',
          version: '1',
        })
        assert.equal(res.statusCode, 303)
        const mail = (await outbox('project_team_added')).filter(
          (m) => m.to_address === 'fay.feedback@example.invalid',
        )
        assert.equal(mail.length, 1)
        assert.match(mail[0].text_body, /Team project/)
        res = await ada.get(`/projects/${id}/team?q=Cara`)
        assert.match(res.body, /name="userId" value="[^"]+"/)
        res = await ada.post(`/projects/${id}/team`, { userId: ids.cara, role: 'member', version: '2' })
        assert.equal(res.statusCode, 303)
        res = await ada.post(`/projects/${id}/team/${ids.cara}/role`, { role: 'coach', version: '3' })
        assert.equal(res.statusCode, 303)
        res = await ada.get(`/projects/${id}/team`)
        assert.match(res.body, /Fay Feedback \(DEMO\)/)
        res = await ada.post(`/projects/${id}/team/${ids.fay}/remove`, { version: '4' })
        assert.equal(res.statusCode, 303)
        const team = await db()
          .selectFrom('project_members')
          .select(['user_id', 'role'])
          .where('project_id', '=', id)
          .execute()
        assert.deepEqual(
          team
            .map(
              (m) =>
                `${m.user_id === ids.cara ? 'cara' : m.user_id === ids.ada ? 'ada' : m.user_id === ids.ben ? 'ben' : '?'}:${m.role}`,
            )
            .sort(),
          ['ada:lead', 'ben:member', 'cara:coach'],
        )
        const activity = await db()
          .selectFrom('project_activity')
          .select('kind')
          .where('project_id', '=', id)
          .execute()
        assert.deepEqual(activity.map((a) => a.kind).sort(), [
          'project.team_add',
          'project.team_add',
          'project.team_remove',
          'project.team_role',
        ])
      })

      test('bad input: unknown e-mail, someone already on the team, nothing entered', async () => {
        const id = await adaProject()
        let res = await browsers.ada.submit(`/projects/${id}/team`, `/projects/${id}/team`, {
          email: 'nobody@example.invalid',
          role: 'member',
          version: '1',
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), [
          'No member has that e-mail address. Ask them to join the community first, then add them',
        ])
        res = await browsers.ada.post(`/projects/${id}/team`, {
          email: 'ben.baseline@example.invalid',
          role: 'member',
          version: '1',
        })
        assert.deepEqual(errorSummary(res.body), ['Ben Baseline (DEMO) is already on the team'])
        res = await browsers.ada.post(`/projects/${id}/team`, { email: '', role: 'member', version: '1' })
        assert.deepEqual(errorSummary(res.body), [
          'Enter the e-mail address of a member, or choose someone from the directory',
        ])
        res = await browsers.ada.post(`/projects/${id}/team`, {
          email: 'not an address',
          role: 'boss',
          version: '1',
        })
        assert.deepEqual(errorSummary(res.body), [
          'Enter an e-mail address in the correct format, like name@example.com',
          'Select a role on the team',
        ])
      })

      test('there is always at least one lead', async () => {
        const id = await adaProject()
        let res = await browsers.ada.post(`/projects/${id}/team/${ids.ada}/role`, {
          role: 'member',
          version: '1',
        })
        assert.equal(res.statusCode, 400)
        assert.match(res.body, /A project must always have at least one lead/)
        res = await browsers.ada.post(`/projects/${id}/team/${ids.ada}/remove`, { version: '1' })
        assert.equal(res.statusCode, 400)
        res = await browsers.ada.post(`/projects/${id}/team/${ids.ben}/role`, { role: 'lead', version: '1' })
        assert.equal(res.statusCode, 303)
        res = await browsers.ada.post(`/projects/${id}/team/${ids.ada}/remove`, { version: '2' })
        assert.equal(res.statusCode, 303, 'with another lead, the first may leave')
        res = await browsers.ada.get(`/projects/${id}/team`)
        assert.equal(res.statusCode, 404, 'and then no longer sees a team-only project')
      })

      test('team members who are not leads cannot change the team', async () => {
        const id = await adaProject()
        const res = await browsers.ben.post(`/projects/${id}/team`, {
          email: 'leo.learner@example.invalid',
          role: 'member',
          version: '1',
        })
        assert.equal(res.statusCode, 403)
        assert.equal(
          (await db().selectFrom('project_members').select('user_id').where('project_id', '=', id).execute())
            .length,
          2,
        )
      })

      test('a team change made from an old page is refused', async () => {
        const id = await adaProject()
        await browsers.ada.post(`/projects/${id}/team`, {
          email: 'leo.learner@example.invalid',
          role: 'member',
          version: '1',
        })
        const res = await browsers.ada.post(`/projects/${id}/team`, {
          email: 'fay.feedback@example.invalid',
          role: 'member',
          version: '1',
        })
        assert.equal(res.statusCode, 409)
      })
    })

    describe('visibility and publication', () => {
      test('narrowing takes effect at once; public waits for a coach and a consent confirmation', async () => {
        const id = await adaProject({ title: 'Going public', visibility: 'team' })
        const anon = new TestBrowser(t.app)
        let res = await browsers.ada.submit(`/projects/${id}/visibility`, `/projects/${id}/visibility`, {
          visibility: 'public',
          version: '1',
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), [
          'Confirm that everyone quoted or shown in pictures has agreed to it being public',
        ])
        res = await browsers.ada.post(`/projects/${id}/visibility`, {
          visibility: 'public',
          consent: 'on',
          version: '1',
        })
        assert.equal(res.statusCode, 303)
        let row = await project(id)
        assert.equal(row.visibility, 'public')
        assert.equal(row.public_approved_at, null)
        assert.ok(row.public_consent_at)
        assert.equal((await anon.get(`/projects/${id}`)).statusCode, 303, 'not public until approved')
        assert.equal(
          (await browsers.leo.get(`/projects/${id}`)).statusCode,
          200,
          'community members see it meanwhile',
        )
        assert.ok(
          (await outbox('project_publication_request')).some(
            (m) => m.to_address === 'cara.cycle@example.invalid',
          ),
        )

        res = await browsers.cara.get('/projects/review')
        assert.match(res.body, /Going public/)
        res = await browsers.cara.get(`/projects/${id}/publication`)
        assert.equal(h1(res.body), 'Make the project public?')
        res = await browsers.cara.post(`/projects/${id}/publication`, { decision: '', version: '2' })
        assert.deepEqual(errorSummary(res.body), ['Select whether to approve publication'])
        res = await browsers.cara.post(`/projects/${id}/publication`, { decision: 'approve', version: '2' })
        assert.equal(res.statusCode, 303)
        row = await project(id)
        assert.ok(row.public_approved_at)
        assert.equal((await anon.get(`/projects/${id}`)).statusCode, 200)
        assert.equal((await anon.get('/projects?q=going+public')).body.includes(`/projects/${id}"`), true)

        res = await browsers.ada.post(`/projects/${id}/visibility`, { visibility: 'team', version: '3' })
        assert.equal(res.statusCode, 303)
        assert.equal((await anon.get(`/projects/${id}`)).statusCode, 303, 'narrowing takes effect at once')
        assert.equal((await browsers.leo.get(`/projects/${id}`)).statusCode, 404)
        assert.equal((await project(id)).public_approved_at, null, 'going public again needs a new approval')
      })

      test('a draft cannot ask to be public, and only leads change visibility', async () => {
        const id = await adaProject({ status: 'draft' })
        let res = await browsers.ada.submit(`/projects/${id}/visibility`, `/projects/${id}/visibility`, {
          visibility: 'public',
          consent: 'on',
          version: '1',
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), [
          'A project can be made public once a coach or the Steering Group has registered it',
        ])
        res = await browsers.ben.post(`/projects/${id}/visibility`, { visibility: 'community', version: '1' })
        assert.equal(res.statusCode, 403)
        res = await browsers.ada.post(`/projects/${id}/visibility`, { visibility: 'everyone', version: '1' })
        assert.deepEqual(errorSummary(res.body), ['Select who can see the project'])
      })

      test('declining publication keeps the project visible to the community, and the leads are told', async () => {
        const id = await adaProject({ title: 'Decline me' })
        await browsers.ada.post(`/projects/${id}/visibility`, {
          visibility: 'public',
          consent: 'on',
          version: '1',
        })
        const res = await browsers.cara.submit(`/projects/${id}/publication`, `/projects/${id}/publication`, {
          decision: 'decline',
          note: 'Remove the photo first',
          version: '2',
        })
        assert.equal(res.statusCode, 303)
        assert.equal((await project(id)).visibility, 'community')
        const mail = (await outbox('project_publication_decision')).filter((m) =>
          m.subject.includes('Decline me'),
        )
        assert.equal(mail[0].to_address, 'ada.aimwell@example.invalid')
        assert.match(mail[0].text_body, /Remove the photo first/)
        assert.equal(
          (await browsers.ben.post(`/projects/${id}/publication`, { decision: 'approve', version: '3' }))
            .statusCode,
          403,
        )
      })
    })

    describe('the SMART aim', () => {
      test('previews the statement, then keeps every saved version', async () => {
        const id = await adaProject({ title: 'Aim project' })
        const parts = {
          what: 'Increase',
          measure: 'the percentage of patients discharged before noon',
          baseline: '15%',
          target: '40%',
          forWhom: 'patients on Ward 3',
          byWhen: '31 March 2027',
          aimVersion: '0',
        }
        let res = await browsers.ben.submit(`/projects/${id}/aim`, `/projects/${id}/aim`, {
          ...parts,
          intent: 'preview',
        })
        assert.equal(res.statusCode, 200)
        assert.match(
          res.body,
          /Increase the percentage of patients discharged before noon from 15% to 40% for patients on Ward 3 by 31 March 2027\./,
        )
        assert.equal(
          (await db().selectFrom('project_aims').select('id').where('project_id', '=', id).execute()).length,
          0,
          'a preview saves nothing',
        )
        res = await browsers.ben.post(`/projects/${id}/aim`, { ...parts, intent: 'save' })
        assert.equal(res.statusCode, 303)
        res = await browsers.ada.post(`/projects/${id}/aim`, {
          ...parts,
          target: '50%',
          aimVersion: '1',
          intent: 'save',
        })
        assert.equal(res.statusCode, 303)
        res = await browsers.ada.get(`/projects/${id}/aim/history`)
        assert.match(res.body, /Version 2 \(current\)/)
        assert.match(res.body, /to 50% for patients/)
        assert.match(res.body, /to 40% for patients/)
        res = await browsers.ada.get(`/projects/${id}`)
        assert.match(res.body, /to 50% for patients on Ward 3 by 31 March 2027/)
        res = await browsers.ada.get('/projects?q=discharged+noon')
        assert.ok(res.body.includes(`/projects/${id}"`), 'the aim is searchable')
      })

      test('bad input and a clash between two writers', async () => {
        const id = await adaProject()
        let res = await browsers.ada.submit(`/projects/${id}/aim`, `/projects/${id}/aim`, {
          what: '',
          measure: 'waits',
          target: '',
          forWhom: 'patients',
          byWhen: 'soon',
          aimVersion: '0',
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), [
          'Enter what you want to improve',
          'Enter how much (the target)',
          'Enter by when, including the year, for example 31 March 2027',
        ])
        const parts = {
          what: 'Reduce',
          measure: 'waits',
          target: '10%',
          forWhom: 'patients',
          byWhen: 'June 2027',
          aimVersion: '0',
        }
        assert.equal((await browsers.ada.post(`/projects/${id}/aim`, parts)).statusCode, 303)
        res = await browsers.ben.post(`/projects/${id}/aim`, { ...parts, target: '5%' })
        assert.equal(res.statusCode, 409)
        assert.match(errorSummary(res.body)[0], /Someone else changed this project/)
        const aims = await db()
          .selectFrom('project_aims')
          .select('target')
          .where('project_id', '=', id)
          .execute()
        assert.deepEqual(
          aims.map((a) => a.target),
          ['10%'],
        )
      })
    })

    describe('progress score and the QI-or-research check', () => {
      test('the lead sets the progress score; its history is kept', async () => {
        const id = await adaProject()
        let res = await browsers.ada.submit(`/projects/${id}/progress`, `/projects/${id}/progress`, {
          score: '2.5',
          note: 'First tests',
          version: '1',
        })
        assert.equal(res.statusCode, 303)
        res = await browsers.ada.post(`/projects/${id}/progress`, {
          score: '3.0',
          note: 'Better',
          version: '2',
        })
        assert.equal(res.statusCode, 303)
        assert.equal(Number((await project(id)).progress_score), 3)
        res = await browsers.ada.get(`/projects/${id}/progress`)
        assert.match(res.body, /3\.0: Modest improvement/)
        assert.match(res.body, /First tests/)
        const scores = await db()
          .selectFrom('project_progress_scores')
          .select('score')
          .where('project_id', '=', id)
          .execute()
        assert.deepEqual(scores.map((s) => Number(s.score)).sort(), [2.5, 3])
      })

      test('refuses scores off the IHI scale, and people who are not leads', async () => {
        const id = await adaProject()
        for (const score of ['5.5', '0.7', 'lots', '']) {
          const res = await browsers.ada.submit(`/projects/${id}/progress`, `/projects/${id}/progress`, {
            score,
            version: '1',
          })
          assert.equal(res.statusCode, 400, score)
          assert.deepEqual(errorSummary(res.body), ['Select a progress score'])
        }
        assert.equal(
          (await browsers.ben.post(`/projects/${id}/progress`, { score: '1.0', version: '1' })).statusCode,
          403,
        )
      })

      test('records the HRA answer; research shows a warning that it must go to R&D', async () => {
        const id = await adaProject()
        let res = await browsers.ben.submit(`/projects/${id}/research`, `/projects/${id}/research`, {
          version: '1',
        })
        assert.deepEqual(errorSummary(res.body), ['Select the answer the HRA decision tool gave'])
        res = await browsers.ben.post(`/projects/${id}/research`, {
          answer: 'unsure',
          notes: '',
          version: '1',
        })
        assert.deepEqual(errorSummary(res.body), ['Say what you are unsure about, so a coach can help'])
        res = await browsers.ben.post(`/projects/${id}/research`, {
          answer: 'research',
          notes: 'Randomising wards',
          version: '1',
        })
        assert.equal(res.statusCode, 303)
        res = await browsers.ben.get(`/projects/${id}`)
        assert.match(res.body, /This project counts as research/)
        assert.match(res.body, /must go to Research and Development/)
      })
    })

    describe('comments and mentions', () => {
      test('a comment mentioning people by name and e-mail notifies those who can see the project', async () => {
        const id = await adaProject({ title: 'Mention project', visibility: 'team' })
        const before = (await outbox('project_mention')).length
        const res = await browsers.ada.submit(`/projects/${id}`, `/projects/${id}/comments`, {
          body: 'Thanks @Ben Baseline! @leo.learner@example.invalid and @Cara Cycle, can you look? Also @Ada Aimwell.',
          targetType: 'project',
          targetId: id,
          returnTo: `/projects/${id}#comments`,
        })
        assert.equal(res.statusCode, 303)
        assert.equal(res.headers.location, `/projects/${id}#comments`)
        const mails = (await outbox('project_mention')).slice(before)
        // Ben is on the team; Leo cannot see a team project; Cara is a coach and sees registered projects; Ada wrote it.
        assert.deepEqual(mails.map((m) => m.to_address).sort(), [
          'ben.baseline@example.invalid',
          'cara.cycle@example.invalid',
        ])
        assert.match(mails[0].text_body, /Mention project/)
        assert.match(mails[0].text_body, new RegExp(`/projects/${id}#comments`))
        const page = await browsers.ben.get(`/projects/${id}`)
        assert.match(page.body, /Thanks @Ben Baseline!/)
        assert.ok(
          (
            await db().selectFrom('project_activity').select('kind').where('project_id', '=', id).execute()
          ).some((a) => a.kind === 'comment.add'),
        )
      })

      test('an empty comment is refused; strangers and anonymous visitors cannot comment', async () => {
        const id = await adaProject({ visibility: 'team' })
        let res = await browsers.ada.submit(`/projects/${id}`, `/projects/${id}/comments`, {
          body: '   ',
          targetType: 'project',
          targetId: id,
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(errorSummary(res.body), ['Enter your comment'])
        res = await browsers.leo.post(`/projects/${id}/comments`, {
          body: 'Hello',
          targetType: 'project',
          targetId: id,
        })
        assert.equal(res.statusCode, 404)
        res = await new TestBrowser(t.app).post(`/projects/${id}/comments`, {
          body: 'Hello',
          targetType: 'project',
          targetId: id,
        })
        assert.equal(res.statusCode, 403, 'no CSRF token, no session')
        res = await browsers.ada.post(`/projects/${id}/comments`, {
          body: 'On another project',
          targetType: 'project',
          targetId: 'demo-project-discharge',
        })
        assert.equal(res.statusCode, 404, 'the target must belong to the project')
        assert.equal(
          (await db().selectFrom('comments').select('id').where('project_id', '=', id).execute()).length,
          0,
        )
      })

      test('the comment service serves other parts of a project (PDSA cycles…) with the same rules', async () => {
        const id = await adaProject()
        const { comments } = t.services.projects
        const user = await t.services.sessions.resolve(
          await t.services.sessions.create(db(), ids.ada, 'password', {}),
        )
        await assert.rejects(
          comments.addComment(user!, {
            projectId: id,
            targetType: 'pdsa',
            targetId: 'no-such-cycle',
            body: 'Hi',
          }),
          /not found/i,
        )
        await assert.rejects(
          comments.addComment(user!, { projectId: id, targetType: 'nonsense', targetId: id, body: 'Hi' }),
          /not found/i,
        )
        await comments.addComment(user!, {
          projectId: id,
          targetType: 'project',
          targetId: id,
          body: 'First',
        })
        assert.deepEqual(
          (await comments.listComments('project', id)).map((c) => c.body),
          ['First'],
        )
      })
    })

    describe('lists, activity and deleting', () => {
      test('the list filters by status, organisation, aim code and text, and "My projects" shows only mine', async () => {
        const mine = await adaProject({ title: 'Zebra crossing safety', visibility: 'community' })
        await db().insertInto('project_aim_codes').values({ project_id: mine, aim_code: 'L3' }).execute()
        let res = await browsers.leo.get('/projects?q=zebra&status=active&organisation=org-ghft&aim=L3')
        assert.ok(res.body.includes(`/projects/${mine}"`))
        assert.match(res.body, /<option value="active" selected>/, 'the filter form shows the chosen status')
        res = await browsers.leo.get('/projects?q=zebra&status=on_hold')
        assert.ok(!res.body.includes(`/projects/${mine}"`))
        assert.match(res.body, /<option value="on_hold" selected>/, 'and a different choice next time')
        assert.doesNotMatch(res.body, /<option value="active" selected>/)
        assert.match(res.body, /id="q" name="q" type="text" value="zebra"/)
        res = await browsers.leo.get('/projects?q=zebra&aim=E2')
        assert.ok(!res.body.includes(`/projects/${mine}"`))
        res = await browsers.leo.get('/projects?mine=1&q=zebra')
        assert.equal(h1(res.body), 'My projects')
        assert.ok(!res.body.includes(`/projects/${mine}"`))
        res = await browsers.ada.get('/projects?mine=1&q=zebra')
        assert.ok(res.body.includes(`/projects/${mine}"`))
        res = await browsers.leo.get('/projects?status=bogus&page=-3&aim=%3Cscript%3E')
        assert.equal(res.statusCode, 200, 'nonsense filters are ignored, never an error')
        res = await new TestBrowser(t.app).get('/projects?mine=1')
        assert.equal(res.statusCode, 303)
      })

      test('text search finds parts of words, short words and wildcard characters, and follows renames and deletions', async () => {
        const id = await adaProject({ title: 'Okapi falls: 50% fewer on ward 7b', visibility: 'community' })
        const other = await adaProject({ title: 'Okapi 5000 club', visibility: 'community' })
        const found = async (q: string) => {
          const res = await browsers.leo.get(`/projects?q=${encodeURIComponent(q)}`)
          assert.equal(res.statusCode, 200)
          return [id, other].filter((p) => res.body.includes(`/projects/${p}"`))
        }
        assert.deepEqual(await found('okapi fall'), [id], 'a part of a word, with another word')
        assert.equal((await found('OKAPI')).length, 2, 'in any case')
        assert.deepEqual(await found('okapi 7b'), [id], 'a word shorter than three letters')
        assert.deepEqual(await found('50%'), [id], 'a % is a character, not a wildcard')
        assert.deepEqual(await found('okapi 5_0'), [], 'an _ is a character, not a wildcard')
        await db().updateTable('projects').set({ search_text: 'okapi trips' }).where('id', '=', id).execute()
        assert.deepEqual(await found('okapi fall'), [], 'the old words are gone after a change')
        assert.deepEqual(await found('trips okapi'), [id])
        await db().deleteFrom('projects').where('id', '=', other).execute()
        assert.deepEqual(await found('5000'), [])
      })

      test('the list pages through its results, and counts a long list only up to a cap', async () => {
        const now = Date.UTC(2026, 0, 1)
        const rows = Array.from({ length: 230 }, (_, i) =>
          projectRow({
            id: `capybara-${String(i).padStart(3, '0')}`,
            title: `Capybara project ${i}`,
            status: i < 21 ? 'active' : 'on_hold',
            visibility: 'community',
            last_activity_at: new Date(now + i * 60_000).toISOString(),
            search_text: `capybara project ${i}`,
            created_at: new Date(now).toISOString(),
          }),
        )
        await db().insertInto('projects').values(rows).execute()
        let res = await browsers.leo.get('/projects?q=capybara&status=active')
        assert.match(res.body, /21 projects, showing 1 to 20/)
        assert.match(res.body, /href="\/projects\?q=capybara&amp;status=active&amp;page=2"/)
        res = await browsers.leo.get('/projects?q=capybara&status=active&page=2')
        assert.match(res.body, /21 projects, showing 21 to 21/)
        assert.ok(res.body.includes('/projects/capybara-000"'), 'the oldest comes last')
        res = await browsers.leo.get('/projects?q=capybara')
        assert.match(res.body, /More than 200 projects, showing 1 to 20/)
        assert.match(res.body, /page=2"/)
        res = await browsers.leo.get('/projects?q=capybara&page=12')
        assert.match(res.body, /showing 221 to 230/)
        assert.ok(!/page=13"/.test(res.body), 'no next page after the last')
      })

      test('the activity timeline pages through what happened, newest first', async () => {
        const id = await adaProject()
        for (let i = 0; i < 23; i++) {
          await db()
            .insertInto('project_activity')
            .values(
              projectActivityRow({
                project_id: id,
                at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
                actor_id: ids.ada,
                kind: 'test',
                summary: `Step ${i}`,
              }),
            )
            .execute()
        }
        let res = await browsers.ben.get(`/projects/${id}/activity`)
        assert.equal(h1(res.body), 'Activity')
        assert.ok(res.body.indexOf('Step 22') < res.body.indexOf('Step 21'))
        assert.ok(!res.body.includes('Step 2<'))
        res = await browsers.ben.get(`/projects/${id}/activity?page=2`)
        assert.match(res.body, /Step 0/)
        assert.equal((await browsers.leo.get(`/projects/${id}/activity`)).statusCode, 404)
      })

      test('the lead deletes a draft; a stale delete form is refused', async () => {
        const id = await adaProject({ status: 'draft' })
        await browsers.ada.post(`/projects/${id}/edit`, {
          title: 'Changed meanwhile',
          organisationIds: 'org-ghft',
          qsirStage: 'start_out',
          version: '1',
        })
        let res = await browsers.ada.post(`/projects/${id}/delete`, { version: '1' })
        assert.equal(res.statusCode, 409)
        res = await browsers.ada.post(`/projects/${id}/delete`, { version: '2' })
        assert.equal(res.statusCode, 303)
        assert.equal(
          await db().selectFrom('projects').select('id').where('id', '=', id).executeTakeFirst(),
          undefined,
        )
      })
    })

    test('the demo projects are there, flagged and outside the real programmes', async () => {
      const rows = await db()
        .selectFrom('projects')
        .select(['id', 'is_demo', 'programme_id', 'status'])
        .where('id', 'like', 'demo-project-%')
        .orderBy('id')
        .execute()
      assert.deepEqual(
        rows.map((r) => [r.id, Boolean(r.is_demo), r.programme_id, r.status]),
        [
          ['demo-project-discharge', true, null, 'active'],
          ['demo-project-falls', true, null, 'submitted'],
          ['demo-project-referrals', true, null, 'completed'],
        ],
      )
      const res = await browsers.leo.get('/projects/demo-project-referrals')
      assert.match(res.body, /One shared referrals inbox/)
    })
  })
}
