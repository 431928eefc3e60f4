/**
 * Reading a `client()` cache policy statically: the first argument must be `false` or an object
 * literal whose values are literals, because the build (manifest, purge table, headers) needs it
 * before any code runs.
 * @module
 */
import { normalizeTags, parseDuration, PolicyError, TagError } from '@mizan/core/policy'
import type { ProblemReporter } from './errors.ts'
import { closest, describeNode } from './describe.ts'
import { node, nodes, staticString, unwrap, type AnyNode } from './parse.ts'

/**
 * A policy with every default filled in: durations in seconds, tags normalised (templates kept).
 *
 * @example
 * ```ts
 * const p: NormalizedPolicy = { ttl: 300, swr: 3600, staleIfError: 0, tags: ['post:{slug}', 'posts'], scope: 'public' }
 * ```
 */
export interface NormalizedPolicy {
  readonly ttl: number
  readonly swr: number
  readonly staleIfError: number
  /** Sorted, deduplicated tag templates (`post:{slug}`). */
  readonly tags: readonly string[]
  readonly scope: 'public' | 'user'
}

/** A tag template as written, for the per-template checks done by the caller. */
export interface TagTemplate {
  readonly template: string
  readonly placeholders: readonly string[]
  readonly at: AnyNode
}

const KEYS = ['ttl', 'swr', 'staleIfError', 'tags', 'scope'] as const
type Key = (typeof KEYS)[number]
const EXAMPLE = `client({ ttl: '5m', swr: '1h', tags: ['posts'] }, async (params, ctx) => …)`

/**
 * Reads the policy argument of a `client()` call. Returns `null` when it is invalid (every
 * problem is reported through `report`).
 *
 * @example
 * ```ts
 * readPolicy(callArgs[0], report) // { policy: { ttl: 300, … }, templates: [...] }
 * ```
 */
export function readPolicy(arg: AnyNode, report: ProblemReporter): { policy: NormalizedPolicy | false; templates: TagTemplate[] } | null {
  const expr = unwrap(arg)
  if (expr.type === 'Literal' && expr['value'] === false) return { policy: false, templates: [] }
  if (expr.type === 'Literal' && expr['value'] === true) {
    report(expr, 'MIZAN_POLICY_INVALID', '`true` is not a cache policy.', `Pass an object such as ${EXAMPLE}, or \`false\` for data that must never be cached.`)
    return null
  }
  if (expr.type !== 'ObjectExpression') {
    report(expr, 'MIZAN_POLICY_NOT_STATIC', `the cache policy must be written inline as an object literal (or \`false\`), but this is ${describeNode(expr)}.`,
      `Mizan reads the policy at build time, before any code runs, so it cannot come from a variable, call or spread. Write it inline: ${EXAMPLE}`)
    return null
  }
  const seen = new Map<Key, AnyNode>()
  let ok = true
  for (const prop of nodes(expr, 'properties')) {
    const key = prop.type === 'Property' ? propertyName(prop) : null
    if (prop.type !== 'Property' || key === null || prop['kind'] !== 'init' || prop['method'] === true || prop['shorthand'] === true) {
      report(prop, 'MIZAN_POLICY_NOT_STATIC', `the cache policy must be a plain object literal, but it contains ${describeNode(prop)}.`,
        `Write each key with a literal value, e.g. ${EXAMPLE}`)
      ok = false
    } else if (!(KEYS as readonly string[]).includes(key)) {
      const guess = closest(key, KEYS)
      report(prop, 'MIZAN_UNKNOWN_POLICY_KEY', `unknown cache policy key "${key}".`,
        `${guess === null ? '' : `Did you mean "${guess}"? `}A policy takes only ${KEYS.join(', ')}.`)
      ok = false
    } else if (seen.has(key as Key)) {
      report(prop, 'MIZAN_POLICY_INVALID', `the cache policy sets "${key}" twice.`, `Remove one of the two "${key}" entries.`)
      ok = false
    } else {
      seen.set(key as Key, node(prop, 'value') as AnyNode)
    }
  }
  const ttlNode = seen.get('ttl')
  if (ok && ttlNode === undefined) {
    report(expr, 'MIZAN_POLICY_INVALID', 'the cache policy has no ttl, so Mizan cannot know how long the data stays fresh.',
      `Add one, e.g. { ttl: '5m' }, or use client(false, …) for data that must never be cached.`)
    return null
  }
  if (!ok || ttlNode === undefined) return null
  const ttl = readDuration(ttlNode, 'ttl', report)
  const swr = readDuration(seen.get('swr'), 'swr', report)
  const staleIfError = readDuration(seen.get('staleIfError'), 'staleIfError', report)
  const tags = readTags(seen.get('tags'), report)
  const scope = readScope(seen.get('scope'), report)
  if (ttl === null || swr === null || staleIfError === null || tags === null || scope === null) return null
  return { policy: { ttl, swr, staleIfError, tags: tags.normalized, scope }, templates: tags.templates }
}

const ACTION_EXAMPLE = `action({ tags: ['post:{slug}', 'posts'] }, async (input, ctx) => …)`

/**
 * Reads the options argument of an `action()` call: an object literal with only `tags`.
 * Returns `null` when it is invalid (every problem is reported through `report`).
 *
 * @example
 * ```ts
 * readActionOptions(callArgs[0], report) // { tags: ['post:{slug}', 'posts'], templates: [...] }
 * ```
 */
export function readActionOptions(arg: AnyNode, report: ProblemReporter): { tags: readonly string[]; templates: TagTemplate[] } | null {
  const expr = unwrap(arg)
  if (expr.type !== 'ObjectExpression') {
    report(expr, 'MIZAN_POLICY_NOT_STATIC', `the action options must be written inline as an object literal, but this is ${describeNode(expr)}.`,
      `Mizan reads them at build time (the manifest lists the tags each action purges). Write them inline: ${ACTION_EXAMPLE}`)
    return null
  }
  let tagsNode: AnyNode | undefined
  let ok = true
  for (const prop of nodes(expr, 'properties')) {
    const key = prop.type === 'Property' ? propertyName(prop) : null
    if (prop.type !== 'Property' || key === null || prop['kind'] !== 'init' || prop['method'] === true || prop['shorthand'] === true) {
      report(prop, 'MIZAN_POLICY_NOT_STATIC', `the action options must be a plain object literal, but they contain ${describeNode(prop)}.`, `Write them inline: ${ACTION_EXAMPLE}`)
      ok = false
    } else if (key !== 'tags') {
      report(prop, 'MIZAN_UNKNOWN_POLICY_KEY', `unknown action option "${key}".`,
        `An action takes only tags (what it purges after it succeeds); it is never cached: ${ACTION_EXAMPLE}`)
      ok = false
    } else if (tagsNode !== undefined) {
      report(prop, 'MIZAN_POLICY_INVALID', 'the action options set "tags" twice.', 'Remove one of the two "tags" entries.')
      ok = false
    } else {
      tagsNode = node(prop, 'value')
    }
  }
  if (!ok) return null
  const tags = readTags(tagsNode, report)
  return tags === null ? null : { tags: tags.normalized, templates: tags.templates }
}

function readDuration(value: AnyNode | undefined, key: string, report: ProblemReporter): number | null {
  if (value === undefined) return 0
  const e = unwrap(value)
  const negative = e.type === 'UnaryExpression' && e['operator'] === '-' ? node(e, 'argument') : undefined
  const literal = negative !== undefined && negative.type === 'Literal' && typeof negative['value'] === 'number'
    ? -negative['value']
    : e.type === 'Literal' && typeof e['value'] === 'number' ? e['value'] : staticString(e)
  if (literal === null) {
    report(e, 'MIZAN_POLICY_NOT_STATIC', `"${key}" must be a literal number of seconds or a duration string, but it is ${describeNode(e)}.`,
      `Write it inline, e.g. ${key}: 300 or ${key}: '5m' (units s, m, h, d, w).`)
    return null
  }
  try {
    return parseDuration(literal, key)
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error
    report(e, 'MIZAN_POLICY_INVALID', `${error.message}.`, `Write a whole number of seconds (300) or a duration like '30s', '5m', '1h30m', '1d'.`)
    return null
  }
}

function readTags(value: AnyNode | undefined, report: ProblemReporter): { normalized: string[]; templates: TagTemplate[] } | null {
  if (value === undefined) return { normalized: [], templates: [] }
  const e = unwrap(value)
  if (e.type !== 'ArrayExpression') {
    report(e, 'MIZAN_POLICY_NOT_STATIC', `"tags" must be an array literal of strings, but it is ${describeNode(e)}.`,
      `Write the tags inline, with {param} placeholders for values from params: tags: ['post:{slug}', 'posts'].`)
    return null
  }
  const templates: TagTemplate[] = []
  let ok = true
  for (const element of e['elements'] as (AnyNode | null)[]) {
    const text = element === null ? null : staticString(element)
    if (element === null || text === null) {
      const at = element ?? e
      const hint = at.type === 'TemplateLiteral' ? ' A template literal with ${…} is computed at run time; use a {param} placeholder instead: \'post:{slug}\'.' : ''
      report(at, 'MIZAN_POLICY_NOT_STATIC', `every tag must be a string literal, but this is ${element === null ? 'an empty slot' : describeNode(element)}.`,
        `Write each tag as a literal, with {param} placeholders for values from params: tags: ['post:{slug}', 'posts'].${hint}`)
      ok = false
      continue
    }
    const checked = checkTemplate(text)
    if (typeof checked === 'string') {
      report(element, 'MIZAN_POLICY_INVALID', `the tag ${JSON.stringify(text)} is not valid: ${checked}`,
        `Tags are lowercase printable ASCII without spaces or commas, up to 1024 characters; placeholders name one param: 'post:{slug}'.`)
      ok = false
      continue
    }
    templates.push({ template: checked.template, placeholders: checked.placeholders, at: element })
  }
  if (!ok) return null
  try {
    normalizeTags(templates.map((t) => fill(t.template)))
  } catch (error) {
    if (!(error instanceof TagError)) throw error
    report(e, 'MIZAN_POLICY_INVALID', `the tags are not valid: ${error.message}`, 'Use fewer or shorter tags.')
    return null
  }
  return { normalized: [...new Set(templates.map((t) => t.template))].sort(), templates }
}

/** Normalises a template's literal parts (trim, lowercase) and validates it; a string is an error. */
function checkTemplate(raw: string): { template: string; placeholders: string[] } | string {
  const parts = raw.trim().split(/(\{[^{}]*\})/)
  const placeholders: string[] = []
  let template = ''
  for (const part of parts) {
    if (part.startsWith('{') && part.endsWith('}')) {
      const name = part.slice(1, -1)
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `the placeholder ${part} must name one param, like {slug}.`
      placeholders.push(name)
      template += part
    } else {
      if (/[{}]/.test(part)) return 'it has an unmatched "{" or "}".'
      template += part.toLowerCase()
    }
  }
  try {
    normalizeTags([fill(template)])
  } catch (error) {
    if (!(error instanceof TagError)) throw error
    return error.message
  }
  return { template, placeholders }
}

/** A representative filled tag, to check a template against the tag rules. */
function fill(template: string): string {
  return template.replace(/\{[^{}]*\}/g, 'x')
}

function readScope(value: AnyNode | undefined, report: ProblemReporter): 'public' | 'user' | null {
  if (value === undefined) return 'public'
  const text = staticString(value)
  if (text === 'public' || text === 'user') return text
  report(value, text === null ? 'MIZAN_POLICY_NOT_STATIC' : 'MIZAN_POLICY_INVALID',
    `"scope" must be 'public' or 'user', but it is ${text === null ? describeNode(unwrap(value)) : JSON.stringify(text)}.`,
    `Use scope: 'public' (shared by everyone, the default) or scope: 'user' (per signed-in user, never shared).`)
  return null
}

function propertyName(prop: AnyNode): string | null {
  if (prop['computed'] === true) return null
  const key = node(prop, 'key')
  if (key?.type === 'Identifier') return key['name'] as string
  return key === undefined ? null : staticString(key)
}
