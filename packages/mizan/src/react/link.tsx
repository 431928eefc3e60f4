/**
 * `<Link>`: an `<a>` that navigates on the client.
 * @module
 */
import type { AnchorHTMLAttributes, FocusEvent, MouseEvent, ReactNode } from 'react'
import { useRouter } from './router.ts'

/**
 * Props of `<Link>`: those of `<a>` plus navigation options.
 *
 * @example
 * ```tsx
 * const props: LinkProps = { href: '/posts/hello', replace: true }
 * ```
 */
export interface LinkProps extends AnchorHTMLAttributes<HTMLAnchorElement> {
  readonly href: string
  /** Replace the current history entry instead of pushing one. */
  readonly replace?: boolean
  /** Scroll to the top after navigating (default `true`). */
  readonly scroll?: boolean
  /** Load the target page's code on hover and focus (default `true`). */
  readonly prefetch?: boolean
}

/**
 * A link that navigates without a page load when it can: a plain left click on a same-origin
 * URL without modifier keys, `target` or `download`. Everything else (new tab, download,
 * another site) is left to the browser.
 *
 * @example
 * ```tsx
 * <Link href={`/posts/${post.slug}`}>{post.title}</Link>
 * ```
 */
export function Link(props: LinkProps): ReactNode {
  const { replace, scroll, prefetch = true, ...anchor } = props
  const router = useRouter()
  const warm = (event: MouseEvent<HTMLAnchorElement> | FocusEvent<HTMLAnchorElement>) => {
    if (prefetch && !event.defaultPrevented) router.prefetch(anchor.href)
  }
  return (
    <a
      {...anchor}
      onClick={(event) => {
        anchor.onClick?.(event)
        if (!isPlainClick(event) || (anchor.target && anchor.target !== '_self') || anchor.download !== undefined) return
        const url = new URL(anchor.href, location.href)
        if (url.origin !== location.origin) return
        // A hash on the current page is the browser's job (it scrolls to the anchor).
        if (url.hash && url.pathname === location.pathname && url.search === location.search) return
        event.preventDefault()
        router.navigate(url.href, { replace, scroll })
      }}
      onMouseEnter={(event) => {
        anchor.onMouseEnter?.(event)
        warm(event)
      }}
      onFocus={(event) => {
        anchor.onFocus?.(event)
        warm(event)
      }}
    />
  )
}

function isPlainClick(event: MouseEvent): boolean {
  return !event.defaultPrevented && event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey
}
