// Progressive enhancement only: every page works without this file.
import { initAll } from '/nhsuk/nhsuk-frontend.min.js'

initAll()

// "Similar projects" on the new-project form: asked for as the title and problem are typed
// (the "Show similar projects" button does the same without JavaScript).
const similarButton = document.querySelector('[data-similar-button]')
if (similarButton) {
  const form = similarButton.form
  let timer = 0
  let last = ''
  const refresh = async () => {
    const data = new FormData(form)
    const key = `${data.get('title')}\n${data.get('problem')}`
    if (key === last || key.trim().length < 4) return
    last = key
    const response = await fetch('/projects/similar', {
      method: 'POST',
      body: new URLSearchParams(data),
      headers: { 'x-fragment': 'similar' },
      credentials: 'same-origin',
    })
    const panel = document.getElementById('similar-projects')
    if (response.ok && panel) panel.outerHTML = await response.text()
  }
  for (const name of ['title', 'problem'])
    form.elements.namedItem(name)?.addEventListener('input', () => {
      clearTimeout(timer)
      timer = setTimeout(() => refresh().catch(() => {}), 700)
    })
}
