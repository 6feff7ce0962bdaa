import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { TestBrowser, startTestApp, type TestApp } from '../testing/app.js'
import { testDialects } from '../testing/databases.js'
import { ADA, BEN, LEO, diagramOf, location, signedIn, teamProject } from './fixtures.js'
import { xmlProblems } from './svg/xml-check.js'

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

for (const { dialect, skip } of await testDialects()) {
  describe(`diagram and tool pictures as downloads on ${dialect}`, { skip }, () => {
    let t: TestApp
    before(async () => {
      t = await startTestApp(dialect)
    })
    after(() => t?.close())

    /** A project (team-only or seen by the community) with a driver and a fishbone. */
    async function projectWithPictures(visibility: string) {
      const projectId = await teamProject(t, { visibility, aim: 'Fewer falls on Ward 9 by March 2027' })
      const ben = await signedIn(t, BEN)
      const driver = await ben.post(`/projects/${projectId}/drivers`, {
        kind: 'primary',
        title: 'Safer nights',
      })
      assert.equal(driver.statusCode, 303)
      const tool = await ben.post(`/projects/${projectId}/tools`, {
        type: 'fishbone',
        title: 'Why falls at night',
      })
      assert.equal(tool.statusCode, 303)
      return { projectId, toolPath: location(tool) }
    }

    function assertPicture(
      res: Awaited<ReturnType<TestBrowser['get']>>,
      format: 'svg' | 'png',
      filename: string,
    ): void {
      assert.equal(res.statusCode, 200, res.body.slice(0, 200))
      assert.equal(res.headers['content-disposition'], `attachment; filename="${filename}.${format}"`)
      assert.equal(res.headers['cache-control'], 'no-store')
      assert.equal(res.headers['x-content-type-options'], 'nosniff')
      if (format === 'svg') {
        assert.match(String(res.headers['content-type']), /^image\/svg\+xml/)
        assert.match(String(res.headers['content-security-policy']), /default-src 'none'/)
        const svg = res.body.replace(/^<\?xml[^>]*\?>\n/, '')
        assert.deepEqual(xmlProblems(svg), [])
        assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]* viewBox="0 0 \d+ \d+"/)
      } else {
        assert.equal(res.headers['content-type'], 'image/png')
        assert.deepEqual([...res.rawPayload.subarray(0, 8)], PNG)
      }
    }

    test('the driver diagram and a tool picture download as SVG and PNG, as drawn on the page', async () => {
      const { projectId, toolPath } = await projectWithPictures('team')
      const ada = await signedIn(t, ADA)
      const page = await ada.get(`/projects/${projectId}/drivers`)
      const onPage = diagramOf(page.body)
      assert.match(page.body, new RegExp(`href="/projects/${projectId}/drivers/diagram.png" download`))
      assert.match(page.body, new RegExp(`href="/projects/${projectId}/drivers/diagram.svg" download`))
      assert.doesNotMatch(page.body, /app-diagram-scroll/)
      for (const format of ['svg', 'png'] as const) {
        const res = await ada.get(`/projects/${projectId}/drivers/diagram.${format}`)
        assertPicture(res, format, 'driver-diagram-earlier-discharges')
        if (format === 'svg') assert.ok(res.body.endsWith(onPage), 'the same picture as on the page')
      }
      const tool = await ada.get(toolPath)
      assert.match(tool.body, new RegExp(`href="${toolPath}/picture.svg" download`))
      for (const format of ['svg', 'png'] as const)
        assertPicture(
          await ada.get(`${toolPath}/picture.${format}`),
          format,
          'fishbone-cause-and-effect-diagram-why-falls-at-night',
        )
    })

    test('a picture needs the right to see the diagram: hidden is 404, signed out 401, as problems', async () => {
      const hidden = await projectWithPictures('team')
      const open = await projectWithPictures('community')
      const leo = await signedIn(t, LEO)
      const anonymous = new TestBrowser(t.app)
      for (const format of ['svg', 'png'] as const) {
        for (const path of [
          `/projects/${hidden.projectId}/drivers/diagram.${format}`,
          `${hidden.toolPath}/picture.${format}`,
        ]) {
          const refused = await leo.get(path)
          assert.equal(refused.statusCode, 404, path)
          assert.match(String(refused.headers['content-type']), /^application\/problem\+json/)
          assert.equal(refused.headers['content-disposition'], undefined)
          const signedOut = await anonymous.get(path)
          assert.ok([401, 404].includes(signedOut.statusCode), `${path}: ${signedOut.statusCode}`)
          assert.match(String(signedOut.headers['content-type']), /^application\/problem\+json/)
        }
        // someone outside the team may download what they may see
        assert.equal((await leo.get(`/projects/${open.projectId}/drivers/diagram.${format}`)).statusCode, 200)
        assert.equal((await leo.get(`${open.toolPath}/picture.${format}`)).statusCode, 200)
      }
      // a tool of another project is not found through this one
      const toolId = hidden.toolPath.split('/').pop()!
      const ada = await signedIn(t, ADA)
      assert.equal((await ada.get(`/projects/${open.projectId}/tools/${toolId}/picture.svg`)).statusCode, 404)
    })
  })
}
