// Charts and diagrams as people see them: the measure page's chart and the improvement pictures,
// at a given screen width, with what a reader needs from them (nothing overflows, nothing
// overlaps, prints on one page).
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { SitePage } from './site.js'
import { SignInPage } from './auth.js'

export interface Rect {
  left: number
  top: number
  right: number
  bottom: number
}

/** How a picture sits in its container, in CSS pixels. */
export interface Fit {
  container: { scrollWidth: number; clientWidth: number }
  picture: Rect
  viewport: number
  /** The page scrolls sideways when this is more than the viewport. */
  pageScrollWidth: number
}

export class PicturePage extends SitePage {
  constructor(
    page: Page,
    /** Where screenshots go. */
    readonly shots: string,
  ) {
    super(page)
  }

  /** Signs in through the sign-in page (auth.ts). */
  async signIn(email: string, password: string): Promise<void> {
    await (await SignInPage.open(this.page)).signIn(email, password)
  }

  /**
   * Sends a form of the app as the signed-in browser would (its CSRF token from `formPage`), for
   * setting up many annotations quickly; expects a redirect.
   */
  async sendForm(formPage: string, action: string, fields: Record<string, string>): Promise<void> {
    await this.goto(formPage)
    const csrf = await this.page.locator('input[name=_csrf]').first().getAttribute('value')
    assert.ok(csrf, `a CSRF token on ${formPage}`)
    const response = await this.page.request.post(action, {
      form: { _csrf: csrf, _once: `${Date.now()}-${Math.random()}`, ...fields },
      maxRedirects: 0,
    })
    assert.equal(response.status(), 303, `${action}: ${(await response.text()).slice(0, 300)}`)
  }

  async atWidth(width: number): Promise<void> {
    await this.page.setViewportSize({ width, height: 900 })
  }

  /** A full-page screenshot, named by what and how wide. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.shots, `${name}-${this.page.viewportSize()?.width ?? 0}.png`)
    await this.page.screenshot({ path, fullPage: true })
    return path
  }

  chart(): Locator {
    return this.page.locator('.app-spc-chart__picture > svg')
  }

  diagram(): Locator {
    return this.page.locator('.app-diagram-picture > svg')
  }

  /** How the picture (`svg`) fits the element that holds it (`container`). */
  async fit(svg: Locator, container: string): Promise<Fit> {
    return svg.evaluate((el, selector) => {
      const box = el.closest(selector)
      if (!box) throw new Error(`no ${selector} around the picture`)
      const r = el.getBoundingClientRect()
      return {
        container: { scrollWidth: box.scrollWidth, clientWidth: box.clientWidth },
        picture: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
        viewport: document.documentElement.clientWidth,
        pageScrollWidth: document.documentElement.scrollWidth,
      }
    }, container)
  }

  /** Fails when the picture is wider than its container or runs off the screen. */
  async expectFits(svg: Locator, container: string, label: string): Promise<Fit> {
    const fit = await this.fit(svg, container)
    const width = this.page.viewportSize()?.width
    assert.ok(
      fit.container.scrollWidth <= fit.container.clientWidth,
      `${label} at ${width} px: the container scrolls (${fit.container.scrollWidth} > ${fit.container.clientWidth})`,
    )
    assert.ok(fit.picture.left >= 0, `${label} at ${width} px: starts on the screen`)
    assert.ok(
      fit.picture.right <= fit.viewport + 0.5,
      `${label} at ${width} px: its right edge (${fit.picture.right}) is off the screen (${fit.viewport})`,
    )
    assert.ok(fit.picture.right - fit.picture.left > 0, `${label}: drawn`)
    return fit
  }

  /** The drawn boxes of the chart's event labels and key entries, as the browser lays out the text. */
  async eventTextBoxes(): Promise<{ text: string; rect: Rect }[]> {
    return this.chart()
      .locator('.spc-annotations text')
      .evaluateAll((nodes) =>
        nodes.map((n) => {
          const r = n.getBoundingClientRect()
          return {
            text: n.textContent ?? '',
            rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
          }
        }),
      )
  }

  /** Fails when two texts of the chart's events overlap on screen. */
  async expectNoOverlappingLabels(label: string): Promise<number> {
    const boxes = await this.eventTextBoxes()
    const overlap = (a: Rect, b: Rect) =>
      a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        assert.ok(
          !overlap(boxes[i].rect, boxes[j].rect),
          `${label}: “${boxes[i].text}” overlaps “${boxes[j].text}”`,
        )
    return boxes.length
  }

  /** The picture's size when the page is printed (print styles applied). */
  async printedSize(svg: Locator): Promise<{ width: number; height: number; page: number }> {
    await this.page.emulateMedia({ media: 'print' })
    try {
      return await svg.evaluate((el) => {
        const r = el.getBoundingClientRect()
        return { width: r.width, height: r.height, page: document.documentElement.clientWidth }
      })
    } finally {
      await this.page.emulateMedia({ media: 'screen' })
    }
  }
}
