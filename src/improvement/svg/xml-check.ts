/**
 * A small XML well-formedness check for the diagrams (tests use it): one root element,
 * tags balance, attribute values are quoted and unique, entity references are known,
 * and text holds no raw "<" or "&". Returns the problems found (none when well formed).
 * @example xmlProblems('<svg><g></svg>') // ['</svg> closes <g>', …]
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = []
  const stack: string[] = []
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y
  let roots = 0
  let i = 0
  const checkText = (text: string, where: string) => {
    for (let k = 0; k < text.length; k++) {
      if (text[k] === '<') problems.push(`raw "<" in ${where}`)
      if (text[k] === '&') {
        entity.lastIndex = k
        if (!entity.test(text)) problems.push(`bad entity in ${where}: ${text.slice(k, k + 12)}`)
      }
    }
  }
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const text = lt === -1 ? xml.slice(i) : xml.slice(i, lt)
    if (text.includes('>')) problems.push(`raw ">" in text near: ${text.slice(0, 40)}`)
    checkText(text, 'text')
    if (stack.length === 0 && text.trim() && i > 0) problems.push('text outside the root element')
    if (lt === -1) break
    const gt = xml.indexOf('>', lt)
    if (gt === -1) {
      problems.push('unclosed tag at the end')
      break
    }
    const tag = xml.slice(lt + 1, gt)
    i = gt + 1
    if (tag.startsWith('?') || tag.startsWith('!--')) continue
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim()
      const open = stack.pop()
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`)
      continue
    }
    const selfClosing = tag.endsWith('/')
    const body = selfClosing ? tag.slice(0, -1) : tag
    const m = /^([A-Za-z_][\w:.-]*)([\s\S]*)$/.exec(body)
    if (!m) {
      problems.push(`bad tag <${tag.slice(0, 30)}>`)
      continue
    }
    const [, name, rest] = m
    const seen = new Set<string>()
    const attr = /\s+([A-Za-z_][\w:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/y
    let pos = 0
    while (pos < rest.length) {
      attr.lastIndex = pos
      const a = attr.exec(rest)
      if (!a) {
        if (rest.slice(pos).trim()) problems.push(`bad attribute in <${name}>: ${rest.slice(pos, pos + 30)}`)
        break
      }
      if (seen.has(a[1])) problems.push(`duplicate attribute ${a[1]} in <${name}>`)
      seen.add(a[1])
      checkText(a[3] ?? a[4] ?? '', `attribute ${a[1]}`)
      pos = attr.lastIndex
    }
    if (stack.length === 0) roots++
    if (!selfClosing) stack.push(name)
  }
  if (stack.length) problems.push(`unclosed <${stack.join('>, <')}>`)
  if (roots !== 1) problems.push(`${roots} root elements`)
  return problems
}
